import { columnName, gridAddresses } from "./address";
import { isEmptyCell, type Table, type TableLine } from "./detect";
import { additiveTerms, formulaFromTerms, type Term } from "./formula";
import { message, WORDS } from "./messages";
import { formatAmount, fromCents, parseAmount, toCents } from "./numbers";
import type { CellValue, Convention, Finding, FindingCode, Grid, GridCell, Lang, Nature } from "./types";

/**
 * Recomputes a detected table: every deviation, every sum line from its parts (for budget,
 * comparison and deviation), and the findings and flags that follow.
 */

export interface CheckOptions {
  lang?: Lang;
  /** Use this sign convention instead of detecting it. */
  convention?: Convention;
  /** Flag only deviations at least this large, in the sheet's unit. */
  thresholdAmount?: number;
  /** Flag only deviations at least this large, in percent of the budget. */
  thresholdPercent?: number;
}

export type FigureState = "empty" | "number" | "text-number" | "not-a-number" | "error" | "date" | "uncalculated";

/** What a figure cell holds. `cents` is null when it holds no usable amount. */
export interface Figure {
  state: FigureState;
  cents: number | null;
  value: CellValue;
  formula?: string;
  numberFormat?: string;
}

export type Column3 = "budget" | "comparison" | "deviation";

export interface ReportLine {
  label: string;
  /** The sheet row, 1-based as Excel shows it. */
  row: number;
  kind: TableLine["kind"];
  lineId: string | null;
  nature: Nature;
  /** Recomputed figures in the sheet's unit (null: no usable figure). */
  budget: number | null;
  comparison: number | null;
  deviation: number | null;
  cells: Record<Column3 | "label", string>;
  entered: Record<Column3, Figure>;
  flagged: boolean;
}

export interface Flag {
  label: string;
  cell: string;
  row: number;
  deviation: number;
  /** The deviation in percent of the budget (null when the budget is zero). */
  percent: number | null;
}

/** The internal state the write plan is made from. */
export interface Computed {
  grid: Grid;
  table: Table;
  convention: Convention;
  /** Per line: +1, or -1 for a cost line of a costs-positive sheet. */
  factor: LineNumbers;
  /** Recomputed amounts in hundredths as the sheet shows them; NaN when there is none. */
  budget: LineNumbers;
  comparison: LineNumbers;
  deviation: LineNumbers;
  /** Per line: 1 when its deviation is flagged. */
  flagged: LineNumbers;
  /** What a line's budget (k 0), comparison (1) or deviation (2) cell holds. */
  figure(i: number, k: 0 | 1 | 2): Figure;
}

export interface Report {
  sheet: string;
  unit: string | null;
  convention: Convention;
  /** True when the convention was detected from the figures, false when given or assumed. */
  conventionDetected: boolean;
  template: { id: string; name: string };
  columns: { label: string; budget: string; comparison: string; deviation: string };
  headers: { budget: string; comparison: string; deviation: string };
  deviationProposed: boolean;
  comparisonKind: "forecast" | "outcome";
  otherComparisons: { column: string; header: string }[];
  /** Every line, recomputed (made when first read). */
  readonly lines: ReportLine[];
  /** Lines with a negative deviation, most negative first (made when first read). */
  readonly flags: Flag[];
  findings: Finding[];
  counts: Record<"error" | "warning" | "info", number>;
  computed: Computed;
}

