/**
 * Per-line numbers. Typed arrays are the fastest to fill and read, but their memory lives outside
 * the JavaScript heap, and on a sheet of hundreds of thousands of lines allocating tens of
 * megabytes there makes V8 collect the whole heap (the grid with it) on nearly every check. Large
 * sheets therefore get plain arrays, which the heap's own growth accounts for. So do the few lines
 * of a committee's table: a typed array of more than a few dozen bytes is allocated outside the
 * heap too, and for a few dozen lines that costs more than a plain array.
 */
export type LineNumbers = Float64Array | Int32Array | Int8Array | Uint8Array | number[];
const TYPED_UP_TO = 200_000;
/** Up to this many numbers, a plain array (see above). */
const SMALL_UP_TO = 256;

/** Numbers for `lines` lines, `per` to a line: a typed array above SMALL_UP_TO numbers up to TYPED_UP_TO lines, else a plain one. */
export function lineNumbers(
  lines: number,
  fill: number,
  Typed: new (n: number) => Exclude<LineNumbers, number[]>,
  per = 1,
): LineNumbers {
  if (lines > TYPED_UP_TO || lines * per <= SMALL_UP_TO) return new Array<number>(lines * per).fill(fill);
  const a = new Typed(lines * per);
  if (fill !== 0) a.fill(fill);
  return a;
}

/**
 * `count` arrays of amounts for `lines` lines, filled with `fill`: views of one buffer between
 * SMALL_UP_TO numbers and TYPED_UP_TO lines (one allocation), else plain arrays. Without `fill` the
 * caller writes every amount: a buffer is left as allocated, and a plain array starts as NaN so
 * that it holds floating-point numbers from the start (an array of zeros would be copied whole
 * when its first fraction is written).
 */
export function amountColumns(lines: number, fill: number | undefined, count: number): LineNumbers[] {
  const out: LineNumbers[] = [];
  if (lines > TYPED_UP_TO || lines * count <= SMALL_UP_TO) {
    for (let k = 0; k < count; k++) out.push(new Array<number>(lines).fill(fill ?? NaN));
    return out;
  }
  const buffer = new Float64Array(lines * count);
  if (fill !== undefined && fill !== 0) buffer.fill(fill);
  for (let k = 0; k < count; k++) out.push(buffer.subarray(k * lines, (k + 1) * lines));
  return out;
}
