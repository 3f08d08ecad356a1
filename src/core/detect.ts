import { classifyColumns, findUnit, what } from "./columns";
import { findHeader, HeaderCells, isEmptyCell, isNoteOrPercent, type HeaderColumn } from "./header";
import { findLines } from "./lines";
import { buildStructure, COST, REVENUE, tableLines, type Lines, type TableLine } from "./structure";
import { BUILT_IN_TEMPLATES, indexTemplate, isItemisingLabel, type Template, type TemplateIndex } from "./templates";
import type { Grid } from "./types";

/**
 * Finds the budget table in a grid, pass by pass: the header (header.ts), the columns
 * (columns.ts), the lines (lines.ts), and the structure of sums and itemising lines
 * (structure.ts).
 */

export { cellText, classifyHeader, isEmptyCell, type HeaderInfo, type HeaderKind } from "./header";
export type { LineKind, Lines, NatureSource, TableLine } from "./structure";

export type Column = HeaderColumn;

export interface Table {
  sheet: string;
  origin: { row: number; col: number };
  /** The grid row of the header that names the budget column. */
  headerRow: number;
  /** The first grid row after the header. */
  firstDataRow: number;
  labelCol: number;
  budget: Column;
  comparison: Column;
  comparisonKind: "forecast" | "outcome";
  /** Comparison columns that were not chosen (Utfall 2018 when Utfall 2019 was). */
  otherComparisons: Column[];
  /** The deviation column; `proposed` when the sheet has none and this is the next free column. */
  deviation: Column & { proposed: boolean };
  unit: string | null;
  /** The template whose lines the table matches best. */
  template: TemplateIndex;
  /** Whether that template explains the table (else it is a table of activities, units, committees ...). */
  templateFits: boolean;
  /** The lines, an array per field: what the passes read. */
  lineArrays: Lines;
  /** The lines as objects (made when first read). */
  readonly lines: TableLine[];
  /** Totals whose figures chose another block than their words: per line, the rows the words pointed to. */
  readings: Map<number, number[]>;
  /** Lines that are sums only by their formulas. */
  formulaSums: Set<number>;
  /** The title above the table and the headers of its label, budget, comparison and deviation columns: what the table says its figures are. */
  headerTexts: string[];
  /** A second table's header row below this table, when there is one (not checked). */
  secondTableRow?: number;
}

/** Why no table was found. */
export type NoTable = "empty" | "no-header" | "no-labels" | "no-template" | "no-lines";

export type Detection =
  { ok: true; table: Table } | { ok: false; reason: "empty" | "no-table"; problem: NoTable; detail: string };

export interface DetectOptions {
  /** Templates to choose from (default: the built-in ones). */
  templates?: readonly Template[];
  /** Use this template rather than the best match. */
  templateId?: string;
}

const noTable = (reason: "empty" | "no-table", problem: NoTable, detail: string): Detection => ({
  ok: false,
  reason,
  problem,
  detail,
});

/** How many different template lines the first `count` matches name. */
function distinctMatches(match: ArrayLike<number>, count: number, size: number): number {
  const seen = new Uint8Array(size);
  let found = 0;
  for (let j = 0; j < count; j++) {
    const m = match[j];
    if (m >= 0 && seen[m] === 0) {
      seen[m] = 1;
      found++;
    }
  }
  return found;
}

/** The template that names most of the table's lines, and whether it names enough of them to explain the table. */
function chooseTemplate(
  templates: TemplateIndex[],
  matches: ArrayLike<number>[],
  labels: string[],
  count: number,
  templateId: string | undefined,
): { chosen: number; fits: boolean } | null {
  let chosen = 0;
  if (templateId !== undefined) {
    chosen = templates.findIndex((x) => x.template.id === templateId);
    if (chosen < 0) return null;
  } else {
    let best = -1;
    for (let t = 0; t < templates.length; t++) {
      const found = distinctMatches(matches[t], count, templates[t].template.lines.length);
      if (found > best) {
        best = found;
        chosen = t;
      }
    }
  }
  const size = templates[chosen].template.lines.length;
  const distinct = distinctMatches(matches[chosen], count, size);
  let named = 0;
  let plain = 0;
  for (let j = 0; j < count; j++) {
    if (isItemisingLabel(labels[j])) continue;
    plain++;
    if (matches[chosen][j] >= 0) named++;
  }
  const fits = templateId !== undefined || (distinct >= Math.min(3, size) && named * 2 >= plain);
  return { chosen, fits };
}

