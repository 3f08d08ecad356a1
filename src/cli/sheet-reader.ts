/**
 * Reads a worksheet of an opened .xlsx package straight into a Grid: one pass over the sheet's
 * XML, with the shared strings and the number formats read once per workbook. The two large
 * parts, worksheets and shared strings, are read with the scanner (xml-scan.ts); the small ones
 * (the workbook, its relationships, the styles) with saxes. Checking reads nothing more; the
 * full workbook model is built only when a copy is written.
 */
import type JSZip from "jszip";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { Grid, GridCell, MergeArea } from "../core";
import { shiftFormula } from "./formulas";
import { WorkbookError } from "./errors";
import { XmlScanner, END, OPEN, TEXT, type Tokens } from "./xml-scan";
import { partText } from "./zip";

/** SpreadsheetML's built-in number formats, by id (ECMA-376 part 1, 18.8.30). */
const BUILT_IN_FORMATS: Record<number, string> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "mm-dd-yy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "m/d/yy h:mm",
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
};

/** Excel's last column (XFD) and row. */
const MAX_COL = 16384;
const MAX_ROW = 1048576;

/** What every sheet of a workbook shares: its strings and the number format of each cell style. */
export interface WorkbookParts {
  strings: string[];
  /** Per cell style (the `s` attribute): its number format code, or undefined for General. */
  formats: (string | undefined)[];
}

type Tag = SaxesTagPlain;

interface Handlers {
  onopentag?(tag: Tag): void;
  onclosetag?(name: string): void;
}

const local = (name: string): string => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};

/** Runs a non-validating XML parser over a part; malformed XML becomes a clear error. */
function parse(xml: string, part: string, handlers: Handlers): void {
  const parser = new SaxesParser({ position: false });
  const { onopentag, onclosetag } = handlers;
  if (onopentag) parser.on("opentag", (tag) => onopentag(tag as Tag));
  if (onclosetag) parser.on("closetag", (tag) => onclosetag(tag.name));
  parser.on("error", (e: Error) => {
    throw new WorkbookError("unreadable", { detail: `${part}: ${e.message.split("\n")[0]}` });
  });
  parser.write(xml).close();
}

/**
 * The workbook's sheet names, in order. Each sheet must be stored where the workbook model used
 * for writing looks for it, xl/worksheets/sheet{i}.xml: a workbook stored otherwise (a chart
 * sheet, parts renamed by another program) is refused rather than read or written wrongly.
 */
export async function sheetNames(zip: JSZip): Promise<string[]> {
  const targets = new Map<string, string>();
  parse((await partText(zip, "xl/_rels/workbook.xml.rels")) ?? "", "xl/_rels/workbook.xml.rels", {
    onopentag(tag: Tag) {
      const { Id, Target } = tag.attributes;
      if (local(tag.name) === "Relationship" && Id && Target) targets.set(Id, Target.replace(/^\/?xl\//, ""));
    },
  });
  const sheets: { name: string; target: string | undefined }[] = [];
  parse((await partText(zip, "xl/workbook.xml")) ?? "", "xl/workbook.xml", {
    onopentag(tag: Tag) {
      if (local(tag.name) !== "sheet") return;
      const id = Object.entries(tag.attributes).find(([k]) => local(k) === "id" && k.includes(":"))?.[1];
      sheets.push({ name: String(tag.attributes.name ?? ""), target: id === undefined ? undefined : targets.get(id) });
    },
  });
  if (sheets.length === 0) throw new WorkbookError("no-sheets");
  sheets.forEach(({ name, target }, i) => {
    if (target !== `worksheets/sheet${i + 1}.xml`) {
      throw new WorkbookError("sheet-part", { name: name || String(i + 1), target: target ?? "?" });
    }
  });
  return sheets.map((x) => x.name);
}

/** The shared strings and the cell styles' number formats. */
export async function workbookParts(zip: JSZip): Promise<WorkbookParts> {
  const sst = await partText(zip, "xl/sharedStrings.xml");
  const strings = sst === null ? [] : sharedStringsFromXml(sst);
  const custom = new Map<number, string>();
  const formats: (string | undefined)[] = [];
  const styles = await partText(zip, "xl/styles.xml");
  if (styles !== null) {
    let inCellXfs = false;
    let depth = 0;
    parse(styles, "xl/styles.xml", {
      onopentag(tag: Tag) {
        const name = local(tag.name);
        if (name === "numFmt") custom.set(Number(tag.attributes.numFmtId), String(tag.attributes.formatCode ?? ""));
        else if (name === "cellXfs") {
          inCellXfs = true;
          depth = 0;
        } else if (inCellXfs) {
          depth++;
          if (name === "xf" && depth === 1) {
            const id = Number(tag.attributes.numFmtId ?? 0);
            formats.push(id === 0 ? undefined : (custom.get(id) ?? BUILT_IN_FORMATS[id]));
          }
        }
      },
      onclosetag(tagName: string) {
        const name = local(tagName);
        if (name === "cellXfs") inCellXfs = false;
        else if (inCellXfs) depth--;
      },
    });
  }
  return { strings, formats };
}

/**
 * The shared strings part's strings, in order: each item's text runs joined, without its
 * phonetic reading (rPh). Read with the scanner: a workbook of many labels has a large one.
 */
export function sharedStringsFromXml(xml: string): string[] {
  return sharedStringsFrom(new XmlScanner(xml, "xl/sharedStrings.xml"));
}

/** The shared strings, from the part's tokens. */
export function sharedStringsFrom(scan: Tokens): string[] {
  const strings: string[] = [];
  let current = "";
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === TEXT) {
      if (inText) current += scan.text;
    } else if (token === OPEN) {
      const name = scan.name;
      if (name === "si") {
        inItem = true;
        current = "";
      } else if (name === "rPh") phonetic++;
      else if (name === "t" && inItem && phonetic === 0) inText = true;
    } else {
      const name = scan.name;
      if (name === "t") inText = false;
      else if (name === "rPh") phonetic--;
      else if (name === "si") {
        strings.push(current);
        inItem = false;
      }
    }
  }
  return strings;
}

