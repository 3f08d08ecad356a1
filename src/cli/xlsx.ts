/**
 * The .xlsx host. Reading goes straight from the package to grids (sheet-reader.ts). A plan is
 * written into a copy through xlsx-populate, which keeps the parts of a workbook it does not
 * model (charts, drawings, comments, defined names, data validation, conditional formatting) as
 * they are. Where it would lose a formula's or an error's last value on saving, a small extension
 * keeps it; a check after every write compares the copy with the original and refuses it if
 * anything else changed.
 */
import JSZip from "jszip";
import sax from "sax";
import type { Grid, WritePlan } from "../core";
import { columnIndex } from "../core";
import { WorkbookError } from "./errors";
import { shiftFormula } from "./formulas";
import { readSheetGrid, sheetNames, type WorkbookParts, workbookParts } from "./sheet-reader";
import { duplicatePart, verifyParts } from "./zip";

export { WorkbookError };

/** Limits that keep a hostile file from exhausting the machine. */
export const LIMITS = {
  /** Total uncompressed size of all parts. */
  uncompressedBytes: 1_000_000_000,
  /** Uncompressed size of one part over its compressed size (zip bombs reach thousands). */
  ratio: 200,
  /** Parts smaller than this are exempt from the ratio test (a run of empty cells compresses well). */
  ratioExemptBytes: 10_000_000,
};

// xlsx-populate's model: the few internals this adapter reads are declared here, in one place.
interface XpCell {
  _value?: unknown;
  _formula?: string;
  _formulaType?: string;
  _formulaRef?: string;
  _sharedFormulaId?: string | number;
  _styleId?: number;
  _style?: { _xfNode: { attributes: { numFmtId?: number } } };
  formula(f: string): XpCell;
  value(v: unknown): XpCell;
  style(name: string, value?: unknown): unknown;
  style(values: Record<string, unknown>): XpCell;
  toXml(): XmlNode;
}
interface XmlNode {
  name: string;
  attributes: Record<string, unknown>;
  children: (XmlNode | string | number)[];
}
interface XpRow {
  _cells: (XpCell | undefined)[];
}
interface XpSheet {
  name(): string;
  _rows: (XpRow | undefined)[];
  _mergeCells: Record<string, unknown>;
  cell(row: number, col: number): XpCell;
}
interface XpWorkbook {
  sheets(): XpSheet[];
  sheet(name: string): XpSheet | undefined;
  styleSheet(): {
    getNumberFormatCode(id: number): string | undefined;
    _cellXfsNode: { children: { attributes: { numFmtId?: number } }[] };
  };
  outputAsync(): Promise<Buffer>;
  _node: XmlNode;
}

let extended = false;
/**
 * Three corrections to how xlsx-populate reads and writes cells, made once:
 * - text stays text: its parser turns every text that looks like a number into a number, so a
 *   figure stored as the text "0" would be read, and written back, as the number 0;
 * - a boolean cell is read from its text ("1");
 * - on saving, a formula cell keeps its last computed value and an error cell its error, which
 *   it would drop (a viewer that does not recalculate would then show nothing).
 */
function extendLibrary(): void {
  if (extended) return;
  extended = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Parser = require("xlsx-populate/lib/XmlParser") as { prototype: { parseAsync(xml: string): Promise<XmlNode> } };
  Parser.prototype.parseAsync = parseXml;
  const Cell = cellClass();
  const parse = Cell.prototype._parseNode;
  Cell.prototype._parseNode = function (this: XpCell, node: XmlNode): void {
    const type = node.attributes.t;
    const v = node.children.find((c): c is XmlNode => typeof c === "object" && c.name === "v");
    parse.call(this, node);
    if (type === "b") this._value = String(v?.children[0]) === "1";
  };
  const original = Cell.prototype.toXml;
  Cell.prototype.toXml = function (this: XpCell): XmlNode {
    const node = original.call(this);
    const v = this._value;
    if (v === undefined || v === null) return node;
    const isFormula = this._formulaType !== undefined;
    const error = errorText(v);
    if (!isFormula && error === null) return node;
    const old = node.children.findIndex((c) => typeof c === "object" && c.name === "v");
    if (old >= 0) {
      const text = (node.children[old] as XmlNode).children[0];
      if (text !== undefined && text !== "") return node;
      node.children.splice(old, 1);
    }
    let type: string | undefined;
    let text: string | number;
    if (error !== null) {
      type = "e";
      text = error;
    } else if (typeof v === "number") {
      text = v;
    } else if (typeof v === "boolean") {
      type = "b";
      text = v ? 1 : 0;
    } else if (typeof v === "string") {
      type = "str";
      text = v;
    } else {
      return node;
    }
    if (type) node.attributes.t = type;
    const at = node.children.findIndex((c) => typeof c === "object" && c.name === "f");
    node.children.splice(at + 1, 0, { name: "v", attributes: {}, children: [text] });
    return node;
  };
}

