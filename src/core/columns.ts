import { classifyInto, type Classified } from "./figures";
import { cellText, isEmptyCell, isFigure, type Header, type HeaderCells, type HeaderColumn } from "./header";
import { findLine, normalizeLabel, type TemplateIndex } from "./templates";

/**
 * Pass 2, the columns: which column is the budget, which the comparison (a full-year forecast
 * before an outcome), which the deviation, and which holds the row labels.
 */

export interface Columns {
  budget: HeaderColumn;
  comparison: HeaderColumn;
  comparisonKind: "forecast" | "outcome";
  /** Comparison columns that were not chosen, best first. */
  otherComparisons: HeaderColumn[];
  /** The entered deviation column, if the sheet has one. */
  deviation: HeaderColumn | null;
  labelCol: number;
  unit: string | null;
}

const UNITS: [RegExp, string][] = [
  [/\b(mnkr|mkr|mdkr|miljoner kronor|mn kr|mn\.? kr|mkr\.)\b/i, "mnkr"],
  [/\b(tkr|tusental kronor|tusen kronor|tkr\.)\b/i, "tkr"],
  [/\b(kronor|kr)\b/i, "kr"],
];

export function findUnit(texts: readonly string[]): string | null {
  for (const [re, unit] of UNITS) {
    for (const t of texts) {
      const m = re.exec(t);
      if (m) return unit === "mnkr" && /^mdkr$/i.test(m[1]) ? "mdkr" : unit;
    }
  }
  return null;
}

/**
 * The budget column: one headed as the year's ("Årsbudget", "Budget helår") if there is one, else
 * a full-year budget, else the first; never an earlier year's ("Budget fg år") while there is another.
 */
export function budgetColumn(header: Header): HeaderColumn {
  const all = header.columns.filter((c) => c.info.kind === "budget");
  const current = all.filter((c) => !c.info.earlier);
  const budgets = current.length > 0 ? current : all;
  const year = budgets.filter((c) => c.info.period === "year");
  return year.find((c) => /års|helår/i.test(c.header)) ?? year[0] ?? budgets[0];
}

/** What figures a header says its column holds, besides their kind: revenue, costs, a result, net costs. */
export function what(header: string): string {
  return (
    /nettokostnad|intäkt|kostnad|resultat/i.exec(header.replace(/budget|prognos|utfall/gi, ""))?.[0].toLowerCase() ?? ""
  );
}

/**
 * The comparison columns, best first: of the budget's year (a column of another year is not this
 * budget's forecast), a full-year forecast before anything else (a year-to-date outcome never
 * beats it), then the latest forecast, the budget's period and entity, and the nearest column.
 * An outcome headed with the budget's own year, for the whole year, is that year's outcome: it
 * comes before a forecast that does not name the year ("Prognos aug", made during it), though
 * after one that does. An earlier forecast or an earlier year's outcome ("Fg prognos", "Utfall fg
 * år") comes after every other of the year.
 */
export function rankComparisons(header: Header, budget: HeaderColumn): HeaderColumn[] {
  const year = budget.info.year;
  const budgetWhat = what(budget.header);
  const score = (c: HeaderColumn): number => {
    const i = c.info;
    const sameYear = i.year === year ? 2 : i.year === null || year === null ? 1 : 0;
    const named = year !== null && i.year === year;
    const fullYearForecast = i.kind === "forecast" && i.period === "year" ? (named ? 1 : 0.5) : 0;
    const yearOutcome = i.kind === "outcome" && i.period === "year" && named ? 0.75 : 0;
    const forecast = i.kind === "forecast" ? 1 : 0;
    const samePeriod = i.period === budget.info.period ? 1 : 0;
    const sameEntity = (i.entity ?? "kommun") === (budget.info.entity ?? "kommun") ? 1 : 0;
    // "Budget kostnader" goes with "Prognos kostnader", not "Prognos intäkter".
    const sameWhat = what(c.header) === budgetWhat ? 1 : 0;
    return (
      (sameYear > 0 ? 1e6 : 0) +
      (i.earlier ? 0 : 4e5) +
      (budget.info.period === "ytd"
        ? samePeriod * 1e5 + forecast * 1e4
        : Math.max(fullYearForecast, yearOutcome) * 2e5 + samePeriod * 1e4) +
      sameYear * 1e3 +
      sameWhat * 500 +
      i.made * 20 +
      sameEntity * 10 -
      Math.abs(c.col - budget.col) * 0.01
    );
  };
  return header.columns
    .filter((c) => c.info.kind === "forecast" || c.info.kind === "outcome")
    .map((c) => ({ c, s: score(c) }))
    .sort((a, b) => b.s - a.s)
    .map(({ c }) => c);
}

