import { cellAddress, gridAddresses } from "./address";
import type { Column3, Report } from "./check";
import { classifyInto, isDateFormat, NUMBER, readFigure, type Classified } from "./figures";
import { expectedDeviationTerms, expectedSumTerms, formulaMatches } from "./terms";
import { blankBranch, formulaFromTerms, type Term } from "./formula";
import { fromCents, toCents } from "./numbers";
import { SUM } from "./structure";
import type { CellValue, MergeArea } from "./types";

/**
 * The write plan: which cells to set so that deviations and sum lines are right. Figures typed on
 * an input line are never in it. A cell that already holds the right figure or the right formula is
 * left alone; an empty cell is filled; a stale figure or a wrong formula is replaced (a host may
 * ask the user first: `reason` says why).
 */

export interface CellWrite {
  /** The sheet cell, like "D8". */
  cell: string;
  /** Grid-relative row and column. */
  row: number;
  col: number;
  target: Column3 | "header";
  label: string;
  before: { value: CellValue; formula?: string };
  /** The value to write (also the value a written formula computes). */
  value: number | string;
  /** The formula to write instead of the value, without "=". */
  formula?: string;
  numberFormat?: string;
  reason: "empty" | "stale" | "wrong-formula" | "header";
}

export interface WritePlan {
  writes: CellWrite[];
  /** Deviation cells of flagged lines, to highlight. */
  highlights: { cell: string; row: number; col: number }[];
  /**
   * The conditional formats that keep the flags live in a spreadsheet: over the deviation cells
   * (sheet addresses, areas separated by commas), a formula relative to the first cell of the
   * address. Once the plan is written they are true on exactly the highlighted cells.
   */
  flagFormats?: FlagFormat[];
}

export interface FlagFormat {
  address: string;
  formula: string;
}

/** Marks a conditional format as the add-in's own, and is always true. */
export const FLAG_MARK = 'N("Prognoskoll")=0';

export interface PlanOptions {
  /** Write Excel formulas rather than values. */
  formulas?: boolean;
  /** Flag only deviations of at least this amount, in the sheet's unit. */
  thresholdAmount?: number;
  /** Flag only deviations of at least this percent of the budget. */
  thresholdPercent?: number;
}

/** A line's own figures' number format, if it shows amounts (not dates, not text). */
function amountFormat(z: string | undefined): string | undefined {
  return z === undefined || z === "@" || isDateFormat(z) ? undefined : z;
}

/** A cell formatted as a date or as text would not show (or, in Excel, not take) an amount: it goes back to General. */
function resetFormat(z: string | undefined): string | undefined {
  return z !== undefined && (z === "@" || isDateFormat(z)) ? "General" : undefined;
}

