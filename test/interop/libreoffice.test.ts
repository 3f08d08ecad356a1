/**
 * A second spreadsheet engine checks what `check --write --formulas` writes. LibreOffice Calc
 * (headless) opens each original and each checked copy, recalculates every formula and saves it;
 * read back, every deviation and sum line it computed in the copy must be the core's figure to
 * the hundredth, and everything else must read the same as in the original.
 *
 * LibreOffice is required: without `soffice` every test here fails, saying how to install it.
 */
import fs from "node:fs";
import path from "node:path";
import { Zip } from "../helpers/zip";
import { run } from "../../src/cli/main";
import { convertToXlsx, requireSoffice, type Conversion } from "../helpers/soffice";
import {
  cellOf,
  FIRST_LINE_ROW,
  openWorkbook,
  partsOf,
  patchSheetXml,
  referenceLines,
  RICH,
  SHEET,
  tempDir,
  writeReference,
  writeRich,
  type Line,
  type ReferenceOptions,
} from "../helpers/workbooks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "uppfoljning-maj-2025.xlsx");

interface Case {
  name: string;
  make(dir: string): Promise<string>;
  /** The table as it should read once written: [label, budget, forecast, deviation]. */
  expected: Line[];
  /** The original has errors the check reports (exit 1); the copy is written all the same. */
  errors?: boolean;
}

const reference = (name: string, options: ReferenceOptions, errors = false): Case => ({
  name,
  make: (dir) => writeReference(dir, `${name}.xlsx`, options),
  expected: referenceLines(options),
  errors,
});

/** Rewrites cells of the first sheet of a file: formulas with cached values. */
async function patchFile(file: string, patches: Map<string, { formula: string; value: number }>): Promise<void> {
  const zip = Zip.load(fs.readFileSync(file));
  const sheet = zip.text("xl/worksheets/sheet1.xml");
  zip.set("xl/worksheets/sheet1.xml", patchSheetXml(sheet, patches));
  fs.writeFileSync(file, zip.toBuffer());
}

/**
 * A costs-positive sheet whose sum lines are formulas with the signs that convention takes (net
 * cost = costs − revenue; result = grant + financial items − net cost), with their cached values.
 */
function positiveWithFormulas(name: string, mnkr: boolean): Case {
  const options: ReferenceOptions = { costsPositive: true, mnkr, sums: "values" };
  const lines = referenceLines(options);
  const formulas: Record<number, (col: string) => string> = {
    10: (c) => `SUM(${c}6:${c}9)`,
    11: (c) => `${c}10-${c}5`,
    14: (c) => `${c}12+${c}13-${c}11`,
  };
  return {
    name,
    make: async (dir) => {
      const file = await writeReference(dir, `${name}.xlsx`, options);
      const patches = new Map<string, { formula: string; value: number }>();
      for (const [row, formula] of Object.entries(formulas)) {
        const [, b, c] = lines[Number(row) - FIRST_LINE_ROW];
        patches.set(`B${row}`, { formula: formula("B"), value: b });
        patches.set(`C${row}`, { formula: formula("C"), value: c });
      }
      await patchFile(file, patches);
      return file;
    },
    expected: lines,
  };
}

const CASES: Case[] = [
  {
    name: "exempel",
    make: async (dir) => {
      const file = path.join(dir, "exempel.xlsx");
      fs.copyFileSync(EXAMPLE, file);
      return file;
    },
    expected: referenceLines(),
  },
  reference("tkr-summor-som-tal", { sums: "values" }),
  reference("tkr-summor-som-formler", { sums: "formulas" }),
  reference("tkr-summa-missar-en-rad", { sums: "formula-misses-row" }, true),
  reference("tkr-summa-fel-tal", { sums: "wrong-value" }, true),
  reference("kostnader-positiva", { costsPositive: true }),
  positiveWithFormulas("kostnader-positiva-formler", false),
  // The costs-negative sum formulas in a costs-positive sheet add revenue to costs: replaced.
  reference("kostnader-positiva-formler-fel-tecken", { costsPositive: true, sums: "formulas" }, true),
  reference("mnkr", { mnkr: true }),
  reference("mnkr-summor-som-tal", { mnkr: true, sums: "values" }),
  positiveWithFormulas("mnkr-kostnader-positiva-formler", true),
  {
    name: "rik",
    make: (dir) => writeRich(dir, "rik.xlsx"),
    expected: referenceLines(),
  },
];

