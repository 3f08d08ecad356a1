import { parseAmount, toCents } from "./numbers";
import type { CellValue, GridCell } from "./types";

/** What a figure cell holds, and the amount in it. */

export type FigureState = "empty" | "number" | "text-number" | "not-a-number" | "error" | "date" | "uncalculated";

/** What a figure cell holds. `cents` is null when it holds no usable amount. */
export interface Figure {
  state: FigureState;
  cents: number | null;
  value: CellValue;
  formula?: string;
  numberFormat?: string;
}

export const STATES: readonly FigureState[] = [
  "empty",
  "number",
  "text-number",
  "not-a-number",
  "error",
  "date",
  "uncalculated",
];
export const EMPTY = 0;
export const NUMBER = 1;
export const TEXT_NUMBER = 2;
export const NOT_A_NUMBER = 3;
export const ERROR = 4;
export const DATE = 5;
/** A formula whose value was never computed (a file saved by a program that does not calculate). */
export const UNCALCULATED = 6;

const DATE_FORMAT = /(^|[^"\\])[dmyå]{1,4}[-/. ][dmyå]{1,4}|yyyy|åååå/i;
const dateFormats = new Map<string, boolean>();

/** Whether a number format shows a date or a time. */
export function isDateFormat(z: string): boolean {
  let d = dateFormats.get(z);
  if (d === undefined) {
    d = DATE_FORMAT.test(z);
    dateFormats.set(z, d);
  }
  return d;
}

/** A cell's state (one of the constants above) and its amount in hundredths (NaN: none). */
export interface Classified {
  state: number;
  cents: number;
}

/** Classifies a figure cell into `out`, allocating nothing (checking reads every figure of a sheet this way). */
export function classifyInto(cell: GridCell | null | undefined, out: Classified): void {
  out.cents = NaN;
  if (!cell) {
    out.state = EMPTY;
    return;
  }
  const v = cell.v;
  if (typeof v === "number") {
    if (cell.z !== undefined && isDateFormat(cell.z)) {
      out.state = DATE;
      return;
    }
    out.cents = toCents(v);
    out.state = out.cents === out.cents ? NUMBER : NOT_A_NUMBER;
    return;
  }
  // A formula with no value was never computed; one that computes empty text (=IF(C5="";"";C5-B5)
  // before the forecast is typed) shows nothing, like an empty cell.
  if (v === null || v === undefined) {
    out.state = cell.f ? UNCALCULATED : EMPTY;
    return;
  }
  if (v === "") {
    out.state = EMPTY;
    return;
  }
  if (typeof v === "string") {
    const p = parseAmount(v);
    if (!p.ok) {
      out.state = NOT_A_NUMBER;
      return;
    }
    out.cents = p.cents;
    out.state = TEXT_NUMBER;
    return;
  }
  out.state = typeof v === "boolean" ? NOT_A_NUMBER : ERROR;
}

export function readFigure(cell: GridCell | null | undefined): Figure {
  const c: Classified = { state: 0, cents: NaN };
  classifyInto(cell, c);
  return {
    state: STATES[c.state],
    cents: c.cents === c.cents ? c.cents : null,
    value: cell ? cell.v : null,
    formula: cell?.f,
    numberFormat: cell?.z,
  };
}