export function buildPlan(report: Report, options: PlanOptions = {}): WritePlan {
  const { grid, table, factor, budget, comparison, deviation } = report.computed;
  const origin = table.origin;
  const address = gridAddresses(origin);
  /** Text cells this plan writes a figure into ("row,col"): no longer text once it is applied. */
  let replaced = new Set<string>();
  const isText = (row: number, col: number): boolean => {
    const v = grid.cells[row]?.[col]?.v;
    return typeof v === "string" && v.trim() !== "";
  };
  const refersToText = (terms: Term[]): boolean =>
    terms.some((t) => isText(t.row, t.col) && !replaced.has(`${t.row},${t.col}`));
  let rows: Set<number> | undefined;
  const lines = table.lineArrays;
  const lineRows = (): Set<number> => (rows ??= new Set(Array.from({ length: lines.count }, (_, i) => lines.row[i])));
  let writes: CellWrite[] = [];
  const cols: Record<Column3, number> = {
    budget: table.budget.col,
    comparison: table.comparison.col,
    deviation: table.deviation.col,
  };

  const consider = (
    i: number,
    target: Column3,
    cents: number,
    expected: () => Term[],
    alternative: (() => Term[]) | null,
  ): void => {
    // No figure is written where the core could not work one out.
    if (cents !== cents) return;
    const lineRow = lines.row[i];
    const row = grid.cells[lineRow];
    const cell = row?.[cols[target]];
    let reason: CellWrite["reason"] | null = null;
    /** The cell's own formula, where it is right and only its figure is written. */
    let kept: string | undefined;
    // Excel leaves figures stored as text out of its sums: where a part is text, a formula shows
    // the wrong figure, so a value is written instead.
    const terms = expected();
    const text = refersToText(terms);
    // A sum by its formula alone that cannot be given a formula (a part is text) is left as it is:
    // a value in its place would make it a sum no more. Its findings still say what is wrong.
    const byFormula = table.formulaSums.has(i);
    if (text && byFormula && target !== "deviation") return;
    // The formula the plan would write itself, compared as text first: most cells hold just that.
    const matches = (f: string, t: Term[]): boolean | null =>
      f === formulaFromTerms(t, origin) || formulaMatches(f, t, grid, lineRows());
    if (cell?.f) {
      // A formula that shows nothing in some case (=OM(C5="";"";C5-B5)) is judged by what it
      // reckons in the other, and by what it shows.
      const f = blankBranch(cell.f);
      let ok = !text && matches(f ?? cell.f, terms);
      if (ok === false && alternative && !refersToText(alternative())) ok = matches(f ?? cell.f, alternative());
      // A formula we cannot read is kept when it shows the right figure, or nothing for a zero
      // where it is blank in some case, or has never been computed (there is nothing to compare).
      if (ok === null) {
        const shown = readFigure(cell);
        ok =
          shown.state === "uncalculated" ||
          shown.cents === cents ||
          (f !== null && shown.state === "empty" && cents === 0);
      }
      // A right one that shows nothing hides the figure, unless that is a zero.
      else if (ok && f !== null && readFigure(cell).state === "empty") ok = cents === 0;
      if (!ok) reason = "wrong-formula";
      // A right formula over a text the plan replaces shows a figure worked out without it: it is
      // written again with the figure it will show.
      else if (
        replaced.size > 0 &&
        terms.some((t) => replaced.has(`${t.row},${t.col}`)) &&
        readFigure(cell).cents !== cents
      ) {
        reason = "stale";
        kept = cell.f;
      }
    } else if (!cell || cell.v === null || cell.v === "") {
      reason = "empty";
    } else if (
      typeof cell.v !== "number" ||
      toCents(cell.v) !== cents ||
      (cell.z !== undefined && readFigure(cell).state !== "number")
    ) {
      reason = "stale";
    }
    if (reason === null) return;
    writes.push({
      cell: address(lineRow, cols[target]),
      row: lineRow,
      col: cols[target],
      target,
      label: lines.label[i],
      before: { value: cell ? cell.v : null, formula: cell?.f },
      value: fromCents(cents),
      // A line that is a sum only by its formula keeps a formula, or the next check would not see a sum.
      formula:
        kept ??
        ((options.formulas || (byFormula && target !== "deviation")) && !text
          ? formulaFromTerms(terms, origin)
          : undefined),
      numberFormat:
        amountFormat(row?.[cols.budget]?.z) ?? amountFormat(row?.[cols.comparison]?.z) ?? resetFormat(cell?.z),
      reason,
    });
  };

  const considerAll = (): void => {
    for (let i = 0; i < lines.count; i++) {
      const sum = lines.kind[i] === SUM;
      if (sum) {
        consider(i, "budget", budget[i], () => expectedSumTerms(table, i, cols.budget, factor, false), null);
        consider(
          i,
          "comparison",
          comparison[i],
          () => expectedSumTerms(table, i, cols.comparison, factor, false),
          null,
        );
      }
      consider(
        i,
        "deviation",
        deviation[i],
        () => expectedDeviationTerms(table, i, factor),
        sum ? () => expectedSumTerms(table, i, cols.deviation, factor, true) : null,
      );
    }
  };
  // A cell is judged by what the sheet holds once the plan is applied: where the plan writes a
  // figure over a text that another cell's formula refers to, that formula is judged again (until
  // no more text is replaced; on most sheets once, and a few times at most).
  for (let pass = 0; pass < 8; pass++) {
    writes = [];
    considerAll();
    const next = new Set(writes.filter((w) => isText(w.row, w.col)).map((w) => `${w.row},${w.col}`));
    if (next.size === replaced.size && [...next].every((c) => replaced.has(c))) break;
    replaced = next;
  }
  if (table.deviation.proposed) {
    writes.unshift({
      cell: cellAddress(origin.row + table.headerRow, origin.col + table.deviation.col),
      row: table.headerRow,
      col: table.deviation.col,
      target: "header",
      label: table.deviation.header,
      before: { value: null },
      value: table.deviation.header,
      reason: "header",
    });
  }
  const highlights: WritePlan["highlights"] = [];
  for (let i = 0; i < lines.count; i++) {
    if (report.computed.flagged[i] !== 1) continue;
    const row = lines.row[i];
    highlights.push({ cell: address(row, cols.deviation), row, col: cols.deviation });
  }
  return { writes, highlights, flagFormats: flagFormats(report, writes, options) };
}

/** A sheet address of runs of rows in one column: "D5:D9,D12". */
function runsAddress(rows: number[], col: number, origin: { row: number; col: number }): string {
  const runs: [number, number][] = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last && last[1] === r - 1) last[1] = r;
    else runs.push([r, r]);
  }
  const at = (r: number): string => cellAddress(origin.row + r, origin.col + col);
  return runs.map(([a, b]) => (a === b ? at(a) : `${at(a)}:${at(b)}`)).join(",");
}

/**
 * The flag formats, from the same decisions as the flags. A line whose budget and comparison are
 * numbers in the sheet gets a rule that works its deviation out from them, so the flag follows
 * every edit (lines of each sign convention factor together). A line whose figures are stored
 * otherwise (text, a date, an error), which Excel cannot reckon with, is judged by its deviation
 * cell once that holds a number; and where not even that, a flagged line's cell is marked as the
 * check found it.
 */
