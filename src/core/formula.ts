import { columnName, parseCellAddress } from "./address";

/** One cell a formula adds (sign 1) or subtracts (sign -1). */
export interface Term {
  row: number;
  col: number;
  sign: 1 | -1;
}

/** Ranges longer than this are not expanded; such a formula is not analysed. */
const MAX_RANGE_ROWS = 100_000;

/**
 * Reads a formula that only adds and subtracts cells of its own sheet: "SUM(B5:B8)", "B4+B9",
 * "C5-B5", "SUMMA(B5:B8;B10)", "-SUM(B5:B6)+B9". Anything else (other functions, constants,
 * multiplication, other sheets) gives null: the formula is then taken as it is, unanalysed.
 */
export function additiveTerms(formula: string): Term[] | null {
  const s = formula.replace(/^=/, "").replace(/\s+/g, "");
  const terms: Term[] = [];
  let i = 0;
  const ref = /^(\$?[A-Za-z]{1,3}\$?\d{1,7})(?::(\$?[A-Za-z]{1,3}\$?\d{1,7}))?/;
  const pushRef = (text: string, sign: 1 | -1): number | null => {
    const m = ref.exec(text);
    if (!m) return null;
    const a = parseCellAddress(m[1]);
    if (!a) return null;
    if (m[2] === undefined) {
      terms.push({ row: a.row, col: a.col, sign });
      return m[0].length;
    }
    const b = parseCellAddress(m[2]);
    if (!b) return null;
    const top = Math.min(a.row, b.row);
    const bottom = Math.max(a.row, b.row);
    if (bottom - top >= MAX_RANGE_ROWS) return null;
    for (let c = Math.min(a.col, b.col); c <= Math.max(a.col, b.col); c++) {
      for (let r = top; r <= bottom; r++) terms.push({ row: r, col: c, sign });
    }
    return m[0].length;
  };
  let first = true;
  while (i < s.length) {
    let sign: 1 | -1 = 1;
    if (s[i] === "+" || s[i] === "-") {
      sign = s[i] === "-" ? -1 : 1;
      i++;
    } else if (!first) {
      return null;
    }
    first = false;
    const rest = s.slice(i);
    const fn = /^(SUM|SUMMA)\(/i.exec(rest);
    if (fn) {
      i += fn[0].length;
      for (;;) {
        const n = pushRef(s.slice(i), sign);
        if (n === null) return null;
        i += n;
        if (s[i] === "," || s[i] === ";") {
          i++;
          continue;
        }
        if (s[i] === ")") {
          i++;
          break;
        }
        return null;
      }
      continue;
    }
    if (rest.startsWith("(")) return null;
    const n = pushRef(rest, sign);
    if (n === null) return null;
    i += n;
  }
  return terms.length > 0 ? terms : null;
}

/** Writes a formula from its terms: SUM(B5:B8) for a run of rows, else B4+B9-B12. */
export function formulaFromTerms(terms: Term[], origin: { row: number; col: number }): string {
  const a = (t: Term): string => columnName(origin.col + t.col) + (origin.row + t.row + 1);
  const n = terms.length;
  // Checked on every sum and deviation cell: no copy unless the terms are out of order.
  let sorted = terms;
  for (let k = 1; k < n; k++) {
    if (terms[k].row < terms[k - 1].row) {
      sorted = [...terms].sort((x, y) => x.row - y.row);
      break;
    }
  }
  let contiguous = n > 2;
  for (let k = 0; contiguous && k < n; k++) {
    const t = sorted[k];
    contiguous = t.sign === 1 && t.col === sorted[0].col && (k === 0 || t.row === sorted[k - 1].row + 1);
  }
  if (contiguous) return `SUM(${a(sorted[0])}:${a(sorted[n - 1])})`;
  let out = "";
  for (let k = 0; k < n; k++) out += (terms[k].sign < 0 ? "-" : k === 0 ? "" : "+") + a(terms[k]);
  return out;
}

/**
 * The figure branch of a formula that shows nothing in some case: X of =IF(cond,"",X) or
 * =IF(cond,X,""), as a deviation or a sum is often written (=OM(C5="";"";C5-B5)); null for any
 * other formula (the innermost X where such formulas nest). Its case only decides when the cell
 * is blank; X is what it reckons.
 */
export function blankBranch(formula: string): string | null {
  const f = formula.trim();
  if (!/^IF\(/i.test(f) || !f.endsWith(")")) return null;
  const args: string[] = [];
  let depth = 0;
  let start = 3;
  let quote = "";
  for (let k = 3; k < f.length - 1; k++) {
    const ch = f[k];
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      if (--depth < 0) return null;
    } else if (ch === "," && depth === 0) {
      args.push(f.slice(start, k).trim());
      start = k + 1;
    }
  }
  if (quote || depth !== 0) return null;
  args.push(f.slice(start, f.length - 1).trim());
  if (args.length !== 3) return null;
  const x = args[1] === '""' ? args[2] : args[2] === '""' ? args[1] : null;
  if (x === null || x === '""') return null;
  // =IF(C5="";"";IF(B5="";"";C5-B5)): blank in either case.
  return blankBranch(x) ?? x;
}
