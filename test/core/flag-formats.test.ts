/**
 * One flag rule: the conditional formats a spreadsheet keeps are true, once the plan is written,
 * on exactly the cells the core flags, and on no other. Each format's formula is evaluated by a
 * formula engine (HyperFormula) at every cell it covers, over the published tables, the bad-input
 * corpus's sheets and the reference sheet stored every way that matters (text figures, costs
 * positive, thresholds).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HyperFormula } from "hyperformula";
import {
  applyPlanToGrid,
  checkGrid,
  FLAG_MARK,
  MAX_FLAG_AREAS,
  parseCellAddress,
  type CheckGridOptions,
  type Grid,
} from "../../src/core";
import { shiftFormula } from "../../src/xlsx/formulas";
import { corpusEntries, type Cell } from "../corpus/corpus";
import { gridOf, REFERENCE, SUM_LINES } from "../helpers/grids";
import { loadTables, sheetRows } from "../real/tables";

/** The cells (sheet addresses) on which the plan's flag formats are true once the plan is written. */
function flaggedByFormats(grid: Grid, options: CheckGridOptions): { byFormats: string[]; byCore: string[] } {
  const r = checkGrid(grid, options);
  if (!r.ok) throw new Error(r.detail);
  const after = applyPlanToGrid(grid, r.plan);
  const o = grid.origin ?? { row: 0, col: 0 };
  // The sheet as values, from A1: what a spreadsheet's cells hold once the plan is written.
  const rows: (number | string | boolean | null)[][] = [];
  after.cells.forEach((row, i) =>
    row.forEach((c, j) => {
      const v = c?.v;
      if (v === null || v === undefined || typeof v === "object") return;
      (rows[o.row + i] ??= [])[o.col + j] = v;
    }),
  );
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  const hf = HyperFormula.buildFromArray(rows.length > 0 ? rows : [[]], { licenseKey: "gpl-v3" });
  const on = new Set<string>();
  for (const f of r.plan.flagFormats ?? []) {
    const first = parseCellAddress(f.address.split(/[,:]/)[0])!;
    for (const area of f.address.split(",")) {
      const [a, b] = area.split(":").map((x) => parseCellAddress(x)!);
      const end = b ?? a;
      for (let row = a.row; row <= end.row; row++) {
        for (let col = a.col; col <= end.col; col++) {
          // The mark is always true; the engine need not know N() of text.
          const formula = shiftFormula(
            f.formula.replace(`,${FLAG_MARK}`, "").replace(FLAG_MARK, "TRUE()"),
            row - first.row,
            col - first.col,
          );
          if (hf.calculateFormula(formula, 0) === true) on.add(`${String.fromCharCode(65 + col)}${row + 1}`);
        }
      }
    }
  }
  hf.destroy();
  const byCore = r.plan.highlights.map((h) => `${String.fromCharCode(65 + o.col + h.col)}${o.row + h.row + 1}`);
  return { byFormats: [...on].sort(), byCore: byCore.sort() };
}

const referenceRows = (figure: (x: number) => number | string, deviations = false): (string | number | null)[][] => [
  ["Belopp i tkr", "Budget 2025", "Prognos helår 2025", "Avvikelse"],
  ...REFERENCE.map(([label, b, c, d]) =>
    SUM_LINES.has(label) ? [label, null, null, null] : [label, figure(b), figure(c), deviations ? d : null],
  ),
];
const swedish = (x: number): string => `${x < 0 ? "\u2212" : ""}${Math.abs(x).toLocaleString("sv-SE")}`;

