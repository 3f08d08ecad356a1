/**
 * Reads a worksheet of an opened .xlsx package straight into a Grid: one pass over the sheet's
 * XML, with the shared strings and the number formats read once per workbook, all with the
 * scanner (xml.ts). Checking reads nothing more.
 */
import { cellAddress, type Grid, type GridCell, type MergeArea } from "../core";
import { shiftFormula } from "./formulas";
import { WorkbookError } from "./errors";
import { XmlScanner, END, OPEN, TEXT, type Tokens } from "./xml";
import type { ZipArchive } from "./zip";

/** SpreadsheetML's built-in number formats, by id (ECMA-376 part 1, 18.8.30). */
export const BUILT_IN_FORMATS: Record<number, string> = {
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

/** The shared strings and the cell styles' number formats. */
export function workbookParts(zip: ZipArchive, stringsPart: string | null, stylesPart: string | null): WorkbookParts {
  const sst = stringsPart === null ? null : zip.text(stringsPart);
  const strings = sst === null ? [] : sharedStringsFromXml(sst, stringsPart!);
  const styles = stylesPart === null ? null : zip.text(stylesPart);
  return { strings, formats: styles === null ? [] : cellFormats(styles, stylesPart!) };
}

/** Per cell style (cellXfs), its number format code, or undefined for General. */
export function cellFormats(xml: string, part: string): (string | undefined)[] {
  const custom = new Map<number, string>();
  const ids: number[] = [];
  const scan = new XmlScanner(xml, part);
  let depth = 0;
  let xfsDepth = -1;
  // The cells' own formats are styleSheet/numFmts/numFmt; a conditional format's (dxfs/dxf/numFmt)
  // may carry the same id with another format.
  let numFmts = false;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === OPEN) {
      depth++;
      const name = scan.name;
      if (name === "numFmts" && depth === 2) numFmts = true;
      else if (name === "numFmt" && numFmts && depth === 3) {
        custom.set(Number(scan.attr("numFmtId")), scan.attr("formatCode") ?? "");
      } else if (name === "cellXfs" && depth === 2) xfsDepth = depth;
      else if (name === "xf" && xfsDepth > 0 && depth === xfsDepth + 1) ids.push(Number(scan.attr("numFmtId") ?? 0));
    } else if (token !== TEXT) {
      if (depth === xfsDepth) xfsDepth = -1;
      if (depth === 2) numFmts = false;
      depth--;
    }
  }
  return ids.map((id) => (id === 0 ? undefined : (custom.get(id) ?? BUILT_IN_FORMATS[id])));
}

/**
 * The shared strings part's strings, in order: each item's text runs joined, without its
 * phonetic reading (rPh). Read with the scanner: a workbook of many labels has a large one.
 */
export function sharedStringsFromXml(xml: string, part = "xl/sharedStrings.xml"): string[] {
  return sharedStringsFrom(new XmlScanner(xml, part));
}

/**
 * Text as a spreadsheet stores it, with the characters XML cannot hold written _xHHHH_ (a line
 * break in a label is "_x000D_" followed by the line feed; "_x005F_" is a literal "_").
 */
export function unescapeText(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
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
        strings.push(unescapeText(current));
        inItem = false;
      }
    }
  }
  return strings;
}

/** "AB12" → row 11, column 27 (both 0-based), or null when it is not a cell of a sheet. */
export function cellRef(ref: string): { row: number; col: number } | null {
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

/**
 * Places the <c> tag just opened: at its r attribute, or, where it has none, at the column after
 * `prevCol` on row `row` (cells without an address follow each other).
 */
export function placeCell(scan: Tokens, row: number, prevCol: number, at: { row: number; col: number }): void {
  const r = scan.attr("r");
  if (r === undefined) {
    at.row = row;
    at.col = prevCol + 1;
    return;
  }
  const ref = cellRef(r);
  if (ref === null) scan.fail(`cell ${r}`);
  at.row = ref.row;
  at.col = ref.col;
}

const ERRORS = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!)$/;

/** Reads a worksheet part as a Grid of its used range. */
export function readSheetGrid(zip: ZipArchive, parts: WorkbookParts, part: string, name: string): Grid {
  const xml = zip.text(part);
  if (xml === null) throw new WorkbookError("sheet-part", { name, target: part });
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
  const place = { row: 0, col: 0 };
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
      if (value === null || value.trim() === "") v = value;
      else {
        const k = Number(value);
        if (!Number.isInteger(k) || k < 0 || k >= parts.strings.length) {
          scan.fail(
            `cell ${cellAddress(row, col)} refers to shared text ${value.slice(0, 20)}, of ${parts.strings.length}`,
          );
        }
        v = parts.strings[k];
      }
    } else if (type === "inlineStr") v = inline === null ? null : unescapeText(inline);
    else if (type === "str") v = value === null ? null : unescapeText(value);
    else if (type === "b") v = value === null ? null : value.trim() === "1" || value.trim() === "true";
    else if (type === "e") v = value === null ? null : { error: value };
    // A formula's empty value is text only where it is typed as text (t="str", as Excel and
    // LibreOffice store a formula showing ""): openpyxl writes <v/> for a formula it never computed.
    else if (value === null || (formula !== null && value === "")) v = null;
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
        placeCell(scan, rowIndex, colIndex, place);
        row = place.row;
        col = place.col;
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
