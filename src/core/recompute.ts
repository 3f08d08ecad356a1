import { signFactor } from "./convention";
import { deviationTolerance, exactHundredths, lineStep, printedStep, sumTolerance, totalTolerance } from "./rounding";
import type { Table } from "./detect";
import { COST, natureIsKnown, RESULT, SUM } from "./structure";
import { classifyInto, EMPTY, type Classified } from "./figures";
import { amountColumns, lineNumbers, type LineNumbers } from "./arrays";
import { dependenciesFirst } from "./order";
import type { Convention, Grid } from "./types";

/**
 * Pass 6, recompute: every line's deviation, every sum from its parts (budget, comparison and
 * deviation), in whole hundredths. A figure the sheet prints that differs from the recomputed one
 * only by rounding is kept: it is the more precise of the two.
 */

/** The figures as entered: per line and column (0 budget, 1 comparison, 2 deviation) the cell's state and amount. */
export interface Entered {
  /** State of line i's cell k at 3i + k (the constants of figures.ts). */
  state: LineNumbers;
  /** Amount in hundredths of line i's cell k at 3i + k (NaN: none). */
  cents: LineNumbers;
  /** The most decimals any figure is printed with (0, 1 or 2), and the step that makes (100, 10 or 1 hundredths). */
  decimals: number;
  step: number;
  /** Whether hundredths are exact amounts (kronor), not rounded ones (tkr, mnkr). */
  exact: boolean;
  /** The grid columns of budget, comparison and deviation. */
  cols: readonly [number, number, number];
  /** How the budget and comparison figures of lines of known kind are signed (sums and results left out): the first evidence of the convention. */
  signs: Signs;
}

export interface Signs {
  costNegative: number;
  costPositive: number;
  revenuePositive: number;
  revenueNegative: number;
}

/** Reads every figure of the table once. */
export function readFigures(grid: Grid, table: Table): Entered {
  const lines = table.lineArrays;
  const n = lines.count;
  const cols = [table.budget.col, table.comparison.col, table.deviation.col] as const;
  // One byte a cell: small enough to stay a typed array at any size.
  const state = new Uint8Array(3 * n);
  // Every amount is written below: no need to fill it first.
  const cents = lineNumbers(n, 0, Float64Array, 3);
  const c: Classified = { state: 0, cents: NaN };
  let costNegative = 0;
  let costPositive = 0;
  let revenuePositive = 0;
  let revenueNegative = 0;
  const { kind, nature } = lines;
  // Whole units unless some amount has tenths (one decimal) or cents (two).
  let step = 100;
  for (let i = 0; i < n; i++) {
    const row = grid.cells[lines.row[i]];
    for (let k = 0; k < 3; k++) {
      classifyInto(row ? row[cols[k]] : undefined, c);
      const v = c.cents;
      state[3 * i + k] = c.state;
      cents[3 * i + k] = v;
      if (step > 1 && v === v) step = Math.min(step, printedStep(v));
    }
    // The budget and comparison figures of a line of known kind, counted by sign as read.
    if (kind[i] !== SUM && nature[i] !== RESULT) {
      const cost = nature[i] === COST;
      for (let k = 3 * i; k < 3 * i + 2; k++) {
        const v = cents[k];
        if (v !== v || v === 0) continue;
        if (cost) {
          if (v < 0) costNegative++;
          else costPositive++;
        } else if (v > 0) revenuePositive++;
        else revenueNegative++;
      }
    }
  }
  const signs: Signs = { costNegative, costPositive, revenuePositive, revenueNegative };
  const decimals = step === 100 ? 0 : step === 10 ? 1 : 2;
  return { state, cents, decimals, step, exact: exactHundredths(table.unit), cols, signs };
}

export interface Recomputed {
  /** Per line: +1, or −1 where the convention enters the line with the opposite sign of a signed amount (see signFactor). */
  factor: LineNumbers;
  /** Amounts in hundredths as the sheet shows them; NaN when there is none. */
  budget: LineNumbers;
  comparison: LineNumbers;
  deviation: LineNumbers;
  /** Per line: its place among the sum lines (-1: not a sum). */
  sumAt: LineNumbers;
  /** For the sum line at place s among the sums: what its parts add up to in column k (0 budget, 1 comparison, 2 deviation) at 3s + k. */
  partsSum: LineNumbers;
}