/** Finds the budget table of a grid. */
export function detectTable(grid: Grid, options: DetectOptions = {}): Detection {
  const cells = grid.cells;
  const templates = (options.templates ?? BUILT_IN_TEMPLATES).map(indexTemplate);
  if (!cells.some((r) => r?.some((c) => !isEmptyCell(c)))) return noTable("empty", "empty", "the sheet is empty");
  const sheet = new HeaderCells(grid);

  // 1. The header.
  const header = findHeader(sheet, templates);
  if (!header) {
    return noTable(
      "no-table",
      "no-header",
      "no header row names both a budget column and a forecast or outcome column",
    );
  }
  // 2. The columns.
  const columns = classifyColumns(sheet, header, templates);
  if (!columns) return noTable("no-table", "no-labels", "no column of row labels left of the budget column");
  // 3. The lines.
  const deviationCol = columns.deviation?.col ?? -1;
  const own = [columns.budget.col, columns.comparison.col, deviationCol];
  const others: number[] = [];
  // Other columns of the table whose figures make a row a line: right of the labels, up to the
  // budget or comparison, whichever is further right, with a header of their own (not a note, a
  // percentage or a unit).
  const last = Math.max(columns.budget.col, columns.comparison.col);
  for (let c = columns.labelCol + 1; c <= last; c++) {
    const text = sheet.join(header.band, c);
    if (!own.includes(c) && text !== "" && !isNoteOrPercent(text) && findUnit([text]) === null) others.push(c);
  }
  const rows = findLines(
    grid,
    header.firstDataRow,
    {
      labelCol: columns.labelCol,
      budget: columns.budget.col,
      comparison: columns.comparison.col,
      deviation: deviationCol,
      others,
      headerRow: header.row,
    },
    templates,
  );
  const choice = chooseTemplate(templates, rows.matches, rows.label, rows.count, options.templateId);
  if (!choice) return noTable("no-table", "no-template", `no template with id "${options.templateId}"`);
  const template = templates[choice.chosen];
  // 4. The structure: sums, their parts, itemising lines, what each line is.
  const { lines, readings, formulaSums } = buildStructure({
    grid,
    rows,
    template,
    match: rows.matches[choice.chosen],
    templateFits: choice.fits,
    budgetCol: columns.budget.col,
    comparisonCol: columns.comparison.col,
    // In a table of results per committee ("Resultat", "Budgeterat resultat"), a line is a result.
    linesAreResults: /resultat/i.test(columns.comparison.header),
    figuresAre: figuresAre(columns.budget.header, columns.comparison.header),
  });
  if (lines.count === 0) return noTable("no-table", "no-lines", "the table has a header but no lines with figures");

  return {
    ok: true,
    table: new FoundTable({
      sheet: grid.sheet,
      origin: grid.origin ?? { row: 0, col: 0 },
      headerRow: header.row,
      firstDataRow: header.firstDataRow,
      labelCol: columns.labelCol,
      budget: columns.budget,
      comparison: columns.comparison,
      comparisonKind: columns.comparisonKind,
      otherComparisons: columns.otherComparisons,
      deviation: columns.deviation
        ? { ...columns.deviation, proposed: false }
        : proposedDeviation(sheet, header.band, header.columns, rows.secondTableRow),
      unit: columns.unit,
      template,
      templateFits: choice.fits,
      lineArrays: lines,
      readings,
      formulaSums,
      // Another column's header ("Rörelseintäkter" beside a result) says nothing of these figures.
      headerTexts: [
        ...header.title,
        ...[columns.labelCol, columns.budget.col, columns.comparison.col, deviationCol]
          .filter((c) => c >= 0)
          .map((c) => sheet.join(header.band, c))
          .filter((t) => t !== ""),
      ],
      secondTableRow: rows.secondTableRow,
    }),
  };
}

/**
 * A table found on a sheet; its lines as objects are made when first read (the passes read the
 * arrays). A class, so that the getter is its prototype's: with an object literal's getter of its
 * own, everything the table points to outlived V8's minor collections until the next full one
 * (tables checked one after another spent a fifth of their time collecting).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class FoundTable implements Table {
  private objects: TableLine[] | undefined = undefined;
  constructor(fields: Omit<Table, "lines">) {
    Object.assign(this, fields);
  }
  get lines(): TableLine[] {
    return (this.objects ??= tableLines(this.lineArrays, this.template.template.lines));
  }
}
// The fields given to the constructor.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
interface FoundTable extends Omit<Table, "lines"> {}

/** What the budget's and the comparison's headers both say every figure is: costs ("Budget kostnader" and "Utfall kostnader") or revenue; else -1. */
function figuresAre(budget: string, comparison: string): number {
  const said = what(budget);
  if (said !== what(comparison)) return -1;
  return said === "kostnad" ? COST : said === "intäkt" ? REVENUE : -1;
}

/**
 * Where a deviation column goes when the sheet has none: the first column right of the table
 * that is empty from the header to the table's end (a figure on a row that is not a line would
 * make it one once the column is headed).
 */
function proposedDeviation(
  sheet: HeaderCells,
  band: number[],
  columns: HeaderColumn[],
  secondTableRow: number | undefined,
): Column & { proposed: boolean } {
  let col = Math.max(...columns.map((c) => c.col)) + 1;
  const end = secondTableRow ?? sheet.grid.cells.length;
  const first = band[band.length - 1] + 1;
  const free = (c: number): boolean => {
    if (!band.every((br) => isEmptyCell(sheet.at(br, c)) && !sheet.isMerged(br, c))) return false;
    for (let r = first; r < end; r++) if (!isEmptyCell(sheet.at(r, c))) return false;
    return true;
  };
  while (!free(col)) col++;
  return {
    col,
    header: "Avvikelse",
    info: { kind: "deviation", year: null, period: "year", entity: null, made: 0, earlier: false },
    proposed: true,
  };
}
