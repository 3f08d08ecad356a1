import { lineNumbers, type LineNumbers } from "./arrays";
import { additiveTerms, blankBranch } from "./formula";
import { dependenciesFirst } from "./order";
import { printedStep, sumTolerance } from "./rounding";
import type { RowMark, SheetRows } from "./lines";
import { classifyInto, type Classified } from "./figures";
import { isItemisingLabel, normalizeLabel, type TemplateIndex, type TemplateLine } from "./templates";
import type { Grid, Nature } from "./types";

/**
 * Pass 4, the structure: which lines are sums and of which parts, which itemise the line above
 * them ("varav"), and what each line is (revenue, a cost, a result). A template's sums come first;
 * a line whose words or formula make it a sum takes the block of lines it closes (below them) or
 * heads (above them).
 */

export type LineKind = "input" | "sum" | "of" | "unknown";

/** Where a line's nature was learnt. "activity": a line no word explains, taken as a net cost. */
export type NatureSource = "template" | "words" | "parts" | "itemised" | "activity" | "header";

/** One line of a table, as an object (see Lines). */
export interface TableLine {
  /** Grid row index. */
  row: number;
  label: string;
  /** The template line it matched, or null; and where that line is in the template (-1: none). */
  line: TemplateLine | null;
  lineIndex: number;
  kind: LineKind;
  nature: Nature;
  natureFrom: NatureSource;
  /** Indexes into Table.lines of a sum line's parts (empty for other lines). */
  parts: number[];
  /** For a "varav" line: the index of the line it itemises. */
  itemises?: number;
  /** The row of an earlier line with the same template line (this one is then unknown). */
  duplicateOf?: number;
  /** For a line no template knows that stands among a template sum's parts: that sum's index. */
  partOf?: number;
  /** An investment line below the operating table: part of no sum. */
  outside: boolean;
}

/** Line kinds, as Lines.kind holds them. */
export const INPUT = 0;
export const SUM = 1;
export const OF = 2;
export const UNKNOWN = 3;
export const KINDS: readonly LineKind[] = ["input", "sum", "of", "unknown"];
/** Natures, as Lines.nature holds them. */
export const COST = 0;
export const REVENUE = 1;
export const RESULT = 2;
export const NATURES: readonly Nature[] = ["cost", "revenue", "result"];
const natureCode = (nature: Nature): number => (nature === "cost" ? COST : nature === "revenue" ? REVENUE : RESULT);
/** Where natures were learnt, as Lines.natureFrom holds them. */
const FROM_TEMPLATE = 0;
const FROM_WORDS = 1;
const FROM_PARTS = 2;
const FROM_ITEMISED = 3;
const FROM_ACTIVITY = 4;
const FROM_HEADER = 5;
export const NATURE_SOURCES: readonly NatureSource[] = ["template", "words", "parts", "itemised", "activity", "header"];

/**
 * The lines of a table, an array per field: line i's row is `row[i]`, its kind `kind[i]`, and so
 * on (-1 where a line has no such index). A sheet may have hundreds of thousands of lines, and
 * every pass reads a field or two of each: from arrays that is several times faster than from as
 * many objects, and leaves the garbage collector nothing to do. `tableLines` makes the objects.
 */
export interface Lines {
  count: number;
  row: LineNumbers;
  label: string[];
  /** The template line it matched (-1: none). */
  lineIndex: LineNumbers;
  kind: Uint8Array;
  nature: Uint8Array;
  natureFrom: Uint8Array;
  /** A sum line's parts, in order (other lines share one empty array). */
  parts: number[][];
  /** A "varav" line's index of the line it itemises. */
  itemises: LineNumbers;
  /** The index of an earlier line with the same template line (this one is then unknown). */
  duplicateOf: LineNumbers;
  /** For a line no template knows that stands among a template sum's parts: that sum's index. */
  partOf: LineNumbers;
  /** 1 for an investment line below the operating table: part of no sum. */
  outside: Uint8Array;
  /** The natures the lines have. */
  natures: Set<Nature>;
}

/** Whether line i's nature was learnt from the template, its label's words or the columns' headers (a sign can then be wrong). */
export function natureIsKnown(lines: Lines, i: number): boolean {
  const from = lines.natureFrom[i];
  return from === FROM_TEMPLATE || from === FROM_WORDS || from === FROM_HEADER;
}

/** Line i as an object. */
export function tableLine(lines: Lines, defs: readonly TemplateLine[], i: number): TableLine {
  const m = lines.lineIndex[i];
  const itemises = lines.itemises[i];
  const duplicateOf = lines.duplicateOf[i];
  const partOf = lines.partOf[i];
  return {
    row: lines.row[i],
    label: lines.label[i],
    line: m >= 0 ? defs[m] : null,
    lineIndex: m,
    kind: KINDS[lines.kind[i]],
    nature: NATURES[lines.nature[i]],
    natureFrom: NATURE_SOURCES[lines.natureFrom[i]],
    parts: lines.parts[i],
    itemises: itemises >= 0 ? itemises : undefined,
    duplicateOf: duplicateOf >= 0 ? lines.row[duplicateOf] : undefined,
    partOf: partOf >= 0 ? partOf : undefined,
    outside: lines.outside[i] === 1,
  };
}

/** Every line as an object. */
export function tableLines(lines: Lines, defs: readonly TemplateLine[]): TableLine[] {
  const out: TableLine[] = new Array(lines.count);
  for (let i = 0; i < lines.count; i++) out[i] = tableLine(lines, defs, i);
  return out;
}

export interface Structure {
  lines: Lines;
  /** Totals whose block could end at more than one place and whose figures chose another than their words: per line, the rows the words pointed to. */
  readings: Map<number, number[]>;
  /** Lines that are sums only by their formulas: what is written into them stays a formula, or they would be sums no more. */
  formulaSums: Set<number>;
  /** Whether the template explains the table (then a line it does not know is reported). */
  templateFits: boolean;
}

/** The parts of a line that is not a sum (shared: never written to). */
const NO_PARTS: number[] = [];

const SUM_WORDS =
  /^\s*(summa|s:a|totalt?|totala|netto)\b|\b(totalt?|netto|summa)[\s:]*$|^\s*resultat\b|^\s*(årets|periodens|nämndens|verksamhetens) resultat\b|^\s*(rörelse|drift|netto)resultat\b|^\s*res\.?\s+(efter|före)\b/i;
