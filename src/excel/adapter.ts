/**
 * The Excel host: reads the active sheet into a grid, and applies a write plan. A sheet that fits
 * one request is read in one sync and written in one more; a larger one is read in blocks of rows
 * and written in parts, each kept under Excel on the web's 5 MB limit from the size of what it
 * carries. It takes the request context as a parameter, so tests hand it the in-memory Excel.
 */
import { FLAG_MARK, parseCellAddress, type CellValue, type Convention, type Grid, type GridCell } from "../core";
import { BlockSizer, FIRST_ROWS, isPayloadLimit, jsonBytes } from "./payload";
import { UNDO_PREFIX, UNDO_NAMESPACE, type UndoHeader } from "./undo-store";

/** Where the pane's settings are kept in the workbook, so next month's sheet opens ready. */
export const SETTINGS = "prognoskoll.settings";

/** The choices an economist makes once per workbook. */
export interface PaneSettings {
  /** Flag only negative deviations of at least this amount (in the sheet's unit). */
  thresholdAmount?: number;
  /** Flag only negative deviations of at least this percent of the budget. */
  thresholdPercent?: number;
  /** Write Excel formulas rather than values. */
  formulas?: boolean;
  /** The table as the economist marked it, when detection should not look elsewhere. */
  table?: { sheet: string; address: string };
  /** The sign convention the economist chose, instead of deciding it from the sheet. */
  convention?: Convention;
}
/** A mark in the flag format's rule, so that the add-in finds its own format and no other. */
export { FLAG_MARK };
/** Excel's "light red fill with dark red text". */
export const FLAG_FILL = "#FFC7CE";
export const FLAG_FONT = "#9C0006";

type Scalar = string | number | boolean;

/** The add-in's flag formats: the cells each covers ("D5:D9,D12:D13") and its rule. */
export interface FlagRecord {
  rules: { address: string; formula: string }[];
}

/** Where the current flag format is described, so that undo can bring back an earlier one. */
export const FLAGS_SETTING = "prognoskoll.flags";

/** Rows and columns of a sheet, 0-based. */
export interface Rect {
  top: number;
  left: number;
  rows: number;
  cols: number;
}

export interface SheetRead {
  sheet: string;
  grid: Grid;
  protected: boolean;
  /** The snapshots of writes that can still be undone, on any sheet, newest first. */
  undos: UndoHeader[];
  /** The add-in's custom XML parts of undo snapshots: their ids and namespaces. */
  undoParts: { id: string; namespaceUri: string }[];
  /** The add-in's own flag formats on the sheet. */
  flagFormats: string[];
  /** What the add-in's flag format is, as it recorded it. */
  flagRecord: FlagRecord | null;
  /** Merged areas of the used range, in sheet coordinates (0-based). */
  mergedAreas: Area[];
  settings: PaneSettings;
  /** Per grid cell: the formula or constant and the number format, as read (for the undo snapshot). */
  raw: { formulas: Scalar[][]; numberFormat: string[][] };
  /** The sheet's used range when it was read (null: the sheet is empty). */
  used: Rect | null;
  /** How many syncs the read took. */
  syncs: number;
}

/**
 * Where the table is expected: its area is read first. With `used`, only that area is read, as
 * long as the sheet's used range is still `used` (the table found by the last check); without,
 * it is the table the economist chose, which the settings confirm.
 */
export interface ReadScope {
  area: { sheet: string; address: string };
  used?: Rect | null;
}

const ERROR = "Error";
const CELL_PROPS = "values, formulas, numberFormat, valueTypes";

/** A block of rows as Excel returned it. */
interface Block {
  rect: Rect;
  values: Scalar[][];
  formulas: Scalar[][];
  numberFormat: string[][];
  valueTypes: string[][];
}

/** Reads the active sheet: its used range, protection, the add-in's flag formats and undo snapshots. */
export function readActiveSheet(context: Excel.RequestContext, scope?: ReadScope): Promise<SheetRead> {
  return readSheet(context, undefined, scope);
}

/**
 * Reads a sheet (the active one when no name is given): one sync for a sheet of up to
 * FIRST_ROWS rows, and one more per block of rows beyond that. Only the saved table area is read
 * when the economist has chosen one, and only `scope`'s area when the used range is unchanged.
 */