function flagFormats(report: Report, writes: CellWrite[], options: PlanOptions): FlagFormat[] {
  const { grid, table, factor, budget, flagged } = report.computed;
  const lines = table.lineArrays;
  const o = table.origin;
  const cols = { budget: table.budget.col, comparison: table.comparison.col, deviation: table.deviation.col };
  // What the plan writes in each line's three cells: 0 nothing, 1 a number, 2 anything else.
  const lineAt = new Int32Array(grid.cells.length + 1).fill(-1);
  for (let i = 0; i < lines.count; i++) if (lines.row[i] < lineAt.length) lineAt[lines.row[i]] = i;
  const written = new Uint8Array(3 * lines.count);
  for (const w of writes) {
    const i = w.row < lineAt.length ? lineAt[w.row] : -1;
    const k = w.col === cols.budget ? 0 : w.col === cols.comparison ? 1 : w.col === cols.deviation ? 2 : -1;
    if (i >= 0 && k >= 0) written[3 * i + k] = typeof w.value === "number" ? 1 : 2;
  }
  /** Whether a line's cell holds a number once the plan is written (classified as the check did). */
  const colOf = [cols.budget, cols.comparison, cols.deviation];
  const seen: Classified = { state: 0, cents: NaN };
  const numberAfter = (i: number, k: 0 | 1 | 2): boolean => {
    if (written[3 * i + k] !== 0) return written[3 * i + k] === 1;
    classifyInto(grid.cells[lines.row[i]]?.[colOf[k]], seen);
    return seen.state === NUMBER;
  };
  const at = (row: number, col: number): string => cellAddress(o.row + row, o.col + col);
  const amount = options.thresholdAmount;
  const percent = options.thresholdPercent;
  const tests = (d: string, b: string): string[] => {
    const parts = [`${d}<0`];
    if (amount) parts.push(`-${d}>=${amount}`);
    if (percent) parts.push(`-${d}>=ABS(${b})*${percent / 100}`);
    return parts;
  };
  const live = new Map<number, number[]>();
  const byDeviation: number[] = [];
  const marked: number[] = [];
  for (let i = 0; i < lines.count; i++) {
    if (numberAfter(i, 0) && numberAfter(i, 1) && (factor[i] === 1 || factor[i] === -1)) {
      const rows = live.get(factor[i]) ?? [];
      rows.push(i);
      live.set(factor[i], rows);
    } else if (numberAfter(i, 2)) byDeviation.push(i);
    else if (flagged[i] === 1) marked.push(i);
  }
  const out: FlagFormat[] = [];
  for (const [sign, group] of live) {
    for (const rows of inParts(group.map((i) => lines.row[i]))) {
      const b = at(rows[0], cols.budget);
      const c = at(rows[0], cols.comparison);
      const d = sign === 1 ? `(${c}-${b})` : `(${b}-${c})`;
      out.push({
        address: runsAddress(rows, cols.deviation, o),
        formula: `=AND(${[`ISNUMBER(${b})`, `ISNUMBER(${c})`, ...tests(d, b), FLAG_MARK].join(",")})`,
      });
    }
  }
  // The budget of such a line is taken as the check read it.
  for (const i of byDeviation) {
    const row = lines.row[i];
    const d = at(row, cols.deviation);
    const b = String(Math.abs(budget[i]) / 100);
    out.push({
      address: at(row, cols.deviation),
      formula: `=AND(${[`ISNUMBER(${d})`, ...tests(d, b), FLAG_MARK].join(",")})`,
    });
  }
  for (const rows of inParts(marked.map((i) => lines.row[i]))) {
    out.push({ address: runsAddress(rows, cols.deviation, o), formula: `=${FLAG_MARK}` });
  }
  return out;
}

/**
 * The most runs of rows one flag format covers. Excel refuses a range of many areas (from about
 * 500 areas or 8 000 characters of address, depending on the addresses); a sheet of many small
 * blocks (one per activity) gets a format per this many runs.
 */
export const MAX_FLAG_AREAS = 200;

/** Ascending rows in parts of at most MAX_FLAG_AREAS runs each. */
function inParts(rows: number[]): number[][] {
  const parts: number[][] = [];
  let runs = 0;
  for (let k = 0; k < rows.length; k++) {
    const starts = k === 0 || rows[k] !== rows[k - 1] + 1;
    if (starts && ++runs > MAX_FLAG_AREAS) runs = 1;
    if (starts && runs === 1) parts.push([]);
    parts[parts.length - 1].push(rows[k]);
  }
  return parts;
}

/**
 * The writes that fall inside merged cells other than the merge's first cell: Excel shows only the
 * first, so such a write would be hidden (and Excel refuses it). Merges are grid-relative.
 */
export function writesHiddenByMerges(writes: readonly CellWrite[], merges: readonly MergeArea[]): CellWrite[] {
  if (merges.length === 0) return [];
  return writes.filter((w) =>
    merges.some(
      (m) =>
        w.row >= m.top &&
        w.row <= m.bottom &&
        w.col >= m.left &&
        w.col <= m.right &&
        (w.row !== m.top || w.col !== m.left),
    ),
  );
}