/** Words of a total over everything open above it, not only the last run of lines. */
const GRAND_WORDS = /\b(totalt?|netto|resultat|nämnd(en|erna)?|kommun(en)?|styrelse(n)?)\b|nämnden\b|nämnd\b/;
/** Words that make a line a total only when its figures agree: the whole municipality. */
const WEAK_WORDS = /\bkommun(en)?\b/;
const INVESTMENT = /investering/;
/** A bare section word: without figures it heads a section, even where a template knows it as a total. */
const SECTION_WORDS = /^(intäkter|kostnader|utgifter|inkomster)$/;

const COST_WORDS = /kostnad|hyr|köp|lön|personal|avskrivning|utgift|förbrukning|material|\bnetto\b|nettokostnad/;
const REVENUE_WORDS =
  /intäkt|kommunbidrag|statsbidrag|generella (bidrag|stats)|skatt(?!efinansier)|\bavgift(er)?\b|försäljning|inkomst|ersättning(ar)? från|^bidrag$/;
const RESULT_WORDS = /resultat|finansnetto|överskott|underskott/;

/** What a label says a line is, if it says it. */
export function natureFromWords(normalized: string): Nature | null {
  if (RESULT_WORDS.test(normalized)) return "result";
  if (REVENUE_WORDS.test(normalized) && !/nettokostnad|kostnad/.test(normalized)) return "revenue";
  if (COST_WORDS.test(normalized)) return "cost";
  return null;
}

/** A label that makes its line a total: Summa, S:a, Totalt, Total, Netto, Resultat ("Rörelseresultat", "Res efter kommunbidrag"; not an item such as "Exploateringsresultat"), "Nämnden totalt". */
export function hasSumWords(label: string): boolean {
  return SUM_WORDS.test(label);
}

/** The figures a sum's candidate parts are tried against, read when a total's block is ambiguous. */
interface Amounts {
  budget(i: number): number;
  comparison(i: number): number;
  /** A line's nature before every sum's parts are known: its template's, its words', else a net cost. */
  nature(i: number): Nature;
}

export interface StructureInput {
  grid: Grid;
  rows: SheetRows;
  template: TemplateIndex;
  /** The template's match per line (from rows.matches). */
  match: ArrayLike<number>;
  /** Whether the template fits the table well enough for its strays to be reported. */
  templateFits: boolean;
  budgetCol: number;
  comparisonCol: number;
  /** Whether the figures are results (a table of each committee's result): then a line no word explains is a result, not a net cost. */
  linesAreResults: boolean;
  /** What the budget's and the comparison's headers both say every figure is ("Budget kostnader", "Utfall kostnader"): a cost or revenue code, else -1. */
  figuresAre: number;
}

/** Pass 4: the lines of the table with their kinds, parts and natures. */
export function buildStructure(input: StructureInput): Structure {
  const { lines, marks, instances } = makeLines(input);
  const template = input.template;
  // A template that does not explain the table gives its totals no parts: the block rule reads
  // them (a committee's "Totala kostnader" may take in its "Finansnetto").
  if (input.templateFits) templateSums(lines, template, instances);
  nestSubtotals(lines);
  const amounts = lazyAmounts(input.grid, lines, template, input.budgetCol, input.comparisonCol);
  const readings = new Map<number, number[]>();
  const formulaSums = new Set<number>();
  blockSums(lines, marks, input, amounts, readings, formulaSums);
  if (input.templateFits) markStrays(lines);
  // In a table of results that its template does not explain, the figures are results whatever
  // a line is called ("Lokaler" is a company, not premises rent).
  const templateNatures = input.templateFits || !input.linesAreResults;
  assignNatures(
    lines,
    template,
    input.linesAreResults ? RESULT : COST,
    templateNatures,
    input.figuresAre,
    sectionNatures(lines, marks),
  );
  return { lines, templateFits: input.templateFits, readings, formulaSums };
}

/** Marks every line that is some sum's part. (Loops over parts index them: on a large sheet, an iterator per sum costs more than the loop.) */
function markParts(lines: Lines, isPart: Uint8Array): void {
  for (let i = 0; i < lines.count; i++) {
    const parts = lines.parts[i];
    for (let k = 0; k < parts.length; k++) isPart[parts[k]] = 1;
  }
}

/** In a table its template explains, a line it does not know that no sum takes in is a stray: reported. */
function markStrays(lines: Lines): void {
  const n = lines.count;
  const isPart = new Uint8Array(n);
  markParts(lines, isPart);
  for (let i = 0; i < n; i++) {
    if (lines.lineIndex[i] < 0 && lines.kind[i] === INPUT && lines.outside[i] === 0 && isPart[i] === 0) {
      lines.kind[i] = UNKNOWN;
    }
  }
}

/**
 * The lines with their template lines, itemising and duplicate lines marked, and the rows between
 * them: blank rows, and headings (a template's label without figures where the template does not
 * explain the table, or where its line appears with figures elsewhere).
 */
