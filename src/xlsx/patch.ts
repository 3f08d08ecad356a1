/**
 * Writing a plan into a copy of a workbook by patching: the copy is the original with only the
 * planned cells changed. In the written sheet only the planned cells' <c> elements are replaced
 * (or created, in order, where a cell did not exist), and the table's kept formulas get their new
 * results; every other byte is copied as it was, in one pass. Around it: cell styles appended to
 * the styles part, calcPr told to recalculate on opening, and the calculation chain (a cache Excel
 * rebuilds) dropped. Every other part is copied as it was stored.
 */
import type { CellWrite, Grid, Report, WritePlan } from "../core";
import { cellAddress, parseCellAddress, toCents } from "../core";
import { WorkbookError } from "./errors";
import { shiftFormula } from "./formulas";
import { partsOf, verifyParts, type LoadedWorkbook } from "./package";
import { placeCell } from "./read";
import { StyleBook } from "./styles";
import { escapeAttr, escapeText, openTag, prefixOf, XmlScanner, END, OPEN, TEXT } from "./xml";
import { writeZip, type OutPart } from "./zip";

/**
 * A planned cell in sheet coordinates (0-based): what to write there, whether to flag it, and, for
 * a formula the plan keeps, the result to store with it.
 */
interface Planned {
  row: number;
  col: number;
  write?: CellWrite;
  flag: boolean;
  result?: number;
}

/** A formula cell the plan leaves alone, and the value it computes once the plan is written. */
export interface FormulaResult {
  /** Grid-relative row and column. */
  row: number;
  col: number;
  value: number;
}

/**
 * The formulas of the checked table that the plan keeps (sums and deviations already right), with
 * what they compute after the plan's writes. A copy stores these as the formulas' results, so that
 * a program that does not recalculate (and the check of the copy itself) reads current figures,
 * not the ones saved before the written cells changed.
 */
export function keptFormulaResults(report: Report, plan: WritePlan): FormulaResult[] {
  const { grid, table } = report.computed;
  const origin = table.origin;
  const written = new Set(plan.writes.map((w) => `${w.row},${w.col}`));
  const out: FormulaResult[] = [];
  for (const line of report.lines) {
    for (const k of ["budget", "comparison", "deviation"] as const) {
      // Input lines keep their own figures; only what the table derives is brought up to date.
      if (k !== "deviation" && line.kind !== "sum") continue;
      const value = line[k];
      const at = parseCellAddress(line.cells[k]);
      if (value === null || !at) continue;
      const row = at.row - origin.row;
      const col = at.col - origin.col;
      const cell = grid.cells[row]?.[col];
      if (cell?.f === undefined || written.has(`${row},${col}`)) continue;
      // A result that already shows the figure is left as it was stored.
      if (typeof cell.v === "number" && toCents(cell.v) === toCents(value)) continue;
      out.push({ row, col, value });
    }
  }
  return out;
}

const sameFormat = (a: string | undefined, b: string | undefined): boolean => (a ?? "General") === (b ?? "General");

/** Attributes a replaced cell does not keep: its reference, style and type are written anew; metadata belonged to the old value. */
const DROPPED = new Set(["r", "s", "t", "cm", "vm"]);