/** Whether a deviation column can be one of a comparison's: not under another period's heading ("Period" beside "Helår"). */
function samePeriodGroup(deviation: HeaderColumn, comparison: HeaderColumn): boolean {
  return !(deviation.info.grouped || comparison.info.grouped) || deviation.info.period === comparison.info.period;
}

/** The deviation column that goes with the comparison: named for it, right of it, nearest. */
export function deviationColumn(header: Header, comparison: HeaderColumn): HeaderColumn | null {
  const wanted = comparison.info.kind === "forecast" ? /prognos/i : /utfall|bokslut|redovisning|nettokostnad/i;
  const deviations = header.columns
    .filter((c) => c.info.kind === "deviation" && samePeriodGroup(c, comparison))
    .sort(
      (a, b) =>
        Number(wanted.test(b.header)) - Number(wanted.test(a.header)) ||
        Number(b.col > comparison.col) - Number(a.col > comparison.col) ||
        Math.abs(a.col - comparison.col) - Math.abs(b.col - comparison.col),
    );
  return deviations[0] ?? null;
}

/**
 * How many rows below the header have a deviation in column `deviation` that is `comparison` −
 * `budget` (or the reverse: the sign is the convention's), within rounding, of the rows where all
 * three are numbers and the two differ. Read down to the first 2 000 rows.
 */
function deviationAgreement(
  sheet: HeaderCells,
  header: Header,
  budget: number,
  comparison: number,
  deviation: number,
): { agree: number; checked: number } {
  const cells = sheet.grid.cells;
  const end = Math.min(cells.length, header.firstDataRow + 2000);
  const c: Classified = { state: 0, cents: NaN };
  const read = (row: (typeof cells)[number], col: number): number => {
    classifyInto(row?.[col], c);
    return c.cents;
  };
  let agree = 0;
  let checked = 0;
  for (let r = header.firstDataRow; r < end; r++) {
    const row = cells[r];
    if (!row) continue;
    const b = read(row, budget);
    const m = read(row, comparison);
    const d = read(row, deviation);
    if (b !== b || m !== m || d !== d || b === m) continue;
    checked++;
    // Within one and a half of the smallest step the three are printed in.
    const step = Number.isInteger(b / 100) && Number.isInteger(m / 100) && Number.isInteger(d / 100) ? 100 : 10;
    if (Math.abs(Math.abs(d) - Math.abs(m - b)) <= (step * 3) / 2) agree++;
  }
  return { agree, checked };
}

/**
 * Where the sheet has a deviation column, its figures say which column it compares with the budget
 * (an annual report's "Utfall 2025 | Budget 2025 | Avvikelse" beside an earlier "Prognos aug"):
 * of the comparisons of the budget's year and period, the one a deviation column agrees with on
 * most of its rows, if that is not the one the headers ranked first.
 */
function comparisonByDeviation(
  sheet: HeaderCells,
  header: Header,
  budget: HeaderColumn,
  ranked: HeaderColumn[],
): { comparison: HeaderColumn; deviation: HeaderColumn } | null {
  const deviations = header.columns.filter((c) => c.info.kind === "deviation");
  if (deviations.length === 0 || ranked.length < 2) return null;
  const year = budget.info.year;
  const candidates = ranked.filter(
    (c) => c.info.period === budget.info.period && (c.info.year === null || year === null || c.info.year === year),
  );
  let best: { comparison: HeaderColumn; deviation: HeaderColumn; agree: number } | null = null;
  let first = 0;
  for (const candidate of candidates) {
    for (const deviation of deviations) {
      if (!samePeriodGroup(deviation, candidate)) continue;
      const { agree, checked } = deviationAgreement(sheet, header, budget.col, candidate.col, deviation.col);
      if (checked < 2 || agree * 2 < checked) continue;
      if (candidate === ranked[0]) first = Math.max(first, agree);
      if (!best || agree > best.agree) best = { comparison: candidate, deviation, agree };
    }
  }
  return best && best.comparison !== ranked[0] && best.agree > first ? best : null;
}

/**
 * Where no column is headed as a deviation, a column headed "Resultat" beside the budget and an
 * outcome ("Utfall | Årsbudget | Resultat") is the result against the budget when its figures are
 * that: the sheet's deviation. Of the comparisons of the budget's period, the one it agrees with
 * on at least three rows in four, most rows first. Left empty, it is where the deviation goes,
 * against the comparison the headers rank first.
 */