/**
 * Parses XML into the library's node form ({ name, attributes, children }), keeping text as
 * text; attributes are converted as the library does (numbers where they look like numbers).
 */
function parseXml(xml: string): Promise<XmlNode> {
  return new Promise((resolve, reject) => {
    const parser = sax.parser(true);
    const stack: XmlNode[] = [];
    let root: XmlNode | undefined;
    parser.onerror = reject;
    parser.ontext = (text: string) => {
      const current = stack[stack.length - 1];
      if (!current) return;
      if (/^\s+$/.test(text)) {
        if (current.attributes["xml:space"] === "preserve") current.children.push(text);
      } else {
        current.children.push(text);
      }
    };
    parser.onopentagstart = (tag: { name: string }) => {
      const node: XmlNode = { name: tag.name, attributes: {}, children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      else root = node;
      stack.push(node);
    };
    parser.onattribute = (a: { name: string; value: string }) => {
      const n = Number(a.value);
      stack[stack.length - 1].attributes[a.name] = n.toString() === a.value ? n : a.value;
    };
    parser.onclosetag = () => {
      stack.pop();
    };
    parser.onend = () => resolve(root as XmlNode);
    parser.write(xml).close();
  });
}

function cellClass(): {
  prototype: { toXml(this: XpCell): XmlNode; _parseNode(this: XpCell, node: XmlNode): void };
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("xlsx-populate/lib/Cell");
}

function errorText(v: unknown): string | null {
  if (v && typeof v === "object" && typeof (v as { error?: unknown }).error === "function") {
    return String((v as { error(): string }).error());
  }
  return null;
}

/** An opened workbook: its package, its sheets, and (once a copy is written) the library's model. */
export interface LoadedWorkbook {
  data: Buffer;
  zip: JSZip;
  sheetNames: string[];
  parts?: WorkbookParts;
  workbook?: XpWorkbook;
}

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Opens an .xlsx file's bytes, with a clear error for anything that is not a readable workbook. */
export async function loadWorkbook(data: Buffer): Promise<LoadedWorkbook> {
  if (data.length >= 8 && data.subarray(0, 8).equals(OLE)) {
    const encrypted = data.includes(Buffer.from("EncryptionInfo", "utf16le"));
    throw new WorkbookError(encrypted ? "encrypted" : "legacy");
  }
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) {
    throw new WorkbookError(data.length === 0 ? "empty-file" : "not-zip");
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data);
  } catch {
    throw new WorkbookError("damaged-zip");
  }
  let total = 0;
  for (const entry of Object.values(zip.files)) {
    const sizes = (entry as unknown as { _data?: { uncompressedSize?: number; compressedSize?: number } })._data;
    const size = sizes?.uncompressedSize ?? 0;
    const packed = sizes?.compressedSize ?? 0;
    total += size;
    if (size > LIMITS.ratioExemptBytes && packed > 0 && size / packed > LIMITS.ratio) {
      throw new WorkbookError("zip-bomb", { part: entry.name, size, packed });
    }
  }
  if (total > LIMITS.uncompressedBytes) {
    throw new WorkbookError("too-large", { mb: Math.round(total / 1e6), limit: LIMITS.uncompressedBytes / 1e6 });
  }
  const twice = duplicatePart(data);
  if (twice !== null) throw new WorkbookError("duplicate-part", { part: twice });
  if (!zip.file("[Content_Types].xml") || !zip.file("xl/workbook.xml")) {
    throw new WorkbookError("not-workbook");
  }
  return { data, zip, sheetNames: await sheetNames(zip) };
}

function numberFormat(workbook: XpWorkbook, cell: XpCell): string | undefined {
  const styles = workbook.styleSheet();
  const id = cell._style
    ? cell._style._xfNode.attributes.numFmtId
    : cell._styleId !== undefined
      ? styles._cellXfsNode.children[cell._styleId]?.attributes.numFmtId
      : undefined;
  if (id === undefined || Number(id) === 0) return undefined;
  return styles.getNumberFormatCode(Number(id));
}

