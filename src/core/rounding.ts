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
 * alone: one step where figures are printed rounded (whole units, one decimal); none in hundredths,
 * which are exact amounts.
 */
export function deviationTolerance(step: number): number {
  return step === 1 ? 0 : (step * 3) / 2;
}
