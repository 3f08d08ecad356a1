/**
 * The shapes the core works on. A host (Excel, an .xlsx file) turns a sheet into a Grid; the core
 * returns a Report and a write plan; the host applies the plan.
 */

/** An error value in a cell, as a spreadsheet shows it: "#REF!", "#VALUE!", "#DIV/0!", ... */
export interface CellError {
  error: string;
}

export type CellValue = number | string | boolean | null | CellError;

export interface GridCell {
  /** The value (for a formula cell: its last computed value). */
  v: CellValue;
  /** The formula without its leading "=", when the cell has one. */
  f?: string;
  /** The number format code, when known ("# ##0", "yyyy-mm-dd", ...). */
  z?: string;
}

/** A rectangular area of merged cells, 0-based and inclusive, relative to the grid. */
export interface MergeArea {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * A sheet's used range. Row r, column c of `cells` is the sheet cell at row origin.row + r,
 * column origin.col + c (both 0-based: A1 is {row: 0, col: 0}).
 */
export interface Grid {
  sheet: string;
  cells: (GridCell | null | undefined)[][];
  origin?: { row: number; col: number };
  merges?: MergeArea[];
}

export type Severity = "error" | "warning" | "info";

export type FindingCode =
  | "total-mismatch"
  | "rounding-difference"
  | "deviation-mismatch"
  | "sum-range-incomplete"
  | "text-number"
  | "not-a-number"
  | "missing-value"
  | "formula-error"
  | "sign"
  | "unknown-line"
  | "not-balanced"
  | "second-table"
  | "uncalculated"
  | "sum-reading";

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** The sheet cell, like "D8". */
  cell: string;
  message: string;
}

export type Lang = "sv" | "en";

/**
 * How a sheet enters its figures (see convention.ts): "result" revenue +, costs −; "ledger" costs +,
 * revenue −; "presentation" everything +. A negative deviation is unfavourable in all three.
 */
export type Convention = "result" | "ledger" | "presentation";

/** What a line is: revenue, a cost (a net cost included), or a result. */
export type Nature = "revenue" | "cost" | "result";
