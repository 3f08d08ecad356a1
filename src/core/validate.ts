import { gridAddresses } from "./address";
import { signFactor } from "./convention";
import type { Table } from "./detect";
import { EMPTY, ERROR, NUMBER, TEXT_NUMBER, UNCALCULATED } from "./figures";
import { message, rowList, WORDS } from "./messages";
import { formatAmount } from "./numbers";
import type { LineNumbers } from "./arrays";
import type { Entered, Recomputed } from "./recompute";
import { deviationTolerance, totalTolerance, lineStep } from "./rounding";
import { COST, natureIsKnown, RESULT, SUM, UNKNOWN } from "./structure";
import { sumFormulaProblem } from "./terms";
import type { Convention, Finding, FindingCode, Grid, Lang } from "./types";

/**
 * Pass 7, validate: what is wrong in the sheet (each finding at its cell), and which deviations
 * are unfavourable enough to flag.
 */

export interface ValidateOptions {
  lang?: Lang;
  /** Flag only deviations at least this large, in the sheet's unit. */
  thresholdAmount?: number;
  /** Flag only deviations at least this large, in percent of the budget. */
  thresholdPercent?: number;
}

export interface Validation {
  findings: Finding[];
  /** Per line: 1 when its deviation is flagged. */
  flagged: LineNumbers;
}

/** The deviation in percent of the budget (null when the budget is zero or missing). */
export function percentOfBudget(deviation: number, budget: number): number | null {
  return budget === budget && budget !== 0 ? (deviation / Math.abs(budget)) * 100 : null;
}