export async function readSheet(context: Excel.RequestContext, name?: string, scope?: ReadScope): Promise<SheetRead> {
  let syncs = 0;
  const sheet =
    name === undefined ? context.workbook.worksheets.getActiveWorksheet() : context.workbook.worksheets.getItem(name);
  const ask = (withFirst: boolean) => {
    sheet.load("name, protection/protected");
    const used = sheet.getUsedRangeOrNullObject();
    used.load("rowIndex, columnIndex, rowCount, columnCount");
    // Merged cells (ExcelApi 1.13): read where Excel has them, for detection and to write around
    // them. Asked of the whole sheet, so that an empty sheet (a null used range) is no error.
    const merged = supports("1.13") ? sheet.getRange().getMergedAreasOrNullObject() : null;
    merged?.load("address");
    const formats = sheet.getRange().conditionalFormats;
    formats.load("items/id, items/customOrNullObject/rule/formula");
    const settings = context.workbook.settings;
    settings.load("items/key, items/value");
    const parts = supports("1.5") ? context.workbook.customXmlParts : null;
    parts?.load("items/id, items/namespaceUri");
    // The first rows, read before the sheet's size is known: all of a usual sheet.
    let first: Excel.Range | null = null;
    if (withFirst) {
      const area = scope ? rectOf(scope.area.address) : null;
      const window = area
        ? sheet.getRangeByIndexes(area.top, area.left, Math.min(area.rows, FIRST_ROWS), area.cols)
        : sheet.getRangeByIndexes(0, 0, FIRST_ROWS, 16384);
      // The used cells of those rows (a null object on an empty sheet).
      first = window.getUsedRangeOrNullObject();
      first.load("values, formulas, numberFormat, valueTypes, rowIndex, columnIndex, rowCount, columnCount");
    }
    return { used, merged, formats, settings, parts, first };
  };
  let asked = ask(true);
  try {
    syncs++;
    await context.sync();
  } catch (e) {
    // The first rows of a very wide sheet are too large for one response: read it in measured blocks.
    if (!isPayloadLimit(e)) throw e;
    asked = ask(false);
    syncs++;
    await context.sync();
  }
  const { used, merged, formats, settings, parts, first } = asked;
  const items = new Map(settings.items.map((s) => [s.key, s.value as unknown]));
  const paneSettings = (items.get(SETTINGS) as PaneSettings | undefined) ?? {};
  const usedRect: Rect | null = used.isNullObject
    ? null
    : { top: used.rowIndex, left: used.columnIndex, rows: used.rowCount, cols: used.columnCount };

  // What to read: the table the economist chose, the area of the last check, or the used range.
  const chosen = paneSettings.table?.sheet === sheet.name ? rectOf(paneSettings.table.address) : null;
  const scoped =
    scope?.used !== undefined && scope.area.sheet === sheet.name && sameRect(scope.used, usedRect)
      ? rectOf(scope.area.address)
      : null;
  const target = chosen ?? scoped ?? usedRect;
  const blocks: Block[] = [];
  const toRead = target && usedRect ? intersect(target, usedRect) : null;
  const sizer = new BlockSizer();
  let next = toRead?.top ?? 0;
  if (toRead && first && !first.isNullObject) {
    const block = blockOf(first);
    const b = block.rect;
    if (b.left <= toRead.left && b.left + b.cols >= toRead.left + toRead.cols && b.top <= toRead.top) {
      blocks.push(block);
      sizer.learn(jsonBytes([block.values, block.formulas, block.numberFormat, block.valueTypes]), b.rows * b.cols);
      next = Math.max(next, b.top + b.rows);
    }
  }
  if (toRead) {
    syncs += await readBlocks(
      context,
      sheet,
      { ...toRead, top: next, rows: toRead.top + toRead.rows - next },
      CELL_PROPS,
      sizer,
      (rect, range) => {
        const block = blockOf(range, rect);
        blocks.push(block);
        return [block.values, block.formulas, block.numberFormat, block.valueTypes];
      },
    );
  }
  const grid: Grid = { sheet: sheet.name, cells: [], origin: { row: 0, col: 0 } };
  const raw: SheetRead["raw"] = { formulas: [], numberFormat: [] };
  if (target && (chosen || usedRect)) assemble(grid, raw, target, blocks, chosen !== null);

  const mergedAreas = merged && !merged.isNullObject ? areasOf(merged.address) : [];
  const o = grid.origin!;
  grid.merges = mergedAreas.map((m) => ({
    top: m.top - o.row,
    left: m.left - o.col,
    bottom: m.bottom - o.row,
    right: m.right - o.col,
  }));
  const undos = [...items]
    .filter(([key]) => key.startsWith(UNDO_PREFIX))
    .map(([, value]) => value as UndoHeader)
    .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  return {
    sheet: sheet.name,
    grid,
    protected: sheet.protection.protected,
    undos,
    undoParts: (parts?.items ?? [])
      .filter((p) => p.namespaceUri.startsWith(UNDO_NAMESPACE))
      .map((p) => ({ id: p.id, namespaceUri: p.namespaceUri })),
    flagFormats: formats.items
      .filter((cf) => !cf.customOrNullObject.isNullObject && cf.customOrNullObject.rule.formula.includes(FLAG_MARK))
      .map((cf) => cf.id),
    flagRecord: (items.get(FLAGS_SETTING) as FlagRecord | undefined) ?? null,
    mergedAreas,
    settings: paneSettings,
    raw,
    used: usedRect,
    syncs,
  };
}