/** Patches a worksheet part: planned cells replaced or created, the rest as it was. */
export function patchSheet(
  xml: string,
  part: string,
  planned: Planned[],
  styles: StyleBook,
  formats: (string | undefined)[],
): string {
  planned.sort((a, b) => a.row - b.row || a.col - b.col);
  const out: string[] = [];
  let from = 0;
  const replace = (at: number, to: number, text: string): void => {
    out.push(xml.slice(from, at), text);
    from = to;
  };
  const scan: XmlScanner = new XmlScanner(xml, part);
  let p = 0;
  let prefix = "";
  let inSheetData = false;
  let rowIndex = -1;
  let colIndex = -1;
  let rowQname = "";
  let rowStyle = 0;
  /** Styles of whole columns (<col style>): a cell created in such a column takes its column's format. */
  const columnStyles: { min: number; max: number; style: number }[] = [];
  const baseStyle = (col: number): number =>
    rowStyle || (columnStyles.find((c) => col + 1 >= c.min && col + 1 <= c.max)?.style ?? 0);
  /** The planned cell being read, and what the original held. */
  let current: {
    cell: Planned;
    start: number;
    openEnd: number;
    qname: string;
    attrs: [string, string][];
    selfClosing: boolean;
  } | null = null;
  /** Shared formula groups whose first cell is rewritten: each other cell gets its own formula. */
  const dissolved = new Map<string, { formula: string; row: number; col: number }>();
  /** Ranges of array formulas over several cells, which no single cell of may be written. */
  const arrays: { top: number; left: number; bottom: number; right: number }[] = [];
  let formula: {
    start: number;
    qname: string;
    t: string;
    si: string;
    ref: string;
    text: string;
    planned: boolean;
  } | null = null;
  let cellRow = 0;
  let cellCol = 0;
  const place = { row: 0, col: 0 };

  const styleOf = (cell: Planned, s: number): number => {
    const w = cell.write;
    const format =
      w?.numberFormat !== undefined && !sameFormat(formats[s], w.numberFormat) ? w.numberFormat : undefined;
    return styles.styleFor(s, format, cell.flag);
  };
  /** A new cell's XML: what the plan writes, with `attrs` kept from the cell it replaces. */
  const cellXml = (cell: Planned, s: number, attrs: [string, string][] = [], inner?: string): string => {
    const ref = cellAddress(cell.row, cell.col);
    const style = styleOf(cell, s);
    const a: [string, string][] = [["r", ref], ...attrs.filter(([k]) => !DROPPED.has(k))];
    if (style !== 0) a.push(["s", String(style)]);
    const w = cell.write;
    const c = `${prefix}c`;
    if (!w && cell.result !== undefined && inner !== undefined) {
      // A kept formula: its formula as it was, its result as it now is (a number, so no type).
      const cm = attrs.find(([n]) => n === "cm");
      if (cm) a.push(cm);
      return `${openTag(c, a, false)}${withResult(inner, prefix, cell.result)}</${c}>`;
    }
    if (!w) {
      // Flagged only: the cell keeps what it holds.
      const t = attrs.find(([k]) => k === "t");
      if (t) a.push(t);
      for (const k of ["cm", "vm"]) {
        const kept = attrs.find(([n]) => n === k);
        if (kept) a.push(kept);
      }
      return inner === undefined ? openTag(c, a, true) : `${openTag(c, a, false)}${inner}</${c}>`;
    }
    const value = w.value;
    if (w.formula !== undefined) {
      if (typeof value === "string") a.push(["t", "str"]);
      const v = typeof value === "number" ? String(value) : escapeText(value);
      return `${openTag(c, a, false)}<${prefix}f>${escapeText(w.formula)}</${prefix}f><${prefix}v>${v}</${prefix}v></${c}>`;
    }
    if (typeof value === "number") return `${openTag(c, a, false)}<${prefix}v>${String(value)}</${prefix}v></${c}>`;
    a.push(["t", "inlineStr"]);
    return `${openTag(c, a, false)}<${prefix}is><${prefix}t xml:space="preserve">${escapeText(value)}</${prefix}t></${prefix}is></${c}>`;
  };
  const checkArrays = (cell: Planned): void => {
    for (const r of arrays) {
      if (cell.row >= r.top && cell.row <= r.bottom && cell.col >= r.left && cell.col <= r.right) {
        throw new WorkbookError("array-formula", { cell: cellAddress(cell.row, cell.col) });
      }
    }
  };
  /** New cells of the current row before column `col`. */
  const newCellsBefore = (row: number, col: number): string => {
    let text = "";
    while (p < planned.length && planned[p].row === row && planned[p].col < col) {
      checkArrays(planned[p]);
      text += cellXml(planned[p], baseStyle(planned[p].col));
      p++;
    }
    return text;
  };
  /** New rows before sheet row `row`. */
  const newRowsBefore = (row: number): string => {
    let text = "";
    while (p < planned.length && planned[p].row < row) {
      const r = planned[p].row;
      text += `<${prefix}row r="${r + 1}">`;
      rowStyle = 0;
      text += newCellsBefore(r, Infinity);
      text += `</${prefix}row>`;
    }
    return text;
  };

  let depth = 0;
  let sheetDataDepth = -1;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === TEXT) {
      if (formula) formula.text += scan.text;
      continue;
    }
    const name = scan.name;
    if (token === OPEN) {
      depth++;
      if (depth === 1) prefix = prefixOf(scan.qname);
      if (name === "col" && depth === 3 && !inSheetData) {
        const style = Number(scan.attr("style") ?? 0);
        if (Number.isInteger(style) && style > 0) {
          columnStyles.push({ min: Number(scan.attr("min")), max: Number(scan.attr("max")), style });
        }
      } else if (name === "sheetData" && depth === 2) {
        inSheetData = true;
        sheetDataDepth = depth;
        if (scan.selfClosing && p < planned.length) {
          const q = scan.qname;
          replace(scan.start, scan.end, `${openTag(q, scan.rawAttributes(), false)}${newRowsBefore(Infinity)}</${q}>`);
        }
      } else if (inSheetData && name === "row" && depth === sheetDataDepth + 1) {
        const r = scan.attr("r");
        rowIndex = r !== undefined ? Number(r) - 1 : rowIndex + 1;
        if (!Number.isInteger(rowIndex) || rowIndex < 0) scan.fail(`row ${String(r)}`);
        colIndex = -1;
        if (p < planned.length && planned[p].row < rowIndex) {
          const rows = newRowsBefore(rowIndex);
          replace(scan.start, scan.start, rows);
        }
        rowQname = scan.qname;
        rowStyle =
          scan.attr("customFormat") === "1" || scan.attr("customFormat") === "true" ? Number(scan.attr("s") ?? 0) : 0;
        if (scan.selfClosing && p < planned.length && planned[p].row === rowIndex) {
          const cells = newCellsBefore(rowIndex, Infinity);
          replace(scan.start, scan.end, `${openTag(rowQname, scan.rawAttributes(), false)}${cells}</${rowQname}>`);
        }
      } else if (inSheetData && name === "c" && depth === sheetDataDepth + 2) {
        placeCell(scan, rowIndex, colIndex, place);
        cellRow = place.row;
        cellCol = place.col;
        colIndex = cellCol;
        if (p < planned.length && planned[p].row === cellRow && planned[p].col < cellCol) {
          const cells = newCellsBefore(cellRow, cellCol);
          replace(scan.start, scan.start, cells);
        }
        if (p < planned.length && planned[p].row === cellRow && planned[p].col === cellCol) {
          current = {
            cell: planned[p++],
            start: scan.start,
            openEnd: scan.end,
            qname: scan.qname,
            attrs: scan.rawAttributes(),
            selfClosing: scan.selfClosing,
          };
          checkArrays(current.cell);
        }
      } else if (name === "f" && depth === sheetDataDepth + 3) {
        formula = {
          start: scan.start,
          qname: scan.qname,
          t: scan.attr("t") ?? "",
          si: scan.attr("si") ?? "",
          ref: scan.attr("ref") ?? "",
          text: "",
          planned: current !== null,
        };
      }
    } else {
      if (name === "f" && formula && depth === sheetDataDepth + 3) {
        const f = formula;
        formula = null;
        if ((f.t === "array" || f.t === "dataTable") && f.ref !== "") {
          const [a, b] = f.ref.split(":");
          const top = parseCellAddress(a);
          const bottom = parseCellAddress(b ?? a);
          if (top && bottom && (top.row !== bottom.row || top.col !== bottom.col)) {
            const range = { top: top.row, left: top.col, bottom: bottom.row, right: bottom.col };
            arrays.push(range);
            if (f.planned && current) checkArrays(current.cell);
          }
        } else if (f.t === "shared" && f.planned && f.ref !== "" && f.text !== "") {
          dissolved.set(f.si, { formula: f.text, row: cellRow, col: cellCol });
        } else if (f.t === "shared" && !f.planned && f.ref === "") {
          const master = dissolved.get(f.si);
          if (master) {
            const own = shiftFormula(master.formula, cellRow - master.row, cellCol - master.col);
            replace(f.start, scan.end, `<${f.qname}>${escapeText(own)}</${f.qname}>`);
          }
        }
      } else if (name === "c" && current && depth === sheetDataDepth + 2) {
        const c = current;
        current = null;
        const s = Number(c.attrs.find(([k]) => k === "s")?.[1] ?? 0);
        const inner = c.selfClosing ? undefined : xml.slice(c.openEnd, scan.start);
        replace(c.start, scan.end, cellXml(c.cell, s, c.attrs, inner));
      } else if (name === "row" && inSheetData && depth === sheetDataDepth + 1) {
        if (!scan.selfClosing && p < planned.length && planned[p].row === rowIndex) {
          replace(scan.start, scan.start, newCellsBefore(rowIndex, Infinity));
        }
      } else if (name === "sheetData" && depth === sheetDataDepth) {
        inSheetData = false;
        if (!scan.selfClosing && p < planned.length) replace(scan.start, scan.start, newRowsBefore(Infinity));
      }
      depth--;
    }
  }
  if (p < planned.length) throw new WorkbookError("unsupported-write");
  out.push(xml.slice(from));
  return out.join("");
}

