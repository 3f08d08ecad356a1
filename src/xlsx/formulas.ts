import { columnIndex, columnName } from "../core";

/**
 * What a formula's text holds, in the order tried at each place: a string ("…", "" inside), a quoted
 * sheet or workbook name ('T2'!, '[Budget.xlsx]Blad 1'!, '' inside), a bracket (a table's column,
 * Tabell1[[#This Row],[Prognos T2]], ' escaping a bracket inside, or an external workbook [1]), a
 * whole-column range (B:D), a whole-row range (5:7), then a cell or a range of cells (B5:B9).
 * References are read in either case, as Excel reads them.
 */
const PARTS = new RegExp(
  [
    /("(?:[^"]|"")*")/u.source,
    /('(?:[^']|'')*')/u.source,
    /(\[(?:'.|[^[\]']|\[(?:'.|[^[\]'])*\])*\])/u.source,
    /(\$?)([A-Z]{1,3}):(\$?)([A-Z]{1,3})(?![\p{L}\p{N}_(!])/u.source,
    /(\$?)(\d{1,7}):(\$?)(\d{1,7})(?![\p{L}\p{N}_(!.])/u.source,
    /(\$?)([A-Z]{1,3})(\$?)(\d{1,7})(?::(\$?)([A-Z]{1,3})(\$?)(\d{1,7}))?(?![\p{L}\p{N}_(!])/u.source,
  ].join("|"),
  "giu",
);

const MAX_ROW = 1048576;
const MAX_COL = 16384;

/**
 * Moves the relative references of a shared formula from its first cell to another cell. A
 * reference moved off the sheet is #REF!, as Excel writes it (a whole range with it).
 */
export function shiftFormula(formula: string, dRow: number, dCol: number): string {
  let off = false;
  let name = false;
  const col = (abs: string, c: string): string => {
    const k = columnIndex(c.toUpperCase());
    // Past the last column (YTD2025): a name, not a reference.
    if (k >= MAX_COL) name = true;
    if (abs || name) return c;
    off ||= k + dCol < 0 || k + dCol >= MAX_COL;
    return columnName(k + dCol);
  };
  const row = (abs: string, r: string): string => {
    if (Number(r) > MAX_ROW) name = true;
    if (abs || name) return r;
    const n = Number(r) + dRow;
    off ||= n < 1 || n > MAX_ROW;
    return String(n);
  };
  return formula.replace(PARTS, (all: string, ...g: string[]) => {
    const offset = g[19] as unknown as number;
    if (g[0] !== undefined || g[1] !== undefined || g[2] !== undefined) return all;
    // A name that ends like a reference (BUDGETÅR2025, T2 in a longer name) is no reference.
    if (offset > 0 && /[\p{L}\p{N}_.]/u.test(formula[offset - 1])) return all;
    off = false;
    name = false;
    let moved: string;
    if (g[4] !== undefined) moved = `${g[3]}${col(g[3], g[4])}:${g[5]}${col(g[5], g[6])}`;
    else if (g[8] !== undefined) moved = `${g[7]}${row(g[7], g[8])}:${g[9]}${row(g[9], g[10])}`;
    else {
      moved = `${g[11]}${col(g[11], g[12])}${g[13]}${row(g[13], g[14])}`;
      if (g[16] !== undefined) moved += `:${g[15]}${col(g[15], g[16])}${g[17]}${row(g[17], g[18])}`;
    }
    return name ? all : off ? "#REF!" : moved;
  });
}
