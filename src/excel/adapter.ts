/**
 * The Excel host: reads the active sheet into a grid in one round trip, and applies a write plan in
 * one more (more only when a very large plan would pass Excel on the web's request size limit).
 * It takes the request context as a parameter, so tests hand it the in-memory Excel.
 */
import {
  FLAG_MARK,
  cellAddress,
  parseCellAddress,
  writesHiddenByMerges,
  type CellValue,
  type Convention,
  type Grid,
  type GridCell,
  type Table,
  type WritePlan,
} from "../core";

/** Where the undo snapshot is kept in the workbook, so undo works after the pane was reopened. */
export const UNDO_SETTING = "prognoskoll.undo";
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
/** Excel on the web rejects requests over 5 MB; a plan larger than this is written in parts. */
export const MAX_REQUEST_BYTES = 4_000_000;
/** Workbook settings are meant to stay small; an undo larger than this is not kept, so nothing is written. */
export const MAX_UNDO_BYTES = 900_000;

/** Why a write or an undo was not made; the pane words it for the user. */
export class HostRefusal extends Error {
  constructor(
    readonly reason: "undo-too-large" | "undo-conflict" | "merged",
    readonly cells: string[] = [],
  ) {
    super(reason);
  }
}

type Scalar = string | number | boolean;

/**
 * A written cell (sheet row and column, 0-based): what it held before (its formula or constant,
 * and format), and what the add-in wrote, so that undo can tell whether it was changed since.
 */
export interface SavedCell {
  row: number;
  col: number;
  formula: Scalar;
  numberFormat: string;
  written: Scalar;
}

/** The add-in's flag formats: the cells each covers ("D5:D9,D12:D13") and its rule. */
export interface FlagRecord {
  rules: { address: string; formula: string }[];
}

/** Where the current flag format is described, so that undo can bring back an earlier one. */
export const FLAGS_SETTING = "prognoskoll.flags";

export interface UndoSnapshot {
  sheet: string;
  cells: SavedCell[];
  /** The flag format the write replaced, to put back on undo (null: there was none). */
  flags?: FlagRecord | null;
}

export interface SheetRead {
  sheet: string;
  grid: Grid;
  protected: boolean;
  /** The snapshot of the last write, if it has not been undone. */
  undo: UndoSnapshot | null;
  /** The add-in's own flag formats on the sheet. */
  flagFormats: string[];
  /** What the add-in's flag format is, as it recorded it. */
  flagRecord: FlagRecord | null;
  /** Merged areas of the used range, in sheet coordinates (0-based). */
  mergedAreas: Area[];
  settings: PaneSettings;
  /** Per grid cell: the formula or constant and the number format, as read (for the undo snapshot). */
  raw: { formulas: Scalar[][]; numberFormat: string[][] };
}

const ERROR = "Error";

/** Reads the active sheet: its used range, protection, the add-in's flag formats and undo snapshot. One sync. */
export function readActiveSheet(context: Excel.RequestContext): Promise<SheetRead> {
  return readSheet(context);
}

/** Reads a sheet (the active one when no name is given), as readActiveSheet does. One sync. */
export async function readSheet(context: Excel.RequestContext, name?: string): Promise<SheetRead> {
  const sheet =
    name === undefined ? context.workbook.worksheets.getActiveWorksheet() : context.workbook.worksheets.getItem(name);
  sheet.load("name, protection/protected");
  const used = sheet.getUsedRangeOrNullObject();
  used.load("values, formulas, numberFormat, valueTypes, rowIndex, columnIndex");
  // Merged cells (ExcelApi 1.13): read where Excel has them, for detection and to write around
  // them. Asked of the whole sheet, so that an empty sheet (a null used range) is no error.
  const merged = supports("1.13") ? sheet.getRange().getMergedAreasOrNullObject() : null;
  merged?.load("address");
  const formats = sheet.getRange().conditionalFormats;
  formats.load("items/id, items/customOrNullObject/rule/formula");
  const undo = context.workbook.settings.getItemOrNullObject(UNDO_SETTING);
  undo.load("value");
  const settings = context.workbook.settings.getItemOrNullObject(SETTINGS);
  settings.load("value");
  const flags = context.workbook.settings.getItemOrNullObject(FLAGS_SETTING);
  flags.load("value");
  await context.sync();

  const empty = { formulas: [] as Scalar[][], numberFormat: [] as string[][] };
  const grid: Grid = { sheet: sheet.name, cells: [], origin: { row: 0, col: 0 } };
  let raw = empty;
  if (!used.isNullObject) {
    grid.origin = { row: used.rowIndex, col: used.columnIndex };
    const values = used.values as Scalar[][];
    const formulas = used.formulas as Scalar[][];
    const types = used.valueTypes as string[][];
    const formats = used.numberFormat as string[][];
    grid.cells = values.map((row, r) =>
      row.map((v, c): GridCell | null => {
        const f = formulas[r][c];
        const formula = typeof f === "string" && f.startsWith("=") ? f.slice(1) : undefined;
        if (v === "" && formula === undefined) return null;
        const value: CellValue = types[r][c] === ERROR ? { error: String(v) } : v === "" ? null : v;
        const cell: GridCell = { v: value };
        if (formula !== undefined) cell.f = formula;
        if (formats[r][c] && formats[r][c] !== "General") cell.z = formats[r][c];
        return cell;
      }),
    );
    raw = { formulas, numberFormat: formats };
  }
  const chosen = settings.isNullObject ? undefined : (settings.value as PaneSettings).table;
  if (chosen && chosen.sheet === sheet.name) ({ grid: grid.cells, raw } = restrict(grid, raw, chosen.address));
  const mergedAreas = merged && !merged.isNullObject ? areasOf(merged.address) : [];
  const o = grid.origin!;
  grid.merges = mergedAreas.map((m) => ({
    top: m.top - o.row,
    left: m.left - o.col,
    bottom: m.bottom - o.row,
    right: m.right - o.col,
  }));
  const snapshot = undo.isNullObject ? null : (undo.value as UndoSnapshot);
  return {
    sheet: sheet.name,
    grid,
    protected: sheet.protection.protected,
    undo: snapshot,
    flagFormats: formats.items
      .filter((cf) => !cf.customOrNullObject.isNullObject && cf.customOrNullObject.rule.formula.includes(FLAG_MARK))
      .map((cf) => cf.id),
    flagRecord: flags.isNullObject ? null : (flags.value as FlagRecord),
    mergedAreas,
    settings: settings.isNullObject ? {} : (settings.value as PaneSettings),
    raw,
  };
}

