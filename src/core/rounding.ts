/**
 * How far printed figures may lie from the arithmetic through rounding alone. Figures are amounts
 * in hundredths; `step` is the smallest step the sheet prints in (100 for whole units, 10 for one
 * decimal, 1 for hundredths).
 */

/** How far a printed total of `parts` printed figures may lie from their sum through rounding alone. */
export function sumTolerance(parts: number, step: number): number {
  return (parts * step) / 2;
}

/**
 * How far a printed deviation may lie from the difference of two printed figures through rounding
 * alone: one step where figures are printed rounded (whole units, one decimal, or hundredths of a
 * thousand or a million kronor); none in hundredths of kronor, which are exact amounts.
 */
export function deviationTolerance(step: number, exact: boolean): number {
  return step === 1 && exact ? 0 : (step * 3) / 2;
}

/** Whether a sheet's hundredths are exact amounts (öre: a sheet in kronor, or one that states no unit), not rounded ones (tkr, mnkr). */
export function exactHundredths(unit: string | null): boolean {
  return unit !== "tkr" && unit !== "mnkr" && unit !== "mdkr";
}

/**
 * The step a line's own figures are printed in: the finest of its budget, comparison and deviation
 * (`cents` holds line i's three at 3i). A total printed coarser than its parts is rounded to its
 * own step.
 */
export function lineStep(cents: ArrayLike<number>, i: number): number {
  let step = 100;
  for (let k = 3 * i; k < 3 * i + 3; k++) {
    const v = cents[k];
    if (v === v) step = Math.min(step, printedStep(v));
  }
  return step;
}

/** The step an amount in hundredths is printed in: 100 (whole units), 10 (one decimal) or 1. (Division, not %, which is slow on doubles.) */
export function printedStep(cents: number): number {
  return Number.isInteger(cents / 100) ? 100 : Number.isInteger(cents / 10) ? 10 : 1;
}

/** How far a printed total of `parts` figures may lie from their sum: their rounding, or half its own step where that is coarser. */
export function totalTolerance(parts: number, step: number, ownStep: number): number {
  return Math.max(sumTolerance(parts, step), ownStep / 2);
}