/** A sheet's cells as a grid (its used range), with merged areas. */
export async function readGrid(loaded: LoadedWorkbook, sheetName: string): Promise<Grid> {
  const index = loaded.sheetNames.indexOf(sheetName);
  if (index < 0) throw new WorkbookError("no-sheet", { name: sheetName, names: loaded.sheetNames.join(", ") });
  loaded.parts ??= await workbookParts(loaded.zip);
  return readSheetGrid(loaded.zip, loaded.parts, index, sheetName);
}

/** The full workbook model, for writing a copy; built on first use. */
async function modelOf(loaded: LoadedWorkbook): Promise<XpWorkbook> {
  if (loaded.workbook) return loaded.workbook;
  await verifyParts(loaded.zip);
  extendLibrary();
  try {
    // Loaded only here: a check that writes nothing never pays for the workbook model's library.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const XlsxPopulate = require("xlsx-populate") as (typeof import("xlsx-populate"))["default"];
    loaded.workbook = (await XlsxPopulate.fromDataAsync(loaded.data)) as unknown as XpWorkbook;
  } catch {
    throw new WorkbookError("unsupported-write");
  }
  return loaded.workbook;
}

/**
 * A formula filled down or across is stored once, in its first cell, and referred to by the
 * others; rewriting that first cell would take the formula from them all. Before it is written,
 * each cell of the group gets its own formula (the same one, moved to its place) and keeps its value.
 */
function unshare(sheet: XpSheet, cell: XpCell): void {
  if (cell._formulaType !== "shared" || !cell._formulaRef || cell._formula === undefined) return;
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(cell._formulaRef);
  if (!m) return;
  const top = Number(m[2]);
  const left = columnIndex(m[1]) + 1;
  const bottom = Number(m[4] ?? m[2]);
  const right = columnIndex(m[3] ?? m[1]) + 1;
  const id = String(cell._sharedFormulaId);
  const formula = cell._formula;
  for (let r = top; r <= bottom; r++) {
    const row = sheet._rows[r];
    for (let c = left; c <= right; c++) {
      const member = row?._cells[c];
      if (!member || member._formulaType !== "shared" || String(member._sharedFormulaId) !== id) continue;
      member._formula = shiftFormula(formula, r - top, c - left);
      member._formulaType = "normal";
      delete member._formulaRef;
      delete member._sharedFormulaId;
    }
  }
}

/** The fill and text colour of Excel's "light red fill with dark red text". */
export const FLAG_FILL = "FFC7CE";
export const FLAG_FONT = "9C0006";

/**
 * Makes the plan's writes and highlights in the workbook model and returns the new file's bytes.
 * Excel is told to recalculate on opening, so formulas elsewhere that use the written cells are
 * current.
 */
export async function writePlan(loaded: LoadedWorkbook, grid: Grid, plan: WritePlan): Promise<Buffer> {
  const workbook = await modelOf(loaded);
  const sheet = workbook.sheet(grid.sheet);
  if (!sheet) throw new WorkbookError("no-sheet", { name: grid.sheet, names: loaded.sheetNames.join(", ") });
  const origin = grid.origin ?? { row: 0, col: 0 };
  const at = (row: number, col: number): XpCell => sheet.cell(origin.row + row + 1, origin.col + col + 1);
  for (const w of plan.writes) unshare(sheet, at(w.row, w.col));
  for (const w of plan.writes) {
    const cell = at(w.row, w.col);
    if (w.formula !== undefined) {
      cell.formula(w.formula);
      cell._value = w.value;
    } else {
      cell.value(w.value);
    }
    if (w.numberFormat !== undefined && numberFormat(workbook, cell) !== w.numberFormat) {
      cell.style("numberFormat", w.numberFormat);
    }
  }
  for (const h of plan.highlights) {
    at(h.row, h.col).style({ fill: FLAG_FILL, fontColor: FLAG_FONT });
  }
  const children = workbook._node.children;
  const calcPr = children.find((c): c is XmlNode => typeof c === "object" && c.name === "calcPr");
  if (calcPr) {
    calcPr.attributes.fullCalcOnLoad = 1;
  } else {
    // calcPr follows these elements in a workbook part.
    const before = ["sheets", "functionGroups", "externalReferences", "definedNames"];
    const at = children.reduce<number>(
      (last, c, i) => (typeof c === "object" && before.includes(c.name) ? i : last),
      -1,
    );
    children.splice(at + 1, 0, { name: "calcPr", attributes: { fullCalcOnLoad: 1 }, children: [] });
  }
  return workbook.outputAsync();
}
