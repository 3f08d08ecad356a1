import type { Table } from "./detect";
import { additiveTerms, blankBranch, formulaFromTerms, type Term } from "./formula";
import { showsNothing } from "./header";
import { WORDS } from "./messages";
import type { LineNumbers } from "./arrays";
import type { Grid, Lang } from "./types";

/**
 * The formulas of sum and deviation cells: the terms each should add up, and what a formula the
 * sheet has leaves out or takes in.
 */

/**
 * The terms a sum line's formula must have in a column: its parts' cells, each with the sign that
 * turns it into the sum (in a costs-positive sheet, net cost = costs − revenue).
 */
export function expectedSumTerms(
  table: Table,
  i: number,
  col: number,
  factor: LineNumbers,
  deviationColumn: boolean,
): Term[] {
  const lines = table.lineArrays;
  return lines.parts[i].map((p) => ({
    row: lines.row[p],
    col,
    sign: (deviationColumn ? 1 : factor[i] * factor[p]) as 1 | -1,
  }));
}

/** The terms of a line's own deviation formula: comparison − budget (or the reverse for costs entered positive). */
export function expectedDeviationTerms(table: Table, i: number, factor: LineNumbers): Term[] {
  const row = table.lineArrays.row[i];
  const f = factor[i] as 1 | -1;
  return [
    { row, col: table.comparison.col, sign: f },
    { row, col: table.budget.col, sign: -f as 1 | -1 },
  ];
}

/** A cell as one number: columns stay below Excel's 16 384. */
function termKey(t: Term): number {
  return t.row * 16384 + t.col;
}

/** Adds up terms by cell, dropping cells that cancel out. */
function termMap(terms: Term[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const t of terms) {
    const k = termKey(t);
    m.set(k, (m.get(k) ?? 0) + t.sign);
  }
  for (const [k, v] of m) if (v === 0) m.delete(k);
  return m;
}

/** The terms' cells and signs as sorted numbers, or null when a cell comes twice (then they may cancel). */
function sortedTermKeys(terms: Term[]): number[] | null {
  const keys: number[] = [];
  for (let k = 0; k < terms.length; k++) keys.push(termKey(terms[k]) * 2 + (terms[k].sign > 0 ? 1 : 0));
  keys.sort((a, b) => a - b);
  for (let k = 1; k < keys.length; k++) if (Math.floor(keys[k] / 2) === Math.floor(keys[k - 1] / 2)) return null;
  return keys;
}

/** Whether two lists of terms add up the same cells with the same signs. */
function sameTermList(a: Term[], b: Term[]): boolean {
  if (a.length === b.length) {
    const x = sortedTermKeys(a);
    const y = sortedTermKeys(b);
    if (x !== null && y !== null) {
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
      return true;
    }
  }
  return sameTerms(termMap(a), termMap(b));
}

function sameTerms(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}

/**
 * The cells a formula adds up, in grid coordinates, or null when it is not a plain sum. With
 * `lineRows`, referenced cells that are empty and on no line (blank spacer rows inside a SUM
 * range) are left out.
 */
function formulaTerms(formula: string, grid: Grid, lineRows?: { has(row: number): boolean }): Term[] | null {
  const terms = additiveTerms(formula);
  if (terms === null) return null;
  // The terms are new objects, made for this call: moved to grid coordinates in place.
  const origin = grid.origin ?? { row: 0, col: 0 };
  if (origin.row !== 0 || origin.col !== 0) {
    for (const t of terms) {
      t.row -= origin.row;
      t.col -= origin.col;
    }
  }
  return lineRows ? terms.filter((t) => lineRows.has(t.row) || !showsNothing(grid.cells[t.row]?.[t.col])) : terms;
}

/** Whether a formula is the right one for a cell, given the terms it should have (null: not a plain sum). */
export function formulaMatches(formula: string, expected: Term[], grid: Grid, lineRows: Set<number>): boolean | null {
  const terms = formulaTerms(formula, grid, lineRows);
  return terms === null ? null : sameTermList(terms, expected);
}

/** Describes what is wrong with a sum line's formula in one column, or null when nothing is. */
export function sumFormulaProblem(
  table: Table,
  i: number,
  col: number,
  formula: string,
  factor: LineNumbers,
  deviationColumn: boolean,
  grid: Grid,
  lineAt: Int32Array,
  lang: Lang,
): string | null {
  // The usual case first: the formula is, as text, the one the write plan would write.
  const origin = table.origin;
  const expectedTerms = expectedSumTerms(table, i, col, factor, deviationColumn);
  if (formula === formulaFromTerms(expectedTerms, origin)) return null;
  if (deviationColumn && formula === formulaFromTerms(expectedDeviationTerms(table, i, factor), origin)) return null;
  // =OM(SUMMA(B5:B9)=0;"";SUMMA(B5:B9)): the sum it shows is what is checked.
  const all = formulaTerms(blankBranch(formula) ?? formula, grid);
  if (all === null) return null;
  // A deviation cell may also hold the line's own comparison − budget.
  if (deviationColumn && sameTermList(all, expectedDeviationTerms(table, i, factor))) return null;
  // Formulas that reach into other columns are not sums of this column's parts.
  if (all.some((t) => t.col !== col)) return null;
  // Blank spacer rows inside a SUM range count for nothing, rows of formulas showing nothing too.
  const onLine = (row: number): boolean => row >= 0 && row < lineAt.length && lineAt[row] > 0;
  const counted = all.filter((t) => onLine(t.row) || !showsNothing(grid.cells[t.row]?.[t.col]));
  if (sameTermList(counted, expectedTerms)) return null;
  const w = WORDS[lang];
  const expected = termMap(expectedTerms);
  const got = termMap(counted);
  const rowName = (key: number): string => {
    const row = Math.floor(key / 16384);
    const label = onLine(row) ? table.lineArrays.label[lineAt[row] - 1] : undefined;
    return `${w.row} ${origin.row + row + 1}${label ? ` (${label})` : ""}`;
  };
  const missing = [...expected.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !expected.has(k));
  const flipped = [...expected.keys()].filter((k) => got.has(k) && got.get(k) !== expected.get(k));
  const parts: string[] = [];
  if (missing.length) parts.push(`${w.leavesOut} ${missing.map(rowName).join(", ")}`);
  if (extra.length) parts.push(`${w.includes} ${extra.map(rowName).join(", ")} ${w.notPart}`);
  if (flipped.length) parts.push(`${w.includes} ${flipped.map(rowName).join(", ")} ${w.wrongSign}`);
  return parts.length ? parts.join("; ") : null;
}
