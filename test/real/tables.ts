/**
 * Tables that Swedish municipalities have published, transcribed by hand into tables/*.json, each
 * with its source (document, page), the structure a reader sees in it (which lines are totals of
 * which, which itemise the line above) and the sign convention its figures follow. The README of
 * this folder says how one is transcribed.
 *
 * What a table is expected to give is worked out here from its printed figures alone, by
 * arithmetic, never by the checker.
 */
import fs from "node:fs";
import path from "node:path";
import { columnIndex, columnName } from "../../src/core";

export type Convention = "result" | "ledger" | "presentation";
export type Value = string | number | null;

export interface RealTable {
  id: string;
  municipality: string;
  source: { document: string; url: string; page: string; table: string };
  layout: string[];
  unit: string;
  convention: Convention;
  /** Conventions the table's figures cannot be told apart from the one given. */
  conventionAlternatives?: Convention[];
  conventionWhy: string;
  columns: { label: string; budget: string; comparison: string; deviation: string | null };
  rows: Value[][];
  structure: {
    /** Totals, by sheet row (1-based), with their direct parts; `minus`: parts the total subtracts. */
    sums: { row: number; parts: number[]; minus?: number[] }[];
    /** "varav" lines. */
    itemising: number[];
    /** In the presentation convention: rows reckoned forecast − budget (revenue, results); the others are costs. */
    revenueRows?: number[];
  };
  /**
   * Printed figures that do not agree with the arithmetic beyond rounding. "own-figures": a total
   * whose parts print nothing in that column, so its figure is its own and no error.
   */
  knownDifferences: { cell: string; printed: number; computed: number; kind?: "own-figures" }[];
  notes: string;
}

export const TABLES_DIR = path.join(__dirname, "tables");

export function loadTables(dir = TABLES_DIR): RealTable[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as RealTable);
}

/** 0-based column of a letter. */
export const col = (letter: string): number => columnIndex(letter);

/** A printed figure (null: printed empty, or text). */
export function figure(t: RealTable, row: number, letter: string | null): number | null {
  if (letter === null) return null;
  const v = t.rows[row - 1]?.[col(letter)];
  return typeof v === "number" ? v : null;
}

/** The smallest step the table's amounts are printed in: 0.1 in mnkr with one decimal, else 1. */
export function stepOf(t: RealTable): number {
  const cols = [t.columns.budget, t.columns.comparison, t.columns.deviation].filter((c): c is string => c !== null);
  for (const r of t.rows)
    for (const c of cols) {
      const v = r[col(c)];
      if (typeof v === "number" && Math.round(v * 10) % 10 !== 0) return 0.1;
    }
  return 1;
}

/** Rows that are lines with a budget and a comparison figure (the rows a deviation belongs to). */
export function figureRows(t: RealTable): number[] {
  const out: number[] = [];
  t.rows.forEach((_, i) => {
    if (figure(t, i + 1, t.columns.budget) !== null && figure(t, i + 1, t.columns.comparison) !== null) out.push(i + 1);
  });
  return out;
}

/** The deviation the convention gives a row from its printed budget and comparison. */
export function conventionDeviation(t: RealTable, row: number): number {
  const b = figure(t, row, t.columns.budget)!;
  const c = figure(t, row, t.columns.comparison)!;
  const forecastMinusBudget =
    t.convention === "result" || (t.convention === "presentation" && (t.structure.revenueRows ?? []).includes(row));
  return round(forecastMinusBudget ? c - b : b - c);
}

export const round = (x: number): number => Math.round(x * 100) / 100;

/** The published deviation of each row: the printed one, or (without a deviation column) the convention's. */
export function publishedDeviations(t: RealTable): Map<number, number> {
  const out = new Map<number, number>();
  for (const row of figureRows(t)) {
    const printed = figure(t, row, t.columns.deviation);
    out.set(row, printed ?? conventionDeviation(t, row));
  }
  return out;
}

/** How a line's deviation is reckoned: forecast − budget (1) or budget − forecast (−1). */
function orientation(t: RealTable, row: number): number {
  if (t.convention === "result") return 1;
  if (t.convention === "ledger") return -1;
  return (t.structure.revenueRows ?? []).includes(row) ? 1 : -1;
}

/** Where the printed figures do not agree with the arithmetic beyond rounding: sums against their parts, deviations against the convention. */
export function arithmeticDifferences(t: RealTable): string[] {
  const step = stepOf(t);
  const out: string[] = [];
  // Sums are checked in every column of amounts (not in columns of percentages).
  const first = Math.min(...figureRows(t));
  const width = Math.max(...t.rows.map((r) => r.length));
  const letters: string[] = [];
  for (let c = 1; c < width; c++) {
    const header = t.rows
      .slice(0, first - 1)
      .map((r) => String(r[c] ?? ""))
      .join(" ");
    if (!/%|proc|\bnot\b/i.test(header)) letters.push(columnName(c));
  }
  for (const s of t.structure.sums) {
    for (const letter of letters) {
      const total = figure(t, s.row, letter);
      if (total === null) continue;
      let sum = 0;
      for (const p of s.parts) {
        // In the presentation convention a deviation is favourable when positive on every line: a
        // cost subtracted from revenue adds its deviation to the result's.
        const turned = letter === t.columns.deviation && orientation(t, p) !== orientation(t, s.row);
        sum += ((s.minus ?? []).includes(p) !== turned ? -1 : 1) * (figure(t, p, letter) ?? 0);
      }
      if (Math.abs(total - sum) > (s.parts.length * step) / 2 + 1e-9) out.push(`${letter}${s.row}`);
    }
  }
  if (t.columns.deviation !== null) {
    for (const row of figureRows(t)) {
      const printed = figure(t, row, t.columns.deviation);
      if (printed === null) continue;
      // A total's printed deviation may be its parts' deviations added up: rounding of each.
      const sum = t.structure.sums.find((s) => s.row === row);
      const tolerance = sum ? Math.max(1.5 * step, ((sum.parts.length + 1) * step) / 2) : 1.5 * step;
      if (Math.abs(printed - conventionDeviation(t, row)) > tolerance + 1e-9) {
        out.push(`${t.columns.deviation}${row}`);
      }
    }
  }
  return [...new Set(out)].sort();
}

/** The table as a sheet: rows of values, with the deviation column's figures emptied when asked. */
export function sheetRows(t: RealTable, options: { emptyDeviation?: boolean } = {}): Value[][] {
  const dev = t.columns.deviation === null ? -1 : col(t.columns.deviation);
  return t.rows.map((r) => r.map((v, c) => (options.emptyDeviation && c === dev && typeof v === "number" ? null : v)));
}
