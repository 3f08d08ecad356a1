/**
 * Recompute against a formula engine: the same detailed sheet, with SUM lines and deviation
 * formulas, evaluated by HyperFormula and checked by the core. HyperFormula is a development
 * dependency used here only; nothing in src/ imports it, so it never reaches a bundle.
 */
import { HyperFormula } from "hyperformula";
import { checkTable, detectTable, type Grid, type GridCell, type Template } from "../src/core";
import { emit, fmt, section } from "./report";

interface Sheet {
  /** What HyperFormula is given: numbers, labels and "=..." formulas. */
  data: (string | number | null)[][];
  /** What the core is given: the same cells, formulas with their last computed values. */
  grid: Grid;
  template: Template;
  /** Row of the grand total. */
  totalRow: number;
}

/** N account lines in groups of ten, a SUM subtotal per group, a total of the subtotals, and a deviation formula on every row. */
export function formulaSheet(n: number, side: "engine" | "core"): Sheet {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const lines: Template["lines"] = [];
  const data: (string | number | null)[][] = [["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"]];
  const cells: (GridCell | null)[][] = [
    [{ v: "Belopp i tkr" }, { v: "Budget 2025" }, { v: "Prognos 2025" }, { v: "Avvikelse" }],
  ];
  const groups: string[] = [];
  let group: string[] = [];
  let first = 2;
  let sums = [0, 0];
  let totals = [0, 0];
  /** Rows made so far, the header included. */
  let made = 1;
  const row = (label: string, b: number | string, c: number | string, bv: number, cv: number): void => {
    const r = ++made;
    if (side === "engine") data.push([label, b, c, `=C${r}-B${r}`]);
    else {
      const cell = (x: number | string, v: number): GridCell => (typeof x === "string" ? { v, f: x.slice(1) } : { v });
      cells.push([{ v: label }, cell(b, bv), cell(c, cv), { v: (cv * 100 - bv * 100) / 100, f: `C${r}-B${r}` }]);
    }
  };
  const flush = (): void => {
    const r = made + 1;
    const label = `Summa grupp ${groups.length}`;
    lines.push({ id: `g${groups.length}`, label, nature: "cost", sum: group });
    row(label, `=SUM(B${first}:B${r - 1})`, `=SUM(C${first}:C${r - 1})`, sums[0] / 100, sums[1] / 100);
    groups.push(`g${groups.length}`);
    totals = [totals[0] + sums[0], totals[1] + sums[1]];
    group = [];
    sums = [0, 0];
    first = r + 1;
  };
  for (let i = 0; i < n; i++) {
    const budget = -Math.round(2e4 + random() * 1e6);
    const forecast = budget - Math.round(random() * 2e4 - 1e4);
    if (side === "core") lines.push({ id: `k${i}`, label: `Konto ${i}`, nature: "cost" });
    row(`Konto ${i}`, budget / 100, forecast / 100, budget / 100, forecast / 100);
    sums = [sums[0] + budget, sums[1] + forecast];
    group.push(`k${i}`);
    if (group.length === 10) flush();
  }
  if (group.length > 0) flush();
  lines.push({ id: "total", label: "Summa kostnader", nature: "cost", sum: groups });
  const last = made;
  // The total of the subtotals, as a sheet of this size would write it.
  const total = (col: string): string => `=SUMIF(A2:A${last},"Summa grupp*",${col}2:${col}${last})`;
  row("Summa kostnader", total("B"), total("C"), totals[0] / 100, totals[1] / 100);
  return { data, grid: { sheet: "Konton", cells }, template: { id: "konton", name: "Konton", lines }, totalRow: last };
}

function timeOnce(fn: () => void): number {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The best of `runs` calls, after `warmUp` calls that let the JIT settle. */
function best(fn: () => void, runs: number, warmUp: number): number {
  for (let i = 0; i < warmUp; i++) fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, timeOnce(fn));
  return min;
}

export function hyperformula(): void {
  section(
    "Recompute against a formula engine (HyperFormula)",
    "The same sheet (account lines in groups of ten, a SUM subtotal per group, a total of the subtotals, a deviation " +
      "formula on every row) evaluated by HyperFormula (building the workbook evaluates every formula) and checked by " +
      "the core from its grid (detect the table, recompute every deviation and sum, validate every formula and figure). " +
      "Best of several runs after warm-up runs (one warm-up and one run at a million lines), one core, each side with only its own input in memory. The grand total's deviation is compared between the two.",
  );
  emit(
    "| lines | HyperFormula: build + evaluate | core: detect + recompute + validate | core faster by | totals agree |",
  );
  emit("|---:|---:|---:|---:|:---:|");
  for (const n of [10_000, 100_000, 1_000_000]) {
    // At a million lines one build takes HyperFormula about half a minute: one warm-up, one run.
    const runs = n >= 1_000_000 ? 1 : n >= 100_000 ? 3 : 10;
    const warmUp = n >= 1_000_000 ? 1 : 2;
    // Each side runs with only its own input in memory: the other's would slow its garbage
    // collection. The sheet is made afresh (the same, from the same seed) for each.
    let hfTotal = NaN;
    let hf: number;
    {
      const { data, totalRow } = formulaSheet(n, "engine");
      hf = best(
        () => {
          const engine = HyperFormula.buildFromArray(data, { licenseKey: "gpl-v3", maxRows: 2_000_000 });
          hfTotal = engine.getCellValue({ sheet: 0, row: totalRow, col: 3 }) as number;
          engine.destroy();
        },
        runs,
        warmUp,
      );
    }
    let ours = NaN;
    let core: number;
    {
      const { grid, template } = formulaSheet(n, "core");
      core = best(
        () => {
          const detected = detectTable(grid, { templates: [template] });
          if (!detected.ok) throw new Error(detected.detail);
          const computed = checkTable(grid, detected.table).computed;
          ours = computed.deviation[computed.table.lines.length - 1] / 100;
        },
        runs,
        warmUp,
      );
    }
    const agree = Math.round(hfTotal * 100) === Math.round(ours * 100);
    emit(
      `| ${fmt(n)} | ${fmt(hf)} ms | ${fmt(core)} ms | ${fmt(hf / core, 1)}× (target ≥ 10×) | ${agree ? "yes" : `no (${hfTotal} ≠ ${ours})`} |`,
    );
  }
}
