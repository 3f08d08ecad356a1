/**
 * Compares a written copy with the original workbook, part by part and cell by cell, and lists
 * everything that changed other than what the plan wrote: what the copy must never hold.
 */
import { cellAddress, parseCellAddress, type Grid, type WritePlan } from "../../src/core";
import { shiftFormula } from "../../src/xlsx/formulas";
import { sharedStringsFromXml } from "../../src/xlsx/read";
import { CLOSE, END, OPEN, TEXT, XmlScanner } from "../../src/xlsx/xml";
import { readRelationships } from "../../src/xlsx/package";
import { ZipArchive } from "../../src/xlsx/zip";

/** Something a copy lost, changed or added. */
export interface Loss {
  part: string;
  change: "lost" | "changed" | "added";
}

export interface Node {
  name: string;
  attributes: Record<string, unknown>;
  children: (Node | string | number)[];
}

/** A part's XML as a tree: names without prefixes, attributes decoded, white space between elements dropped. */
export function xmlTree(xml: string, part = "part"): Node {
  const scan = new XmlScanner(xml, part);
  const stack: Node[] = [];
  let root: Node | undefined;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === OPEN) {
      const attributes: Record<string, unknown> = {};
      for (const [k] of scan.rawAttributes()) attributes[k] = scan.attr(k);
      const node: Node = { name: scan.name, attributes, children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      else root = node;
      stack.push(node);
    } else if (token === CLOSE) {
      stack.pop();
    } else if (token === TEXT) {
      const current = stack[stack.length - 1];
      if (!/^\s+$/.test(scan.text) || current.attributes["xml:space"] === "preserve") current.children.push(scan.text);
    }
  }
  return root!;
}

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

function parse(zip: ZipArchive, name: string): Node | null {
  const text = zip.text(name);
  return text === null || text.trim() === "" ? null : xmlTree(text, name);
}

/** The shared strings of a package, wherever its part is. */
function stringsOf(zip: ZipArchive): string[] {
  const part = zip.entries.find((e) => /sharedStrings\.xml$/i.test(e.name))?.name;
  const xml = part === undefined ? null : zip.text(part);
  return xml === null ? [] : sharedStringsFromXml(xml, part);
}

/**
 * Everything that differs between the original and the copy, other than the plan's cells in
 * `sheetPart`: parts lost, changed or added; in the rewritten parts, elements lost or changed;
 * in every sheet, every cell compared by what it means.
 */
export function changesBesidesPlan(
  beforeBytes: Buffer,
  afterBytes: Buffer,
  sheetPart: string,
  grid: Grid,
  plan: WritePlan,
): Loss[] {
  const before = new ZipArchive(beforeBytes);
  const after = new ZipArchive(afterBytes);
  const problems: Loss[] = [];
  let texts: [readonly string[], readonly string[]] | undefined;
  const strings = (): [readonly string[], readonly string[]] => (texts ??= [stringsOf(before), stringsOf(after)]);
  // What each part is, found as Excel finds it: through relationships.
  const role = new Map<string, string>([["[Content_Types].xml", "list"]]);
  const office = readRelationships(before, "").find((r) => r.type === "officeDocument")?.part ?? "xl/workbook.xml";
  role.set(office, "workbook");
  const roles: Record<string, string> = {
    worksheet: "sheet",
    styles: "styles",
    sharedStrings: "strings",
    calcChain: "cache",
  };
  for (const r of readRelationships(before, office)) if (r.part && roles[r.type]) role.set(r.part, roles[r.type]);
  const newStyles = readRelationships(after, office).find((r) => r.type === "styles")?.part;
  for (const { name } of before.entries) if (name.endsWith(".rels")) role.set(name, "list");
  for (const { name } of before.entries) {
    if (name.endsWith("/") || role.get(name) === "cache") continue;
    if (!after.has(name)) {
      problems.push({ part: name, change: "lost" });
      continue;
    }
    if (role.has(name)) continue;
    if (!before.bytes(name)!.equals(after.bytes(name)!)) problems.push({ part: name, change: "changed" });
  }
  for (const { name } of after.entries) {
    if (!before.has(name) && name !== newStyles) problems.push({ part: name, change: "added" });
  }
  for (const { name } of before.entries) {
    const kind = role.get(name);
    if (kind === undefined || kind === "cache" || !after.has(name)) continue;
    const x = parse(before, name);
    const y = parse(after, name);
    if (!x || !y) {
      if (x && !y) problems.push({ part: name, change: "lost" });
      continue;
    }
    if (name === sheetPart) problems.push(...compareSheet(x, y, strings(), grid, plan));
    else if (kind === "sheet") {
      problems.push(...compareSheet(x, y, strings()).map((p) => ({ ...p, part: `${name} ${p.part}` })));
    } else if (kind === "styles") problems.push(...compareAppendOnly(name, x, y));
    else if (kind === "strings") problems.push(...comparePrefix(name, "the text", elements(x), elements(y)));
    else if (kind === "workbook") problems.push(...compareChildren(name, x, y, ["calcPr"]));
    else problems.push(...compareContains(name, x, y));
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