/**
 * Reads `props` of the rows of `rect` in blocks, each sized from what the blocks before it
 * measured; a block Excel finds too large is read again in halves. `got` takes each block and
 * gives back what of it to measure; `again` queues what the first request also carried, when that
 * request has to be made again. Resolves with the number of syncs.
 */
export async function readBlocks(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  rect: Rect,
  props: string,
  sizer: BlockSizer,
  got: (rect: Rect, range: Excel.Range) => unknown,
  again?: () => void,
): Promise<number> {
  let syncs = 0;
  const end = rect.top + rect.rows;
  for (let next = rect.top; next < end;) {
    const rows = Math.min(end - next, sizer.rows(rect.cols));
    const range = sheet.getRangeByIndexes(next, rect.left, rows, rect.cols);
    // eslint-disable-next-line office-addins/no-empty-load
    range.load(props);
    try {
      syncs++;
      // Each block needs what the last one measured.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    } catch (e) {
      if (!isPayloadLimit(e) || rows === 1) throw e;
      sizer.tooLarge(rows);
      // What the failed request also carried goes again, until a request has brought it.
      again?.();
      continue;
    }
    again = undefined;
    sizer.learn(jsonBytes(got({ top: next, left: rect.left, rows, cols: rect.cols }, range)), rows * rect.cols);
    next += rows;
  }
  return syncs;
}

function blockOf(range: Excel.Range, rect?: Rect): Block {
  return {
    rect: rect ?? { top: range.rowIndex, left: range.columnIndex, rows: range.rowCount, cols: range.columnCount },
    values: range.values as Scalar[][],
    formulas: range.formulas as Scalar[][],
    numberFormat: range.numberFormat as string[][],
    valueTypes: range.valueTypes as string[][],
  };
}

/**
 * The grid of `target` from the blocks read. A chosen table keeps its whole area, empty cells
 * included; the used range is read as it is.
 */
function assemble(grid: Grid, raw: SheetRead["raw"], target: Rect, blocks: Block[], whole: boolean): void {
  grid.origin = { row: target.top, col: target.left };
  let rows = target.rows;
  let cols = target.cols;
  if (!whole && blocks.length === 0) rows = cols = 0;
  grid.cells = Array.from({ length: rows }, () => new Array<GridCell | null>(cols).fill(null));
  raw.formulas = Array.from({ length: rows }, () => new Array<Scalar>(cols).fill(""));
  raw.numberFormat = Array.from({ length: rows }, () => new Array<string>(cols).fill("General"));
  for (const b of blocks) {
    for (let i = 0; i < b.rect.rows; i++) {
      const r = b.rect.top + i - target.top;
      if (r < 0 || r >= rows) continue;
      const cells = grid.cells[r];
      for (let j = 0; j < b.rect.cols; j++) {
        const c = b.rect.left + j - target.left;
        if (c < 0 || c >= cols) continue;
        const v = b.values[i][j];
        const f = b.formulas[i][j];
        const z = b.numberFormat[i][j];
        raw.formulas[r][c] = f;
        raw.numberFormat[r][c] = z;
        // Text that reads like a formula (typed into a cell formatted as text) is text: Excel gives
        // it as its own formula, and as its value.
        const text = b.valueTypes[i][j] === "String" && v === f;
        const formula = typeof f === "string" && f.startsWith("=") && !text ? f.slice(1) : undefined;
        if (v === "" && formula === undefined) continue;
        // Excel computes every formula: one showing nothing has computed empty text, not no value.
        const value: CellValue = b.valueTypes[i][j] === ERROR ? { error: String(v) } : v;
        const cell: GridCell = { v: value };
        if (formula !== undefined) cell.f = formula;
        if (z && z !== "General") cell.z = z;
        cells[c] = cell;
      }
    }
  }
}

export interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The areas of an address like "Uppföljning!A1:D1,Uppföljning!B5:C5", in sheet coordinates. */
function areasOf(address: string): Area[] {
  return address.split(",").flatMap((part) => {
    const ref = part.slice(part.lastIndexOf("!") + 1).replace(/\$/g, "");
    const [a, b] = ref.split(":").map((x) => parseCellAddress(x));
    if (!a) return [];
    const e = b ?? a;
    return [{ top: a.row, left: a.col, bottom: e.row, right: e.col }];
  });
}

/** The rectangle of an address like "A4:D14". */
export function rectOf(address: string): Rect | null {
  const [a, b] = address
    .replace(/\$/g, "")
    .split(":")
    .map((x) => parseCellAddress(x));
  if (!a) return null;
  const e = b ?? a;
  return { top: a.row, left: a.col, rows: e.row - a.row + 1, cols: e.col - a.col + 1 };
}

function intersect(a: Rect, b: Rect): Rect | null {
  const top = Math.max(a.top, b.top);
  const left = Math.max(a.left, b.left);
  const bottom = Math.min(a.top + a.rows, b.top + b.rows);
  const right = Math.min(a.left + a.cols, b.left + b.cols);
  return bottom > top && right > left ? { top, left, rows: bottom - top, cols: right - left } : null;
}

function sameRect(a: Rect | null, b: Rect | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether Excel supports a requirement set (outside Office, in tests and the preview, it does). */
export function supports(version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  return office?.context?.requirements?.isSetSupported("ExcelApi", version) ?? true;
}

/** The address of the selected range on the active sheet ("A4:D14"). One sync. */
export async function selectedArea(context: Excel.RequestContext): Promise<{ sheet: string; address: string }> {
  const range = context.workbook.getSelectedRange();
  range.load("address");
  await context.sync();
  // "Uppföljning!A4:D14", or "'Budget 2025!'!A4:D14" when the name needs quoting.
  const at = range.address.lastIndexOf("!");
  const sheet = at < 0 ? "" : range.address.slice(0, at);
  const address = range.address.slice(at + 1);
  return { sheet: sheet.replace(/^'|'$/g, "").replace(/''/g, "'"), address: address.replace(/\$/g, "") };
}

/** The pane's settings saved in the workbook. One sync. */
export async function readSettings(context: Excel.RequestContext): Promise<PaneSettings> {
  const item = context.workbook.settings.getItemOrNullObject(SETTINGS);
  item.load("value");
  await context.sync();
  return item.isNullObject ? {} : (item.value as PaneSettings);
}

/** Saves the pane's settings in the workbook. One sync. */
export async function saveSettings(context: Excel.RequestContext, settings: PaneSettings): Promise<void> {
  context.workbook.settings.add(SETTINGS, settings);
  await context.sync();
}

/** What stops a watch: the handler, removed in a batch run on its own request context. */
export interface ChangeHandler {
  context: unknown;
  remove(): void;
}

/**
 * Calls `onChange` whenever a cell of the workbook changes (by the user, or by another author).
 * Returns the handler; remove it with `Excel.run(handler.context, …)`.
 */
export async function watchChanges(context: Excel.RequestContext, onChange: () => void): Promise<ChangeHandler> {
  const handler = context.workbook.worksheets.onChanged.add(async () => onChange());
  await context.sync();
  return handler;
}

export { applyPlan, undoLastWrite, removeFlags, HostRefusal, type WriteOptions } from "./write";
export { UNDO_PREFIX, UNDO_NAMESPACE, type UndoHeader } from "./undo-store";
