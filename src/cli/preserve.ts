/**
 * Compares a written copy with the original workbook, part by part, and lists everything that
 * changed other than what the plan wrote. A copy with any such change is not kept.
 */
import JSZip from "jszip";
import { cellAddress, parseCellAddress, type Grid, type WritePlan } from "../core";
import type { Loss } from "./errors";
import { workbookParts } from "./sheet-reader";
import { shiftFormula } from "./formulas";

interface Node {
  name: string;
  attributes: Record<string, unknown>;
  children: (Node | string | number)[];
}

let parser: { parseAsync(xml: string): Promise<Node> } | undefined;
/** The workbook library's XML parser, as the copy's writer uses it (loaded when a copy is written). */
function xmlParser(): { parseAsync(xml: string): Promise<Node> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const XmlParser: new () => { parseAsync(xml: string): Promise<Node> } = require("xlsx-populate/lib/XmlParser");
  return (parser ??= new XmlParser());
}

/** Parts that are caches the spreadsheet rebuilds by itself. */
const CACHES = new Set(["xl/calcChain.xml"]);
/** Parts the library writes anew; they are compared element by element. */
const REWRITTEN =
  /^(\[Content_Types\]\.xml|docProps\/(app|core)\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/styles\.xml|xl\/workbook\.xml|xl\/worksheets\/sheet\d+\.xml|xl\/worksheets\/_rels\/sheet\d+\.xml\.rels)$/;

function canon(n: Node | string | number, skipAttrs: readonly string[] = []): string {
  if (typeof n !== "object") return JSON.stringify(String(n));
  const attrs = Object.keys(n.attributes)
    .filter((k) => !skipAttrs.includes(k))
    .sort()
    .map((k) => `${k}=${JSON.stringify(String(n.attributes[k]))}`)
    .join(" ");
  return `<${n.name} ${attrs}>${n.children.map((c) => canon(c)).join("")}</${n.name}>`;
}

const elements = (n: Node): Node[] => n.children.filter((c): c is Node => typeof c === "object");

async function parse(zip: JSZip, name: string): Promise<Node | null> {
  const f = zip.file(name);
  if (!f) return null;
  const text = await f.async("string");
  return text.trim() === "" ? null : xmlParser().parseAsync(text);
}

export async function changesBesidesPlan(
  before: JSZip,
  afterBytes: Buffer,
  sheetIndex: number,
  grid: Grid,
  plan: WritePlan,
): Promise<Loss[]> {
  const after = await JSZip.loadAsync(afterBytes);
  const problems: Loss[] = [];
  let texts: [readonly string[], readonly string[]] | undefined;
  const strings = async (): Promise<[readonly string[], readonly string[]]> =>
    (texts ??= [(await workbookParts(before)).strings, (await workbookParts(after)).strings]);
  for (const name of Object.keys(before.files)) {
    const a = before.files[name];
    if (a.dir || CACHES.has(name)) continue;
    const b = after.file(name);
    if (!b) {
      problems.push({ part: name, change: "lost" });
      continue;
    }
    if (REWRITTEN.test(name)) continue;
    const [x, y] = await Promise.all([a.async("nodebuffer"), b.async("nodebuffer")]);
    if (!x.equals(y)) problems.push({ part: name, change: "changed" });
  }
  for (const name of Object.keys(before.files)) {
    if (!REWRITTEN.test(name) || !after.file(name)) continue;
    const [x, y] = await Promise.all([parse(before, name), parse(after, name)]);
    if (!x || !y) {
      if (x && !y) problems.push({ part: name, change: "lost" });
      continue;
    }
    const target = `xl/worksheets/sheet${sheetIndex + 1}.xml`;
    if (name === target) problems.push(...compareSheet(x, y, await strings(), grid, plan));
    else if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) {
      problems.push(...compareSheet(x, y, await strings()).map((p) => ({ ...p, part: `${name} ${p.part}` })));
    } else if (name === "xl/styles.xml") problems.push(...compareAppendOnly(name, x, y));
    else if (name === "xl/sharedStrings.xml")
      problems.push(...comparePrefix(name, "the text", elements(x), elements(y)));
    else if (name === "xl/workbook.xml") problems.push(...compareChildren(name, x, y, ["calcPr"]));
    else if (name === "[Content_Types].xml" || /\.rels$/.test(name)) problems.push(...compareContains(name, x, y));
    else problems.push(...compareChildren(name, x, y, []));
  }
  return problems;
}

/** Every element of the original is still there, unchanged (cache entries aside). */
function compareContains(name: string, x: Node, y: Node): Loss[] {
  const have = new Set(elements(y).map((e) => canon(e)));
  return elements(x)
    .filter((e) => !/calcChain/.test(String(e.attributes.PartName ?? e.attributes.Target ?? "")))
    .filter((e) => !have.has(canon(e)))
    .map((e) => ({
      part: `${name}: ${String(e.attributes.PartName ?? e.attributes.Target ?? e.name)}`,
      change: "lost",
    }));
}

/** Top-level elements equal, but for those named in `free`. */
function compareChildren(name: string, x: Node, y: Node, free: string[]): Loss[] {
  const kept = new Set(
    elements(y)
      .filter((e) => !free.includes(e.name))
      .map((e) => canon(e)),
  );
  return elements(x)
    .filter((e) => !free.includes(e.name) && !kept.has(canon(e)))
    .map((e) => ({
      part: name === "" || e.name === "definedNames" ? e.name : `${name}: ${e.name}`,
      change: "changed",
    }));
}

