import { lineNumbers, type LineNumbers } from "./arrays";
import { cellText, classifyHeader, isFigure, showsNothing } from "./header";
import { findLine, normalizeLabel, type TemplateIndex } from "./templates";
import type { Grid } from "./types";

/**
 * Pass 3, the lines: every row below the header that carries figures or a label a template knows,
 * with the section headings, blank rows and footnotes between them, until the table ends (the
 * sheet's end, or a second table's header).
 */

export interface SheetRows {
  /** How many lines were read; the arrays below are used up to this length. */
  count: number;
  /** Per line: its grid row, label, whether it has a budget or comparison figure, and whether it has a figure in any column. */
  row: LineNumbers;
  label: string[];
  /** 1 or 0. */
  figures: Uint8Array;
  anyFigure: Uint8Array;
  /** Per template: per line, the template line its label names (-1: none). */
  matches: LineNumbers[];
  /** Rows between lines: section headings and blank rows, each before the line of index `before`. */
  marks: RowMark[];
  /** A second table's header row below this table, when there is one (not checked). */
  secondTableRow?: number;
}

export interface RowMark {
  kind: "heading" | "blank";
  row: number;
  text: string;
  /** The index of the line after it (count when it follows the last line). */
  before: number;
}

/** A label that is a note under the table rather than a heading: "* Exkl. …", "Källa: …", a sentence. */
function isFootnote(label: string): boolean {
  return /^[*¹²³†]|^(not|källa|anm|obs)\b[:.]?/i.test(label) || label.length > 60 || /\.\s+\S/.test(label);
}

export interface LineColumns {
  labelCol: number;
  budget: number;
  comparison: number;
  deviation: number;
  /** Other columns whose figures make a row a line of the table (year-to-date, last year, parts of a net): not notes or percentages. */
  others: readonly number[];
  /** The header row, which a long table may repeat (a page break in the original). */
  headerRow: number;
}

/** Reads the lines of the table below the header, in the given columns. */
export function findLines(
  grid: Grid,
  firstDataRow: number,
  cols: LineColumns,
  templates: readonly TemplateIndex[],
): SheetRows {
  const labelCol = cols.labelCol;
  const cells = grid.cells;
  // Sized once for every row below the header (a large sheet would otherwise regrow them many
  // times); `count` of them are used.
  const room = Math.max(0, cells.length - firstDataRow);
  const out: SheetRows = {
    count: 0,
    row: lineNumbers(room, 0, Int32Array),
    label: new Array<string>(room).fill(""),
    figures: new Uint8Array(room),
    anyFigure: new Uint8Array(room),
    matches: templates.map(() => lineNumbers(room, -1, Int32Array)),
    marks: [],
  };
  // Sheets list their lines in a template's order: the line after the last one found is tried
  // before the template's label index.
  const next = templates.map(() => 0);
  const { budget, comparison, deviation, others } = cols;
  let blankPending = false;
  for (let r = firstDataRow; r < cells.length; r++) {
    const row = cells[r];
    const raw = row?.[labelCol];
    const label = typeof raw?.v === "string" ? raw.v.trim() : "";
    // Budget or comparison figures make a line; a deviation formula filled down through a
    // heading row does not. A row that shows nothing at all (links not yet filled in,
    // =OM(Underlag!B4="";"";Underlag!B4)) is a blank row.
    if (label === "" && row && row.every((c) => showsNothing(c))) {
      if (out.count > 0) blankPending = true;
      continue;
    }
    const amounts = row ? isFigure(row[budget]) || isFigure(row[comparison]) : false;
    const devCell = row && deviation >= 0 ? row[deviation] : undefined;
    const figure = amounts || (isFigure(devCell) && !devCell!.f);
    let other = false;
    if (!figure && row) for (let k = 0; k < others.length && !other; k++) other = isFigure(row[others[k]]);
    if (!figure && !other && label === "") {
      if (out.count > 0 && !(row && repeatsHeader(row, cells[cols.headerRow], labelCol))) blankPending = true;
      continue;
    }
    if (!figure && !other && row && startsTable(row, labelCol)) {
      // The header repeated after a page break is not a second table.
      if (repeatsHeader(row, cells[cols.headerRow], labelCol)) continue;
      out.secondTableRow = r;
      break;
    }
    const norm = normalizeLabel(label);
    let known = false;
    for (let t = 0; t < templates.length; t++) {
      const tpl = templates[t];
      const m = norm === "" ? -1 : tpl.labels[next[t]] === norm ? next[t] : findLine(tpl, norm);
      out.matches[t][out.count] = m;
      if (m >= 0) {
        known = true;
        next[t] = m + 1;
      }
    }
    if (blankPending) {
      out.marks.push({ kind: "blank", row: r - 1, text: "", before: out.count });
      blankPending = false;
    }
    if (!figure && !other && !known) {
      if (!isFootnote(label)) out.marks.push({ kind: "heading", row: r, text: label, before: out.count });
      continue;
    }
    const j = out.count++;
    out.row[j] = r;
    out.label[j] = label;
    out.figures[j] = amounts ? 1 : 0;
    out.anyFigure[j] = figure || other ? 1 : 0;
  }
  return out;
}

/** A row that names a budget column again, right of the labels, starts a second table. */
function startsTable(row: Grid["cells"][number], labelCol: number): boolean {
  for (let c = labelCol + 1; c < row.length; c++) {
    const t = cellText(row[c]);
    if (t && classifyHeader(t).kind === "budget") return true;
  }
  return false;
}

/** Whether a row holds the same header texts as the header row, right of the labels. */
function repeatsHeader(
  row: Grid["cells"][number],
  header: Grid["cells"][number] | undefined,
  labelCol: number,
): boolean {
  if (!header) return false;
  let same = 0;
  for (let c = labelCol + 1; c < Math.max(row.length, header.length); c++) {
    const a = cellText(row[c]);
    if (a !== cellText(header[c])) return false;
    if (a) same++;
  }
  return same > 0;
}