function makeLines(input: StructureInput): { lines: Lines; marks: RowMark[]; instances: number[] } {
  const { rows, template, match } = input;
  const defs = template.template.lines;
  // A label without figures whose line also appears with figures is a section heading
  // ("Kostnader" above the cost lines, "Summa kostnader" below them).
  // So is one without figures that the same line follows again further down (a heading
  // "Kostnader" above the costs, "Summa kostnader" still to be filled in below them).
  const withFigures = new Uint8Array(defs.length);
  const lastAt = lineNumbers(defs.length, -1, Int32Array);
  for (let j = 0; j < rows.count; j++) {
    if (match[j] < 0) continue;
    if (rows.figures[j]) withFigures[match[j]] = 1;
    lastAt[match[j]] = j;
  }
  // Where the template does not explain the table, its labels without any figure ("Intäkter",
  // "Kostnader") head sections, unless nothing else in the table has figures.
  let figured = false;
  for (let j = 0; j < rows.count && !figured; j++) figured = rows.anyFigure[j] === 1;
  const headingsWithoutFigures = !input.templateFits && figured;
  const marks: RowMark[] = [...rows.marks];
  // First the rows that are lines (the others are headings: few), then the lines' fields.
  const headingAt: number[] = [];
  const itemising = new Uint8Array(rows.count);
  for (let j = 0; j < rows.count; j++) {
    const label = rows.label[j];
    if (isItemisingLabel(label)) itemising[j] = 1;
    const m = itemising[j] === 1 ? -1 : match[j];
    if (m >= 0 && !rows.figures[j]) {
      const heading =
        headingsWithoutFigures &&
        !rows.anyFigure[j] &&
        ((defs[m].sum ?? []).length === 0 || SECTION_WORDS.test(normalizeLabel(label))) &&
        !hasSumWords(label);
      if (withFigures[m] === 1 || lastAt[m] > j || heading) {
        marks.push({ kind: "heading", row: rows.row[j], text: label, before: -1 });
        headingAt.push(j);
      }
    }
  }
  const n = rows.count - headingAt.length;
  // Where every row read is a line (no headings among them), the rows' arrays are the lines'.
  const same = headingAt.length === 0;
  const lines: Lines = {
    count: n,
    row: same ? rows.row : lineNumbers(n, 0, Int32Array),
    label: same ? rows.label : new Array<string>(n),
    lineIndex: lineNumbers(n, -1, Int32Array),
    kind: new Uint8Array(n),
    nature: new Uint8Array(n),
    natureFrom: new Uint8Array(n),
    parts: new Array<number[]>(n).fill(NO_PARTS),
    itemises: lineNumbers(n, -1, Int32Array),
    duplicateOf: lineNumbers(n, -1, Int32Array),
    partOf: lineNumbers(n, -1, Int32Array),
    outside: new Uint8Array(n),
    natures: new Set(),
  };
  const seen = lineNumbers(defs.length, -1, Int32Array);
  let lastPlain = -1;
  for (let i = 0, j = 0, h = 0; i < n; i++, j++) {
    while (h < headingAt.length && headingAt[h] === j) {
      h++;
      j++;
    }
    if (!same) {
      lines.row[i] = rows.row[j];
      lines.label[i] = rows.label[j];
    }
    if (itemising[j] === 1) {
      lines.kind[i] = OF;
      if (lastPlain >= 0) lines.itemises[i] = lastPlain;
      continue;
    }
    lastPlain = i;
    const m = match[j];
    if (m < 0) {
      if (INVESTMENT.test(normalizeLabel(rows.label[j]))) lines.outside[i] = 1;
      continue;
    }
    lines.lineIndex[i] = m;
  }
  if (headingAt.length > 0) marks.sort((a, b) => a.row - b.row);
  const instances = markDuplicates(lines, marks, seen, template);
  return { lines, marks, instances };
}

/**
 * Marks a template line that comes again as a duplicate of the first, unless a heading stands
 * between them and starts the template over: a committee's sheet of one block per activity
 * ("Gator och vägar" over its Intäkter, Personalkostnader, Övriga kostnader and Nettokostnad, then
 * "Grön miljö" over its own) holds one instance of the template per block. A section whose totals
 * need a subtotal that stands above its heading (an income statement's "Resultat efter finansiella
 * poster" below a heading, taking "Verksamhetens resultat" from above it) does not start the
 * template over. Gives the first line of each instance.
 */
function markDuplicates(
  lines: Lines,
  marks: readonly RowMark[],
  seenAt: LineNumbers,
  template: TemplateIndex,
): number[] {
  const n = lines.count;
  // The first line after each heading, in order.
  const sections: number[] = [];
  for (let i = 0, mark = 0; i < n; i++) {
    let heading = false;
    for (; mark < marks.length && marks[mark].row < lines.row[i]; mark++) heading ||= marks[mark].kind === "heading";
    if (heading) sections.push(i);
  }
  const instances = [0];
  let start = 0;
  const register = (i: number): void => {
    const m = lines.lineIndex[i];
    if (m < 0 || lines.kind[i] === OF) return;
    if (seenAt[m] >= start && seenAt[m] < i) {
      lines.kind[i] = UNKNOWN;
      lines.duplicateOf[i] = seenAt[m];
    } else {
      lines.kind[i] = INPUT;
      lines.duplicateOf[i] = -1;
      seenAt[m] = i;
    }
  };
  /** Whether the section from line `from` up to `to` holds its totals' subtotals itself, where the instance so far has them. */
  const standsAlone = (from: number, to: number): boolean => {
    const here = new Set<number>();
    for (let j = from; j < to; j++) if (lines.lineIndex[j] >= 0) here.add(lines.lineIndex[j]);
    for (const m of here) {
      for (const p of template.parts[m]) {
        if (template.parts[p].length > 0 && seenAt[p] >= start && seenAt[p] < from && !here.has(p)) return false;
      }
    }
    return true;
  };
  /** Per section: -1 not yet judged, 0 it does not start the template over, 1 it does. */
  const judged = new Int8Array(sections.length).fill(-1);
  let section = -1;
  for (let i = 0; i < n; i++) {
    while (section + 1 < sections.length && sections[section + 1] <= i) section++;
    const m = lines.lineIndex[i];
    const from = section >= 0 ? sections[section] : -1;
    if (m >= 0 && lines.kind[i] !== OF && seenAt[m] >= start && seenAt[m] < i && from > start) {
      if (judged[section] < 0) {
        judged[section] = standsAlone(from, section + 1 < sections.length ? sections[section + 1] : n) ? 1 : 0;
      }
      if (judged[section] === 1) {
        // The template starts over at the heading: its lines so far are read again.
        start = from;
        instances.push(start);
        for (let j = start; j < i; j++) register(j);
      }
    }
    register(i);
  }
  return instances;
}

/** Whether a line matched a template line and is not a repeat of an earlier one. */
function inTemplate(lines: Lines, i: number): boolean {
  return lines.lineIndex[i] >= 0 && lines.duplicateOf[i] < 0;
}

/**
 * Leaves out of template sum `k` (at line `at`) the parts that a line of the template outside it
 * stands between: the parts of a total stand together, beside it, and a line it does not take in
 * ("Nettokostnader" between "Verksamhetens kostnader" and a "Kapitalkostnad" further down) ends
 * its block. `present` holds each template line's line (-1: none). `parts` (line indexes) is
 * filtered in place; the parts left out are added to `left`.
 */