/** One workbook's journey: the original, the check's JSON, the copy, and LibreOffice's saves of both. */
interface Run {
  original: string;
  code: number;
  json: Any;
  copy: string;
  /** LibreOffice's recalculated save of the original and of the copy. */
  loOriginal: string;
  loCopy: string;
}

/** Exact hundredths; a number that is not a whole number of hundredths is returned as it is, to fail. */
function cents(x: unknown): unknown {
  if (typeof x !== "number") return x;
  const c = Math.round(x * 100);
  return Math.abs(x * 100 - c) < 1e-6 ? c : x;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

/** The text of a file's parts, by name. */
async function textParts(file: string): Promise<Map<string, string>> {
  return new Map([...(await partsOf(file))].map(([name, bytes]) => [name, bytes.toString("utf8")]));
}

/**
 * LibreOffice numbers the charts it saves across one run (the second workbook's chart is
 * chart2.xml) and gives chart axes new random ids on every save: each file's charts are
 * renumbered from 1, in part names and in the references to them, and their axis ids from 1 in
 * order of appearance, so that two saves compare part by part.
 */
function renumberCharts(parts: Map<string, string>): Map<string, string> {
  const numbers = [...parts.keys()]
    .map((p) => /^xl\/charts\/chart(\d+)\.xml$/.exec(p)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  const renamed = new Map(numbers.map((n, i) => [n, String(i + 1)]));
  const rename = (text: string): string =>
    text.replace(/(charts\/chart)(\d+)(\.xml)/g, (m, a, n, b) => (renamed.has(n) ? `${a}${renamed.get(n)}${b}` : m));
  const axes = (xml: string): string => {
    const ids = new Map<string, number>();
    return xml.replace(/(<c:(?:axId|crossAx) val=")(\d+)"/g, (_, a, id) => {
      if (!ids.has(id)) ids.set(id, ids.size + 1);
      return `${a}${ids.get(id)}"`;
    });
  };
  return new Map(
    [...parts].map(([name, text]) => {
      if (/\.rels$|^\[Content_Types\]\.xml$/.test(name)) return [rename(name), rename(text)];
      if (/^xl\/charts\/chart\d+\.xml$/.test(name)) return [rename(name), axes(text)];
      return [name, text];
    }),
  );
}

/** The part of each sheet, by sheet name. */
function sheetParts(parts: Map<string, string>): Map<string, string> {
  const workbook = parts.get("xl/workbook.xml")!;
  const rels = parts.get("xl/_rels/workbook.xml.rels")!;
  const targets = new Map(
    [...rels.matchAll(/<Relationship\b[^>]*\bId="([^"]+)"[^>]*\bTarget="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );
  const out = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*\bname="([^"]+)"[^>]*\br:id="([^"]+)"/g)) {
    const target = targets.get(m[2])!;
    out.set(m[1], target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  return out;
}

const definedNames = (workbookXml: string): string[] =>
  (workbookXml.match(/<definedName\b[^>]*>[^<]*<\/definedName>/g) ?? []).sort();

const attribute = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const children = (xml: string, parent: string, child: string): string[] => {
  const content = new RegExp(`<${parent}\\b[^>]*>([\\s\\S]*?)</${parent}>`).exec(xml)?.[1] ?? "";
  return content.match(new RegExp(`<${child}\\b[^>]*/>|<${child}\\b[^>]*>[\\s\\S]*?</${child}>`, "g")) ?? [];
};

/**
 * Each style index of a style table, resolved to what it shows: the number format's code, the
 * font, fill and border, and the alignment and protection. (Read from the XML: a library
 * ignores a fill that the file does not mark with applyFill, as LibreOffice writes it.)
 */
function resolvedStyles(stylesXml: string): string[] {
  const codes = new Map(
    children(stylesXml, "numFmts", "numFmt").map((f) => [attribute(f, "numFmtId"), attribute(f, "formatCode")]),
  );
  const fonts = children(stylesXml, "fonts", "font");
  const fills = children(stylesXml, "fills", "fill");
  const borders = children(stylesXml, "borders", "border");
  return children(stylesXml, "cellXfs", "xf").map((xf) => {
    const id = (name: string): number => Number(attribute(xf, name) ?? 0);
    const numFmt = attribute(xf, "numFmtId") ?? "0";
    return JSON.stringify({
      numberFormat: codes.get(numFmt) ?? `built-in ${numFmt}`,
      font: fonts[id("fontId")],
      fill: fills[id("fillId")],
      border: borders[id("borderId")],
      alignment: xf.replace(/^<xf\b[^>]*\/?>|<\/xf>$/g, ""),
    });
  });
}

/** A sheet part as LibreOffice saved it, with its style indices resolved. */
interface SavedSheet {
  /** Each cell's resolved format, by address. */
  formats: Map<string, string>;
  /** Each row's attributes (height, hidden, its own format), by row number. */
  rows: Map<string, string>;
  /** Everything but the cells: columns, merges, conditional formats, validations, drawings, page setup. */
  rest: string;
}

function savedSheet(parts: Map<string, string>, part: string): SavedSheet {
  const styles = resolvedStyles(parts.get("xl/styles.xml")!);
  const style = (index: string | undefined): string => styles[Number(index ?? 0)] ?? `missing style ${index}`;
  const xml = parts.get(part)!;
  const formats = new Map<string, string>();
  for (const m of xml.matchAll(/<c\b[^>]*>/g)) formats.set(attribute(m[0], "r")!, style(attribute(m[0], "s")));
  const rows = new Map<string, string>();
  for (const m of xml.matchAll(/<row\b[^>]*>/g)) {
    rows.set(
      attribute(m[0], "r")!,
      m[0].replace(/\ss="(\d+)"/, (_, s) => ` s=${JSON.stringify(style(s))}`),
    );
  }
  const rest = xml
    .replace(/<sheetData\b[\s\S]*?<\/sheetData>|<sheetData\/>/, "")
    .replace(/(<col\b[^>]*\sstyle=")(\d+)"/g, (_, a, s) => `${a}${style(s).replace(/"/g, "'")}"`);
  return { formats, rows, rest };
}

let dir: string;
const runs = new Map<string, Run>();
let conversion: Conversion;
/** A workbook whose sum formula holds a wrong cached value, as LibreOffice saved it: recalculating, and not. */
let control: { original: string; recalculated: string; kept: string };
const CONTROL_WRONG = 12345;

beforeAll(async () => {
  const soffice = requireSoffice();
  dir = tempDir("prognoskoll-libreoffice-");
  const input = path.join(dir, "in");
  const out = path.join(dir, "checked");
  const lo = path.join(dir, "lo");
  const controlDir = path.join(dir, "control");
  for (const d of [input, out, controlDir]) fs.mkdirSync(d);

  for (const c of CASES) {
    const original = await c.make(input);
    const r = await cli("check", original, "--write", "--formulas", "--json", "--out", `${out}/`);
    const json = JSON.parse(r.out);
    const wb = json.workbooks[0];
    if (!wb?.written) throw new Error(`${c.name}: no copy written (exit ${r.code}): ${r.out}${r.err}`);
    runs.set(c.name, { original, code: r.code, json: wb, copy: wb.written, loOriginal: "", loCopy: "" });
  }

  // The control: B10 is =SUM(B6:B9) with a cached value no recalculation gives.
  const controlFile = await writeReference(controlDir, "fel-cachat-varde.xlsx", { sums: "formulas" });
  await patchFile(controlFile, new Map([["B10", { formula: "SUM(B6:B9)", value: CONTROL_WRONG }]]));

  // Every file in one soffice run; the control also through a profile that keeps cached values.
  const all = [...[...runs.values()].flatMap((r) => [r.original, r.copy]), controlFile];
  const [recalculating, keeping] = await Promise.all([
    convertToXlsx(all, lo, { program: soffice }),
    convertToXlsx([controlFile], path.join(dir, "lo-default"), { program: soffice, recalc: false }),
  ]);
  conversion = recalculating;
  for (const r of runs.values()) {
    r.loOriginal = conversion.outputs.get(r.original) ?? "";
    r.loCopy = conversion.outputs.get(r.copy) ?? "";
  }
  control = {
    original: controlFile,
    recalculated: conversion.outputs.get(controlFile) ?? "",
    kept: keeping.outputs.get(controlFile) ?? "",
  };
}, 240_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("LibreOffice as the second engine", () => {
  test("recalculates on load with the profile: a wrong cached value comes back corrected", async () => {
    expect(cellOf(await openWorkbook(control.original), SHEET, "B10")).toEqual({
      value: CONTROL_WRONG,
      formula: "SUM(B6:B9)",
    });
    expect(control.recalculated).not.toBe("");
    expect(cellOf(await openWorkbook(control.recalculated), SHEET, "B10")).toEqual({
      value: -288639,
      formula: "SUM(B6:B9)",
    });
    // Without the setting LibreOffice keeps what the file says: the setting is what recalculates.
    expect(control.kept).not.toBe("");
    expect(cellOf(await openWorkbook(control.kept), SHEET, "B10").value).toBe(CONTROL_WRONG);
  });

  test("converts every original and every checked copy without an error", () => {
    expect(conversion.failed).toEqual([]);
    expect(conversion.errors).toEqual([]);
    for (const [name, r] of runs) {
      expect([name, path.basename(r.loOriginal), path.basename(r.loCopy)]).toEqual([
        name,
        path.basename(r.original),
        `${name}.checked.xlsx`,
      ]);
    }
  });
});

describe.each(CASES.map((c) => [c.name, c] as const))("%s", (name, c) => {
  const get = (): Run => runs.get(name)!;

  test("the check writes a copy with a formula in every cell it changes", async () => {
    const r = get();
    expect(r.code).toBe(c.errors ? 1 : 0);
    expect(r.json.error).toBeUndefined();
    expect(r.json.writeError).toBeUndefined();
    expect(r.json.changes.length).toBeGreaterThan(0);
    expect(r.json.changes.filter((ch: Any) => typeof ch.after !== "string" || !ch.after.startsWith("="))).toEqual([]);
    const copy = await openWorkbook(r.copy);
    for (const ch of r.json.changes) {
      expect([ch.cell, cellOf(copy, r.json.sheet, ch.cell).formula]).toEqual([ch.cell, ch.after.slice(1)]);
    }
  });

  test("every deviation and sum line LibreOffice computes is the core's, to the hundredth", async () => {
    const r = get();
    const lo = await openWorkbook(r.loCopy);
    const { budget, comparison, deviation } = r.json.columns;
    const columns: string[] = [budget, comparison, deviation];
    const viaLibreOffice = r.json.lines.map((l: Any) => [
      l.label,
      ...columns.map((col) => [`${col}${l.row}`, cents(cellOf(lo, r.json.sheet, `${col}${l.row}`).value)]),
    ]);
    const viaCore = r.json.lines.map((l: Any) => [
      l.label,
      ...columns.map((col, k) => [`${col}${l.row}`, cents([l.budget, l.comparison, l.deviation][k])]),
    ]);
    expect(viaLibreOffice).toEqual(viaCore);
    // And both are the figures the table should have.
    const figuresOnly = (rows: [string, ...[string, unknown][]][]): unknown[] =>
      rows.map(([label, ...cells]) => [label, ...cells.map(([, v]) => v)]);
    expect(figuresOnly(viaLibreOffice)).toEqual(
      c.expected.map(([label, ...figures]) => [label, ...figures.map(cents)]),
    );
  });

  test("LibreOffice keeps the formulas written, the highlights and the lines' number format", async () => {
    const r = get();
    const lo = await openWorkbook(r.loCopy);
    for (const ch of r.json.changes) {
      expect([ch.cell, cellOf(lo, r.json.sheet, ch.cell).formula]).toEqual([ch.cell, ch.after.slice(1)]);
    }
    const parts = await textParts(r.loCopy);
    const { formats } = savedSheet(parts, sheetParts(parts).get(r.json.sheet)!);
    const format = (cell: string): Any => JSON.parse(formats.get(cell) ?? "{}");
    expect(r.json.flags.length).toBeGreaterThan(0);
    for (const f of r.json.flags) {
      expect([f.cell, format(f.cell).fill]).toEqual([f.cell, expect.stringContaining('rgb="FFFFC7CE"')]);
      expect([f.cell, format(f.cell).font]).toEqual([f.cell, expect.stringContaining('rgb="FF9C0006"')]);
    }
    for (const ch of r.json.changes) {
      const budgetCell = `${r.json.columns.budget}${ch.cell.replace(/^[A-Z]+/, "")}`;
      expect([ch.cell, format(ch.cell).numberFormat]).toEqual([ch.cell, format(budgetCell).numberFormat]);
    }
  });

  test("everything else reads the same in LibreOffice as in the original", async () => {
    const r = get();
    const parts0 = renumberCharts(await textParts(r.loOriginal));
    const parts1 = renumberCharts(await textParts(r.loCopy));
    const sheets0 = sheetParts(parts0);
    const sheets1 = sheetParts(parts1);
    expect([...sheets1.keys()]).toEqual([...sheets0.keys()]);
    const before = await openWorkbook(r.loOriginal);
    const after = await openWorkbook(r.loCopy);
    // The cells the check writes or highlights, and the line figures compared above.
    const planned = new Set<string>([
      ...r.json.changes.map((ch: Any) => ch.cell),
      ...r.json.flags.map((f: Any) => f.cell),
    ]);
    const { budget, comparison, deviation } = r.json.columns;
    const figures = new Set<string>(
      r.json.lines.flatMap((l: Any) => [budget, comparison, deviation].map((col: string) => `${col}${l.row}`)),
    );
    const differences: unknown[] = [];
    let compared = 0;
    for (const [sheetName, part] of sheets0) {
      const checked = sheetName === r.json.sheet;
      const s0 = savedSheet(parts0, part);
      const s1 = savedSheet(parts1, sheets1.get(sheetName)!);
      for (const cell of new Set([...s0.formats.keys(), ...s1.formats.keys()])) {
        if (checked && planned.has(cell)) continue;
        compared++;
        const a = cellOf(before, sheetName, cell);
        const b = cellOf(after, sheetName, cell);
        // A kept sum over a corrected line may show another figure: the line figures are compared above.
        const valueToo = !(checked && figures.has(cell) && a.formula !== undefined);
        if (a.formula !== b.formula || (valueToo && a.value !== b.value)) {
          differences.push({ sheet: sheetName, cell, before: a, after: b });
        }
        if (s0.formats.get(cell) !== s1.formats.get(cell)) {
          differences.push({ sheet: sheetName, cell, format: [s0.formats.get(cell), s1.formats.get(cell)] });
        }
      }
      for (const row of new Set([...s0.rows.keys(), ...s1.rows.keys()])) {
        if (s0.rows.get(row) !== s1.rows.get(row)) {
          differences.push({ sheet: sheetName, row, attributes: [s0.rows.get(row), s1.rows.get(row)] });
        }
      }
      if (s0.rest !== s1.rest) differences.push({ sheet: sheetName, outsideCells: [s0.rest, s1.rest] });
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(20);

    // Defined names; and every other part LibreOffice writes but the sheets (compared above: the
    // style indices in them differ once the highlight adds to the style table), the style table,
    // and the document properties (times).
    expect(definedNames(parts1.get("xl/workbook.xml")!)).toEqual(definedNames(parts0.get("xl/workbook.xml")!));
    expect([...parts1.keys()].sort()).toEqual([...parts0.keys()].sort());
    const sheetPartNames = new Set(sheets0.values());
    const skip = (p: string): boolean => sheetPartNames.has(p) || p === "xl/styles.xml" || p.startsWith("docProps/");
    expect([...parts0.keys()].filter((p) => !skip(p) && parts0.get(p) !== parts1.get(p))).toEqual([]);
  });
});

describe("rik: the chart and the defined names", () => {
  const get = (): Run => runs.get("rik")!;

  test("the copy we write keeps the chart part and its drawing, unchanged", async () => {
    const r = get();
    const original = await partsOf(r.original);
    const copy = await partsOf(r.copy);
    expect(copy.has("xl/charts/chart1.xml")).toBe(true);
    for (const p of RICH.addedParts) expect([p, copy.get(p)?.equals(original.get(p)!)]).toEqual([p, true]);
  });

  test("LibreOffice opens the copy's chart, over the same cells, shown on the sheet", async () => {
    const r = get();
    const charts = (parts: Map<string, string>): string[] =>
      [...parts].filter(([p]) => /^xl\/charts\/chart\d+\.xml$/.test(p)).map(([, xml]) => xml);
    const ranges = (xml: string): string[] => [...xml.matchAll(/<c:f>([^<]*)<\/c:f>/g)].map((m) => m[1]);
    const before = charts(renumberCharts(await textParts(r.loOriginal)));
    const parts = renumberCharts(await textParts(r.loCopy));
    const after = charts(parts);
    expect(after).toHaveLength(1);
    expect(after).toEqual(before);
    expect(ranges(after[0])).toEqual(expect.arrayContaining([expect.stringMatching(/\$B\$5:\$B\$9$/)]));
    expect(after[0]).toContain("<c:barChart>");
    // The sheet has a drawing whose relationships lead to the chart.
    const sheet = sheetParts(parts).get(SHEET)!;
    const drawingId = /<drawing r:id="([^"]+)"\/>/.exec(parts.get(sheet)!)?.[1];
    expect(drawingId).toBeDefined();
    const sheetRels = parts.get(sheet.replace(/([^/]+)$/, "_rels/$1.rels"))!;
    const drawing = new RegExp(`Id="${drawingId}"[^>]*Target="\\.\\./drawings/([^"]+)"`).exec(sheetRels)?.[1];
    expect(drawing).toBeDefined();
    expect(parts.get(`xl/drawings/_rels/${drawing}.rels`)).toContain("charts/chart1.xml");
  });

  test("LibreOffice reads both defined names, the formula one too, as in the original", async () => {
    const r = get();
    const names = definedNames((await textParts(r.loCopy)).get("xl/workbook.xml")!);
    expect(names).toEqual(definedNames((await textParts(r.loOriginal)).get("xl/workbook.xml")!));
    expect(names.find((n) => n.includes(`name="${RICH.formulaName.name}"`))).toMatch(/\$B\$5\+.*\$B\$6</);
    expect(names.find((n) => n.includes(`name="${RICH.rangeName}"`))).toMatch(/\$B\$5:\$B\$14</);
  });

  test("LibreOffice computes the other sheet's formula as before", async () => {
    const r = get();
    expect(cellOf(await openWorkbook(r.loCopy), "Data", "B3")).toEqual({ value: 46518.2, formula: "B1+B2" });
  });
});
