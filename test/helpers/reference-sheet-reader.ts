/**
 * The worksheet and shared strings readers as they were first written, on saxes: the reference
 * the scanner-based readers in src/cli/sheet-reader.ts are compared with
 * (test/cli/scanner.test.ts). Both must read every part alike, or refuse it.
 */
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { Grid, GridCell, MergeArea } from "../../src/core";
import { WorkbookError } from "../../src/cli/errors";
import { shiftFormula } from "../../src/cli/formulas";
import type { WorkbookParts } from "../../src/cli/sheet-reader";

type Tag = SaxesTagPlain;
const MAX_COL = 16384;
const MAX_ROW = 1048576;

const local = (name: string): string => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};

function parse(
  xml: string,
  part: string,
  handlers: {
    onopentag(tag: Tag): void;
    ontext(t: string): void;
    oncdata(t: string): void;
    onclosetag(name: string): void;
  },
): void {
  const parser = new SaxesParser({ position: false });
  parser.on("opentag", (tag) => handlers.onopentag(tag as Tag));
  parser.on("text", handlers.ontext);
  parser.on("cdata", handlers.oncdata);
  parser.on("closetag", (tag) => handlers.onclosetag(tag.name));
  parser.on("error", (e: Error) => {
    throw new WorkbookError("unreadable", { detail: `${part}: ${e.message.split("\n")[0]}` });
  });
  parser.write(xml).close();
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
export function referenceSheetGrid(
  xml: string,
  parts: WorkbookParts,
  name: string,
  part = "xl/worksheets/sheet1.xml",
): Grid {
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
    const g: GridCell = { v };
    if (formula !== null && formula !== "") {
      g.f = formula;
      if (isShared && sharedRef !== "") masters.set(sharedId, { formula, row, col });
    }
    const z = style >= 0 ? parts.formats[style] : undefined;
    if (z !== undefined) g.z = z;
    if (g.f === undefined && isShared) members.push({ row, col, cell: g, shared: sharedId });
    let out = rows.get(row);
    if (!out) rows.set(row, (out = []));
    while (out.length < col) out.push(null);
    out[col] = g;
    if (row < minRow) minRow = row;
    if (row > maxRow) maxRow = row;
    if (col < minCol) minCol = col;
  };

  parse(xml, part, {
    onopentag(tag: Tag) {
      const n = local(tag.name);
      if (inCell) {
        if (n === "v") {
          capture = "v";
          value = "";
        } else if (n === "f") {
          capture = "f";
          formula = "";
          formulaType = String(tag.attributes.t ?? "normal");
          sharedId = String(tag.attributes.si ?? "");
          sharedRef = String(tag.attributes.ref ?? "");
        } else if (n === "is") inline = "";
        else if (n === "rPh") phonetic++;
        else if (n === "t" && inline !== null && phonetic === 0) capture = "t";
        return;
      }
      if (n === "row") {
        const r = tag.attributes.r;
        rowIndex = r !== undefined ? Number(r) - 1 : rowIndex + 1;
        if (!Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex >= MAX_ROW) {
          throw new WorkbookError("unreadable", { detail: `${part}: row ${String(r)}` });
        }
        colIndex = -1;
      } else if (n === "c") {
        const r = tag.attributes.r;
        if (r !== undefined) {
          const at = cellRef(String(r));
          if (at === null) throw new WorkbookError("unreadable", { detail: `${part}: cell ${String(r)}` });
          row = at.row;
          col = at.col;
        } else {
          row = rowIndex;
          col = colIndex + 1;
        }
        colIndex = col;
        inCell = true;
        type = String(tag.attributes.t ?? "n");
        style = tag.attributes.s !== undefined ? Number(tag.attributes.s) : -1;
        value = null;
        formula = null;
        formulaType = "";
        sharedId = "";
        sharedRef = "";
        inline = null;
      } else if (n === "mergeCell") {
        mergeRefs.push(String(tag.attributes.ref ?? ""));
      }
    },
    ontext(t: string) {
      if (capture === "v") value += t;
      else if (capture === "f") formula += t;
      else if (capture === "t") inline += t;
    },
    oncdata(t: string) {
      if (capture === "v") value += t;
      else if (capture === "f") formula += t;
      else if (capture === "t") inline += t;
    },
    onclosetag(tagName: string) {
      const n = local(tagName);
      if (n === "c") finishCell();
      else if (n === "v" || n === "f" || n === "t") capture = "";
      else if (n === "rPh") phonetic--;
    },
  });

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

/** The shared strings, read with saxes. */
export function referenceSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current = "";
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  const text = (t: string): void => {
    if (inText) current += t;
  };
  parse(xml, "xl/sharedStrings.xml", {
    onopentag(tag: Tag) {
      const name = local(tag.name);
      if (name === "si") {
        inItem = true;
        current = "";
      } else if (name === "rPh") phonetic++;
      else if (name === "t" && inItem && phonetic === 0) inText = true;
    },
    ontext: text,
    oncdata: text,
    onclosetag(tagName: string) {
      const name = local(tagName);
      if (name === "t") inText = false;
      else if (name === "rPh") phonetic--;
      else if (name === "si") {
        strings.push(current);
        inItem = false;
      }
    },
  });
  return strings;
}