function cutOff(
  lines: Lines,
  at: number,
  k: number,
  parts: number[],
  parentOf: LineNumbers,
  present: LineNumbers,
  left: Set<number>,
): void {
  const outside = (j: number): boolean => {
    let m = lines.lineIndex[j];
    if (m < 0 || lines.duplicateOf[j] >= 0) return false;
    while (m >= 0 && m !== k) m = parentOf[m];
    return m !== k;
  };
  let lo = at;
  let hi = at;
  for (let q = 0; q < parts.length; q++) {
    lo = Math.min(lo, parts[q]);
    hi = Math.max(hi, parts[q]);
  }
  // The nearest line outside the sum on each side: parts beyond it are not this sum's.
  let below = hi + 1;
  for (let j = at + 1; j < hi; j++) {
    if (outside(j)) {
      below = j;
      break;
    }
  }
  let above = lo - 1;
  for (let j = at - 1; j > lo; j--) {
    if (outside(j)) {
      above = j;
      break;
    }
  }
  // A total with parts on both sides of it, and a total that takes it in further along one side:
  // its parts on that side stand in the outer total's block ("Jämförelsestörande poster" printed
  // below "Resultat efter finansiella poster", above "Årets resultat") and are not its.
  let before = 0;
  let after = 0;
  for (let q = 0; q < parts.length; q++) {
    if (parts[q] < below && parts[q] > above) {
      if (parts[q] < at) before++;
      else after++;
    }
  }
  if (before > 0 && after > 0) {
    let outerBelow = false;
    let outerAbove = false;
    for (let m = parentOf[k]; m >= 0; m = parentOf[m]) {
      if (present[m] > at) outerBelow = true;
      else if (present[m] >= 0 && present[m] < at) outerAbove = true;
    }
    if (outerBelow) below = Math.min(below, at);
    else if (outerAbove) above = Math.max(above, at);
  }
  if (below > hi && above < lo) return;
  let w = 0;
  for (let q = 0; q < parts.length; q++) {
    if (parts[q] < below && parts[q] > above) parts[w++] = parts[q];
    else left.add(parts[q]);
  }
  parts.length = w;
}

/** Whether the table has a line no template knows (not an itemising or investment line). */
function hasStranger(lines: Lines): boolean {
  for (let j = 0; j < lines.count; j++) {
    if (lines.lineIndex[j] < 0 && lines.kind[j] !== OF && lines.outside[j] === 0) return true;
  }
  return false;
}

/**
 * Template sums whose parts are all in the sheet (a part that is not is replaced by its own
 * parts), in each instance of the template, with the lines that stand among their parts. A sum
 * with a part that is missing with all its own parts, in a table with lines the template does not
 * know (the sheet may have another line in its place), is left to the block rule.
 */
function templateSums(lines: Lines, template: TemplateIndex, instances: readonly number[]): void {
  const n = lines.count;
  /** Lines a template sum left out, for standing beyond its block: no template sum has them. */
  const left = new Set<number>();
  for (let k = 0; k < instances.length; k++) {
    instanceSums(lines, template, instances[k], k + 1 < instances.length ? instances[k + 1] : n, left);
  }
  linesAmongParts(lines, template, left);
}

/** The template sums of one instance of the template: the lines from `from` up to `to`. */
function instanceSums(lines: Lines, template: TemplateIndex, from: number, to: number, left: Set<number>): void {
  const defs = template.template.lines;
  const present = lineNumbers(defs.length, -1, Int32Array);
  for (let at = from; at < to; at++) if (inTemplate(lines, at)) present[lines.lineIndex[at]] = at;
  const covered = new Int8Array(defs.length).fill(-1);
  /** The template sum each template line is a part of (made when first needed). */
  let parents: LineNumbers | undefined;
  const parentOf = (): LineNumbers => {
    if (!parents) {
      parents = lineNumbers(defs.length, -1, Int32Array);
      for (let k = 0; k < defs.length; k++) for (const p of template.parts[k]) if (parents[p] < 0) parents[p] = k;
    }
    return parents;
  };
  /** Whether a template line, or any line it is made of, is in the sheet. */
  const inSheet = (k: number): boolean => {
    if (covered[k] < 0) covered[k] = present[k] >= 0 || template.parts[k].some(inSheet) ? 1 : 0;
    return covered[k] === 1;
  };
  /** Whether the table has a line the template does not know (found when first needed). */
  let stranger: boolean | undefined;
  const expand = (k: number, out: number[]): void => {
    if (present[k] >= 0) out.push(present[k]);
    else for (const p of template.parts[k]) expand(p, out);
  };
  for (let k = 0; k < defs.length; k++) {
    const at = present[k];
    if (at < 0 || template.parts[k].length === 0) continue;
    const parts: number[] = [];
    let missingSum = false;
    // A missing input line is simply not in this sheet; so is a missing sum with nothing of it in
    // the sheet ("Extraordinära poster" in a statement without them) where the template knows every
    // line of the table. Else the lines it does not know may stand in its place (the activities
    // of a committee's table in place of its net costs): the block rule reads the total.
    for (const p of template.parts[k]) {
      expand(p, parts);
      if (template.parts[p].length > 0 && !inSheet(p)) missingSum = true;
    }
    const complete = !missingSum || !(stranger ??= hasStranger(lines));
    if (complete) cutOff(lines, at, k, parts, parentOf(), present, left);
    if (parts.length > 0 && complete) {
      lines.parts[at] = parts;
      lines.kind[at] = SUM;
    }
  }
}

/**
 * A line that stands among a template sum's parts, or between them and the sum (a row inserted
 * into the block), is one of its parts; among nested sums, of the innermost.
 */
function linesAmongParts(lines: Lines, template: TemplateIndex, left: Set<number>): void {
  const defs = template.template.lines;
  const n = lines.count;
  const blocks: { at: number; from: number; to: number }[] = [];
  for (let at = 0; at < n; at++) {
    if (lines.kind[at] !== SUM) continue;
    let from = at;
    let to = at;
    const parts = lines.parts[at];
    for (let k = 0; k < parts.length; k++) {
      from = Math.min(from, parts[k]);
      to = Math.max(to, parts[k]);
    }
    blocks.push({ at, from, to });
  }
  blocks.sort((x, y) => x.to - x.from - (y.to - y.from));
  /** The sum a template line is a part of (made when a template line first comes twice). */
  let owners: LineNumbers | undefined;
  const owner = (j: number): number => {
    if (!owners) {
      owners = lineNumbers(n, -1, Int32Array);
      for (const b of blocks) {
        const parts = lines.parts[b.at];
        for (let k = 0; k < parts.length; k++) owners[parts[k]] = b.at;
      }
    }
    return owners[j];
  };
  /** Lines already looked at from a smaller block: an outer block never takes what an inner one left. */
  const looked = new Uint8Array(n);
  for (const b of blocks) {
    for (let j = b.from + 1; j < b.to; j++) {
      if (looked[j] === 1) continue;
      looked[j] = 1;
      const m = lines.lineIndex[j];
      // A template line that its template sum left out, for standing beyond that sum's block, is a
      // part where it stands.
      const orphan = left.has(j) && (defs[m].sum ?? NO_PARTS).length === 0;
      if (lines.kind[j] === OF || lines.outside[j] === 1 || lines.partOf[j] >= 0 || (inTemplate(lines, j) && !orphan)) {
        continue;
      }
      // So is a template line that comes twice (Jämförelsestörande poster among the operating and
      // again among the financial items).
      const first = lines.duplicateOf[j];
      const repeated = orphan || (m >= 0 && (defs[m].sum ?? NO_PARTS).length === 0 && owner(first) !== b.at);
      if (m >= 0 && !repeated) continue;
      if (!repeated && hasSumWords(lines.label[j])) continue;
      lines.partOf[j] = b.at;
      lines.parts[b.at].push(j);
      if (repeated) lines.kind[j] = INPUT;
      else lines.kind[j] = UNKNOWN;
    }
  }
}