interface Area {
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

/** Whether Excel supports a requirement set (outside Office, in tests and the preview, it does). */
function supports(version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  return office?.context?.requirements?.isSetSupported("ExcelApi", version) ?? true;
}

/** Keeps only the cells of an area ("A4:D14") of the grid, moving its origin there. */
function restrict(grid: Grid, raw: SheetRead["raw"], address: string): { grid: Grid["cells"]; raw: SheetRead["raw"] } {
  const [a, b] = address.split(":").map((x) => parseCellAddress(x));
  const o = grid.origin ?? { row: 0, col: 0 };
  if (!a) return { grid: grid.cells, raw };
  const end = b ?? a;
  const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const pick = <T>(m: T[][], fill: T): T[][] =>
    rows(a.row - o.row, end.row - o.row).map((r) => rows(a.col - o.col, end.col - o.col).map((c) => m[r]?.[c] ?? fill));
  grid.origin = { row: a.row, col: a.col };
  return {
    grid: pick<GridCell | null | undefined>(grid.cells, null),
    raw: { formulas: pick<Scalar>(raw.formulas, ""), numberFormat: pick(raw.numberFormat, "General") },
  };
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

/** The size of one cell write in a request (object path, two property sets), generously, in bytes. */
function requestBytes(formula: Scalar, numberFormat: string | undefined): number {
  return 450 + String(formula).length + (numberFormat?.length ?? 0);
}

/** Writes a cell's content so that Excel keeps it as it is: a formula, a number, or text as text. */
function put(cell: Excel.Range, content: Scalar, numberFormat?: string): void {
  // The format first: in a text-formatted cell "4000" stays text.
  if (numberFormat !== undefined) cell.numberFormat = [[numberFormat]];
  if (typeof content === "string" && content.startsWith("=")) cell.formulas = [[content]];
  else if (typeof content === "string" && content !== "") cell.values = [[`'${content}`]];
  else cell.values = [[content]];
}

/**
 * Writes the plan: deviations and sum lines (values or formulas, with number formats), the flag
 * format over the deviation column, and the undo snapshot, with calculation and screen updating
 * suspended. One sync, unless the plan is larger than `maxRequestBytes`. The snapshot goes first:
 * if the workbook cannot keep it, nothing is written.
 */
export async function applyPlan(
  context: Excel.RequestContext,
  read: SheetRead,
  checked: { table: Table },
  plan: WritePlan,
  maxRequestBytes = MAX_REQUEST_BYTES,
): Promise<void> {
  const { table } = checked;
  const sheet = context.workbook.worksheets.getItem(read.sheet);
  const o = read.grid.origin ?? { row: 0, col: 0 };
  const saved: SavedCell[] = plan.writes.map((w) => ({
    row: o.row + w.row,
    col: o.col + w.col,
    formula: read.raw.formulas[w.row]?.[w.col] ?? "",
    numberFormat: read.raw.numberFormat[w.row]?.[w.col] ?? "General",
    written: w.formula !== undefined ? `=${w.formula}` : w.value,
  }));
  // A cell inside merged cells, but not their first, cannot be written on its own.
  const inMerge = writesHiddenByMerges(plan.writes, read.grid.merges ?? []).map((w) => w.cell);
  if (inMerge.length > 0) throw new HostRefusal("merged", inMerge);
  const snapshot: UndoSnapshot = {
    sheet: read.sheet,
    cells: saved,
    flags: read.flagFormats.length > 0 ? read.flagRecord : null,
  };
  if (JSON.stringify(snapshot).length > MAX_UNDO_BYTES) throw new HostRefusal("undo-too-large");
  const suspend = (): void => {
    context.application.suspendApiCalculationUntilNextSync();
    context.application.suspendScreenUpdatingUntilNextSync();
  };
  suspend();
  context.workbook.settings.add(UNDO_SETTING, snapshot);
  let bytes = 0;
  for (const w of plan.writes) {
    const size = requestBytes(w.formula ?? w.value, w.numberFormat);
    if (bytes > 0 && bytes + size > maxRequestBytes) {
      // Only a plan too large for one request is split; each part is one sync.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
      suspend();
      bytes = 0;
    }
    bytes += size;
    const cell = sheet.getRangeByIndexes(o.row + w.row, o.col + w.col, 1, 1);
    if (w.formula !== undefined) {
      if (w.numberFormat !== undefined) cell.numberFormat = [[w.numberFormat]];
      cell.formulas = [[`=${w.formula}`]];
    } else {
      put(cell, w.value, w.numberFormat);
    }
  }
  // The flag format: the add-in's earlier one goes, a new one covers the deviation column.
  // eslint-disable-next-line office-addins/load-object-before-read
  const all = sheet.getRange().conditionalFormats;
  for (const id of read.flagFormats) all.getItem(id).delete();
  if (table.lineArrays.count > 0) addFlags(context, sheet, { rules: plan.flagFormats ?? [] });
  await context.sync();
}

/** Adds the flag formats and records them. */
function addFlags(context: Excel.RequestContext, sheet: Excel.Worksheet, flags: FlagRecord): void {
  for (const r of flags.rules) {
    const cf = sheet.getRanges(r.address).conditionalFormats.add("Custom");
    cf.custom.rule.formula = r.formula;
    cf.custom.format.fill.color = FLAG_FILL;
    cf.custom.format.font.color = FLAG_FONT;
  }
  context.workbook.settings.add(FLAGS_SETTING, flags);
}

/** Removes the add-in's flag formats from the active sheet, and nothing else. Two syncs. */
export async function removeFlags(context: Excel.RequestContext): Promise<number> {
  const read = await readActiveSheet(context);
  if (read.flagFormats.length === 0) return 0;

  const all = context.workbook.worksheets.getItem(read.sheet).getRange().conditionalFormats;
  for (const id of read.flagFormats) all.getItem(id).delete();
  context.workbook.settings.getItemOrNullObject(FLAGS_SETTING).delete();
  await context.sync();
  return read.flagFormats.length;
}

/** Whether a cell still holds what the add-in wrote there. */
function unchanged(now: Scalar | undefined, written: Scalar): boolean {
  if (typeof written === "number") return typeof now === "number" && Math.abs(now - written) < 1e-9;
  return now === written;
}

/**
 * Takes back the last write, on the sheet it was made on: every written cell gets its formula or
 * constant and its number format back, and the flag format goes. If any written cell was changed
 * since (typed over, or moved by an inserted row), nothing is restored: undo would overwrite the
 * user's work. Two syncs, three when the written sheet is not the active one.
 */
export async function undoLastWrite(
  context: Excel.RequestContext,
  maxRequestBytes = MAX_REQUEST_BYTES,
): Promise<number> {
  let read = await readActiveSheet(context);
  const undo = read.undo;
  if (!undo) return 0;
  if (undo.sheet !== read.sheet) read = await readSheet(context, undo.sheet);
  const o = read.grid.origin ?? { row: 0, col: 0 };
  const changed = undo.cells
    .filter((c) => !unchanged(read.raw.formulas[c.row - o.row]?.[c.col - o.col], c.written))
    .map((c) => cellAddress(c.row, c.col));
  if (changed.length > 0) throw new HostRefusal("undo-conflict", changed);
  const sheet = context.workbook.worksheets.getItem(undo.sheet);
  const suspend = (): void => {
    context.application.suspendApiCalculationUntilNextSync();
    context.application.suspendScreenUpdatingUntilNextSync();
  };
  suspend();
  let bytes = 0;
  for (const c of undo.cells) {
    const size = requestBytes(c.formula, c.numberFormat);
    if (bytes > 0 && bytes + size > maxRequestBytes) {
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
      suspend();
      bytes = 0;
    }
    bytes += size;
    put(sheet.getRangeByIndexes(c.row, c.col, 1, 1), c.formula, c.numberFormat);
  }
  // eslint-disable-next-line office-addins/load-object-before-read
  const all = sheet.getRange().conditionalFormats;
  for (const id of read.flagFormats) all.getItem(id).delete();
  // The flag format the write replaced comes back.
  if (undo.flags) addFlags(context, sheet, undo.flags);
  else context.workbook.settings.getItemOrNullObject(FLAGS_SETTING).delete();
  context.workbook.settings.getItemOrNullObject(UNDO_SETTING).delete();
  await context.sync();
  return undo.cells.length;
}