/** Collections (styles, shared strings) may only grow: every original entry keeps its place. */
function compareAppendOnly(name: string, x: Node, y: Node): Loss[] {
  const problems: Loss[] = [];
  const ys = new Map(elements(y).map((e) => [e.name, e]));
  for (const e of elements(x)) {
    const f = ys.get(e.name);
    if (!f) {
      problems.push({ part: `${name}: ${e.name}`, change: "lost" });
      continue;
    }
    const a = elements(e);
    const b = elements(f);
    if (a.length === 0 && b.length === 0) {
      if (canon(e, ["count", "uniqueCount"]) !== canon(f, ["count", "uniqueCount"])) {
        problems.push({ part: `${name}: ${e.name}`, change: "changed" });
      }
      continue;
    }
    problems.push(...comparePrefix(name, e.name, a, b));
  }
  return problems;
}

/** The original entries are the first entries of the new list, unchanged. */
function comparePrefix(name: string, what: string, a: Node[], b: Node[]): Loss[] {
  for (let i = 0; i < a.length; i++) {
    if (!b[i] || canon(a[i]) !== canon(b[i])) return [{ part: `${name}: ${what} #${i + 1}`, change: "changed" }];
  }
  return [];
}

/**
 * What a cell holds, whatever the form: its attributes, its value and its formula, a shared
 * formula written out for the cell. A filled-down formula given to each cell is the same cell.
 */
function cellMeaning(rows: Map<string, Node>, strings: readonly string[]): (c: Node) => string {
  const masters = new Map<string, { formula: string; row: number; col: number }>();
  for (const row of rows.values()) {
    for (const c of elements(row)) {
      const f = elements(c).find((e) => e.name === "f");
      if (f?.attributes.t === "shared" && f.attributes.ref !== undefined && f.children.length > 0) {
        const at = parseCellAddress(String(c.attributes.r));
        if (at) masters.set(String(f.attributes.si), { formula: String(f.children[0]), ...at });
      }
    }
  }
  return (c) => {
    const f = elements(c).find((e) => e.name === "f");
    const v = elements(c).find((e) => e.name === "v");
    let formula = f && f.children.length > 0 ? String(f.children[0]) : "";
    if (f?.attributes.t === "shared" && f.attributes.ref === undefined) {
      const master = masters.get(String(f.attributes.si));
      const at = parseCellAddress(String(c.attributes.r));
      if (master && at) formula = shiftFormula(master.formula, at.row - master.row, at.col - master.col);
    }
    // A text kept in the shared strings or inline in the cell is the same text.
    const { t, ...attributes } = c.attributes;
    let type = t;
    let value: string[] | null = v ? v.children.map(String) : null;
    if (t === "s" && v) {
      type = "text";
      value = [strings[Number(v.children[0])] ?? `#${String(v.children[0])}`];
    } else if (t === "inlineStr") {
      type = "text";
      value = [textOf(elements(c).find((e) => e.name === "is"))];
    }
    return canon({ ...c, attributes, children: [] }) + JSON.stringify([type, formula, value]);
  };
}

/** The text of a string item: its runs' text, without the phonetic reading. */
function textOf(n: Node | undefined): string {
  if (!n || n.name === "rPh") return "";
  return n.children.map((c) => (typeof c === "object" ? textOf(c) : n.name === "t" ? String(c) : "")).join("");
}

/** The checked sheet: every cell as it was, except the planned ones; everything around the cells as it was. */
function compareSheet(
  x: Node,
  y: Node,
  strings: [readonly string[], readonly string[]],
  grid?: Grid,
  plan?: WritePlan,
): Loss[] {
  const problems: Loss[] = [];
  const origin = grid?.origin ?? { row: 0, col: 0 };
  const planned = new Set<string>();
  for (const w of plan?.writes ?? []) planned.add(cellAddress(origin.row + w.row, origin.col + w.col));
  for (const h of plan?.highlights ?? []) planned.add(cellAddress(origin.row + h.row, origin.col + h.col));
  problems.push(...compareChildren("", x, y, ["sheetData", "dimension"]));
  const rows = (n: Node): Map<string, Node> => {
    const data = elements(n).find((e) => e.name === "sheetData");
    return new Map((data ? elements(data) : []).map((r) => [String(r.attributes.r), r]));
  };
  const rx = rows(x);
  const ry = rows(y);
  const meaningX = cellMeaning(rx, strings[0]);
  const meaningY = cellMeaning(ry, strings[1]);
  for (const [r, row] of rx) {
    const other = ry.get(r);
    if (!other) {
      problems.push({ part: `row ${r}`, change: "lost" });
      continue;
    }
    if (canon({ ...row, children: [] }, ["spans"]) !== canon({ ...other, children: [] }, ["spans"])) {
      problems.push({ part: `row ${r}`, change: "changed" });
    }
    const cy = new Map(elements(other).map((c) => [String(c.attributes.r), c]));
    for (const c of elements(row)) {
      const ref = String(c.attributes.r);
      if (planned.has(ref)) continue;
      const d = cy.get(ref);
      if (!d) problems.push({ part: ref, change: "lost" });
      else if (canon(c) !== canon(d) && meaningX(c) !== meaningY(d)) problems.push({ part: ref, change: "changed" });
    }
    const original = new Set(elements(row).map((c) => String(c.attributes.r)));
    for (const ref of cy.keys()) {
      if (!planned.has(ref) && !original.has(ref)) {
        const d = cy.get(ref)!;
        if (elements(d).length > 0) problems.push({ part: ref, change: "added" });
      }
    }
  }
  return problems;
}