/** Whether line j is a total by its words that no template knows, and not yet a sum. */
function isSubtotal(lines: Lines, j: number): boolean {
  const kind = lines.kind[j];
  return lines.lineIndex[j] < 0 && kind !== OF && kind !== SUM && lines.outside[j] === 0 && hasSumWords(lines.label[j]);
}

/**
 * A subtotal the template does not know, standing among a template sum's parts below some of them
 * ("Rörelseresultat" under the revenue, costs and depreciation, inside "Resultat efter finansiella
 * poster"): it is the total of the parts right above it, back to the block's start or the previous
 * such subtotal, and the template sum takes it in their place. Its words make it a total; whether
 * its figures agree is for the check to say.
 */
function nestSubtotals(lines: Lines): void {
  for (let at = 0; at < lines.count; at++) {
    if (lines.kind[at] !== SUM || lines.lineIndex[at] < 0) continue;
    const parts = lines.parts[at];
    let first = at;
    for (let k = 0; k < parts.length; k++) first = Math.min(first, parts[k]);
    let candidate = false;
    for (let j = first + 1; j < at && !candidate; j++) candidate = isSubtotal(lines, j);
    if (!candidate) continue;
    const above = parts.filter((p) => p < at).sort((a, b) => a - b);
    if (above.length < 2) continue;
    const kept: number[] = parts.filter((p) => p > at);
    let q = 0;
    let runStart = 0;
    for (let j = above[0] + 1; j < at; j++) {
      while (q < above.length && above[q] < j) q++;
      if (q - runStart < 2 || !isSubtotal(lines, j)) continue;
      const run = above.slice(runStart, q);
      lines.parts[j] = run;
      lines.kind[j] = SUM;
      lines.partOf[j] = -1;
      for (const p of run) if (lines.partOf[p] === at) lines.partOf[p] = j;
      kept.push(j);
      runStart = q;
    }
    if (runStart === 0) continue;
    kept.push(...above.slice(runStart));
    lines.parts[at] = kept.sort((a, b) => a - b);
  }
}

/**
 * The sheet rows a line's budget or comparison formula adds up, when it is a plain sum of at least
 * two other lines of the table in its own column (whether their cells are filled or not, so that
 * filling them in changes nothing).
 */
function formulaRows(grid: Grid, row: number, cols: number[], lineAtRow: () => Map<number, number>): number[] | null {
  const origin = grid.origin ?? { row: 0, col: 0 };
  for (const col of cols) {
    const f = grid.cells[row]?.[col]?.f;
    if (!f) continue;
    // =OM(SUMMA(B5:B6)=0;"";SUMMA(B5:B6)) is a sum as SUMMA(B5:B6) is.
    const terms = additiveTerms(blankBranch(f) ?? f);
    if (!terms) continue;
    const rows = new Set<number>();
    let ok = true;
    for (const t of terms) {
      const r = t.row - origin.row;
      if (t.col - origin.col !== col || r === row) ok = false;
      else if (lineAtRow().has(r)) rows.add(r);
    }
    if (ok && rows.size >= 2) return [...rows].sort((a, b) => a - b);
  }
  return null;
}

/** The figures and provisional natures of lines, worked out only when a total's block is ambiguous. */
function lazyAmounts(
  grid: Grid,
  lines: Lines,
  template: TemplateIndex,
  budgetCol: number,
  comparisonCol: number,
): Amounts {
  let cache: Float64Array | undefined;
  const read = (i: number, k: number): number => {
    if (!cache) {
      cache = new Float64Array(2 * lines.count);
      const c: Classified = { state: 0, cents: NaN };
      for (let j = 0; j < lines.count; j++) {
        const row = grid.cells[lines.row[j]];
        classifyInto(row?.[budgetCol], c);
        cache[2 * j] = c.cents;
        classifyInto(row?.[comparisonCol], c);
        cache[2 * j + 1] = c.cents;
      }
    }
    return cache[2 * i + k];
  };
  const natures: (Nature | undefined)[] = [];
  const defs = template.template.lines;
  const nature = (i: number): Nature => {
    let n = natures[i];
    if (n === undefined) {
      const m = lines.lineIndex[i];
      n = natures[i] = m >= 0 ? defs[m].nature : (natureFromWords(lines.label[i].toLowerCase()) ?? "cost");
    }
    return n;
  };
  return { budget: (i) => read(i, 0), comparison: (i) => read(i, 1), nature };
}

interface Group {
  /** The heading that opened it (null: the table). */
  heading: string | null;
  /** Lines in it that are part of no sum yet, in order. */
  open: number[];
  /** Index into `open` after the last total that closed a block in it. */
  runStart: number;
}

/** A total above its parts, collecting the lines below it until its block ends. */
interface Above {
  at: number;
  parts: number[];
  /** A total that another total follows at once: it adds up the totals below it. */
  headsTotals: boolean;
}

/**
 * A line that may be a total only if its figures say so: a line without a label below other lines
 * (a printed total often has none), or one named for the whole municipality ("Nynäshamns kommun").
 */
function isWeakTotal(lines: Lines, i: number): boolean {
  const label = lines.label[i];
  return lines.lineIndex[i] < 0 && (label === "" || WEAK_WORDS.test(label.toLowerCase()));
}

/**
 * Lines that are sums by their words or formulas (and template sums the template could not
 * explain): each takes the block of lines it closes (the table's totals stand below their parts)
 * or heads (they stand above them: the first total has nothing open above it).
 */