/** Pass 6: recomputes the table under a convention. */
export function recompute(table: Table, entered: Entered, convention: Convention): Recomputed {
  const { kind, nature, parts: partsOf } = table.lineArrays;
  const n = table.lineArrays.count;
  const { state, cents, step } = entered;
  // Every line's factor is written below.
  // One byte a line: small enough to stay a typed array at any size.
  const factor = new Int8Array(n);
  // Every amount is written below: a line's at once, a sum's NaN until it is worked out (a sum
  // that is, through circular formulas, a part of itself stays unknown).
  const [budget, comparison, deviation] = amountColumns(n, undefined, 3);
  // Per line: its place among the sum lines (-1: not a sum).
  const sumAt = lineNumbers(n, 0, Int32Array);
  let sums = 0;
  /** The sum lines, in order (their places among the sums). */
  const sumLines: number[] = [];
  /** Dispositions under the balance requirement that the budget leaves empty (see below). */
  const dispositions: number[] = [];
  const devTolerance = deviationTolerance(step, entered.exact);
  /** The line's own deviation, or the printed one where only rounding tells them apart. */
  const ownDeviation = (i: number, tolerance: number): number => {
    const d = factor[i] * (comparison[i] - budget[i]);
    const printed = cents[3 * i + 2];
    return d === d && printed === printed && Math.abs(printed - d) <= tolerance ? printed : d;
  };
  const costFactor = signFactor(convention, "cost");
  const otherFactor = signFactor(convention, "revenue");
  for (let i = 0; i < n; i++) {
    factor[i] = nature[i] === COST ? costFactor : otherFactor;
    if (kind[i] === SUM) {
      sumAt[i] = sums++;
      sumLines.push(i);
      budget[i] = comparison[i] = deviation[i] = NaN;
      continue;
    }
    sumAt[i] = -1;
    // A line with neither figure counts as zero; with one of them it has no deviation (NaN
    // carries through).
    const noBudget = state[3 * i] === EMPTY;
    // A line with a forecast but no budget was not budgeted: its budget is zero.
    const b = noBudget ? 0 : cents[3 * i];
    const c = noBudget && state[3 * i + 1] === EMPTY ? 0 : cents[3 * i + 1];
    budget[i] = b;
    comparison[i] = c;
    if (noBudget && state[3 * i + 2] === EMPTY && isDisposition(table, i)) dispositions.push(i);
    // The line's own deviation, or the printed one where only rounding tells them apart.
    const d = factor[i] * (c - b);
    const printed = cents[3 * i + 2];
    deviation[i] = d === d && printed === printed && Math.abs(printed - d) <= devTolerance ? printed : d;
  }
  // Sums from their parts, in signed amounts; a part without a usable figure leaves the sum
  // unknown (NaN), never short. A total printed within rounding of its parts is kept as printed.
  // Its parts are taken as printed (what a reader adds up) and as recomputed all the way down;
  // the nearer of the two to the printed total is the one it is checked against, so that one
  // rounded subtotal does not make every total above it look rounded too.
  // Kept per sum line only (a sum's place among the sums: sumAt).
  const exact = lineNumbers(sums, NaN, Float64Array, 2);
  const partsSum = lineNumbers(sums, NaN, Float64Array, 3);
  /** Of what the parts add up to, read two ways, the one nearer the printed total. */
  const nearer = (printed: number, a: number, b: number): number =>
    printed === printed && Math.abs(printed - b) < Math.abs(printed - a) ? b : a;
  /** Whether a line of known kind is entered against its kind's sign on both figures. */
  const contrary = (i: number): boolean => {
    if (!natureIsKnown(table.lineArrays, i) || nature[i] === RESULT) return false;
    const want = nature[i] === COST ? -1 : 1;
    const sb = factor[i] * budget[i];
    const sc = factor[i] * comparison[i];
    return sb !== 0 && sc !== 0 && Math.sign(sb) === -want && Math.sign(sc) === -want;
  };
  /** Per sum, by its place: 1 once it is being worked out. */
  const done = new Uint8Array(sums);
  /** Works out a sum, unless one of its parts is a sum not yet begun (false: nothing is written). */
  const computeSum = (i: number): boolean => {
    const parts = partsOf[i];
    const f = factor[i];
    const ownB = cents[3 * i];
    const ownC = cents[3 * i + 1];
    const ownD = cents[3 * i + 2];
    const s = sumAt[i];
    let b = 0;
    let c = 0;
    let exactB = 0;
    let exactC = 0;
    let d = 0;
    /** Whether no part has a figure in budget or comparison (a section's own lines in a table of totals). */
    let blank = true;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      const sp = sumAt[p];
      if (sp >= 0) {
        if (done[sp] === 0) return false;
        blank = false;
      } else if (state[3 * p] !== EMPTY || state[3 * p + 1] !== EMPTY) blank = false;
      const fp = factor[p];
      b += fp * budget[p];
      c += fp * comparison[p];
      exactB += fp * (sp < 0 ? budget[p] : exact[2 * sp]);
      exactC += fp * (sp < 0 ? comparison[p] : exact[2 * sp + 1]);
      d += deviation[p];
    }
    // A part of known kind entered against the convention on both figures (a cost entered negative
    // among costs entered positive) may be a signed amount: where the total adds up only when it
    // is taken as entered, it is, and its deviation is reckoned as such.
    if (!blank && ownB === ownB && ownC === ownC) {
      const tolerance = totalTolerance(parts.length, step, lineStep(cents, i));
      if (Math.abs(ownB - f * b) > tolerance || Math.abs(ownC - f * c) > tolerance) {
        const flips = parts.filter((p) => sumAt[p] < 0 && contrary(p));
        let flipB = 0;
        let flipC = 0;
        for (const p of flips) {
          flipB += factor[p] * budget[p];
          flipC += factor[p] * comparison[p];
        }
        if (
          flips.length > 0 &&
          Math.abs(ownB - f * (b - 2 * flipB)) <= tolerance &&
          Math.abs(ownC - f * (c - 2 * flipC)) <= tolerance
        ) {
          for (const p of flips) {
            factor[p] = -factor[p];
            d -= deviation[p];
            deviation[p] = ownDeviation(p, devTolerance);
            d += deviation[p];
          }
          b -= 2 * flipB;
          c -= 2 * flipC;
          exactB -= 2 * flipB;
          exactC -= 2 * flipC;
        }
      }
    }
    // Parts with no figures in these columns give the total nothing to add up: its own figures stand.
    if (blank && (ownB === ownB || ownC === ownC)) {
      budget[i] = partsSum[3 * s] = ownB === ownB ? ownB : 0;
      comparison[i] = partsSum[3 * s + 1] = ownC === ownC ? ownC : 0;
      exact[2 * s] = budget[i];
      exact[2 * s + 1] = comparison[i];
      deviation[i] = partsSum[3 * s + 2] = ownDeviation(i, devTolerance);
      return true;
    }
    exact[2 * s] = f * exactB;
    exact[2 * s + 1] = f * exactC;
    const sumB = nearer(ownB, f * b, f * exactB);
    const sumC = nearer(ownC, f * c, f * exactC);
    partsSum[3 * s] = sumB;
    partsSum[3 * s + 1] = sumC;
    const ownStep = lineStep(cents, i);
    const tolerance = totalTolerance(parts.length, step, ownStep);
    budget[i] = ownB === ownB && Math.abs(ownB - sumB) <= tolerance ? ownB : f * b;
    comparison[i] = ownC === ownC && Math.abs(ownC - sumC) <= tolerance ? ownC : f * c;
    // The deviation of a total is the sum of its parts' deviations, or its own figures' difference.
    const sumD = nearer(ownD, d, f * (comparison[i] - budget[i]));
    partsSum[3 * s + 2] = sumD;
    // Its parts' rounding, or its own where it is printed coarser than they are. Parts without
    // figures add no rounding: the total's deviation is then allowed what any line's is, as it is
    // once its own figures are filled in.
    const devTol = blank
      ? devTolerance
      : Math.max(
          devTolerance === 0
            ? sumTolerance(parts.length, step)
            : Math.max(devTolerance, sumTolerance(parts.length + 1, step)),
          ownStep > step ? deviationTolerance(ownStep, entered.exact) : 0,
        );
    // A total kept as printed has the deviation its own figures show; otherwise its parts' sum.
    const keptPrinted = budget[i] !== f * b || comparison[i] !== f * c;
    deviation[i] =
      ownD === ownD && Math.abs(ownD - sumD) <= devTol ? ownD : keptPrinted ? f * (comparison[i] - budget[i]) : d;
    return true;
  };
  // Parts before their sum: where a sum stands above a part that is a sum (a total above its
  // parts), that part is worked out first. A sum met again while it is being worked out (through
  // circular formulas) is read as it stands: unknown. Every other line is already worked out.
  dependenciesFirst(
    n,
    (i) => {
      if (kind[i] !== SUM) return true;
      done[sumAt[i]] = 1;
      return computeSum(i);
    },
    (i) => partsOf[i],
    computeSum,
    sumLines,
  );
  // A disposition under the balance requirement (realisationsvinster taken out, a reservation to
  // the result equalisation reserve) that the budget leaves empty was decided after the year, not
  // budgeted: it is not compared with a budget. A total above it that prints a budget counts it as
  // zero; a total right above it whose budget is left empty too has no budget to compare with.
  for (const i of dispositions) deviation[i] = NaN;
  const disposition = dispositions.length > 0 ? new Set(dispositions) : null;
  for (let s = 0; s < sums && disposition; s++) {
    const i = sumLines[s];
    if (state[3 * i] !== EMPTY || state[3 * i + 2] !== EMPTY) continue;
    if (partsOf[i].some((p) => disposition.has(p))) budget[i] = deviation[i] = NaN;
  }
  return { factor, budget, comparison, deviation, sumAt, partsSum };
}

const DISPOSITION_IDS = new Set(["balanskravsjusteringar", "resultatutjamningsreserv"]);

/** A line of the balance requirement's reconciliation below the result, by its template line or its words. */
function isDisposition(table: Table, i: number): boolean {
  const lines = table.lineArrays;
  const m = lines.lineIndex[i];
  if (m >= 0 && DISPOSITION_IDS.has(table.template.template.lines[m].id)) return true;
  return /balanskrav|resultatutjämningsreserv|\brur\b/i.test(lines.label[i]);
}