const DATE_FORMAT = /(^|[^"\\])[dmyå]{1,4}[-/. ][dmyå]{1,4}|yyyy|åååå/i;

const STATES: readonly FigureState[] = [
  "empty",
  "number",
  "text-number",
  "not-a-number",
  "error",
  "date",
  "uncalculated",
];
const EMPTY = 0;
const NUMBER = 1;
const TEXT_NUMBER = 2;
const NOT_A_NUMBER = 3;
const ERROR = 4;
const DATE = 5;
/** A formula whose value was never computed (a file saved by a program that does not calculate). */
const UNCALCULATED = 6;

const dateFormats = new Map<string, boolean>();
/** Whether a number format shows a date or a time. */
export function isDateFormat(z: string): boolean {
  let d = dateFormats.get(z);
  if (d === undefined) {
    d = DATE_FORMAT.test(z);
    dateFormats.set(z, d);
  }
  return d;
}

/** The amount of the cell last classified (NaN when it has none). */
let classifiedCents = NaN;

/** Classifies a figure cell without allocating; the amount is left in `classifiedCents`. */
function classify(cell: GridCell | null | undefined): number {
  classifiedCents = NaN;
  if (!cell) return EMPTY;
  const v = cell.v;
  if (typeof v === "number") {
    if (cell.z !== undefined && isDateFormat(cell.z)) return DATE;
    classifiedCents = toCents(v);
    return classifiedCents === classifiedCents ? NUMBER : NOT_A_NUMBER;
  }
  if (v === null || v === "" || v === undefined) return cell.f ? UNCALCULATED : EMPTY;
  if (typeof v === "string") {
    const p = parseAmount(v);
    if (!p.ok) return NOT_A_NUMBER;
    classifiedCents = p.cents;
    return TEXT_NUMBER;
  }
  if (typeof v === "boolean") return NOT_A_NUMBER;
  return ERROR;
}

export function readFigure(cell: GridCell | null | undefined): Figure {
  const state = classify(cell);
  return {
    state: STATES[state],
    cents: classifiedCents === classifiedCents ? classifiedCents : null,
    value: cell ? cell.v : null,
    formula: cell?.f,
    numberFormat: cell?.z,
  };
}

/** A line of the report; where its cells are and what they held are worked out when asked. */
class Line implements ReportLine {
  constructor(
    readonly label: string,
    readonly row: number,
    readonly kind: TableLine["kind"],
    readonly lineId: string | null,
    readonly nature: Nature,
    readonly budget: number | null,
    readonly comparison: number | null,
    readonly deviation: number | null,
    readonly flagged: boolean,
    private readonly at: { letters: Record<Column3 | "label", string>; computed: Computed },
    private readonly index: number,
  ) {}
  get cells(): Record<Column3 | "label", string> {
    const l = this.at.letters;
    return {
      label: l.label + this.row,
      budget: l.budget + this.row,
      comparison: l.comparison + this.row,
      deviation: l.deviation + this.row,
    };
  }
  get entered(): Record<Column3, Figure> {
    const c = this.at.computed;
    const i = this.index;
    return { budget: c.figure(i, 0), comparison: c.figure(i, 1), deviation: c.figure(i, 2) };
  }
  toJSON(): object {
    const { label, row, kind, lineId, nature, budget, comparison, deviation, flagged } = this;
    return { label, row, kind, lineId, nature, budget, comparison, deviation, flagged };
  }
}

const NATURES: readonly Nature[] = ["revenue", "cost", "result"];
const NATURE_CODE: Record<Nature, number> = { revenue: 0, cost: 1, result: 2 };
const COST = 1;
const RESULT = 2;
const INPUT = 0;
const SUM = 1;
const UNKNOWN = 2;
const HAS_LINE = 1 << 13;
/** A sum line already computed. */
const DONE = 1 << 14;

const COST_WORDS = /kostnad|hyr|köp|lön|personal|avskrivning|utgift|förbrukning|material/;
const REVENUE_WORDS = /intäkt|bidrag|avgift|ersättning|försäljning|skatt|inkomst/;

function guessNature(label: string): Nature | null {
  const l = label.toLocaleLowerCase("sv");
  if (COST_WORDS.test(l)) return "cost";
  if (REVENUE_WORDS.test(l)) return "revenue";
  return null;
}

/**
 * Per-line numbers. Typed arrays are the fastest to fill and read, but their memory lives outside
 * the JavaScript heap, and on a sheet of hundreds of thousands of lines allocating tens of
 * megabytes there makes V8 collect the whole heap (the grid with it) on nearly every check. Large
 * sheets therefore get plain arrays, which the heap's own growth accounts for.
 */
export type LineNumbers = Float64Array | Uint16Array | Int8Array | Uint8Array | number[];
const TYPED_UP_TO = 200_000;

function numbers(n: number, fill: number, Typed: new (n: number) => Exclude<LineNumbers, number[]>): LineNumbers {
  if (n > TYPED_UP_TO) return new Array<number>(n).fill(fill);
  const a = new Typed(n);
  if (fill !== 0) a.fill(fill);
  return a;
}

export function checkTable(grid: Grid, table: Table, options: CheckOptions = {}): Report {
  const lang = options.lang ?? "sv";
  const w = WORDS[lang];
  const { lines } = table;
  const n = lines.length;
  const origin = table.origin;
  const addr = gridAddresses(origin);
  const cols: Record<Column3, number> = {
    budget: table.budget.col,
    comparison: table.comparison.col,
    deviation: table.deviation.col,
  };
  const comparisonWord = table.comparisonKind === "forecast" ? w.forecast : w.outcome;
  const columnWord: Record<Column3, string> = { budget: w.budget, comparison: comparisonWord, deviation: w.deviation };

  // Read every figure. `budget` and `comparison` take the entered amounts in hundredths (NaN:
  // none). `info` packs, per line, what the later passes need, so that they read arrays of numbers
  // rather than line objects: the three cells' states (bits 0–8), the nature (9–10), the kind
  // (11–12), whether a template line was matched (13) and, for sum lines, whether computed (14).
  const colOf = [cols.budget, cols.comparison, cols.deviation];
  // Up to TYPED_UP_TO lines, one buffer holds the three amounts of every line.
  const amounts = n <= TYPED_UP_TO ? new Float64Array(3 * n) : null;
  const budget = amounts ? amounts.subarray(0, n) : numbers(n, NaN, Float64Array);
  const comparison = amounts ? amounts.subarray(n, 2 * n) : numbers(n, NaN, Float64Array);
  const deviation = amounts ? amounts.subarray(2 * n).fill(NaN) : numbers(n, NaN, Float64Array);
  const info = numbers(n, 0, Uint16Array);
  let maxDecimals = 0;
  const note = (c: number): void => {
    if (maxDecimals < 2 && !Number.isInteger(c / 100) && c === c) {
      maxDecimals = Math.max(maxDecimals, Number.isInteger(c / 10) ? 1 : 2);
    }
  };
  // The sign convention: how the template's cost lines are entered.
  let negatives = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    const row = grid.cells[l.row];
    const s0 = classify(row ? row[colOf[0]] : undefined);
    const b = classifiedCents;
    budget[i] = b;
    note(b);
    const s1 = classify(row ? row[colOf[1]] : undefined);
    const c = classifiedCents;
    comparison[i] = c;
    note(c);
    const s2 = classify(row ? row[colOf[2]] : undefined);
    note(classifiedCents);
    const kind = l.kind === "input" ? INPUT : l.kind === "sum" ? SUM : UNKNOWN;
    let bits = s0 | (s1 << 3) | (s2 << 6) | (kind << 11);
    if (l.line !== null) {
      const nature = NATURE_CODE[l.line.nature];
      bits |= (nature << 9) | HAS_LINE;
      if (kind === INPUT && nature === COST) {
        if (b < 0) negatives++;
        else if (b > 0) positives++;
        if (c < 0) negatives++;
        else if (c > 0) positives++;
      }
    }
    info[i] = bits;
  }
  const conventionDetected = options.convention === undefined && negatives + positives > 0;
  const convention: Convention = options.convention ?? (positives > negatives ? "costs-positive" : "costs-negative");
  const stateOf = (i: number, k: number): number => (info[i] >> (3 * k)) & 7;
  const natureOf = (i: number): number => (info[i] >> 9) & 3;
  const kindOf = (i: number): number => (info[i] >> 11) & 3;
  const cellOf = (i: number, k: number): GridCell | null | undefined => grid.cells[lines[i].row]?.[colOf[k]];
  /** The amount a cell holds, read again (NaN: none). */
  const amountOf = (i: number, k: number): number => {
    classify(cellOf(i, k));
    return classifiedCents;
  };
  const figure = (i: number, k: 0 | 1 | 2): Figure => readFigure(cellOf(i, k));

  // Natures of lines no template knows, and sign factors (-1: a cost line entered positive).
  const factor = numbers(n, 1, Int8Array);
  for (let i = 0; i < n; i++) {
    if ((info[i] & HAS_LINE) === 0) {
      // A line no template knows: its words, else the sum it is part of, else its sign.
      const l = lines[i];
      const sum = l.partOf !== undefined ? lines[l.partOf].line?.nature : undefined;
      const nature =
        guessNature(l.label) ??
        (sum === "cost" || sum === "revenue" ? sum : undefined) ??
        (convention === "costs-negative" && budget[i] < 0 ? "cost" : "revenue");
      info[i] |= NATURE_CODE[nature] << 9;
    }
    if (convention === "costs-positive" && natureOf(i) === COST) factor[i] = -1;
  }

  // Recompute. An input line with neither figure counts as zero; with one of them it has no
  // deviation (NaN carries through).
  const sums: number[] = [];
  for (let i = 0; i < n; i++) {
    if (kindOf(i) === SUM) {
      sums.push(i);
      continue;
    }
    if ((info[i] & 63) === 0) {
      budget[i] = 0;
      comparison[i] = 0;
    }
    deviation[i] = factor[i] * (comparison[i] - budget[i]);
  }
  // Sum lines from their parts, in signed amounts; a part without a usable figure leaves the sum
  // unknown (NaN), never short. The entered figures are kept for the findings.
  const entered = numbers(2 * sums.length, NaN, Float64Array);
  sums.forEach((i, k) => {
    entered[2 * k] = budget[i];
    entered[2 * k + 1] = comparison[i];
  });
  const computeSum = (i: number): void => {
    let b = 0;
    let c = 0;
    for (const p of lines[i].parts) {
      if (kindOf(p) === SUM && (info[p] & DONE) === 0) computeSum(p);
      b += factor[p] * budget[p];
      c += factor[p] * comparison[p];
    }
    budget[i] = factor[i] * b;
    comparison[i] = factor[i] * c;
    deviation[i] = c - b;
    info[i] |= DONE;
  };
  for (const i of sums) if ((info[i] & DONE) === 0) computeSum(i);

  // Findings.
  const findings: Finding[] = [];
  const push = (
    code: FindingCode,
    severity: Finding["severity"],
    cell: string,
    params: Record<string, string | number>,
  ) => findings.push({ code, severity, cell, message: message(lang, code, params) });
  const fmt = (cents: number): string => formatAmount(cents, maxDecimals);
  const step = maxDecimals === 0 ? 100 : maxDecimals === 1 ? 10 : 1;
  const tolerance = (terms: number): number => (terms * step) / 2;
  const devRule =
    table.comparisonKind === "forecast" ? [w.ruleForecast, w.ruleBudget] : [w.ruleOutcome, w.ruleBudgetOutcome];
  const names: Column3[] = ["budget", "comparison", "deviation"];
  const labelOf = (i: number): string => lines[i].label || addr(lines[i].row, table.labelCol);
  const at = (i: number, col: number): string => addr(lines[i].row, col);

  let sumsSeen = 0;
  /** Per grid row: 1 + the index of the line on it, or 0 (made when a sum formula is first read). */
  let lineAt: Int32Array | undefined;
  /** Lines whose entered deviation differs; how many non-zero ones agree, and how many are reversed. */
  const deviationsOff: number[] = [];
  let agreeing = 0;
  let reversed = 0;
  for (let i = 0; i < n; i++) {
    const bits = info[i];
    const kind = kindOf(i);
    // Cells that hold something other than a number or nothing (a state above NUMBER, 1, has a
    // bit set beside the lowest of its three).
    if ((bits & 0b110110110) !== 0) {
      for (let k = 0; k < 3; k++) {
        const state = stateOf(i, k);
        if (state === EMPTY || state === NUMBER) continue;
        const column = columnWord[names[k]];
        const value = cellOf(i, k)!.v;
        const line = labelOf(i);
        if (state === ERROR) {
          push("formula-error", "error", at(i, colOf[k]), { line, column, error: (value as { error: string }).error });
        } else if (state === TEXT_NUMBER) {
          const text = String(value);
          push("text-number", "warning", at(i, colOf[k]), { line, column, text, value: fmt(amountOf(i, k)) });
        } else if (state === UNCALCULATED) {
          push("uncalculated", "error", at(i, colOf[k]), { line, column, formula: cellOf(i, k)!.f! });
        } else {
          push("not-a-number", "error", at(i, colOf[k]), { line, column, text: String(value) });
        }
      }
    }
    if (kind !== SUM) {
      const s0 = bits & 7;
      const s1 = (bits >> 3) & 7;
      if (budget[i] === budget[i] && s1 === EMPTY && s0 !== EMPTY) {
        push("missing-value", "error", at(i, cols.comparison), {
          line: labelOf(i),
          present: w.budget,
          missing: comparisonWord,
        });
      } else if (comparison[i] === comparison[i] && s0 === EMPTY && s1 !== EMPTY) {
        push("missing-value", "error", at(i, cols.budget), {
          line: labelOf(i),
          present: comparisonWord,
          missing: w.budget,
        });
      }
      const nature = natureOf(i);
      if ((bits & HAS_LINE) !== 0 && nature !== RESULT) {
        for (let k = 0; k < 2; k++) {
          const c = k === 0 ? budget[i] : comparison[i];
          if (c !== c || c === 0) continue;
          const signed = factor[i] * c;
          if (nature === COST ? signed > 0 : signed < 0) {
            push("sign", "warning", at(i, colOf[k]), {
              line: labelOf(i),
              column: columnWord[names[k]],
              value: fmt(c),
              expected:
                nature === COST
                  ? convention === "costs-negative"
                    ? w.costNegative
                    : w.costPositive
                  : w.revenuePositive,
            });
          }
        }
      }
    } else {
      const first = 2 * sumsSeen++;
      const parts = lines[i].parts.length;
      for (let k = 0; k < 2; k++) {
        const enteredValue = entered[first + k];
        const computedValue = k === 0 ? budget[i] : comparison[i];
        if (enteredValue !== enteredValue || computedValue !== computedValue) continue;
        const diff = enteredValue - computedValue;
        if (diff === 0) continue;
        const params = {
          line: labelOf(i),
          column: columnWord[names[k]],
          entered: fmt(enteredValue),
          computed: fmt(computedValue),
          diff: fmt(diff),
        };
        if (Math.abs(diff) > tolerance(parts)) push("total-mismatch", "error", at(i, colOf[k]), params);
        else push("rounding-difference", "info", at(i, colOf[k]), params);
      }
      // Sum formulas that leave out a part or take in a line that is not one.
      for (let k = 0; k < 3; k++) {
        const formula = cellOf(i, k)?.f;
        if (!formula) continue;
        if (!lineAt) {
          lineAt = new Int32Array(grid.cells.length);
          for (let j = 0; j < n; j++) lineAt[lines[j].row] = j + 1;
        }
        const problem = sumFormulaProblem(table, i, colOf[k], formula, factor, k === 2, grid, lineAt, lang);
        if (problem) push("sum-range-incomplete", "error", at(i, colOf[k]), { line: labelOf(i), formula, problem });
      }
    }
    // The entered deviation against the recomputed one: exact on an input line; on a sum line
    // within the rounding of its parts.
    if (((bits >> 6) & 7) !== EMPTY && deviation[i] === deviation[i]) {
      const enteredDeviation = amountOf(i, 2);
      if (enteredDeviation === enteredDeviation && enteredDeviation !== 0) {
        if (enteredDeviation === deviation[i]) agreeing++;
        else if (enteredDeviation === -deviation[i]) reversed++;
      }
      if (enteredDeviation === enteredDeviation && enteredDeviation !== deviation[i]) deviationsOff.push(i);
    }
    if (kind === UNKNOWN) {
      const l = lines[i];
      push("unknown-line", "warning", at(i, table.labelCol), {
        line: labelOf(i),
        template: table.template.template.name,
        duplicateRow: l.duplicateOf !== undefined ? origin.row + l.duplicateOf + 1 : "",
        sum: l.partOf !== undefined ? lines[l.partOf].label : "",
      });
    }
  }

  // A deviation column reckoned the other way round (budget − forecast) on every line is one
  // finding, not one per line.
  if (reversed >= 2 && agreeing === 0 && reversed === deviationsOff.length) {
    push("deviation-mismatch", "error", addr(table.headerRow, cols.deviation), {
      line: table.deviation.header,
      reversed: "yes",
      rule: devRule[0],
    });
  } else {
    for (const i of deviationsOff) {
      const enteredDeviation = amountOf(i, 2);
      const diff = enteredDeviation - deviation[i];
      const mismatch = kindOf(i) !== SUM || Math.abs(diff) > tolerance(lines[i].parts.length);
      push(
        mismatch ? "deviation-mismatch" : "rounding-difference",
        mismatch ? "error" : "info",
        at(i, cols.deviation),
        {
          line: labelOf(i),
          entered: fmt(enteredDeviation),
          computed: fmt(deviation[i]),
          diff: fmt(diff),
          rule: factor[i] === 1 ? devRule[0] : devRule[1],
          column: w.deviation,
        },
      );
    }
  }

  const balance = table.template.template.balanceLine;
  if (balance !== undefined) {
    const i = lines.findIndex((l) => l.line?.id === balance);
    if (i >= 0 && comparison[i] < 0) {
      push("not-balanced", "warning", addr(lines[i].row, cols.comparison), {
        line: lines[i].label,
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

  // Flags: negative deviations, above the thresholds, largest first.
  const minCents = Math.round((options.thresholdAmount ?? 0) * 100);
  const minPercent = options.thresholdPercent ?? 0;
  const flagged = numbers(n, 0, Uint8Array);
  const percentOf = (i: number): number | null => {
    const b = budget[i];
    return b === b && b !== 0 ? (deviation[i] / Math.abs(b)) * 100 : null;
  };
  for (let i = 0; i < n; i++) {
    const d = deviation[i];
    if (!(d < 0) || -d < minCents) continue;
    if (minPercent > 0) {
      const percent = percentOf(i);
      if (percent !== null && -percent < minPercent) continue;
    }
    flagged[i] = 1;
  }

  const letter = (c: number): string => columnName(origin.col + c);
  const letters = {
    label: letter(table.labelCol),
    budget: letter(cols.budget),
    comparison: letter(cols.comparison),
    deviation: letter(cols.deviation),
  };
  const computed: Computed = { grid, table, convention, factor, budget, comparison, deviation, flagged, figure };
  const shared = { letters, computed };
  const nullable = (x: number): number | null => (x === x ? fromCents(x) : null);
  // Lines and flags are made into objects when first asked for: the decisions above are the check.
  const makeLines = (): ReportLine[] => {
    const out: ReportLine[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const l = lines[i];
      out[i] = new Line(
        l.label,
        origin.row + l.row + 1,
        l.kind,
        l.line?.id ?? null,
        NATURES[natureOf(i)],
        nullable(budget[i]),
        nullable(comparison[i]),
        nullable(deviation[i]),
        flagged[i] === 1,
        shared,
        i,
      );
    }
    return out;
  };
  const makeFlags = (): Flag[] =>
    lines
      .map((_, i) => i)
      .filter((i) => flagged[i] === 1)
      .sort((a, b) => deviation[a] - deviation[b] || a - b)
      .map((i) => {
        const percent = percentOf(i);
        return {
          label: lines[i].label,
          cell: addr(lines[i].row, cols.deviation),
          row: origin.row + lines[i].row + 1,
          deviation: fromCents(deviation[i]),
          percent: percent === null ? null : Math.round(percent * 10) / 10,
        };
      });
  let reportLines: ReportLine[] | undefined;
  let flags: Flag[] | undefined;

  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    sheet: table.sheet,
    unit: table.unit,
    convention,
    conventionDetected,
    template: { id: table.template.template.id, name: table.template.template.name },
    columns: letters,
    headers: { budget: table.budget.header, comparison: table.comparison.header, deviation: table.deviation.header },
    deviationProposed: table.deviation.proposed,
    comparisonKind: table.comparisonKind,
    otherComparisons: table.otherComparisons.map((c) => ({ column: letter(c.col), header: c.header })),
    get lines(): ReportLine[] {
      return (reportLines ??= makeLines());
    },
    get flags(): Flag[] {
      return (flags ??= makeFlags());
    },
    findings,
    counts,
    computed,
  };
}

/**
 * The terms a sum line's formula must have in a column: its parts' cells, each with the sign that
 * turns it into the sum (in a costs-positive sheet, net cost = costs − revenue).
 */
export function expectedSumTerms(
  table: Table,
  i: number,
  col: number,
  factor: LineNumbers,
  deviationColumn: boolean,
): Term[] {
  const l = table.lines[i];
  return l.parts.map((p) => ({
    row: table.lines[p].row,
    col,
    sign: (deviationColumn ? 1 : factor[i] * factor[p]) as 1 | -1,
  }));
}

/** The terms of a line's own deviation formula: comparison − budget (or the reverse for costs entered positive). */
export function expectedDeviationTerms(table: Table, i: number, factor: LineNumbers): Term[] {
  const row = table.lines[i].row;
  const f = factor[i] as 1 | -1;
  return [
    { row, col: table.comparison.col, sign: f },
    { row, col: table.budget.col, sign: -f as 1 | -1 },
  ];
}

/** A cell as one number: columns stay below Excel's 16 384. */
function termKey(t: Term): number {
  return t.row * 16384 + t.col;
}

/** Adds up terms by cell, dropping cells that cancel out. */
function termMap(terms: Term[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const t of terms) {
    const k = termKey(t);
    m.set(k, (m.get(k) ?? 0) + t.sign);
  }
  for (const [k, v] of m) if (v === 0) m.delete(k);
  return m;
}

/** The terms' cells and signs as sorted numbers, or null when a cell comes twice (then they may cancel). */
function sortedTermKeys(terms: Term[]): number[] | null {
  const keys: number[] = [];
  for (let k = 0; k < terms.length; k++) keys.push(termKey(terms[k]) * 2 + (terms[k].sign > 0 ? 1 : 0));
  keys.sort((a, b) => a - b);
  for (let k = 1; k < keys.length; k++) if (Math.floor(keys[k] / 2) === Math.floor(keys[k - 1] / 2)) return null;
  return keys;
}

/** Whether two lists of terms add up the same cells with the same signs. */
function sameTermList(a: Term[], b: Term[]): boolean {
  if (a.length === b.length) {
    const x = sortedTermKeys(a);
    const y = sortedTermKeys(b);
    if (x !== null && y !== null) {
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
      return true;
    }
  }
  return sameTerms(termMap(a), termMap(b));
}

function sameTerms(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}

/**
 * The cells a formula adds up, in grid coordinates, or null when it is not a plain sum. With
 * `lineRows`, referenced cells that are empty and on no line (blank spacer rows inside a SUM
 * range) are left out.
 */
function formulaTerms(formula: string, grid: Grid, lineRows?: { has(row: number): boolean }): Term[] | null {
  const terms = additiveTerms(formula);
  if (terms === null) return null;
  // The terms are new objects, made for this call: moved to grid coordinates in place.
  const origin = grid.origin ?? { row: 0, col: 0 };
  if (origin.row !== 0 || origin.col !== 0) {
    for (const t of terms) {
      t.row -= origin.row;
      t.col -= origin.col;
    }
  }
  return lineRows ? terms.filter((t) => lineRows.has(t.row) || !isEmptyCell(grid.cells[t.row]?.[t.col])) : terms;
}

/** Whether a formula is the right one for a cell, given the terms it should have (null: not a plain sum). */
export function formulaMatches(formula: string, expected: Term[], grid: Grid, lineRows: Set<number>): boolean | null {
  const terms = formulaTerms(formula, grid, lineRows);
  return terms === null ? null : sameTermList(terms, expected);
}

/** Describes what is wrong with a sum line's formula in one column, or null when nothing is. */
function sumFormulaProblem(
  table: Table,
  i: number,
  col: number,
  formula: string,
  factor: LineNumbers,
  deviationColumn: boolean,
  grid: Grid,
  lineAt: Int32Array,
  lang: Lang,
): string | null {
  // The usual case first: the formula is, as text, the one the write plan would write.
  const origin = table.origin;
  const expectedTerms = expectedSumTerms(table, i, col, factor, deviationColumn);
  if (formula === formulaFromTerms(expectedTerms, origin)) return null;
  if (deviationColumn && formula === formulaFromTerms(expectedDeviationTerms(table, i, factor), origin)) return null;
  const all = formulaTerms(formula, grid);
  if (all === null) return null;
  // A deviation cell may also hold the line's own comparison − budget.
  if (deviationColumn && sameTermList(all, expectedDeviationTerms(table, i, factor))) return null;
  // Formulas that reach into other columns are not sums of this column's parts.
  if (all.some((t) => t.col !== col)) return null;
  // Blank spacer rows inside a SUM range count for nothing.
  const onLine = (row: number): boolean => row >= 0 && row < lineAt.length && lineAt[row] > 0;
  const counted = all.filter((t) => onLine(t.row) || !isEmptyCell(grid.cells[t.row]?.[t.col]));
  if (sameTermList(counted, expectedTerms)) return null;
  const w = WORDS[lang];
  const expected = termMap(expectedTerms);
  const got = termMap(counted);
  const rowName = (key: number): string => {
    const row = Math.floor(key / 16384);
    const label = onLine(row) ? table.lines[lineAt[row] - 1].label : undefined;
    return `${w.row} ${origin.row + row + 1}${label ? ` (${label})` : ""}`;
  };
  const missing = [...expected.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !expected.has(k));
  const flipped = [...expected.keys()].filter((k) => got.has(k) && got.get(k) !== expected.get(k));
  const parts: string[] = [];
  if (missing.length) parts.push(`${w.leavesOut} ${missing.map(rowName).join(", ")}`);
  if (extra.length) parts.push(`${w.includes} ${extra.map(rowName).join(", ")} ${w.notPart}`);
  if (flipped.length) parts.push(`${w.includes} ${flipped.map(rowName).join(", ")} ${w.wrongSign}`);
  return parts.length ? parts.join("; ") : null;
}