function blockSums(
  lines: Lines,
  marks: RowMark[],
  input: StructureInput,
  amounts: Amounts,
  readings: Map<number, number[]>,
  formulaSums: Set<number>,
): void {
  const n = lines.count;
  const cols = [input.budgetCol, input.comparisonCol];
  // Which line is on a row, made when a formula is first read.
  let rowLines: Map<number, number> | undefined;
  const lineAtRow = (): Map<number, number> => {
    if (!rowLines) {
      rowLines = new Map();
      for (let i = 0; i < n; i++) rowLines.set(lines.row[i], i);
    }
    return rowLines;
  };
  const isPart = new Uint8Array(n);
  markParts(lines, isPart);
  const isOpen = new Uint8Array(n);
  // Headings and blank rows, by the line they precede (marks and lines are both in row order).
  const markBefore: number[] = [];
  let at = 0;
  for (const m of marks) {
    while (at < n && lines.row[at] < m.row) at++;
    markBefore.push(at);
  }
  let nextMark = 0;
  const stack: Group[] = [{ heading: null, open: [], runStart: 0 }];
  const top = (): Group => stack[stack.length - 1];
  /** Whether the last thing seen was a heading (a heading right below another is a subsection of it). */
  let afterHeading = false;
  let aboveLayout: boolean | null = null;
  const above: Above[] = [];
  const setParts = (i: number, parts: number[]): void => {
    if (parts.length === 0) return;
    lines.parts[i] = parts;
    lines.kind[i] = SUM;
    for (let k = 0; k < parts.length; k++) isPart[parts[k]] = 1;
  };
  /** Where a line that is part of no sum yet goes: into the total above it that collects, else its section. */
  const place = (i: number): void => {
    if (above.length > 0) above[above.length - 1].parts.push(i);
    else {
      top().open.push(i);
      isOpen[i] = 1;
    }
  };
  /** Ends the blocks of totals above their parts, innermost first (all of them, or those that do not head totals). */
  const closeAbove = (all: boolean): void => {
    while (above.length > 0 && (all || !above[above.length - 1].headsTotals)) {
      const a = above.pop()!;
      setParts(a.at, a.parts);
      place(a.at);
    }
  };
  const removeOpen = (parts: number[]): void => {
    // Most parts were never open (a template sum's parts are known before the walk).
    let any = false;
    for (let k = 0; k < parts.length && !any; k++) any = isOpen[parts[k]] === 1;
    if (!any) return;
    for (let k = 0; k < parts.length; k++) isOpen[parts[k]] = 0;
    const taken = new Set(parts);
    for (const g of stack) {
      const before = g.open.length;
      const kept = g.open.filter((x) => !taken.has(x));
      if (kept.length !== before) {
        g.runStart = g.open.slice(0, g.runStart).filter((x) => !taken.has(x)).length;
        g.open = kept;
      }
    }
  };
  /** Closes the sections from the top down to `depth` (exclusive): their open lines stay open in the section around them. */
  const popTo = (depth: number): void => {
    while (stack.length > depth) {
      const g = stack.pop()!;
      top().open.push(...g.open);
    }
  };
  const tpl = input.template;
  const inSheet = new Uint8Array(tpl.template.lines.length);
  for (let i = 0; i < n; i++) if (inTemplate(lines, i)) inSheet[lines.lineIndex[i]] = 1;
  const anyPartInSheet = (k: number): boolean => tpl.parts[k].some((p) => inSheet[p] === 1 || anyPartInSheet(p));
  // Per template line: whether it is a sum the block rule may read (decided once per template line).
  const templateSum = new Int8Array(tpl.template.lines.length).fill(-1);
  const wantsSum = (i: number): boolean => {
    const kind = lines.kind[i];
    if (kind === OF || kind === SUM || lines.outside[i] === 1 || lines.duplicateOf[i] >= 0) return false;
    const k = lines.lineIndex[i];
    if (k >= 0) {
      // A template sum the template could not explain (where the template explains the table,
      // only one with some of its parts in the sheet), or a template line that reads as a total.
      if (templateSum[k] < 0) {
        templateSum[k] = tpl.parts[k].length > 0 && (!input.templateFits || anyPartInSheet(k)) ? 1 : 0;
      }
      return templateSum[k] === 1 || hasSumWords(lines.label[i]);
    }
    return (
      hasSumWords(lines.label[i]) ||
      isWeakTotal(lines, i) ||
      formulaRows(input.grid, lines.row[i], cols, lineAtRow) !== null
    );
  };
  /**
   * Whether a line that no word, formula or template makes a total adds up the open lines since
   * the last total in its section (at least two, not all zero), in budget and in comparison, to
   * within their rounding. What the run adds up to is carried along as lines join it.
   */
  const run = {
    open: null as number[] | null,
    from: -1,
    length: 0,
    sums: new Float64Array(4),
    any: new Uint8Array(2),
    /** The finest unit the run's figures are given in, in hundredths (whole units, tenths or hundredths). */
    step: 100,
  };
  const subtotalByFigures = (i: number): boolean => {
    if (lines.lineIndex[i] >= 0 || lines.kind[i] === OF || lines.label[i] === "") return false;
    const g = top();
    const size = g.open.length - g.runStart;
    if (size < 2) return false;
    const ownB = amounts.budget(i);
    const ownC = amounts.comparison(i);
    if (ownB !== ownB || ownC !== ownC) return false;
    if (run.open !== g.open || run.from !== g.runStart || run.length > g.open.length) {
      run.open = g.open;
      run.from = g.runStart;
      run.length = g.runStart;
      run.sums.fill(0);
      run.any.fill(0);
      run.step = 100;
    }
    // Plain, and with costs entered positive and subtracted from revenue (the presentation convention).
    for (; run.length < g.open.length; run.length++) {
      const p = g.open[run.length];
      const sign = amounts.nature(p) === "cost" ? -1 : 1;
      const b = amounts.budget(p);
      const c = amounts.comparison(p);
      if (b === b) {
        run.sums[0] += b;
        run.sums[2] += sign * b;
        if (b !== 0) run.any[0] = 1;
        run.step = Math.min(run.step, printedStep(b));
      }
      if (c === c) {
        run.sums[1] += c;
        run.sums[3] += sign * c;
        if (c !== 0) run.any[1] = 1;
        run.step = Math.min(run.step, printedStep(c));
      }
    }
    if (run.any[0] === 0 || run.any[1] === 0) return false;
    const tolerance = sumTolerance(size, Math.min(run.step, printedStep(ownB), printedStep(ownC)));
    const own = amounts.nature(i) === "cost" ? -1 : 1;
    const plain = Math.abs(ownB - run.sums[0]) <= tolerance && Math.abs(ownC - run.sums[1]) <= tolerance;
    return (
      plain || (Math.abs(ownB - own * run.sums[2]) <= tolerance && Math.abs(ownC - own * run.sums[3]) <= tolerance)
    );
  };
  for (let i = 0; i <= n; i++) {
    for (; nextMark < marks.length && markBefore[nextMark] === i; nextMark++) {
      const m = marks[nextMark];
      // A heading or blank row right below a total above its parts, before any of them, is inside its block.
      if (above.length > 0 && above[above.length - 1].parts.length === 0) continue;
      closeAbove(true);
      if (m.kind !== "heading") continue;
      // A heading opens a section (within the one above when nothing stands between them); a
      // section no total closed leaves its lines open in the one around it.
      if (!afterHeading && top().heading !== null) popTo(stack.length - 1);
      stack.push({ heading: m.text, open: [], runStart: 0 });
      afterHeading = true;
    }
    if (i === n) break;
    const kind = lines.kind[i];
    if (kind === OF || lines.duplicateOf[i] >= 0) continue;
    afterHeading = false;
    if (lines.outside[i] === 1) {
      closeAbove(true);
      continue;
    }
    if (isPart[i] && !wantsSum(i)) continue;
    if (kind === SUM) {
      // A template sum: an item of the block it stands in.
      removeOpen(lines.parts[i]);
      place(i);
      continue;
    }
    if (!wantsSum(i)) {
      if (above.length === 0 && aboveLayout !== true && subtotalByFigures(i)) {
        // A line whose budget and comparison are both those of the lines since the last total
        // ("Kommunens verksamheter" under its activities) is their subtotal, with no word to say so.
        const g = top();
        const parts = g.open.slice(g.runStart);
        setParts(i, parts);
        removeOpen(parts);
        g.open.push(i);
        isOpen[i] = 1;
        g.runStart = g.open.length;
        continue;
      }
      // A stray line in a table its template explains is reported, and part of no sum.
      if (kind !== UNKNOWN || lines.partOf[i] >= 0) place(i);
      continue;
    }
    const label = lines.label[i];
    const known = lines.lineIndex[i] >= 0;
    // A sum by its formula: the rows it adds, and the open lines among them and up to it.
    const fRows = known || hasSumWords(label) ? null : formulaRows(input.grid, lines.row[i], cols, lineAtRow);
    if (fRows) {
      closeAbove(true);
      const parts = formulaParts(fRows, i, lines, lineAtRow(), isPart);
      setParts(i, parts);
      if (parts.length > 0) formulaSums.add(i);
      removeOpen(parts);
      place(i);
      continue;
    }
    const weak = isWeakTotal(lines, i) && !hasSumWords(label);
    const candidates = above.length > 0 ? [] : blockCandidates(stack, label);
    // A template line ("Summa intäkter") with nothing open above it is an ordinary line, and so is
    // a line that is a total only if its figures say so, when they do not.
    const fitting = weak ? candidates.filter((c) => addsUp(i, c, amounts)) : candidates;
    if ((candidates.length === 0 && above.length === 0 && known) || (weak && fitting.length === 0)) {
      place(i);
      continue;
    }
    if (aboveLayout === null) aboveLayout = candidates.length === 0;
    if (aboveLayout && !weak) {
      // A total right below another total that has no lines yet is one of that total's parts.
      const outer = above[above.length - 1];
      if (outer && outer.parts.length === 0) outer.headsTotals = true;
      else closeAbove(false);
      above.push({ at: i, parts: [], headsTotals: false });
      continue;
    }
    if (fitting.length === 0) {
      place(i);
      continue;
    }
    const words = wordChoice(label, known, fitting);
    const byFigures = figureChoice(i, fitting, amounts);
    const chosen = byFigures ?? words;
    if (byFigures !== null && byFigures !== words && !weak) {
      readings.set(
        i,
        fitting[words].parts.map((p) => lines.row[p]),
      );
    }
    const { parts, depth } = fitting[chosen];
    setParts(i, parts);
    removeOpen(parts);
    // A total closes the sections its block reaches into, and the ones its parts emptied.
    if (depth > 0) popTo(depth);
    while (stack.length > 1 && top().open.length === 0) stack.pop();
    const g = top();
    g.open.push(i);
    isOpen[i] = 1;
    g.runStart = g.open.length;
  }
  closeAbove(true);
}

