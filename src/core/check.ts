import { columnName, gridAddresses } from "./address";
import { decideConvention, type ConventionEvidence } from "./convention";
import type { LineKind, Table } from "./detect";
import { readFigure, type Figure } from "./figures";
import { fromCents } from "./numbers";
import type { LineNumbers } from "./arrays";
import { readFigures, recompute } from "./recompute";
import { KINDS, NATURES } from "./structure";
import { percentOfBudget, validate } from "./validate";
import type { Convention, Finding, Grid, Lang, Nature } from "./types";

/**
 * Checks a detected table: decides the sign convention (convention.ts), recomputes every
 * deviation and sum (recompute.ts), and validates and flags (validate.ts); the report says what
 * was found and on what evidence.
 */

export { isDateFormat, readFigure, type Figure, type FigureState } from "./figures";
export type { LineNumbers } from "./arrays";
export { expectedDeviationTerms, expectedSumTerms, formulaMatches } from "./terms";

export interface CheckOptions {
  lang?: Lang;
  /** Use this sign convention instead of deciding it from the sheet. */
  convention?: Convention;
  /** Flag only deviations at least this large, in the sheet's unit. */
  thresholdAmount?: number;
  /** Flag only deviations at least this large, in percent of the budget. */
  thresholdPercent?: number;
}

export type Column3 = "budget" | "comparison" | "deviation";

export interface ReportLine {
  label: string;
  /** The sheet row, 1-based as Excel shows it. */
  row: number;
  kind: LineKind;
  lineId: string | null;
  nature: Nature;
  /** For a sum line: the sheet rows of its parts. */
  parts: number[];
  /** For a "varav" line: the sheet row of the line it itemises. */
  itemises: number | null;
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
  /** Per line: +1, or -1 where the convention enters the line opposite to a signed amount. */
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
  /** What the convention was decided on. */
  conventionEvidence: ConventionEvidence;
  /** True when the convention was read from the sheet, false when given or assumed. */
  conventionDetected: boolean;
  /** The template that explains the table, or null for a table of activities, units or committees. */
  template: { id: string; name: string } | null;
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

/** A line of the report; where its cells are and what they held are worked out when asked. */
class Line implements ReportLine {
  constructor(
    readonly label: string,
    readonly row: number,
    readonly kind: LineKind,
    readonly lineId: string | null,
    readonly nature: Nature,
    readonly parts: number[],
    readonly itemises: number | null,
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
    const out: Record<string, unknown> = { label, row, kind, lineId, nature, budget, comparison, deviation, flagged };
    if (kind === "sum") out.parts = this.parts;
    if (this.itemises !== null) out.itemises = this.itemises;
    return out;
  }
}

export function checkTable(grid: Grid, table: Table, options: CheckOptions = {}): Report {
  const { origin } = table;
  const lines = table.lineArrays;
  const n = lines.count;
  const entered = readFigures(grid, table);

  // 5. The sign convention.
  const { convention, evidence } = decideConvention({
    lines,
    cents: entered.cents,
    signs: entered.signs,
    step: entered.step,
    exact: entered.exact,
    headerTexts: table.headerTexts,
    given: options.convention,
  });
  // 6. Recompute.
  const recomputed = recompute(table, entered, convention);
  // 7. Validate and flag.
  const { findings, flagged } = validate(grid, table, entered, recomputed, convention, options);

  const { factor, budget, comparison, deviation } = recomputed;
  const addr = gridAddresses(origin);
  const cols = entered.cols;
  const figure = (i: number, k: 0 | 1 | 2): Figure => readFigure(grid.cells[lines.row[i]]?.[cols[k]]);
  const letter = (c: number): string => columnName(origin.col + c);
  const letters = {
    label: letter(table.labelCol),
    budget: letter(cols[0]),
    comparison: letter(cols[1]),
    deviation: letter(cols[2]),
  };
  const computed: Computed = { grid, table, convention, factor, budget, comparison, deviation, flagged, figure };
  const shared = { letters, computed };
  const nullable = (x: number): number | null => (x === x ? fromCents(x) : null);
  const sheetRow = (i: number): number => origin.row + lines.row[i] + 1;
  const defs = table.template.template.lines;
  // Lines and flags are made into objects when first asked for: the decisions above are the check.
  const makeLines = (): ReportLine[] => {
    const out: ReportLine[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const m = lines.lineIndex[i];
      const itemises = lines.itemises[i];
      out[i] = new Line(
        lines.label[i],
        sheetRow(i),
        KINDS[lines.kind[i]],
        m >= 0 && lines.duplicateOf[i] < 0 ? defs[m].id : null,
        NATURES[lines.nature[i]],
        lines.parts[i].map(sheetRow),
        itemises >= 0 ? sheetRow(itemises) : null,
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
    Array.from({ length: n }, (_, i) => i)
      .filter((i) => flagged[i] === 1)
      .sort((a, b) => deviation[a] - deviation[b] || a - b)
      .map((i) => {
        const percent = percentOfBudget(deviation[i], budget[i]);
        return {
          label: lines.label[i],
          cell: addr(lines.row[i], cols[2]),
          row: sheetRow(i),
          deviation: fromCents(deviation[i]),
          percent: percent === null ? null : Math.round(percent * 10) / 10,
        };
      });
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return new CheckReport(
    {
      sheet: table.sheet,
      unit: table.unit,
      convention,
      conventionEvidence: evidence,
      conventionDetected: evidence.basis !== "given" && evidence.basis !== "assumed",
      template: table.templateFits ? { id: table.template.template.id, name: table.template.template.name } : null,
      columns: letters,
      headers: { budget: table.budget.header, comparison: table.comparison.header, deviation: table.deviation.header },
      deviationProposed: table.deviation.proposed,
      comparisonKind: table.comparisonKind,
      otherComparisons: table.otherComparisons.map((c) => ({ column: letter(c.col), header: c.header })),
      findings,
      counts,
      computed,
    },
    makeLines,
    makeFlags,
  );
}

/**
 * A report whose lines and flags are made into objects when first read. A class, so that the
 * getters are its prototype's (see FoundTable in detect.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class CheckReport implements Report {
  private madeLines: ReportLine[] | undefined = undefined;
  private madeFlags: Flag[] | undefined = undefined;
  constructor(
    fields: Omit<Report, "lines" | "flags">,
    private readonly makeLines: () => ReportLine[],
    private readonly makeFlags: () => Flag[],
  ) {
    Object.assign(this, fields);
  }
  get lines(): ReportLine[] {
    return (this.madeLines ??= this.makeLines());
  }
  get flags(): Flag[] {
    return (this.madeFlags ??= this.makeFlags());
  }
}
// The fields given to the constructor.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
interface CheckReport extends Omit<Report, "lines" | "flags"> {}
