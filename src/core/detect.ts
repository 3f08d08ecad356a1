import {
  BUILT_IN_TEMPLATES,
  findLine,
  indexTemplate,
  isMemoLabel,
  normalizeLabel,
  type Template,
  type TemplateIndex,
  type TemplateLine,
} from "./templates";
import type { Grid, GridCell } from "./types";

/**
 * Finds the budget table in a grid: the header, the label column, the budget, comparison and
 * deviation columns, the unit, the template and every line.
 */

export type HeaderKind = "budget" | "forecast" | "outcome" | "deviation" | "note";

export interface HeaderInfo {
  kind: HeaderKind | null;
  year: number | null;
  /** "ytd" for year-to-date figures (tom maj, jan–maj, ackumulerat), else "year". */
  period: "ytd" | "year";
  entity: "kommun" | "koncern" | null;
}

export interface Column {
  /** Grid column index. */
  col: number;
  /** The header text, on one line. */
  header: string;
  info: HeaderInfo;
}

export interface TableLine {
  /** Grid row index. */
  row: number;
  label: string;
  /** The template line it matched, or null for an unknown or "varav" line. */
  line: TemplateLine | null;
  kind: "input" | "sum" | "unknown";
  /** A "varav" breakdown line: checked for its own deviation but part of no sum. */
  memo: boolean;
  /** Indexes into Table.lines of the parts of a sum line. */
  parts: number[];
  /** The row of an earlier line with the same template line (this one is then unknown). */
  duplicateOf?: number;
  /** For a line no template knows that stands among a sum line's parts: that sum line's index. */
  partOf?: number;
}

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
  template: TemplateIndex;
  lines: TableLine[];
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

/** The parts of a line that is not a sum (shared: never written to). */
const NO_PARTS: number[] = [];

const YEAR = /\b(19[5-9]\d|20\d\d|21\d\d)\b/;

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

/** Classifies a column header. */
export function classifyHeader(text: string): HeaderInfo {
  const t = text.toLocaleLowerCase("sv").replace(/\s+/g, " ").trim();
  const ym = YEAR.exec(t);
  const year = ym ? Number(ym[1]) : null;
  const period: HeaderInfo["period"] =
    /\b(tom|t\.?\s?o\.?\s?m\.?|ack|ackumulerat|hittills|period|perioden)\b|jan(uari)?\s*[-–—]\s*\w+|\bper\s+\w+/.test(t)
      ? "ytd"
      : "year";
  const entity = /koncern/.test(t) ? "koncern" : /kommun(en)?\b/.test(t) ? "kommun" : null;
  let kind: HeaderKind | null = null;
  // A column in percent ("Avv. %", "Utfall i procent av budget") is not an amount column.
  if (/%|procent|andel/.test(t)) kind = null;
  else if (/\b(avv|avvikelse|avvikelser|differens|diff)\b|avvikelse|avv\./.test(t)) kind = "deviation";
  else if (/prognos/.test(t)) kind = "forecast";
  else if (/budget/.test(t)) kind = "budget";
  else if (/utfall|bokslut|\bredovisat\b|\bfaktiskt\b/.test(t)) kind = "outcome";
  else if (/^(not|noter|not nr|notnr)$/.test(t)) kind = "note";
  else if (/^((kommun|koncern)(en)?\s*)?(19|20|21)\d\d$/.test(t)) kind = "outcome";
  return { kind, year, period, entity };
}

/**
 * A figure cell holds a number, a formula, an error, or text with digits that is not a header.
 * In the header area a whole number that could be a year (2025) is a header, not a figure.
 */
function isFigure(cell: GridCell | null | undefined, header = false): boolean {
  if (isEmptyCell(cell)) return false;
  const v = cell!.v;
  if (cell!.f) return true;
  if (typeof v === "number") return !header || !(Number.isInteger(v) && v >= 1950 && v <= 2199);
  if (typeof v === "object" && v !== null) return true;
  if (typeof v === "string") return /\d/.test(v) && !YEAR.test(v) && !/[a-zåäö]{3}/i.test(v);
  return false;
}

const UNITS: [RegExp, string][] = [
  [/\b(mnkr|mkr|mdkr|miljoner kronor|mn kr|mn\.? kr|mkr\.)\b/i, "mnkr"],
  [/\b(tkr|tusental kronor|tusen kronor|tkr\.)\b/i, "tkr"],
  [/\b(kronor|kr)\b/i, "kr"],
];

