/** Column letters and A1 addresses, 0-based. */

export function columnName(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnIndex(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) n = n * 26 + (name.toUpperCase().charCodeAt(i) - 64);
  return n - 1;
}

/** "D8" for row 7, column 3. */
export function cellAddress(row: number, col: number): string {
  return columnName(col) + (row + 1);
}

/** Parses "D8" or "$D$8" into 0-based row and column; null when it is not a cell address. */
export function parseCellAddress(a: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(a);
  if (!m) return null;
  return { row: Number(m[2]) - 1, col: columnIndex(m[1]) };
}

/**
 * Addresses of grid cells ("D8") for a grid whose first cell is at `origin`, with each column's
 * letters worked out once.
 */
export function gridAddresses(origin: { row: number; col: number }): (row: number, col: number) => string {
  const letters = new Map<number, string>();
  return (row, col) => {
    let l = letters.get(col);
    if (l === undefined) {
      l = columnName(origin.col + col);
      letters.set(col, l);
    }
    return l + (origin.row + row + 1);
  };
}