/** A block a total could close: its lines, and how many sections stay open around it once it is closed (0: none closed). */
interface Candidate {
  parts: number[];
  depth: number;
  /** Whether the total names the section this block is. */
  named: boolean;
}

/**
 * Where a total's block could end: the lines since the last total in its section, the whole
 * section, the section its words name (with the sections inside it), everything open in the table.
 * Distinct and non-empty, smallest first.
 */
function blockCandidates(stack: Group[], totalLabel: string): Candidate[] {
  const top = stack[stack.length - 1];
  const out: Candidate[] = [];
  const add = (parts: number[], depth: number, named: boolean): void => {
    if (parts.length === 0) return;
    const same = out.find((o) => o.parts.length === parts.length);
    if (same) same.named ||= named;
    else out.push({ parts, depth, named });
  };
  add(top.open.slice(top.runStart), 0, false);
  const label = totalLabel
    .toLowerCase()
    .replace(/^(summa|s:a|totalt?|totala)\s+/, "")
    .trim();
  // Whole words: "Totala kostnader" names the section "Kostnader", not "Driftkostnader" within it.
  const names = (g: Group): boolean => {
    const h = g.heading?.toLowerCase().trim() ?? "";
    return h.length > 2 && label.length > 2 && (` ${h} `.includes(` ${label} `) || ` ${label} `.includes(` ${h} `));
  };
  add(top.open.slice(), stack.length > 1 ? stack.length - 1 : 0, names(top));
  // From each enclosing section outwards: its lines and those of the sections inside it.
  for (let d = stack.length - 2; d >= 0; d--) {
    const parts: number[] = [];
    for (let k = d; k < stack.length; k++) parts.push(...stack[k].open);
    add(
      parts.sort((a, b) => a - b),
      d,
      names(stack[d]),
    );
  }
  return out;
}

/** The block a total's words point to: the section it names, else for a grand total everything open, else the last run. */
function wordChoice(totalLabel: string, known: boolean, candidates: Candidate[]): number {
  const named = candidates.findIndex((c) => c.named);
  if (named >= 0) return named;
  const label = totalLabel.toLowerCase().trim();
  const grand = known || GRAND_WORDS.test(label) || /^(totalt?|s:a)$/.test(label) || label === "";
  return grand ? candidates.length - 1 : 0;
}

/** The one candidate block whose figures add up to the total's, under some sign convention; null when none or several do. */
function figureChoice(at: number, candidates: Candidate[], amounts: Amounts): number | null {
  if (candidates.length < 2) return null;
  const fits: number[] = [];
  candidates.forEach((c, k) => {
    if (addsUp(at, c, amounts)) fits.push(k);
  });
  return fits.length === 1 ? fits[0] : null;
}

