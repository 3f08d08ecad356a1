import { findLine, normalizeLabel, type TemplateIndex } from "./templates";
import type { Grid, GridCell } from "./types";

/**
 * Pass 1, the header: which row names the table's columns, which rows above and below belong to
 * it (two-row headers, a word split over two rows, merged cells), and what each column's header
 * says it holds.
 */

export type HeaderKind = "budget" | "forecast" | "outcome" | "deviation" | "note";

export interface HeaderInfo {
  kind: HeaderKind | null;
  year: number | null;
  /** "ytd" for year-to-date figures (tom maj, jan–maj, ackumulerat, periodutfall), else "year". */
  period: "ytd" | "year";
  entity: "kommun" | "koncern" | null;
  /** For a forecast: when in the year it was made (1–12 for a month, 13–15 for T1–T3), else 0. */
  made: number;
  /** An earlier figure of its kind: "Fg prognos" (the forecast before this one), "Utfall fg år". */
  earlier: boolean;
  /** The period was said by a heading over a group of columns ("Period", "Helår"), not by the column's own words. */
  grouped?: boolean;
}

export interface HeaderColumn {
  /** Grid column index. */
  col: number;
  /** The header text, on one line. */
  header: string;
  info: HeaderInfo;
}

export interface Header {
  /** The grid row that names the budget column. */
  row: number;
  /** The rows the header spans, top to bottom. */
  band: number[];
  /** The first grid row after the header. */
  firstDataRow: number;
  /** Every column whose header says what it holds. */
  columns: HeaderColumn[];
  /** Texts of the header and of up to ten rows above it (the unit note, the title). */
  texts: string[];
  /** Of those, the texts above the header (the title, the unit note). */
  title: string[];
}

const YEAR = /\b(19[5-9]\d|20\d\d|21\d\d)\b/;
const MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const MONTH = /\b(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-zåäö]*\.?\b/;

export function cellText(cell: GridCell | null | undefined): string {
  if (!cell) return "";
  const v = cell.v;
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isInteger(v) && v >= 1950 && v <= 2199) return String(v);
  return "";
}

/** A cell with no value and no formula. */
export function isEmptyCell(cell: GridCell | null | undefined): boolean {
  return !cell || ((cell.v === null || cell.v === "") && !cell.f);
}

/** A cell that shows nothing: empty, or a formula that computes empty text. */
export function showsNothing(cell: GridCell | null | undefined): boolean {
  return isEmptyCell(cell) || cell!.v === "";
}

/** A header of a column in percent, or of a column that holds notes: never figures of the table. */
export function isNoteOrPercent(text: string): boolean {
  const t = text.toLowerCase().replace(/_/g, " ");
  return /%|procent|\bproc\b|andel|riktpunkt/.test(t) || /^(not|noter|notnr)\b/.test(t.trim());
}

/**
 * What headers said, by their text: a sheet classifies the same few headers many times over (each
 * row of the header band, each column, each page's repeated header). Kept small; the objects are
 * frozen, as they are shared.
 */
const classified = new Map<string, Readonly<HeaderInfo>>();

/** Classifies a column header by its words. */
export function classifyHeader(text: string): Readonly<HeaderInfo> {
  let info = classified.get(text);
  if (info === undefined) {
    if (classified.size >= 1024) classified.clear();
    info = Object.freeze(classifyWords(text));
    classified.set(text, info);
  }
  return info;
}