describe("the flag formats are true on exactly the flagged cells", () => {
  test.each<[string, (string | number | null)[][], CheckGridOptions]>([
    ["the reference sheet", referenceRows((x) => x), {}],
    ["with thresholds", referenceRows((x) => x), { thresholdAmount: 3500, thresholdPercent: 2 }],
    ["figures stored as Swedish text", referenceRows(swedish), {}],
    ["figures as text, with thresholds", referenceRows(swedish), { thresholdAmount: 3000, thresholdPercent: 1 }],
    ["text figures and text deviations", referenceRows(swedish, true), {}],
  ])("%s", (_, rows, options) => {
    const { byFormats, byCore } = flaggedByFormats(gridOf(rows), options);
    expect(byCore.length).toBeGreaterThan(0);
    expect(byFormats).toEqual(byCore);
  });

  test("a sheet of many small blocks: formats of a bounded number of areas, each true where it should be", () => {
    // 450 areas, one per block of two activities under its heading: more than Excel takes in one range.
    const rows: (string | number | null)[][] = [["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"]];
    for (let k = 0; k < 450; k++) {
      rows.push([`Område ${k + 1}`, null, null, null]);
      rows.push([`Verksamhet ${k + 1}a`, 100 + k, 90 + (k % 3) * 10, null]);
      rows.push([`Verksamhet ${k + 1}b`, 200 + k, 205 + k, null]);
    }
    rows.push(["Summa", null, null, null]);
    const grid = gridOf(rows);
    const r = checkGrid(grid);
    if (!r.ok) throw new Error(r.detail);
    const formats = r.plan.flagFormats ?? [];
    // Within what Excel takes in one range: some 500 areas, some 8 000 characters of address.
    for (const f of formats) {
      expect(f.address.split(",").length).toBeLessThanOrEqual(MAX_FLAG_AREAS);
      expect(f.address.split(",").length).toBeLessThan(500);
      expect(f.address.length).toBeLessThan(8000);
    }
    // 450 runs of rows in parts of at most 200.
    expect(formats.length).toBe(3);
    const { byFormats, byCore } = flaggedByFormats(grid, {});
    expect(byCore.length).toBeGreaterThan(450);
    expect(byFormats).toEqual(byCore);
  });

  test.each([
    [MAX_FLAG_AREAS, 1],
    [MAX_FLAG_AREAS + 1, 2],
  ])("%i runs of rows take %i flag formats", (runs, expected) => {
    const rows: (string | number | null)[][] = [["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"]];
    for (let k = 0; k < runs; k++)
      rows.push([`Område ${k + 1}`, null, null, null], [`Verksamhet ${k + 1}`, 100, 90 + k, null]);
    rows.push(["Summa", null, null, null]);
    const r = checkGrid(gridOf(rows));
    if (!r.ok) throw new Error(r.detail);
    expect((r.plan.flagFormats ?? []).length).toBe(expected);
    const { byFormats, byCore } = flaggedByFormats(gridOf(rows), {});
    expect(byFormats).toEqual(byCore);
  });

  test.each(loadTables().map((t) => [t.id, t] as const))("published table %s", (_, t) => {
    for (const emptyDeviation of [false, true]) {
      const grid = gridOf(sheetRows(t, { emptyDeviation }) as (string | number | null)[][]);
      const r = checkGrid(grid);
      if (!r.ok) continue;
      const { byFormats, byCore } = flaggedByFormats(grid, {});
      expect(byFormats).toEqual(byCore);
    }
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-flag-formats-"));
  const plain = (c: Cell): string | number | null =>
    c === null || typeof c !== "object"
      ? typeof c === "boolean"
        ? null
        : (c as string | number | null)
      : c.error !== undefined || c.raw !== undefined
        ? null
        : typeof c.value === "boolean"
          ? null
          : (c.value ?? null);
  const sheets = corpusEntries(dir).filter((e) => e.grid !== undefined && e.grid.rows.length < 5000);
  test.each(sheets.map((e) => [e.name, e] as const))("corpus sheet %s", (_, e) => {
    const grid = gridOf(e.grid!.rows.map((row) => row.map(plain)));
    const r = checkGrid(grid);
    if (!r.ok) return;
    const { byFormats, byCore } = flaggedByFormats(grid, {});
    expect(byFormats).toEqual(byCore);
  });
});