function addsUp(at: number, candidate: Candidate, amounts: Amounts): boolean {
  const parts = candidate.parts;
  let entered = 0;
  for (const get of [amounts.budget, amounts.comparison]) {
    const total = get(at);
    if (total !== total) continue;
    // A part with no figure counts as zero, as an empty line does when the sum is recomputed.
    const values = parts.map((p) => {
      const v = get(p);
      return v === v ? v : 0;
    });
    entered++;
    const tolerance = (parts.length * 100) / 2;
    const plain = values.reduce((a, b) => a + b, 0);
    // The presentation convention: costs entered positive, revenue and results too.
    const sign = (i: number): number => (amounts.nature(i) === "cost" ? -1 : 1);
    const mixed = sign(at) * values.reduce((a, v, k) => a + sign(parts[k]) * v, 0);
    if (Math.abs(total - plain) > tolerance && Math.abs(total - mixed) > tolerance) return false;
  }
  return entered > 0;
}

/** The parts of a formula sum: the lines on the rows it adds, and the open lines between them and it. */
function formulaParts(
  fRows: number[],
  at: number,
  lines: Lines,
  lineAtRow: Map<number, number>,
  isPart: Uint8Array,
): number[] {
  const direct = fRows.map((r) => lineAtRow.get(r)).filter((x): x is number => x !== undefined);
  if (direct.length === 0) return [];
  const from = Math.min(at, ...direct);
  const to = Math.max(at, ...direct);
  const parts = new Set(direct);
  for (let j = from + 1; j < to; j++) {
    if (j === at || lines.kind[j] === OF || lines.outside[j] === 1 || lines.duplicateOf[j] >= 0 || isPart[j]) continue;
    parts.add(j);
  }
  return [...parts].sort((a, b) => a - b);
}

/**
 * A heading that names the nature of the lines under it: "Intäkter", "Verksamhetens kostnader",
 * "Specifikation verksamhetens intäkter" (a note that lists them by kind).
 */
const SECTION_NATURE =
  /^((specifikation|spec\.?|fördelning|uppdelning)(\s+(av|över))?\s+)?((verksamhetens|rörelsens|externa|interna|övriga)\s+)?(intäkter|kostnader)$/;

/**
 * Per line, the nature its section's heading names ("Verksamhetens intäkter" over the revenue of
 * each activity), as a nature code, -1 for none; null when no heading names a nature. A section
 * runs until the next heading that names a nature, or until its own total ("Totala intäkter",
 * "Summa kostnader"); a heading that names none (a group within it) leaves it open.
 */
function sectionNatures(lines: Lines, marks: readonly RowMark[]): Int8Array | null {
  let out: Int8Array | null = null;
  let i = 0;
  let current = -1;
  const to = (row: number): void => {
    for (; i < lines.count && lines.row[i] < row; i++) {
      if (current < 0) continue;
      out![i] = current;
      const label = lines.label[i];
      const words = hasSumWords(label) ? natureFromWords(label.toLowerCase()) : null;
      if (words && natureCode(words) === current) current = -1;
    }
  };
  for (const mark of marks) {
    if (mark.kind !== "heading") continue;
    const match = SECTION_NATURE.exec(normalizeLabel(mark.text));
    if (!match) continue;
    out ??= new Int8Array(lines.count).fill(-1);
    to(mark.row);
    current = match[7] === "intäkter" ? REVENUE : COST;
  }
  if (out) to(Number.POSITIVE_INFINITY);
  return out;
}

/**
 * Every line's nature: its template's, its section heading's (a line that is no sum), its words',
 * its parts', the line it itemises', else the table's default (a net cost, or a result).
 */
function assignNatures(
  lines: Lines,
  template: TemplateIndex,
  fallback: number,
  templateNatures: boolean,
  figuresAre: number,
  sections: Int8Array | null,
): void {
  const defs = template.template.lines;
  let present = 0;
  const set = (i: number, nature: number, from: number): number => {
    lines.nature[i] = nature;
    lines.natureFrom[i] = from;
    present |= 1 << nature;
    return nature;
  };
  /** Decides a line's nature from the line alone, where it can (false: it takes its parts' or the itemised line's). */
  const own = (i: number): boolean => {
    // Columns of costs hold costs, whatever a line is called ("Direktförsäljning" in "Utfall kostnader").
    if (figuresAre >= 0) return set(i, figuresAre, FROM_HEADER) >= 0;
    const m = lines.lineIndex[i];
    if (m >= 0 && templateNatures) return set(i, natureCode(defs[m].nature), FROM_TEMPLATE) >= 0;
    // A heading's words are the words of every line under it that is no total ("Inköp och
    // upphandling" under "Verksamhetens intäkter" is that activity's revenue).
    if (sections && sections[i] >= 0 && lines.kind[i] !== SUM && lines.kind[i] !== OF) {
      return set(i, sections[i], FROM_WORDS) >= 0;
    }
    const words = natureFromWords(lines.label[i].toLowerCase());
    if (words) return set(i, natureCode(words), FROM_WORDS) >= 0;
    if (lines.kind[i] === SUM ? lines.parts[i].length > 0 : lines.kind[i] === OF && lines.itemises[i] >= 0)
      return false;
    set(i, fallback, FROM_ACTIVITY);
    return true;
  };
  /** The lines a line's nature follows: a sum's parts, or the line it itemises. */
  const followed = (i: number): readonly number[] => (lines.kind[i] === SUM ? lines.parts[i] : [lines.itemises[i]]);
  /** Decides a line's nature from the lines it follows, once theirs are known. */
  const fromOthers = (i: number): void => {
    if (lines.kind[i] !== SUM) {
      set(i, lines.nature[lines.itemises[i]], FROM_ITEMISED);
      return;
    }
    const parts = lines.parts[i];
    let result = false;
    const first = lines.nature[parts[0]];
    let alike = true;
    for (let k = 0; k < parts.length; k++) {
      const n = lines.nature[parts[k]];
      if (n === RESULT) result = true;
      else if (n !== first) alike = false;
    }
    set(i, result ? RESULT : alike ? first : COST, FROM_PARTS);
  };
  // A line met again before its nature is known (sums that are parts of each other) gives what it holds.
  dependenciesFirst(lines.count, own, followed, fromOthers);
  NATURES.forEach((nature, k) => {
    if (present & (1 << k)) lines.natures.add(nature);
  });
}
