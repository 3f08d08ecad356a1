import { columnIndex, columnName } from "../core";

/** Moves the relative references of a shared formula from its first cell to another cell. */
export function shiftFormula(formula: string, dRow: number, dCol: number): string {
  return formula.replace(
    /("[^"]*")|(\$?)([A-Z]{1,3})(\$?)(\d{1,7})(?![\w(!])/g,
    (all, str, colAbs, col, rowAbs, row, offset, whole) => {
      if (str) return all;
      const before = offset > 0 ? (whole as string)[offset - 1] : "";
      if (/[\w.]/.test(before)) return all;
      const c = colAbs ? col : columnName(columnIndex(col) + dCol);
      const r = rowAbs ? row : String(Number(row) + dRow);
      return `${colAbs}${c}${rowAbs}${r}`;
    },
  );
}