/** Pass 7: the findings and flags of a recomputed table. */
export function validate(
  grid: Grid,
  table: Table,
  entered: Entered,
  computed: Recomputed,
  convention: Convention,
  options: ValidateOptions = {},
): Validation {
  const lang = options.lang ?? "sv";
  const w = WORDS[lang];
  const { origin } = table;
  const lines = table.lineArrays;
  const n = lines.count;
  const addr = gridAddresses(origin);
  const { state, cents, step, exact, cols } = entered;
  const { factor, budget, comparison, deviation } = computed;
  const comparisonWord = table.comparisonKind === "forecast" ? w.forecast : w.outcome;
  const columnWords = [w.budget, comparisonWord, w.deviation];
  const devRule =
    table.comparisonKind === "forecast" ? [w.ruleForecast, w.ruleBudget] : [w.ruleOutcome, w.ruleBudgetOutcome];
  const findings: Finding[] = [];
  const push = (
    code: FindingCode,
    severity: Finding["severity"],
    cell: string,
    params: Record<string, string | number>,
  ) => findings.push({ code, severity, cell, message: message(lang, code, params) });
  const fmt = (c: number): string => formatAmount(c, entered.decimals);
  const labelOf = (i: number): string => lines.label[i] || addr(lines.row[i], table.labelCol);
  const at = (i: number, col: number): string => addr(lines.row[i], col);
  const cellOf = (i: number, k: number) => grid.cells[lines.row[i]]?.[cols[k]];
  const signWord = (nature: "cost" | "revenue"): string => {
    const positive = signFactor(convention, nature) === (nature === "cost" ? -1 : 1);
    return nature === "cost"
      ? positive
        ? w.costPositive
        : w.costNegative
      : positive
        ? w.revenuePositive
        : w.revenueNegative;
  };

  /** Per grid row: 1 + the index of the line on it, or 0 (made when a sum formula is first read). */
  let lineAt: Int32Array | undefined;
  const devTolerance = deviationTolerance(step, exact);
  /** Lines whose entered deviation differs beyond rounding; how many non-zero ones agree, and how many are reversed. */
  const deviationsOff: number[] = [];
  /** Lines whose printed deviation stands because only rounding tells it from the recomputed one. */
  const roundedDeviations: number[] = [];
  let agreeing = 0;
  let reversed = 0;
  // Flags: negative deviations, above the thresholds (marked in the same pass as the findings).
  const minCents = Math.round((options.thresholdAmount ?? 0) * 100);
  const minPercent = options.thresholdPercent ?? 0;
  const flagged = new Uint8Array(n);
  const costSign = signFactor(convention, "cost");
  const revenueSign = signFactor(convention, "revenue");
  const unfavourable = (i: number): boolean => {
    const d = deviation[i];
    if (!(d < 0) || -d < minCents) return false;
    const percent = minPercent > 0 ? percentOfBudget(d, budget[i]) : null;
    return percent === null || -percent >= minPercent;
  };
  for (let i = 0; i < n; i++) {
    if (unfavourable(i)) flagged[i] = 1;
    const base = 3 * i;
    const kind = lines.kind[i];
    // Cells that hold something other than a number or nothing (states above NUMBER; most lines have none).
    const odd = state[base] > NUMBER || state[base + 1] > NUMBER || state[base + 2] > NUMBER;
    for (let k = 0; k < 3 && odd; k++) {
      const s = state[base + k];
      if (s === EMPTY || s === NUMBER) continue;
      const value = cellOf(i, k)!.v;
      const params = { line: labelOf(i), column: columnWords[k] };
      if (s === ERROR) {
        push("formula-error", "error", at(i, cols[k]), { ...params, error: (value as { error: string }).error });
      } else if (s === TEXT_NUMBER) {
        push("text-number", "warning", at(i, cols[k]), { ...params, text: String(value), value: fmt(cents[base + k]) });
      } else if (s === UNCALCULATED) {
        push("uncalculated", "error", at(i, cols[k]), { ...params, formula: cellOf(i, k)!.f! });
      } else {
        push("not-a-number", "error", at(i, cols[k]), { ...params, text: String(value) });
      }
    }
    if (kind !== SUM) {
      const s0 = state[base];
      const s1 = state[base + 1];
      if (budget[i] === budget[i] && s1 === EMPTY && s0 !== EMPTY) {
        push("missing-value", "error", at(i, cols[1]), {
          line: labelOf(i),
          present: w.budget,
          missing: comparisonWord,
        });
      } else if (comparison[i] === comparison[i] && deviation[i] === deviation[i] && s0 === EMPTY && s1 !== EMPTY) {
        // A disposition the budget leaves empty has no deviation: it is not compared, so it is not
        // reckoned against zero either.
        push("missing-value", "warning", at(i, cols[0]), {
          line: labelOf(i),
          present: comparisonWord,
          missing: w.budget,
          zero: "yes",
        });
      }
      // A figure whose sign contradicts the convention, on a line whose kind is known.
      const nature = lines.nature[i];
      if (natureIsKnown(lines, i) && nature !== RESULT) {
        // Against the convention's sign, even where a total takes the line as entered.
        const conventional = nature === COST ? costSign : revenueSign;
        for (let k = 0; k < 2; k++) {
          const c = k === 0 ? budget[i] : comparison[i];
          if (c !== c || c === 0) continue;
          const signed = conventional * c;
          if (nature === COST ? signed > 0 : signed < 0) {
            push("sign", "warning", at(i, cols[k]), {
              line: labelOf(i),
              column: columnWords[k],
              value: fmt(c),
              expected: signWord(nature === COST ? "cost" : "revenue"),
            });
          }
        }
      }
    } else {
      const parts = lines.parts[i];
      const tolerance = totalTolerance(parts.length, step, lineStep(cents, i));
      for (let k = 0; k < 2; k++) {
        const printed = cents[base + k];
        const computedValue = computed.partsSum[3 * computed.sumAt[i] + k];
        if (printed !== printed || computedValue !== computedValue) continue;
        const diff = printed - computedValue;
        if (diff === 0) continue;
        const params = {
          line: labelOf(i),
          column: columnWords[k],
          entered: fmt(printed),
          computed: fmt(computedValue),
          diff: fmt(diff),
        };
        if (Math.abs(diff) > tolerance) push("total-mismatch", "error", at(i, cols[k]), params);
        else push("rounding-difference", "info", at(i, cols[k]), params);
      }
      // Sum formulas that leave out a part or take in a line that is not one.
      for (let k = 0; k < 3; k++) {
        const formula = cellOf(i, k)?.f;
        if (!formula) continue;
        if (!lineAt) {
          lineAt = new Int32Array(grid.cells.length);
          for (let j = 0; j < n; j++) lineAt[lines.row[j]] = j + 1;
        }
        const problem = sumFormulaProblem(table, i, cols[k], formula, factor, k === 2, grid, lineAt, lang);
        if (problem) push("sum-range-incomplete", "error", at(i, cols[k]), { line: labelOf(i), formula, problem });
      }
      const reading = table.readings.get(i);
      if (reading) {
        const rows = parts.map((p) => origin.row + lines.row[p] + 1);
        push("sum-reading", "info", at(i, table.labelCol), {
          line: labelOf(i),
          rows: `${w.row} ${rowList(rows)}`,
          other: `${w.row} ${rowList(reading.map((r) => origin.row + r + 1))}`,
        });
      }
    }
    // The entered deviation against the recomputed one, within rounding.
    const printed = cents[base + 2];
    const own = factor[i] * (comparison[i] - budget[i]);
    if (state[base + 2] !== EMPTY && printed === printed && deviation[i] === deviation[i]) {
      if (printed !== 0 && own === own && own !== 0) {
        if (Math.abs(printed - own) <= devTolerance) agreeing++;
        else if (Math.abs(printed + own) <= devTolerance) reversed++;
      }
      if (printed !== deviation[i]) deviationsOff.push(i);
      else {
        const reckoned = kind === SUM ? computed.partsSum[3 * computed.sumAt[i] + 2] : own;
        if (reckoned === reckoned && reckoned !== printed) roundedDeviations.push(i);
      }
    }
    if (kind === UNKNOWN) {
      const duplicateOf = lines.duplicateOf[i];
      const partOf = lines.partOf[i];
      push("unknown-line", "warning", at(i, table.labelCol), {
        line: labelOf(i),
        template: table.template.template.name,
        duplicateRow: duplicateOf >= 0 ? origin.row + lines.row[duplicateOf] + 1 : "",
        sum: partOf >= 0 ? lines.label[partOf] : "",
      });
    }
  }

  // A deviation column reckoned the other way round on every line is one finding, not one per line.
  if (reversed >= 2 && agreeing === 0 && reversed === deviationsOff.length) {
    push("deviation-mismatch", "error", addr(table.headerRow, cols[2]), {
      line: table.deviation.header,
      reversed: "yes",
      rule: conventionRule(convention, w, devRule),
    });
  } else {
    for (const i of deviationsOff) {
      const printed = cents[3 * i + 2];
      const diff = printed - deviation[i];
      push("deviation-mismatch", "error", at(i, cols[2]), {
        line: labelOf(i),
        entered: fmt(printed),
        computed: fmt(deviation[i]),
        diff: fmt(diff),
        rule: factor[i] === 1 ? devRule[0] : devRule[1],
        column: w.deviation,
      });
    }
  }
  // Deviations kept as printed because only rounding tells them from the recomputed ones.
  for (const i of roundedDeviations) {
    const printed = cents[3 * i + 2];
    const sum = lines.kind[i] === SUM;
    const reckoned = sum ? computed.partsSum[3 * computed.sumAt[i] + 2] : factor[i] * (comparison[i] - budget[i]);
    const params: Record<string, string> = {
      line: labelOf(i),
      column: w.deviation,
      entered: fmt(printed),
      computed: fmt(reckoned),
      diff: fmt(printed - reckoned),
    };
    if (!sum) params.rule = factor[i] === 1 ? devRule[0] : devRule[1];
    push("rounding-difference", "info", at(i, cols[2]), params);
  }

  const balance = table.template.template.balanceLine;
  if (balance !== undefined) {
    const k = table.template.template.lines.findIndex((l) => l.id === balance);
    let i = -1;
    for (let j = 0; j < n && i < 0 && k >= 0; j++) if (lines.lineIndex[j] === k && lines.duplicateOf[j] < 0) i = j;
    if (i >= 0 && factor[i] * comparison[i] < 0) {
      push("not-balanced", "warning", addr(lines.row[i], cols[1]), {
        line: lines.label[i],
        column: comparisonWord,
        value: fmt(comparison[i]),
      });
    }
  }
  if (table.secondTableRow !== undefined) {
    push("second-table", "info", addr(table.secondTableRow, table.labelCol), {
      row: origin.row + table.secondTableRow + 1,
    });
  }

  return { findings, flagged };
}

/** How the deviation is reckoned in a convention, in words. */
function conventionRule(convention: Convention, w: (typeof WORDS)[Lang], devRule: string[]): string {
  if (convention === "result") return devRule[0];
  if (convention === "ledger") return devRule[1];
  return `${devRule[0]} ${w.forRevenue}, ${devRule[1]} ${w.forCosts}`;
}