function findUnit(texts: string[]): string | null {
  for (const [re, unit] of UNITS) {
    for (const t of texts) {
      const m = re.exec(t);
      if (m) return unit === "mnkr" && /^mdkr$/i.test(m[1]) ? "mdkr" : unit;
    }
  }
  return null;
}

/** How many texts a column holds between two rows, and how many of them a template knows. */
function labelsIn(
  cells: Grid["cells"],
  c: number,
  from: number,
  to: number,
  templates: TemplateIndex[],
): { known: number; texts: number } {
  let known = 0;
  let texts = 0;
  for (let r = from; r < to; r++) {
    const t = cellText(cells[r]?.[c]);
    if (!t || /^\d+$/.test(t)) continue;
    texts++;
    const n = normalizeLabel(t);
    for (const tpl of templates) {
      if (findLine(tpl, n) >= 0) {
        known++;
        break;
      }
    }
  }
  return { known, texts };
}

/** How many different template lines the first `count` matches name. */
function distinctMatches(match: number[], count: number, size: number): number {
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

/**
 * The lines of the table from its rows and their template matches, with the parts of each sum
 * line among the lines present.
 */
function tableLines(
  template: TemplateIndex,
  match: number[],
  count: number,
  rowOf: number[],
  labelOf: string[],
  normOf: string[],
  hasFigures: boolean[],
): TableLine[] {
  const defs = template.template.lines;
  // A label without figures whose line also appears with figures is a section heading
  // ("Kostnader" above the cost lines, "Summa kostnader" below them).
  const withFigures = new Uint8Array(defs.length);
  for (let j = 0; j < count; j++) if (match[j] >= 0 && hasFigures[j]) withFigures[match[j]] = 1;
  const lines: TableLine[] = [];
  /** Where each template line is among the lines (-1: not present). */
  const present = new Int32Array(defs.length).fill(-1);
  for (let j = 0; j < count; j++) {
    const memo = isMemoLabel(normOf[j]);
    const m = memo ? -1 : match[j];
    if (m >= 0 && !hasFigures[j] && withFigures[m] === 1) continue;
    if (m >= 0 && present[m] >= 0) {
      const first = lines[present[m]];
      lines.push({
        row: rowOf[j],
        label: labelOf[j],
        line: null,
        kind: "unknown",
        memo: false,
        parts: NO_PARTS,
        duplicateOf: first.row,
        partOf: undefined,
      });
      continue;
    }
    if (m >= 0) present[m] = lines.length;
    lines.push({
      row: rowOf[j],
      label: labelOf[j],
      line: m >= 0 ? defs[m] : null,
      kind: m >= 0 || memo ? "input" : "unknown",
      memo,
      parts: NO_PARTS,
      // Every line has every field from the start, so all of them share one shape.
      duplicateOf: undefined,
      partOf: undefined,
    });
  }
  // A part that is not in the sheet is replaced by its own parts, if it is a sum.
  const expand = (k: number, out: number[]): void => {
    if (present[k] >= 0) out.push(present[k]);
    else for (const p of template.parts[k]) expand(p, out);
  };
  for (let k = 0; k < defs.length; k++) {
    const at = present[k];
    if (at < 0 || template.parts[k].length === 0) continue;
    const parts: number[] = [];
    for (const p of template.parts[k]) expand(p, parts);
    if (parts.length > 0) {
      lines[at].parts = parts;
      lines[at].kind = "sum";
    }
  }
  // A line no template knows that stands among a sum's parts, or between them and the sum (a
  // row inserted into the block), is one of its parts; among nested sums, of the innermost.
  const blocks: { at: number; from: number; to: number }[] = [];
  lines.forEach((l, at) => {
    if (l.kind !== "sum") return;
    let from = at;
    let to = at;
    for (const p of l.parts) {
      from = Math.min(from, p);
      to = Math.max(to, p);
    }
    blocks.push({ at, from, to });
  });
  blocks.sort((x, y) => x.to - x.from - (y.to - y.from));
  for (const b of blocks) {
    for (let j = b.from + 1; j < b.to; j++) {
      const l = lines[j];
      if (l.kind !== "unknown" || l.memo || l.duplicateOf !== undefined || l.partOf !== undefined) continue;
      l.partOf = b.at;
      lines[b.at].parts.push(j);
    }
  }
  return lines;
}

/** Finds the budget table of a grid. */
export function detectTable(grid: Grid, options: DetectOptions = {}): Detection {
  const cells = grid.cells;
  const origin = grid.origin ?? { row: 0, col: 0 };
  const templates = (options.templates ?? BUILT_IN_TEMPLATES).map(indexTemplate);
  const width = cells.reduce((w, r) => Math.max(w, r ? r.length : 0), 0);
  if (!cells.some((r) => r?.some((c) => !isEmptyCell(c)))) {
    return { ok: false, reason: "empty", problem: "empty", detail: "the sheet is empty" };
  }
  const at = (r: number, c: number): GridCell | null | undefined => cells[r]?.[c];

  // Spread merged header cells over the columns they cover, within the sheet's used range (a
  // merge may reach far beyond it: a whole sheet merged is a million rows of nothing).
  const merged = new Map<string, { text: string; left: number }>();
  for (const m of grid.merges ?? []) {
    const text = cellText(at(m.top, m.left));
    if (!text) continue;
    const bottom = Math.min(m.bottom, cells.length - 1);
    const right = Math.min(m.right, width - 1);
    for (let r = Math.max(0, m.top); r <= bottom; r++)
      for (let c = Math.max(0, m.left); c <= right; c++) merged.set(`${r},${c}`, { text, left: m.left });
  }
  // A merged cell's text counts for every column it covers, unless it starts left of the column
  // headers (a title over the whole table).
  let minLeft = 1;
  const headerText = (r: number, c: number): string => {
    const own = cellText(at(r, c));
    if (own) return own;
    const m = merged.get(`${r},${c}`);
    return m && m.left >= minLeft ? m.text : "";
  };
  const joinHeader = (rows: number[], c: number): string => {
    const pieces: string[] = [];
    for (const r of rows) {
      const t = headerText(r, c);
      // A cell merged over two header rows is one header, not two.
      if (t && t !== pieces[pieces.length - 1]) pieces.push(t);
    }
    return pieces.join(" ").replace(/\s+/g, " ").replace(/\/ /g, "/");
  };

  // 1. The header row: the first row with a budget header that has a comparison header near it.
  let headerRow = -1;
  let infos: Map<number, HeaderInfo> = new Map();
  let band: number[] = [];
  for (let r = 0; r < cells.length && headerRow < 0; r++) {
    const row = cells[r];
    if (!row) continue;
    let budgetCol = -1;
    for (let c = 1; c < row.length; c++) {
      const t = cellText(row[c]);
      if (t && /budget/i.test(t) && classifyHeader(t).kind === "budget") {
        budgetCol = c;
        break;
      }
    }
    if (budgetCol < 0) continue;
    // The header band: up to two rows above with header text over figure columns, and the rows
    // below until the first row with figures or a known label.
    minLeft = 1;
    const headerCols = new Set<number>();
    for (let c = 1; c < width; c++) if (classifyHeader(headerText(r, c)).kind) headerCols.add(c);
    minLeft = Math.min(budgetCol, ...headerCols);
    const rows = [r];
    for (let up = r - 1; up >= Math.max(0, r - 2); up--) {
      let has = false;
      let clash = false;
      for (const c of headerCols) {
        const t = headerText(up, c);
        if (t) has = true;
        if (isFigure(at(up, c), true)) clash = true;
      }
      if (!has || clash) break;
      rows.unshift(up);
    }
    for (let down = r + 1; down < Math.min(cells.length, r + 4); down++) {
      let text = false;
      let figure = false;
      for (let c = 1; c < width; c++) {
        const cell = at(down, c);
        if (isFigure(cell, true)) figure = true;
        else if (cellText(cell)) text = true;
      }
      let known = false;
      for (let c = 0; c < minLeft; c++) {
        const t = cellText(at(down, c));
        if (t && templates.some((tpl) => findLine(tpl, normalizeLabel(t)) >= 0)) known = true;
      }
      if (figure || known || !text) break;
      rows.push(down);
    }
    const colInfos = new Map<number, HeaderInfo>();
    const entityRow: ("kommun" | "koncern" | null)[] = new Array(width).fill(null);
    for (const br of rows) {
      let current: "kommun" | "koncern" | null = null;
      for (let c = 0; c < width; c++) {
        const t = headerText(br, c).toLocaleLowerCase("sv");
        if (/^(kommunen|kommun|koncernen|koncern)$/.test(t)) current = t.startsWith("koncern") ? "koncern" : "kommun";
        if (current && !entityRow[c]) entityRow[c] = current;
      }
    }
    for (let c = 0; c < width; c++) {
      const text = joinHeader(rows, c);
      if (!text) continue;
      const info = classifyHeader(text);
      if (!info.entity && entityRow[c]) info.entity = entityRow[c];
      if (info.kind) colInfos.set(c, info);
    }
    const kinds = [...colInfos.values()].map((i) => i.kind);
    // Joined with the rows above, the budget header may have become another column's.
    if (!kinds.includes("budget") || !(kinds.includes("forecast") || kinds.includes("outcome"))) continue;
    headerRow = r;
    infos = colInfos;
    band = rows;
  }
  if (headerRow < 0) {
    return {
      ok: false,
      reason: "no-table",
      problem: "no-header",
      detail: "no header row names both a budget column and a forecast or outcome column",
    };
  }
  const firstDataRow = band[band.length - 1] + 1;
  const columns = [...infos.entries()].map(([col, info]) => ({ col, info, header: joinHeader(band, col) }));

  // 2. The budget column: a full-year budget if there is one, else the first.
  const budgets = columns.filter((c) => c.info.kind === "budget");
  const budget = budgets.find((c) => c.info.period === "year") ?? budgets[0];

  // 3. The label column: left of the budget, the one where template labels are found most.
  const scanEnd = Math.min(cells.length, firstDataRow + 2000);
  let labelCol = -1;
  let bestScore = -1;
  for (let c = 0; c < budget.col; c++) {
    // A column headed as figures (a forecast, a deviation) holds no labels, whatever is typed in it.
    if (infos.has(c)) continue;
    const { known, texts } = labelsIn(cells, c, firstDataRow, scanEnd, templates);
    const score = known * 1000 + texts;
    if (texts > 0 && score > bestScore) {
      bestScore = score;
      labelCol = c;
    }
  }
  if (labelCol < 0) {
    return {
      ok: false,
      reason: "no-table",
      problem: "no-labels",
      detail: "no column of row labels left of the budget column",
    };
  }

  // 4. The comparison column: a forecast before an outcome, then the budget's year, entity and period.
  const comparisons = columns.filter((c) => c.info.kind === "forecast" || c.info.kind === "outcome");
  // The budget's year weighs most: a forecast for another year is not this budget's forecast.
  const score = (c: Column): number =>
    (c.info.year === budget.info.year ? 100 : c.info.year === null || budget.info.year === null ? 50 : 0) +
    (c.info.kind === "forecast" ? (budget.info.period === "ytd" ? 20 : 40) : budget.info.period === "ytd" ? 40 : 20) +
    ((c.info.entity ?? "kommun") === (budget.info.entity ?? "kommun") ? 8 : 0) +
    (c.info.period === budget.info.period ? 6 : 0) -
    Math.abs(c.col - budget.col) * 0.01;
  const ranked = [...comparisons].sort((a, b) => score(b) - score(a));
  const comparison = ranked[0];
  const comparisonKind = comparison.info.kind === "forecast" ? "forecast" : "outcome";

  // 5. The deviation column, or the next free column.
  const wanted = comparisonKind === "forecast" ? /prognos/i : /utfall|bokslut/i;
  const deviations = columns
    .filter((c) => c.info.kind === "deviation")
    .sort(
      (a, b) =>
        Number(wanted.test(b.header)) - Number(wanted.test(a.header)) ||
        Number(b.col > comparison.col) - Number(a.col > comparison.col) ||
        Math.abs(a.col - comparison.col) - Math.abs(b.col - comparison.col),
    );

  // 6. The rows of the table, each label looked up in every template once.
  // Sized once for every row below the header (a large sheet would otherwise regrow them many
  // times); `count` of them are used.
  const room = Math.max(0, cells.length - firstDataRow);
  const rowOf: number[] = new Array<number>(room).fill(0);
  const labelOf: string[] = new Array<string>(room).fill("");
  const normOf: string[] = new Array<string>(room).fill("");
  const hasFigures: boolean[] = new Array<boolean>(room).fill(false);
  const matches: number[][] = templates.map(() => new Array<number>(room).fill(-1));
  let count = 0;
  // Sheets list their lines in the template's order: the line after the last one found is tried
  // before the template's label index.
  const next = templates.map(() => 0);
  let secondTableRow: number | undefined;
  const deviationCol = deviations[0]?.col ?? -1;
  // Each pass over the rows is a function of its own: a large function with a hot loop is
  // compiled whole, and compiled again whenever one of its assumptions fails.
  /** Reads row r; false when it starts a second table. */
  const readRow = (r: number): boolean => {
    const row = cells[r];
    if (!row) return true;
    const raw = row[labelCol];
    const label = typeof raw?.v === "string" ? raw.v.trim() : "";
    // Budget or comparison figures make a line; a deviation formula filled down through a
    // heading row does not.
    const amounts = isFigure(row[budget.col]) || isFigure(row[comparison.col]);
    const devCell = deviationCol >= 0 ? row[deviationCol] : undefined;
    const figure = amounts || (isFigure(devCell) && !devCell!.f);
    if (!figure && label === "") return true;
    if (!figure) {
      // A second table starts where a row names a budget column again.
      let header = false;
      for (let c = labelCol + 1; c < row.length; c++) {
        const t = cellText(row[c]);
        if (t && /budget/i.test(t) && classifyHeader(t).kind === "budget") header = true;
      }
      if (header) {
        secondTableRow = r;
        return false;
      }
    }
    const norm = label === "" ? "" : normalizeLabel(label);
    let known = false;
    for (let t = 0; t < templates.length; t++) {
      const tpl = templates[t];
      const m = norm === "" ? -1 : tpl.labels[next[t]] === norm ? next[t] : findLine(tpl, norm);
      matches[t][count] = m;
      if (m >= 0) {
        known = true;
        next[t] = m + 1;
      }
    }
    if (!figure && !known) return true;
    rowOf[count] = r;
    labelOf[count] = label;
    normOf[count] = norm;
    hasFigures[count] = amounts;
    count++;
    return true;
  };
  for (let r = firstDataRow; r < cells.length; r++) if (!readRow(r)) break;

  // 7. The template: the one whose lines the label column matches most.
  let chosen = 0;
  if (options.templateId !== undefined) {
    chosen = templates.findIndex((x) => x.template.id === options.templateId);
    if (chosen < 0) {
      return {
        ok: false,
        reason: "no-table",
        problem: "no-template",
        detail: `no template with id "${options.templateId}"`,
      };
    }
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
  const template = templates[chosen];
  // 8. The lines, and the parts of each sum line among the lines present.
  const lines = tableLines(template, matches[chosen], count, rowOf, labelOf, normOf, hasFigures);
  if (lines.length === 0) {
    return {
      ok: false,
      reason: "no-table",
      problem: "no-lines",
      detail: "the table has a header but no lines with figures",
    };
  }

  let deviation: Table["deviation"];
  if (deviations[0]) {
    deviation = { ...deviations[0], proposed: false };
  } else {
    // The first column right of the table that is empty from the header to the table's end (a
    // figure on a row that is not a line would make it one once the column is headed).
    let col = Math.max(budget.col, comparison.col, ...columns.map((c) => c.col)) + 1;
    const end = secondTableRow ?? cells.length;
    const free = (c: number): boolean => {
      if (!band.every((br) => isEmptyCell(at(br, c)) && !merged.has(`${br},${c}`))) return false;
      for (let r = firstDataRow; r < end; r++) if (!isEmptyCell(at(r, c))) return false;
      return true;
    };
    while (!free(col)) col++;
    deviation = {
      col,
      header: "Avvikelse",
      info: { kind: "deviation", year: null, period: "year", entity: null },
      proposed: true,
    };
  }

  const unitTexts: string[] = [];
  for (let r = Math.max(0, band[0] - 10); r < firstDataRow; r++) {
    for (let c = 0; c < width; c++) {
      const t = cellText(at(r, c));
      if (t) unitTexts.push(t);
    }
  }
  const unit = findUnit(unitTexts);

  return {
    ok: true,
    table: {
      sheet: grid.sheet,
      origin,
      headerRow,
      firstDataRow,
      labelCol,
      budget,
      comparison,
      comparisonKind,
      otherComparisons: ranked.slice(1),
      deviation,
      unit,
      template,
      lines,
      secondTableRow,
    },
  };
}