function resultAsDeviation(
  sheet: HeaderCells,
  header: Header,
  budget: HeaderColumn,
  ranked: HeaderColumn[],
): { comparison: HeaderColumn; deviation: HeaderColumn } | null {
  if (header.columns.some((c) => c.info.kind === "deviation")) return null;
  const period = budget.info.period;
  let best: { comparison: HeaderColumn; deviation: HeaderColumn; agree: number } | null = null;
  for (const result of ranked) {
    if (result.info.period !== period || !/^(årets\s+)?resultat\b/i.test(result.header)) continue;
    const asDeviation = { ...result, info: { ...result.info, kind: "deviation" as const } };
    if (!best && isEmptyColumn(sheet, header, result.col)) {
      const first = ranked.find((c) => c !== result && c.info.period === period);
      if (first) best = { comparison: first, deviation: asDeviation, agree: 0 };
      continue;
    }
    for (const candidate of ranked) {
      if (candidate === result || candidate.info.period !== period) continue;
      const { agree, checked } = deviationAgreement(sheet, header, budget.col, candidate.col, result.col);
      if (checked < 2 || agree * 4 < checked * 3 || (best && agree <= best.agree)) continue;
      best = { comparison: candidate, deviation: asDeviation, agree };
    }
  }
  return best;
}

/** Whether a column holds nothing below the header (read down to the first 2 000 rows). */
function isEmptyColumn(sheet: HeaderCells, header: Header, col: number): boolean {
  const end = Math.min(sheet.grid.cells.length, header.firstDataRow + 2000);
  for (let r = header.firstDataRow; r < end; r++) if (!isEmptyCell(sheet.at(r, col))) return false;
  return true;
}

/** How many texts a column holds between two rows, and how many of them a template knows. */
function labelsIn(
  sheet: HeaderCells,
  c: number,
  from: number,
  to: number,
  templates: readonly TemplateIndex[],
): { known: number; texts: number } {
  let known = 0;
  let texts = 0;
  for (let r = from; r < to; r++) {
    const t = cellText(sheet.at(r, c));
    if (!t || /^\d+$/.test(t)) continue;
    texts++;
    if (templates.length === 0) continue;
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

/** Whether a column holds texts below the header and no figure (read down to the first 2 000 rows). */
function holdsOnlyTexts(sheet: HeaderCells, header: Header, col: number): boolean {
  const end = Math.min(sheet.grid.cells.length, header.firstDataRow + 2000);
  let texts = 0;
  for (let r = header.firstDataRow; r < end; r++) {
    const cell = sheet.at(r, col);
    if (isFigure(cell)) return false;
    if (cellText(cell) !== "") texts++;
  }
  return texts >= 2;
}

/** Whether a forecast or outcome column other than `col` is headed: the table is read without `col`'s figures. */
function comparedElsewhere(header: Header, col: number): boolean {
  return header.columns.some((c) => c.col !== col && (c.info.kind === "forecast" || c.info.kind === "outcome"));
}

/**
 * The label column: left of the budget, the one where template labels are found most, then the
 * one with most texts; never a column headed as figures, unless it holds texts and no figure
 * (the labels' own header names the table: "Utfall 2023 per sektor (tkr)").
 */
export function labelColumn(
  sheet: HeaderCells,
  header: Header,
  budget: HeaderColumn,
  templates: readonly TemplateIndex[],
): number {
  const headed = new Set(header.columns.map((c) => c.col));
  const end = Math.min(sheet.grid.cells.length, header.firstDataRow + 2000);
  const candidates: number[] = [];
  for (let c = 0; c < budget.col; c++) {
    if (!headed.has(c) || (comparedElsewhere(header, c) && holdsOnlyTexts(sheet, header, c))) candidates.push(c);
  }
  // With one column to choose from, only whether it holds texts counts.
  const withTemplates = candidates.length > 1 ? templates : [];
  let labelCol = -1;
  let best = -1;
  for (const c of candidates) {
    const { known, texts } = labelsIn(sheet, c, header.firstDataRow, end, withTemplates);
    const score = known * 1000 + texts;
    if (texts > 0 && score > best) {
      best = score;
      labelCol = c;
    }
  }
  return labelCol;
}

/** Pass 2: the table's columns, or null when no column left of the budget holds labels. */
export function classifyColumns(
  sheet: HeaderCells,
  headed: Header,
  templates: readonly TemplateIndex[],
): Columns | null {
  const budget = budgetColumn(headed);
  const labelCol = labelColumn(sheet, headed, budget, templates);
  if (labelCol < 0) return null;
  // The labels' column is no figure column, whatever its header says.
  const header = { ...headed, columns: headed.columns.filter((c) => c.col !== labelCol) };
  const ranked = rankComparisons(header, budget);
  const byDeviation =
    resultAsDeviation(sheet, header, budget, ranked) ?? comparisonByDeviation(sheet, header, budget, ranked);
  const comparison = byDeviation?.comparison ?? ranked[0];
  const deviation = byDeviation?.deviation ?? deviationColumn(header, comparison);
  return {
    budget,
    comparison,
    comparisonKind: comparison.info.kind === "forecast" ? "forecast" : "outcome",
    otherComparisons: ranked.filter((c) => c !== comparison && c.col !== deviation?.col),
    deviation,
    labelCol,
    unit: findUnit(header.texts),
  };
}
