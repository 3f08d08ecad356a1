import { columnIndex, columnName } from "../core";

/**
 * What a formula's text holds, in the order tried at each place: a string ("…", "" inside), a quoted
 * sheet or workbook name ('T2'!, '[Budget.xlsx]Blad 1'!, '' inside), a bracket (a table's column,
 * Tabell1[[#This Row],[Prognos T2]], ' escaping a bracket inside, or an external workbook [1]), a
 * whole-column range (B:D), a whole-row range (5:7), then a cell.
 */
const PARTS = new RegExp(
  [
    /("(?:[^"]|"")*")/.source,
    /('(?:[^']|'')*')/.source,
    /(\[(?:'.|[^[\]']|\[(?:'.|[^[\]'])*\])*\])/.source,
    /(\$?)([A-Z]{1,3}):(\$?)([A-Z]{1,3})(?![\w(!])/.source,
    /(\$?)(\d{1,7}):(\$?)(\d{1,7})(?![\w(!.])/.source,
    /(\$?)([A-Z]{1,3})(\$?)(\d{1,7})(?![\w(!])/.source,
  ].join("|"),
  "g",
);

/** Moves the relative references of a shared formula from its first cell to another cell. */
export function shiftFormula(formula: string, dRow: number, dCol: number): string {
  const col = (abs: string, c: string): string => (abs ? c : columnName(columnIndex(c) + dCol));
  const row = (abs: string, r: string): string => (abs ? r : String(Number(r) + dRow));
  return formula.replace(PARTS, (all: string, ...g: string[]) => {
    const offset = g[15] as unknown as number;
    if (g[0] !== undefined || g[1] !== undefined || g[2] !== undefined) return all;
    // A name that ends like a reference (Budget2025, T2 in a longer name) is no reference.
    if (offset > 0 && /[\w.]/.test(formula[offset - 1])) return all;
    if (g[4] !== undefined) return `${g[3]}${col(g[3], g[4])}:${g[5]}${col(g[5], g[6])}`;
    if (g[8] !== undefined) return `${g[7]}${row(g[7], g[8])}:${g[9]}${row(g[9], g[10])}`;
    return `${g[11]}${col(g[11], g[12])}${g[13]}${row(g[13], g[14])}`;
  });
}
