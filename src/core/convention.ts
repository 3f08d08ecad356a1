import { deviationTolerance } from "./rounding";
import type { Signs } from "./recompute";
import { NATURES, SUM, type Lines } from "./structure";
import type { Convention, Nature } from "./types";

/**
 * Pass 5, the sign convention: how the sheet enters revenue and costs, and so how a deviation is
 * reckoned. In every convention a negative deviation is unfavourable.
 *
 * | convention   | revenue | costs, net cost | deviation                                        |
 * | result       | +       | −               | comparison − budget                              |
 * | ledger       | −       | +               | budget − comparison                              |
 * | presentation | +       | +               | revenue, result: comparison − budget; costs: budget − comparison |
 */

export const CONVENTIONS: readonly Convention[] = ["result", "ledger", "presentation"];

/** The names `--convention` and the pane accept, the two older ones included. */
export function conventionFromName(name: string): Convention | null {
  switch (name) {
    case "result":
    case "costs-negative":
      return "result";
    case "ledger":
      return "ledger";
    case "presentation":
    case "costs-positive":
      return "presentation";
    default:
      return null;
  }
}

/** +1 or −1: a line's figures times this are signed amounts (revenue positive, costs negative), and its deviation is this times (comparison − budget). */
export function signFactor(convention: Convention, nature: Nature): 1 | -1 {
  if (convention === "result") return 1;
  if (convention === "ledger") return -1;
  return nature === "cost" ? -1 : 1;
}

/** What the convention was decided on. */
export type ConventionBasis = "given" | "line-signs" | "deviation-column" | "header-words" | "assumed";

export interface ConventionEvidence {
  basis: ConventionBasis;
  /** For line signs: figures of lines of known kind that agree with the convention, and that do not; for the deviation column: its lines that agree, and that do not. */
  agree: number;
  disagree: number;
  /** Conventions that reckon every line of this sheet the same way as the one chosen. */
  alike: Convention[];
  /** The header or title words that decided, for "header-words". */
  words?: string;
}

export interface ConventionInput {
  lines: Lines;
  /** Entered amounts in hundredths (NaN: none): line i's budget at 3i, comparison at 3i + 1, deviation at 3i + 2. */
  cents: ArrayLike<number>;
  /** How the figures of lines of known kind are signed (see Entered). */
  signs: Signs;
  /** The smallest step the sheet's figures are printed in, in hundredths (100 for whole units). */
  step: number;
  /** Whether hundredths are exact amounts (see Entered). */
  exact: boolean;
  headerTexts: readonly string[];
  given?: Convention;
}

export interface ConventionDecision {
  convention: Convention;
  evidence: ConventionEvidence;
}

/** Of conventions the evidence cannot tell apart: the reference report's, then the annual reports', then the ledger's. */
function preferred(conventions: readonly Convention[]): Convention {
  return conventions.includes("result")
    ? "result"
    : conventions.includes("presentation")
      ? "presentation"
      : conventions[0];
}

/** Whether two conventions reckon every line of a sheet with these natures the same (ledger and presentation do on a sheet of costs only). */
function reckonAlike(a: Convention, b: Convention, natures: ReadonlySet<Nature>): boolean {
  for (const n of natures) if (signFactor(a, n) !== signFactor(b, n)) return false;
  return true;
}

/**
 * Decides the convention from the evidence in the sheet, strongest first: the user's choice; the
 * signs of lines whose kind is known (by template, by their words, activities as net costs); where
 * those leave it open, an entered deviation column that agrees with one convention; then the words
 * of the title and headers. What is left is assumed, and said to be.
 */
export function decideConvention(input: ConventionInput): ConventionDecision {
  const { lines } = input;
  const n = lines.count;
  const natures = lines.natures;
  const alikeTo = (c: Convention): Convention[] => CONVENTIONS.filter((o) => o !== c && reckonAlike(c, o, natures));
  if (input.given) {
    return { convention: input.given, evidence: { basis: "given", agree: 0, disagree: 0, alike: [] } };
  }

  // The signs of lines of known kind; sums are made of them and add nothing.
  // A cost entered negative fits the result convention, positive the ledger and presentation ones;
  // revenue entered positive fits result and presentation, negative the ledger.
  const { costNegative, costPositive, revenuePositive, revenueNegative } = input.signs;
  const { kind, nature } = lines;
  const cents = input.cents;
  const score: Record<Convention, number> = {
    result: costNegative + revenuePositive,
    ledger: costPositive + revenueNegative,
    presentation: costPositive + revenuePositive,
  };
  const figures = costNegative + costPositive + revenuePositive + revenueNegative;
  let candidates: Convention[] = [...CONVENTIONS];
  if (figures > 0) {
    const best = Math.max(...CONVENTIONS.map((c) => score[c]));
    const leaders = CONVENTIONS.filter((c) => score[c] === best);
    // Signs decide when most of them agree; a line typed with the wrong sign is then a finding.
    if (best * 3 >= figures * 2) {
      const lead = leaders[0];
      if (leaders.length === 1 || leaders.every((c) => reckonAlike(lead, c, natures))) {
        const chosen = preferred(leaders);
        return {
          convention: chosen,
          evidence: { basis: "line-signs", agree: best, disagree: figures - best, alike: alikeTo(chosen) },
        };
      }
      candidates = leaders;
    }
  }

  // An entered deviation column that agrees with one of them.
  const tolerance = deviationTolerance(input.step, input.exact);
  const agree: Record<Convention, number> = { result: 0, ledger: 0, presentation: 0 };
  let checked = 0;
  for (let i = 0; i < n; i++) {
    const b = cents[3 * i];
    const c = cents[3 * i + 1];
    const d = cents[3 * i + 2];
    if (kind[i] === SUM || b !== b || c !== c || d !== d || c === b) continue;
    checked++;
    const lineNature = NATURES[nature[i]];
    for (const conv of candidates) if (Math.abs(d - signFactor(conv, lineNature) * (c - b)) <= tolerance) agree[conv]++;
  }
  if (checked > 0) {
    const best = Math.max(...candidates.map((c) => agree[c]));
    const leaders = candidates.filter((c) => agree[c] === best);
    if (best * 2 >= checked && (leaders.length === 1 || leaders.every((c) => reckonAlike(leaders[0], c, natures)))) {
      const chosen = preferred(leaders);
      return {
        convention: chosen,
        evidence: { basis: "deviation-column", agree: best, disagree: checked - best, alike: alikeTo(chosen) },
      };
    }
    if (best > 0) candidates = leaders;
  }

  // The words of the title and the headers.
  const text = input.headerTexts.join(" ").toLowerCase();
  const word = /nettokostnad/.exec(text)?.[0] ?? /intäkt/.exec(text)?.[0];
  if (word) {
    const fits: Convention[] = word === "nettokostnad" ? ["ledger", "presentation"] : ["result", "presentation"];
    const left = candidates.filter((c) => fits.includes(c));
    if (left.length > 0 && left.length < candidates.length) {
      const chosen = preferred(left);
      return {
        convention: chosen,
        evidence: { basis: "header-words", agree: 0, disagree: 0, alike: alikeTo(chosen), words: word },
      };
    }
  }
  const chosen = preferred(candidates);
  return { convention: chosen, evidence: { basis: "assumed", agree: 0, disagree: 0, alike: alikeTo(chosen) } };
}