/** A formula cell's contents with its stored result replaced by `value`. */
function withResult(inner: string, prefix: string, value: number): string {
  const v = `${prefix}v`;
  const stored = new RegExp(`<${v}(?:\\s[^>]*)?(?:/>|>[^<]*</${v}>)`);
  const result = `<${v}>${String(value)}</${v}>`;
  if (stored.test(inner)) return inner.replace(stored, result);
  // No result stored yet: it follows the formula.
  const f = `${prefix}f`;
  const formula = new RegExp(`<${f}(?:\\s[^>]*)?(?:/>|>[^<]*</${f}>)`).exec(inner);
  return formula
    ? inner.slice(0, formula.index + formula[0].length) + result + inner.slice(formula.index + formula[0].length)
    : inner + result;
}

/** The workbook part with calcPr set to recalculate every formula on opening. */
export function withFullCalcOnLoad(xml: string, part: string): string {
  const scan = new XmlScanner(xml, part);
  let depth = 0;
  let prefix = "";
  let after = -1;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === TEXT) continue;
    if (token === OPEN) {
      depth++;
      if (depth === 1) prefix = prefixOf(scan.qname);
      if (depth === 2 && scan.name === "calcPr") {
        const attrs = scan.rawAttributes().filter(([k]) => k !== "fullCalcOnLoad");
        attrs.push(["fullCalcOnLoad", "1"]);
        return xml.slice(0, scan.start) + openTag(scan.qname, attrs, scan.selfClosing) + xml.slice(scan.end);
      }
    } else {
      // calcPr follows these elements in a workbook part.
      if (depth === 2 && ["sheets", "functionGroups", "externalReferences", "definedNames"].includes(scan.name)) {
        after = scan.end;
      }
      depth--;
    }
  }
  if (after < 0) throw new WorkbookError("unsupported-write");
  return `${xml.slice(0, after)}<${prefix}calcPr fullCalcOnLoad="1"/>${xml.slice(after)}`;
}