/** "AB12" → row 11, column 27 (both 0-based), or null when it is not a cell of a sheet. */
function cellRef(ref: string): { row: number; col: number } | null {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  if (i === 0 || i > 3 || i === ref.length) return null;
  let row = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    row = row * 10 + (c - 48);
  }
  if (row < 1 || row > MAX_ROW || col > MAX_COL) return null;
  return { row: row - 1, col: col - 1 };
}

const ERRORS = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!)$/;

/** Reads worksheet `index` (0-based, stored as xl/worksheets/sheet{index+1}.xml) as a Grid of its used range. */
export async function readSheetGrid(zip: JSZip, parts: WorkbookParts, index: number, name: string): Promise<Grid> {
  const part = `xl/worksheets/sheet${index + 1}.xml`;
  const xml = await partText(zip, part);
  if (xml === null) throw new WorkbookError("sheet-part", { name, target: "?" });
  return sheetGridFromXml(xml, parts, name, part);
}

/** A worksheet part's XML as a Grid of its used range. */
export function sheetGridFromXml(xml: string, parts: WorkbookParts, name: string, part: string): Grid {
  return sheetGridFrom(new XmlScanner(xml, part), parts, name);
}

/** A worksheet as a Grid of its used range, from the part's tokens. */
export function sheetGridFrom(scan: Tokens, parts: WorkbookParts, name: string): Grid {
  /** The cells by sheet row, each row's array indexed by sheet column. */
  const rows = new Map<number, (GridCell | null)[]>();
  let minRow = Infinity;
  let maxRow = -1;
  let minCol = Infinity;
  /** Cells that share the formula of a group, stored in the group's first cell. */
  const members: { row: number; col: number; cell: GridCell; shared: string }[] = [];
  const masters = new Map<string, { formula: string; row: number; col: number }>();
  const mergeRefs: string[] = [];
  let rowIndex = -1;
  let colIndex = -1;
  // The cell being read.
  let inCell = false;
  let row = 0;
  let col = 0;
  let type = "n";
  let style = -1;
  let value: string | null = null;
  let formula: string | null = null;
  let formulaType = "";
  let sharedId = "";
  let sharedRef = "";
  let inline: string | null = null;
  /** What the text being read belongs to: "v", "f", "t" of an inline string, or nothing. */
  let capture = "";
  let phonetic = 0;

  const finishCell = (): void => {
    inCell = false;
    let v: GridCell["v"];
    if (type === "s") {
      const k = value === null ? NaN : Number(value);
      v = Number.isInteger(k) && k >= 0 && k < parts.strings.length ? parts.strings[k] : value === null ? null : "";
    } else if (type === "inlineStr") v = inline;
    else if (type === "str") v = value;
    else if (type === "b") v = value === null ? null : value.trim() === "1" || value.trim() === "true";
    else if (type === "e") v = value === null ? null : { error: value };
    else if (value === null) v = null;
    else {
      const n = Number(value);
      v = value.trim() !== "" && Number.isFinite(n) ? n : ERRORS.test(value) ? { error: value } : value;
    }
    const isShared = formulaType === "shared";
    const hasFormula = formula !== null || isShared || formulaType !== "";
    if (v === null && !hasFormula) return;
    // Every cell has the same three fields, set or not: the core then meets one shape of cell.
    const g: GridCell = {
      v,
      f: formula !== null && formula !== "" ? formula : undefined,
      z: style >= 0 ? parts.formats[style] : undefined,
    };
    if (g.f !== undefined && isShared && sharedRef !== "") masters.set(sharedId, { formula: g.f, row, col });
    if (g.f === undefined && isShared) members.push({ row, col, cell: g, shared: sharedId });
    let out = rows.get(row);
    if (!out) rows.set(row, (out = []));
    while (out.length < col) out.push(null);
    out[col] = g;
    if (row < minRow) minRow = row;
    if (row > maxRow) maxRow = row;
    if (col < minCol) minCol = col;
  };

  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === TEXT) {
      if (capture === "v") value += scan.text;
      else if (capture === "f") formula += scan.text;
      else if (capture === "t") inline += scan.text;
    } else if (token === OPEN) {
      const n = scan.name;
      if (inCell) {
        if (n === "v") {
          capture = "v";
          value = "";
        } else if (n === "f") {
          capture = "f";
          formula = "";
          formulaType = scan.attr("t") ?? "normal";
          sharedId = scan.attr("si") ?? "";
          sharedRef = scan.attr("ref") ?? "";
        } else if (n === "is") inline = "";
        else if (n === "rPh") phonetic++;
        else if (n === "t" && inline !== null && phonetic === 0) capture = "t";
      } else if (n === "c") {
        const r = scan.attr("r");
        if (r !== undefined) {
          const at = cellRef(r);
          if (at === null) scan.fail(`cell ${r}`);
          row = at.row;
          col = at.col;
        } else {
          row = rowIndex;
          col = colIndex + 1;
        }
        colIndex = col;
        inCell = true;
        type = scan.attr("t") ?? "n";
        const s = scan.attr("s");
        style = s !== undefined ? Number(s) : -1;
        value = null;
        formula = null;
        formulaType = "";
        sharedId = "";
        sharedRef = "";
        inline = null;
      } else if (n === "row") {
        const r = scan.attr("r");
        rowIndex = r !== undefined ? Number(r) - 1 : rowIndex + 1;
        if (!Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex >= MAX_ROW) scan.fail(`row ${String(r)}`);
        colIndex = -1;
      } else if (n === "mergeCell") {
        mergeRefs.push(scan.attr("ref") ?? "");
      }
    } else {
      const n = scan.name;
      if (n === "c") finishCell();
      else if (n === "v" || n === "f" || n === "t") capture = "";
      else if (n === "rPh") phonetic--;
    }
  }

  if (maxRow < 0) return { sheet: name, cells: [], origin: { row: 0, col: 0 }, merges: [] };
  for (const m of members) {
    const master = masters.get(m.shared);
    if (master) m.cell.f = shiftFormula(master.formula, m.row - master.row, m.col - master.col);
  }
  const cells: (GridCell | null)[][] = [];
  for (let r = minRow; r <= maxRow; r++) {
    const row = rows.get(r);
    cells.push(!row ? [] : minCol === 0 ? row : row.slice(minCol));
  }
  const merges: MergeArea[] = [];
  for (const ref of mergeRefs) {
    const [a, b] = ref.split(":");
    const from = a ? cellRef(a) : null;
    const to = b ? cellRef(b) : null;
    if (!from || !to) continue;
    merges.push({ top: from.row - minRow, left: from.col - minCol, bottom: to.row - minRow, right: to.col - minCol });
  }
  return { sheet: name, cells, origin: { row: minRow, col: minCol }, merges };
}