function classifyWords(text: string): HeaderInfo {
  const t = text
    .toLowerCase()
    .replace(/\u00ad/g, "")
    .replace(/_/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const info = classifyText(t);
  // A word hyphenated to fit a narrow cell ("Av-vikelse") is read whole where the header says
  // nothing otherwise; "jan-apr" and "budget-utfall" keep their hyphen.
  if (info.kind !== null || !/[a-zåäö]-[a-zåäö]/.test(t)) return info;
  return classifyText(t.replace(/([a-zåäö])-(?=[a-zåäö])/g, "$1"));
}

function classifyText(t: string): HeaderInfo {
  const ym = YEAR.exec(t);
  const year = ym ? Number(ym[1]) : null;
  let ytd =
    /\b(tom|t\.?\s?o\.?\s?m\.?|ack|ack\.|ackumulerat|ackumulerad|hittills|period|perioden)\b|periodutfall|jan(uari)?\s*[-–—]\s*\w+|\bper\s+\w+/.test(
      t,
    );
  const entity = /koncern|sammanställd/.test(t)
    ? "koncern"
    : /kommun(en)?\b/.test(t) && !/kommunbidrag/.test(t)
      ? "kommun"
      : null;
  let kind: HeaderKind | null = null;
  let made = 0;
  // A column in percent ("Avv. %", "Utfall_proc", "Förbrukat %") is not an amount column.
  if (/%|procent|\bproc\b|andel|riktpunkt/.test(t)) kind = null;
  else if (/\b(avv|avvikelse|avvikelser|differens|diff)\b|avvikelse|avv\./.test(t)) kind = "deviation";
  else if (/prognos/.test(t)) {
    kind = "forecast";
    const month = MONTH.exec(t.replace(/prognos/, ""));
    const tertial = /\bt\s?([123])\b/.exec(t);
    made = month ? MONTHS.indexOf(month[1]) + 1 : tertial ? 12 + Number(tertial[1]) : 0;
  } else if (/budget|\bram\b|\bramar\b|kommunbidrag|anslag/.test(t)) kind = "budget";
  else if (/utfall|bokslut|redovisning|\bredovisat\b|\bfaktiskt\b|nettokostnad|\bnetto\b|^resultat\b/.test(t)) {
    kind = "outcome";
    // "Utfall april" is the outcome to the end of April; "Utfall dec" is the year's.
    const month = MONTH.exec(t);
    if (month && month[1] !== "dec") ytd = true;
  } else if (/^(not|noter|not nr|notnr)$/.test(t)) kind = "note";
  else if (/^((kommun|koncern)(en)?\s*)?(19|20|21)\d\d$/.test(t)) kind = "outcome";
  const earlier = /\b(fg|föreg|föregående|förra|fjolår|fjolåret)\b/.test(t);
  return { kind, year, period: ytd ? "ytd" : "year", entity, made, earlier };
}

/**
 * A figure cell holds a number, a formula, an error, or text with digits that is not a header.
 * In the header area a whole number that could be a year (2025) is a header, not a figure.
 */
export function isFigure(cell: GridCell | null | undefined, header = false): boolean {
  if (isEmptyCell(cell)) return false;
  const v = cell!.v;
  if (cell!.f) return true;
  if (typeof v === "number") return !header || !(Number.isInteger(v) && v >= 1950 && v <= 2199);
  if (typeof v === "object" && v !== null) return true;
  if (typeof v === "string") return /\d/.test(v) && !YEAR.test(v) && !/[a-zåäö]{3}/i.test(v);
  return false;
}

/** A sheet's cells with merged header text spread over the columns each merge covers. */
export class HeaderCells {
  readonly width: number;
  private readonly merged = new Map<number, { text: string; left: number }>();
  /** A merged cell's text counts for the columns left of this one only when it starts here or right of it. */
  minLeft = 1;

  constructor(readonly grid: Grid) {
    const cells = grid.cells;
    let width = 0;
    for (let r = 0; r < cells.length; r++) if (cells[r] && cells[r].length > width) width = cells[r].length;
    this.width = width;
    // Only within the sheet's used range: a merge may reach far beyond it (a whole sheet merged
    // is a million rows of nothing).
    for (const m of grid.merges ?? []) {
      const text = cellText(this.at(m.top, m.left));
      if (!text) continue;
      const bottom = Math.min(m.bottom, cells.length - 1);
      const right = Math.min(m.right, this.width - 1);
      for (let r = Math.max(0, m.top); r <= bottom; r++)
        for (let c = Math.max(0, m.left); c <= right; c++) this.merged.set(r * 16384 + c, { text, left: m.left });
    }
  }

  at(r: number, c: number): GridCell | null | undefined {
    return this.grid.cells[r]?.[c];
  }

  isMerged(r: number, c: number): boolean {
    return this.merged.has(r * 16384 + c);
  }

  /** A cell's own text, or the text of the merge it lies in (unless the merge starts left of the column headers). */
  text(r: number, c: number): string {
    const own = cellText(this.at(r, c));
    if (own) return own;
    const m = this.merged.get(r * 16384 + c);
    return m && m.left >= this.minLeft ? m.text : "";
  }

  /** The header band whose columns' joined texts `joined` holds. */
  private joinedBand: readonly number[] | null = null;
  private joinedMinLeft = 1;
  private joined = new Map<number, string>();

  /** A column's header over several rows, on one line ("Kommun-" over "bidrag" is "Kommunbidrag"). */
  join(rows: readonly number[], c: number): string {
    if (rows !== this.joinedBand || this.minLeft !== this.joinedMinLeft) {
      this.joinedBand = rows;
      this.joinedMinLeft = this.minLeft;
      this.joined.clear();
    }
    let text = this.joined.get(c);
    if (text === undefined) {
      text = this.joinText(rows, c);
      this.joined.set(c, text);
    }
    return text;
  }

  /**
   * A column's header over several rows with the pieces run together: a word wrapped inside its
   * cell comes apart over two rows when a table is copied from a PDF ("Avvikels" over "e").
   */
  joinWrapped(rows: readonly number[], c: number): string {
    const pieces = this.pieces(rows, c);
    return pieces.length > 1 ? pieces.join("") : "";
  }

  /** A column's header texts over several rows, top to bottom. */
  private pieces(rows: readonly number[], c: number): string[] {
    const pieces: string[] = [];
    for (const r of rows) {
      const t = this.text(r, c);
      // A cell merged over two header rows is one header, not two.
      if (t && t !== pieces[pieces.length - 1]) pieces.push(t);
    }
    return pieces;
  }

  private joinText(rows: readonly number[], c: number): string {
    const pieces = this.pieces(rows, c);
    if (pieces.length === 0) return "";
    const joined = pieces.length === 1 ? pieces[0] : pieces.join(" ");
    // Most headers are one plain piece.
    if (!/[^\S ]| {2}|[-/] /.test(joined)) return joined;
    return joined
      .replace(/\s+/g, " ")
      .replace(/([a-zåäö])- (?=[a-zåäö])/g, "$1")
      .replace(/\/ /g, "/")
      .trim();
  }
}

/** Whether any template knows a label. */
function knownLabel(text: string, templates: readonly TemplateIndex[]): boolean {
  const n = normalizeLabel(text);
  return templates.some((tpl) => findLine(tpl, n) >= 0);
}

/**
 * Finds the header: the first row where a column is headed as a budget (alone, or with the row
 * below, for a word split over two rows) and, over the header's rows, another as a forecast or an
 * outcome.
 */
export function findHeader(sheet: HeaderCells, templates: readonly TemplateIndex[] = []): Header | null {
  const cells = sheet.grid.cells;
  const width = sheet.width;
  for (let r = 0; r < cells.length; r++) {
    const row = cells[r];
    if (!row) continue;
    let budgetCol = -1;
    for (let c = 1; c < row.length && budgetCol < 0; c++) {
      const t = cellText(row[c]);
      if (!t) continue;
      if (classifyHeader(t).kind === "budget") budgetCol = c;
      else if (/-$/.test(t) && classifyHeader(sheet.join([r, r + 1], c)).kind === "budget") budgetCol = c;
    }
    if (budgetCol < 0) continue;
    // The band: up to two rows above with header text over the header columns, and the rows below
    // until the first row with figures or a known label.
    sheet.minLeft = 1;
    const headerCols = new Set<number>();
    for (let c = 1; c < width; c++) if (classifyHeader(sheet.text(r, c)).kind) headerCols.add(c);
    headerCols.add(budgetCol);
    sheet.minLeft = Math.min(...headerCols);
    const band = [r];
    for (let up = r - 1; up >= Math.max(0, r - 2); up--) {
      let has = false;
      let clash = false;
      for (const c of headerCols) {
        if (sheet.text(up, c)) has = true;
        if (isFigure(sheet.at(up, c), true)) clash = true;
      }
      if (!has || clash) break;
      band.unshift(up);
    }
    for (let down = r + 1; down < Math.min(cells.length, r + 4); down++) {
      let text = false;
      let figure = false;
      for (let c = 1; c < width; c++) {
        const cell = sheet.at(down, c);
        if (isFigure(cell, true)) figure = true;
        else if (cellText(cell)) text = true;
      }
      let known = false;
      for (let c = 0; c < sheet.minLeft; c++) {
        const t = cellText(sheet.at(down, c));
        if (t && knownLabel(t, templates)) known = true;
      }
      if (figure || known || !text) break;
      band.push(down);
    }
    const columns = headerColumns(sheet, band);
    const kinds = columns.map((c) => c.info.kind);
    // Joined with the rows above, the budget header may have become another column's.
    if (!kinds.includes("budget") || !(kinds.includes("forecast") || kinds.includes("outcome"))) continue;
    const texts: string[] = [];
    let titleTexts = 0;
    for (let tr = Math.max(0, band[0] - 10); tr <= band[band.length - 1]; tr++) {
      if (tr === band[0]) titleTexts = texts.length;
      for (let c = 0; c < width; c++) {
        const t = cellText(sheet.at(tr, c));
        if (t) texts.push(t);
      }
    }
    return {
      row: r,
      band,
      firstDataRow: band[band.length - 1] + 1,
      columns,
      texts,
      title: texts.slice(0, titleTexts),
    };
  }
  return null;
}

/** A heading over a group of columns that says their period: "Period" or "Ackumulerat" (to date), "Helår" (the whole year). */
const GROUP_TO_DATE = /^(period|perioden|ackumulerat|hittills|hittills i år|året hittills)$/;
const GROUP_YEAR = /^(helår|helåret|hela året|året)$/;

/**
 * The columns of a header band whose words say what they hold. A "Kommun"/"Koncern" heading names
 * the entity of the columns from it rightwards; a "Period"/"Helår" heading, the period of the
 * columns from it up to the next heading in its row.
 */
function headerColumns(sheet: HeaderCells, band: number[]): HeaderColumn[] {
  const width = sheet.width;
  const entityRow: ("kommun" | "koncern" | null)[] = new Array(width).fill(null);
  const periodRow: ("ytd" | "year" | null)[] = new Array(width).fill(null);
  for (const br of band) {
    let current: "kommun" | "koncern" | null = null;
    let period: "ytd" | "year" | null = null;
    for (let c = 0; c < width; c++) {
      const t = sheet.text(br, c).toLowerCase();
      if (/^(kommunen|kommun|koncernen|koncern|sammanställd redovisning)$/.test(t)) {
        current = t.startsWith("kommun") ? "kommun" : "koncern";
      }
      if (current && !entityRow[c]) entityRow[c] = current;
      if (t) period = GROUP_TO_DATE.test(t) ? "ytd" : GROUP_YEAR.test(t) ? "year" : null;
      if (period && !periodRow[c]) periodRow[c] = period;
    }
  }
  const columns: HeaderColumn[] = [];
  for (let c = 0; c < width; c++) {
    let header = sheet.join(band, c);
    if (!header) continue;
    let said = classifyHeader(header);
    // A word wrapped inside its cell ("Avvikels" over "e", "Budgetav" over "vikelse") is read whole;
    // a deviation's words, once read, outweigh the budget's that began it.
    if (said.kind !== "deviation") {
      const wrapped = sheet.joinWrapped(band, c);
      const whole = wrapped ? classifyHeader(wrapped) : null;
      if (whole?.kind && (!said.kind || whole.kind === "deviation")) {
        header = wrapped;
        said = whole;
      }
    }
    if (!said.kind) continue;
    const info = { ...said };
    if (!info.entity && entityRow[c]) info.entity = entityRow[c];
    const period = periodRow[c];
    if (period) {
      info.period = period;
      info.grouped = true;
    }
    columns.push({ col: c, header, info });
  }
  return columns;
}