/** A part with the child elements of its root that `drop` picks removed, and `add` put before its end. */
function editChildren(
  xml: string,
  part: string,
  drop: (scan: XmlScanner) => boolean,
  add: (prefix: string) => string = () => "",
): string {
  const scan = new XmlScanner(xml, part);
  let depth = 0;
  let prefix = "";
  let out = "";
  let from = 0;
  let dropping = -1;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token === TEXT) continue;
    if (token === OPEN) {
      depth++;
      if (depth === 1) prefix = prefixOf(scan.qname);
      if (depth === 2 && drop(scan)) dropping = scan.start;
    } else {
      if (depth === 2 && dropping >= 0) {
        out += xml.slice(from, dropping);
        from = scan.end;
        dropping = -1;
      } else if (depth === 1) {
        out += xml.slice(from, scan.start) + add(prefix);
        from = scan.start;
      }
      depth--;
    }
  }
  return out + xml.slice(from);
}

const STYLES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const STYLES_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

/**
 * Makes the plan's writes and flags in a copy of the workbook and returns the copy's bytes. The
 * table's kept formulas get their new `results`; Excel is told to recalculate on opening, so
 * formulas elsewhere that use the written cells are current there too.
 */
export async function writePlan(
  loaded: LoadedWorkbook,
  grid: Grid,
  plan: WritePlan,
  results: FormulaResult[] = [],
): Promise<Buffer> {
  const zip = loaded.zip;
  verifyParts(zip);
  const sheet = loaded.sheets.find((s) => s.name === grid.sheet);
  if (!sheet) throw new WorkbookError("no-sheet", { name: grid.sheet, names: loaded.sheetNames.join(", ") });
  const origin = grid.origin ?? { row: 0, col: 0 };
  const byCell = new Map<string, Planned>();
  const at = (row: number, col: number): Planned => {
    const r = origin.row + row;
    const c = origin.col + col;
    const key = `${r},${c}`;
    let cell = byCell.get(key);
    if (!cell) byCell.set(key, (cell = { row: r, col: c, flag: false }));
    return cell;
  };
  for (const w of plan.writes) at(w.row, w.col).write = w;
  for (const h of plan.highlights) at(h.row, h.col).flag = true;
  for (const r of results) at(r.row, r.col).result = r.value;
  const replaced = new Map<string, Buffer>();
  const added: { name: string; bytes: Buffer }[] = [];
  const dropped = new Set<string>();
  const stylesPart = loaded.stylesPart ?? freePartName(loaded, "styles.xml");
  const styles = new StyleBook(loaded.stylesPart === null ? null : zip.text(stylesPart), stylesPart);
  const sheetXml = zip.text(sheet.part);
  if (sheetXml === null) throw new WorkbookError("sheet-part", { name: sheet.name, target: sheet.part });
  const patched = patchSheet(sheetXml, sheet.part, [...byCell.values()], styles, partsOf(loaded).formats);
  replaced.set(sheet.part, Buffer.from(patched, "utf8"));
  const stylesXml = styles.output();
  if (stylesXml !== null) {
    if (loaded.stylesPart !== null) replaced.set(stylesPart, Buffer.from(stylesXml, "utf8"));
    else added.push({ name: stylesPart, bytes: Buffer.from(stylesXml, "utf8") });
  }
  replaced.set(
    loaded.workbookPart,
    Buffer.from(withFullCalcOnLoad(zip.text(loaded.workbookPart)!, loaded.workbookPart)),
  );
  const newStyles = stylesXml !== null && loaded.stylesPart === null;
  const calcChain = loaded.calcChainPart !== null && zip.has(loaded.calcChainPart) ? loaded.calcChainPart : null;
  if (calcChain !== null) dropped.add(calcChain);
  if (newStyles || calcChain !== null) {
    const types = "[Content_Types].xml";
    replaced.set(
      types,
      Buffer.from(
        editChildren(
          zip.text(types)!,
          types,
          (s) => s.name === "Override" && calcChain !== null && s.attr("PartName") === `/${calcChain}`,
          (p) => (newStyles ? `<${p}Override PartName="/${stylesPart}" ContentType="${STYLES_CONTENT}"/>` : ""),
        ),
      ),
    );
    const rels = zip.text(loaded.relsPart);
    if (rels !== null) {
      const ids = new Set(loaded.relationships.map((r) => r.id));
      let n = ids.size + 1;
      while (ids.has(`rId${n}`)) n++;
      const target = stylesPart.slice(stylesPart.lastIndexOf("/") + 1);
      replaced.set(
        loaded.relsPart,
        Buffer.from(
          editChildren(
            rels,
            loaded.relsPart,
            (s) => s.name === "Relationship" && calcChain !== null && (s.attr("Type") ?? "").endsWith("/calcChain"),
            (p) =>
              newStyles ? `<${p}Relationship Id="rId${n}" Type="${STYLES_TYPE}" Target="${escapeAttr(target)}"/>` : "",
          ),
        ),
      );
    } else if (newStyles) {
      throw new WorkbookError("unsupported-write");
    }
  }
  const parts: OutPart[] = [];
  for (const entry of zip.entries) {
    if (dropped.has(entry.name)) continue;
    const bytes = replaced.get(entry.name);
    parts.push(bytes ? { name: entry.name, bytes, like: entry } : { name: entry.name, from: entry });
  }
  for (const a of added) parts.push(a);
  return writeZip(zip, parts);
}

/** A free part name beside the workbook part. */
function freePartName(loaded: LoadedWorkbook, base: string): string {
  const dir = loaded.workbookPart.includes("/")
    ? loaded.workbookPart.slice(0, loaded.workbookPart.lastIndexOf("/") + 1)
    : "";
  let name = `${dir}${base}`;
  for (let k = 2; loaded.zip.has(name); k++) name = `${dir}${base.replace(/\.xml$/, `${k}.xml`)}`;
  return name;
}
