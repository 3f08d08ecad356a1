/**
 * An in-memory workbook behind the part of the Excel JavaScript API the add-in uses, for tests and
 * for trying the pane without Excel. It behaves like Excel where it matters: commands are queued
 * and run in order at context.sync(); a property read before it was loaded and synced throws, as
 * Excel does; values, formulas and number formats are 2D arrays; addresses look like
 * "Uppföljning!D8"; formulas are calculated as Excel does (a write with API calculation suspended
 * leaves dependent formulas stale until the workbook is calculated); and sync calls are counted.
 * It keeps Excel on the web's limits: a request or a response over 5 MB is refused, the add-in's
 * settings are kept small, and nothing can be done while the user is editing a cell.
 * The classes implement Pick<> of the @types/office-js classes, so their names cannot drift from
 * the real API.
 */
import { additiveTerms, cellAddress, parseCellAddress } from "../core";

type Scalar = string | number | boolean;

/** Excel on the web refuses a request, and a response, larger than this. */
export const PAYLOAD_LIMIT = 5 * 1024 * 1024;
/** The add-in's settings together (as JSON) may not be larger than this. */
export const SETTINGS_LIMIT = 2 * 1024 * 1024;
/** What a queued command costs in a request besides its data: its object path and method. */
const COMMAND_BYTES = 120;
/** The size of data as it travels: its JSON, in UTF-8 bytes (each %XX of its URI encoding is one). */
function size(data: unknown): number {
  const json = JSON.stringify(data) ?? "null";
  // Plain ASCII (most of a sheet) needs no encoding to count.
  if (!/[^\x20-\x7e]/.test(json)) return json.length;
  return encodeURIComponent(json).replace(/%[0-9A-F]{2}/g, "x").length;
}

export interface FakeCell {
  value: Scalar;
  /** The formula with its "=", when the cell has one. */
  formula?: string;
  numberFormat?: string;
}

export interface FakeConditionalFormat {
  id: string;
  /** Cells it covers, like "D5:D14". */
  address: string;
  formula: string;
  fill?: string;
  fontColor?: string;
}

export class FakeSheetData {
  readonly cells = new Map<string, FakeCell>();
  readonly conditionalFormats: FakeConditionalFormat[] = [];
  /** Merged areas, like "A1:D1". */
  readonly merges: string[] = [];
  protected = false;
  constructor(public name: string) {}

  static fromRows(name: string, rows: (Scalar | null | FakeCell)[][]): FakeSheetData {
    const s = new FakeSheetData(name);
    rows.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === null || v === "") return;
        s.cells.set(key(r, c), typeof v === "object" ? { ...v } : { value: v });
      }),
    );
    return s;
  }

  get(row: number, col: number): FakeCell | undefined {
    return this.cells.get(key(row, col));
  }

  /** The smallest rectangle holding every non-empty cell, or null for an empty sheet. */
  usedArea(): { top: number; left: number; bottom: number; right: number } | null {
    let area: { top: number; left: number; bottom: number; right: number } | null = null;
    for (const [k, cell] of this.cells) {
      if (cell.value === "" && cell.formula === undefined && cell.numberFormat === undefined) continue;
      const [r, c] = k.split(",").map(Number);
      if (!area) area = { top: r, left: c, bottom: r, right: c };
      else {
        area.top = Math.min(area.top, r);
        area.left = Math.min(area.left, c);
        area.bottom = Math.max(area.bottom, r);
        area.right = Math.max(area.right, c);
      }
    }
    return area;
  }

  /**
   * Sets a cell as Excel does on a write. A formula gets its value now, unless calculation is
   * suspended: then it keeps its old value until the workbook is calculated.
   */
  write(
    row: number,
    col: number,
    what: { value?: Scalar | null; formula?: Scalar; numberFormat?: string },
    calculate = true,
  ): void {
    const cell: FakeCell = { ...(this.get(row, col) ?? { value: "" }) };
    // Excel reads what is written as if it were typed: "=…" is a formula, a leading ' keeps text
    // as text, and in a cell formatted as text everything is text (a number too).
    const entry = what.formula !== undefined ? what.formula : what.value;
    if (entry !== undefined) {
      delete cell.formula;
      if (typeof entry === "string" && entry.startsWith("=") && cell.numberFormat !== "@") {
        cell.formula = entry;
        if (calculate) cell.value = this.calculate(entry);
      } else if (typeof entry === "string" && entry.startsWith("'")) {
        cell.value = entry.slice(1);
      } else if (typeof entry === "string" && cell.numberFormat !== "@" && /^-?\d+(\.\d+)?$/.test(entry)) {
        cell.value = Number(entry);
      } else if (typeof entry === "number" && cell.numberFormat === "@") {
        cell.value = String(entry);
      } else {
        cell.value = entry ?? "";
      }
    }
    if (what.numberFormat !== undefined) {
      if (what.numberFormat === "General") delete cell.numberFormat;
      else cell.numberFormat = what.numberFormat;
    }
    // A cell with nothing in it and the default format is an empty cell.
    if (cell.value === "" && cell.formula === undefined && cell.numberFormat === undefined) {
      this.cells.delete(key(row, col));
    } else {
      this.cells.set(key(row, col), cell);
    }
  }

  /** The value of a formula that adds and subtracts cells of this sheet; other formulas give #VALUE!. */
  calculate(formula: string): Scalar {
    const terms = additiveTerms(formula);
    if (!terms) return "#VALUE!";
    let sum = 0;
    for (const t of terms) {
      const v = this.get(t.row, t.col)?.value;
      if (typeof v === "number") sum += t.sign * v;
    }
    return Math.round(sum * 100) / 100;
  }
}

function key(row: number, col: number): string {
  return `${row},${col}`;
}

/** A sheet's content at one moment, to take the workbook back to (Excel's own undo). */
interface SheetState {
  cells: Map<string, FakeCell>;
  conditionalFormats: FakeConditionalFormat[];
}

export class FakeWorkbookData {
  readonly sheets: FakeSheetData[];
  readonly settings = new Map<string, unknown>();
  /** Custom XML parts by id: their namespace and XML. */
  readonly customXmlParts = new Map<string, { namespaceUri: string; xml: string }>();
  /** How many cell writes have been made, by batches and by edits. */
  writes = 0;
  /** Syncs of every request context, in order; `failSync` sees this number. */
  syncCount = 0;
  /** A failure to make a sync fail with (the connection lost, say): given the sync's number, an error code or null. */
  failSync: ((sync: number) => string | null) | null = null;
  /** Whether the user is editing a cell: then Excel refuses every request that does something. */
  editing = false;
  /** Formula cells whose value is stale, since they were written with calculation suspended. */
  dirty = false;
  /** How the workbook is calculated: the in-memory formulas by default, or an engine given by a test. */
  engine: ((data: FakeWorkbookData) => void) | null = null;
  /** API names that cannot be undone, so Excel refuses them in a merged undo group ("customXmlParts.add"). */
  readonly undoUnsupported = new Set<string>();
  /** Excel's undo stack of the add-in's merged groups: the workbook before each. */
  readonly undoStack: SheetState[][] = [];
  active: string;
  /** The selected cell, like "Uppföljning!D8". */
  selection = "";
  /** Handlers of worksheets.onChanged. */
  readonly listeners = new Set<() => Promise<unknown> | void>();
  private editEnded: (() => void)[] = [];

  /** An edit made by the user in Excel: the cell changes, the workbook is calculated, the change events fire. */
  async edit(sheet: string, address: string, what: Parameters<FakeSheetData["write"]>[2]): Promise<void> {
    const at = parseCellAddress(address)!;
    this.sheet(sheet).write(at.row, at.col, what);
    this.recalculate();
    await this.changed();
  }
  async changed(): Promise<void> {
    for (const h of [...this.listeners]) await h();
  }
  /** The user starts or stops editing a cell; batches waiting for the edit to end then run. */
  setEditing(editing: boolean): void {
    this.editing = editing;
    if (!editing) for (const go of this.editEnded.splice(0)) go();
  }
  /** Resolves once no cell is being edited. */
  whenNotEditing(): Promise<void> {
    return this.editing ? new Promise((resolve) => this.editEnded.push(resolve)) : Promise.resolve();
  }
  /** Calculates every formula of the workbook. */
  recalculate(): void {
    this.dirty = false;
    if (this.engine) return this.engine(this);
    // The in-memory formulas add and subtract cells of their own sheet; a chain of them settles
    // within as many passes as it is long.
    for (const sheet of this.sheets) {
      for (let pass = 0; pass < 100; pass++) {
        let changed = false;
        for (const cell of sheet.cells.values()) {
          if (cell.formula === undefined || !additiveTerms(cell.formula)) continue;
          const v = sheet.calculate(cell.formula);
          if (v !== cell.value) {
            cell.value = v;
            changed = true;
          }
        }
        if (!changed) break;
      }
    }
  }
  /** The workbook's sheets as they are now, to undo to. */
  state(): SheetState[] {
    return this.sheets.map((s) => ({
      cells: new Map([...s.cells].map(([k, c]) => [k, { ...c }])),
      conditionalFormats: s.conditionalFormats.map((cf) => ({ ...cf })),
    }));
  }
  /** Ctrl+Z: takes back the add-in's last merged undo group. Whether there was one. */
  userUndo(): boolean {
    const state = this.undoStack.pop();
    if (!state) return false;
    this.sheets.forEach((s, i) => {
      s.cells.clear();
      for (const [k, c] of state[i].cells) s.cells.set(k, c);
      s.conditionalFormats.splice(0, s.conditionalFormats.length, ...state[i].conditionalFormats);
    });
    this.recalculate();
    return true;
  }
  private nextId = 1;
  constructor(sheets: FakeSheetData[]) {
    this.sheets = sheets;
    this.active = sheets[0].name;
  }
  sheet(name: string): FakeSheetData {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw new FakeExcelError("ItemNotFound", `no sheet named ${name}`);
    return s;
  }
  /** A new id, never given before in this workbook. */
  id(kind = "cf"): string {
    return `{${kind}-${this.nextId++}}`;
  }
}

export class FakeExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A queued command: what it does (and how many bytes it answers with), and its size in the request. */
type Op = () => number | void;
interface Command {
  op: Op;
  bytes: number;
  /** The API it calls, for the ones Excel cannot undo ("customXmlParts.add"). */
  api?: string;
}

/** The request context: commands queue up and run, in order, at sync(). */
export class FakeRequestContext implements Pick<Excel.RequestContext, "sync"> {
  syncs = 0;
  /** Whether its batch is still running (fakeRunner ends it); objects of an ended batch cannot be used. */
  running = true;
  /** Whether its batch is one undo group (Excel.run's mergeUndoGroup). */
  mergeUndoGroup = false;
  readonly suspended = { calculation: false, screenUpdating: false };
  /** Per sync: whether calculation and screen updating were both suspended for its batch. */
  readonly suspendedAtSync: boolean[] = [];
  /** Per sync: the size of its request and of its response, in bytes. */
  readonly payloads: { request: number; response: number }[] = [];
  private queue: Command[] = [];
  /** What the running request answers: given to the proxies only when the whole request succeeds. */
  private answers: (() => void)[] = [];
  readonly workbook: FakeWorkbook;
  readonly application: FakeApplication;
  constructor(readonly data: FakeWorkbookData) {
    this.workbook = new FakeWorkbook(this);
    this.application = new FakeApplication(this);
  }
  enqueue(op: Op, bytes = COMMAND_BYTES, api?: string): void {
    this.queue.push({ op, bytes, api });
  }
  /** An answer of the running request (a loaded value), delivered if the request succeeds. */
  answer(deliver: () => void): void {
    this.answers.push(deliver);
  }
  async sync<T>(passThroughValue?: T): Promise<T> {
    this.syncs++;
    const n = ++this.data.syncCount;
    const commands = this.queue;
    this.queue = [];
    const suspended = this.suspended.calculation;
    this.suspendedAtSync.push(this.suspended.calculation && this.suspended.screenUpdating);
    this.suspended.calculation = false;
    this.suspended.screenUpdating = false;
    const before = this.data.writes;
    const request = commands.reduce((sum, c) => sum + c.bytes, 0);
    const payload = { request, response: 0 };
    this.payloads.push(payload);
    if (commands.length > 0) {
      const fault = this.data.failSync?.(n);
      if (fault) throw new FakeExcelError(fault, "The request failed.");
      if (this.data.editing) {
        throw new FakeExcelError("InvalidOperationInCellEditMode", "Excel is in cell-editing mode.");
      }
      if (request > PAYLOAD_LIMIT) {
        throw new FakeExcelError("RequestPayloadSizeLimitExceeded", "The request payload size has exceeded the limit.");
      }
      const refused = this.mergeUndoGroup ? commands.find((c) => c.api && this.data.undoUnsupported.has(c.api)) : null;
      if (refused) throw new FakeExcelError("UndoNotSupported", `${refused.api} cannot be undone.`);
      this.answers = [];
      for (const c of commands) {
        const bytes = c.op();
        if (typeof bytes === "number") payload.response += bytes;
      }
      if (this.data.writes !== before && !suspended) this.data.recalculate();
      if (payload.response > PAYLOAD_LIMIT) {
        throw new FakeExcelError(
          "ResponsePayloadSizeLimitExceeded",
          "The response payload size has exceeded the limit.",
        );
      }
      // A request that failed answers nothing; this one succeeded.
      for (const deliver of this.answers) deliver();
      this.answers = [];
    }
    // Excel raises change events for the cells a batch wrote, after the batch.
    if (this.data.writes !== before) setTimeout(() => void this.data.changed(), 0);
    return passThroughValue as T;
  }
}

/** A proxy whose properties can be read only after load() and sync(). */
class Proxy {
  private loaded = new Set<string>();
  protected readonly state = new Map<string, unknown>();
  constructor(protected readonly ctx: FakeRequestContext) {}
  protected loadNames(names: string[], read: (name: string) => unknown): void {
    this.ctx.enqueue(() => {
      let bytes = 0;
      for (const n of names) {
        const v = read(n);
        this.ctx.answer(() => {
          this.state.set(n, v);
          this.loaded.add(n);
        });
        bytes += n.length + 4 + size(v);
      }
      return bytes;
    });
  }
  protected get<T>(name: string): T {
    if (!this.loaded.has(name)) {
      throw new FakeExcelError(
        "PropertyNotLoaded",
        `The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.state.get(name) as T;
  }
}

function names(spec: string | string[] | undefined): string[] {
  if (spec === undefined) return [];
  const list = Array.isArray(spec) ? spec : spec.split(",");
  return list.map((s) => s.trim()).filter((s) => s !== "");
}

export class FakeApplication implements Pick<
  Excel.Application,
  "suspendApiCalculationUntilNextSync" | "suspendScreenUpdatingUntilNextSync" | "calculate"
> {
  constructor(private readonly ctx: FakeRequestContext) {}
  /** Calculates the workbook (every calculation type is a full one here). */
  calculate(): void {
    this.ctx.enqueue(() => this.ctx.data.recalculate());
  }
  suspendApiCalculationUntilNextSync(): void {
    this.ctx.suspended.calculation = true;
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.ctx.suspended.screenUpdating = true;
  }
}

export class FakeWorkbook implements Pick<Excel.Workbook, "getSelectedRange"> {
  readonly worksheets: FakeWorksheetCollection;
  readonly settings: FakeSettingCollection;
  readonly customXmlParts: FakeCustomXmlPartCollection;
  constructor(private readonly ctx: FakeRequestContext) {
    this.worksheets = new FakeWorksheetCollection(ctx);
    this.settings = new FakeSettingCollection(ctx);
    this.customXmlParts = new FakeCustomXmlPartCollection(ctx);
  }
  getSelectedRange(): Excel.Range {
    const [sheet, address] = (this.ctx.data.selection || `${this.ctx.data.active}!A1`).split("!");
    return (this.worksheets.getItem(sheet) as unknown as FakeWorksheet).getRange(address);
  }
}

/** What getItemOrNullObject gives: a sheet's name, or a null object. */
class FakeSheetOrNull extends Proxy implements Pick<Excel.Worksheet, "name" | "isNullObject"> {
  constructor(
    ctx: FakeRequestContext,
    private readonly sheetName: string,
  ) {
    super(ctx);
  }
  get name(): string {
    return this.get("name");
  }
  get isNullObject(): boolean {
    return this.get("isNullObject");
  }
  load(spec?: string | string[]): this {
    this.loadNames([...names(spec), "isNullObject"], (n) => {
      const sheet = this.ctx.data.sheets.find((s) => s.name === this.sheetName);
      return n === "isNullObject" ? !sheet : sheet?.name;
    });
    return this;
  }
}

export class FakeWorksheetCollection implements Pick<
  Excel.WorksheetCollection,
  "getActiveWorksheet" | "getItem" | "getItemOrNullObject"
> {
  readonly onChanged: { add(handler: () => Promise<unknown>): { context: FakeRequestContext; remove(): void } };
  constructor(private readonly ctx: FakeRequestContext) {
    this.onChanged = {
      add: (handler) => {
        ctx.enqueue(() => void ctx.data.listeners.add(handler));
        // As in Excel, the handler is removed through the request context it was added with.
        return {
          context: ctx,
          remove: () => {
            if (!ctx.running) {
              throw Object.assign(new Error("The request context is no longer valid."), { code: "InvalidObjectPath" });
            }
            ctx.enqueue(() => void ctx.data.listeners.delete(handler));
          },
        };
      },
    };
  }
  getActiveWorksheet(): Excel.Worksheet {
    return new FakeWorksheet(this.ctx, () => this.ctx.data.active) as unknown as Excel.Worksheet;
  }
  getItem(name: string): Excel.Worksheet {
    return new FakeWorksheet(this.ctx, () => name) as unknown as Excel.Worksheet;
  }
  /** A sheet by name, or a null object (loading tells which). */
  getItemOrNullObject(name: string): Excel.Worksheet {
    return new FakeSheetOrNull(this.ctx, name) as unknown as Excel.Worksheet;
  }
}

export class FakeWorksheet
  extends Proxy
  implements Pick<Excel.Worksheet, "name" | "getUsedRangeOrNullObject" | "getRangeByIndexes" | "getRange" | "getRanges">
{
  readonly protection: FakeProtection;
  constructor(
    ctx: FakeRequestContext,
    private readonly sheetName: () => string,
  ) {
    super(ctx);
    this.protection = new FakeProtection(ctx, () => this.data());
  }
  data(): FakeSheetData {
    return this.ctx.data.sheet(this.sheetName());
  }
  get name(): string {
    return this.get("name");
  }
  load(spec?: string | string[]): this {
    const list = names(spec);
    this.loadNames(
      list.filter((n) => n === "name"),
      () => this.data().name,
    );
    if (list.includes("protection/protected")) this.protection.load("protected");
    return this;
  }
  getUsedRangeOrNullObject(): Excel.Range {
    return new FakeRange(this.ctx, () => {
      const s = this.data();
      const a = s.usedArea();
      return a ? { sheet: s, top: a.top, left: a.left, rows: a.bottom - a.top + 1, cols: a.right - a.left + 1 } : null;
    }) as unknown as Excel.Range;
  }
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): Excel.Range {
    return new FakeRange(this.ctx, () => ({
      sheet: this.data(),
      top: startRow,
      left: startColumn,
      rows: rowCount,
      cols: columnCount,
    })) as unknown as Excel.Range;
  }
  /** Several areas ("D5:D9,D12"): here, what the add-in uses of them, their conditional formats. */
  getRanges(address?: string): Excel.RangeAreas {
    const areas = (address ?? "A1").split(/[,;]\s*/).map((a) => a.trim());
    const first = this.getRange(areas[0]) as unknown as FakeRange;
    return {
      conditionalFormats: new FakeConditionalFormatCollection(this.ctx, () => first.cellsArea(), areas.join(",")),
    } as unknown as Excel.RangeAreas;
  }
  getRange(address?: string): Excel.Range {
    // Without an address: the whole sheet.
    if (address === undefined) return this.getRangeByIndexes(0, 0, 1048576, 16384);
    const [a, b] = address.split(":");
    const from = parseCellAddress(a);
    const to = parseCellAddress(b ?? a);
    if (!from || !to) throw new FakeExcelError("InvalidArgument", `not an address: ${address}`);
    return this.getRangeByIndexes(from.row, from.col, to.row - from.row + 1, to.col - from.col + 1);
  }
}

export class FakeProtection extends Proxy implements Pick<Excel.WorksheetProtection, "protected"> {
  constructor(
    ctx: FakeRequestContext,
    private readonly sheet: () => FakeSheetData,
  ) {
    super(ctx);
  }
  get protected(): boolean {
    return this.get("protected");
  }
  load(spec?: string | string[]): this {
    this.loadNames(names(spec), () => this.sheet().protected);
    return this;
  }
}

interface Area {
  sheet: FakeSheetData;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

export class FakeRange
  extends Proxy
  implements
    Pick<
      Excel.Range,
      | "values"
      | "formulas"
      | "numberFormat"
      | "valueTypes"
      | "address"
      | "rowIndex"
      | "columnIndex"
      | "rowCount"
      | "columnCount"
      | "isNullObject"
      | "select"
      | "getMergedAreasOrNullObject"
      | "getUsedRangeOrNullObject"
      | "getIntersectionOrNullObject"
    >
{
  readonly conditionalFormats: FakeConditionalFormatCollection;
  constructor(
    ctx: FakeRequestContext,
    readonly area: () => Area | null,
  ) {
    super(ctx);
    this.conditionalFormats = new FakeConditionalFormatCollection(ctx, () => this.must());
  }
  /** The cells it stands for (a null range has none). */
  cellsArea(): Area {
    return this.must();
  }
  private must(): Area {
    const a = this.area();
    if (!a) throw new FakeExcelError("InvalidObjectPath", "the range is a null object");
    return a;
  }
  private grid<T>(a: Area, f: (cell: FakeCell | undefined) => T): T[][] {
    return Array.from({ length: a.rows }, (_, r) =>
      Array.from({ length: a.cols }, (_, c) => f(a.sheet.get(a.top + r, a.left + c))),
    );
  }
  private read(name: string, a: Area | null): unknown {
    if (name === "isNullObject") return a === null;
    // As in Excel, a null object's properties may be loaded (the usual way to learn that it is
    // one); they hold nothing.
    if (!a) return null;
    switch (name) {
      case "values":
        return this.grid(a, (c) => c?.value ?? "");
      case "formulas":
        return this.grid(a, (c) => c?.formula ?? c?.value ?? "");
      case "numberFormat":
        return this.grid(a, (c) => c?.numberFormat ?? "General");
      case "valueTypes":
        return this.grid(a, (c) =>
          c === undefined || c.value === ""
            ? "Empty"
            : typeof c.value === "number"
              ? "Double"
              : typeof c.value === "boolean"
                ? "Boolean"
                : /^#(REF!|VALUE!|DIV\/0!|N\/A|NAME\?|NUM!|NULL!|SPILL!|CALC!)$/.test(c.value)
                  ? "Error"
                  : "String",
        );
      case "address": {
        const first = cellAddress(a.top, a.left);
        const last = cellAddress(a.top + a.rows - 1, a.left + a.cols - 1);
        // As Excel writes it: a name with spaces or punctuation is quoted.
        const name = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(a.sheet.name)
          ? a.sheet.name
          : `'${a.sheet.name.replace(/'/g, "''")}'`;
        return `${name}!${first === last ? first : `${first}:${last}`}`;
      }
      case "rowIndex":
        return a.top;
      case "columnIndex":
        return a.left;
      case "rowCount":
        return a.rows;
      case "columnCount":
        return a.cols;
      default:
        throw new FakeExcelError("InvalidArgument", `the in-memory Excel has no range property ${name}`);
    }
  }
  load(spec?: string | string[]): this {
    // As in Excel, isNullObject is known after any load of the object.
    // The range is worked out once per load, as Excel does once per request.
    let area: Area | null | undefined;
    this.loadNames([...names(spec), "isNullObject"], (n) =>
      this.read(n, area === undefined ? (area = this.area()) : area),
    );
    return this;
  }
  get values(): Excel.Range["values"] {
    return this.get("values");
  }
  set values(v: Excel.Range["values"]) {
    this.writeEach(v, (value) => ({ value: value as Scalar }));
  }
  get formulas(): Excel.Range["formulas"] {
    return this.get("formulas");
  }
  set formulas(v: Excel.Range["formulas"]) {
    this.writeEach(v, (formula) => ({ formula: formula as Scalar }));
  }
  get numberFormat(): Excel.Range["numberFormat"] {
    return this.get("numberFormat");
  }
  set numberFormat(v: Excel.Range["numberFormat"]) {
    this.writeEach(v, (numberFormat) => ({ numberFormat: String(numberFormat) }));
  }
  get valueTypes(): Excel.Range["valueTypes"] {
    return this.get("valueTypes");
  }
  get address(): string {
    return this.get("address");
  }
  get rowIndex(): number {
    return this.get("rowIndex");
  }
  get columnIndex(): number {
    return this.get("columnIndex");
  }
  get rowCount(): number {
    return this.get("rowCount");
  }
  get columnCount(): number {
    return this.get("columnCount");
  }
  get isNullObject(): boolean {
    return this.get("isNullObject");
  }
  /** The smallest area of this range that holds every used cell in it, or a null object. */
  getUsedRangeOrNullObject(): Excel.Range {
    return new FakeRange(this.ctx, () => {
      const a = this.area();
      if (!a) return null;
      let top = Infinity;
      let left = Infinity;
      let bottom = -Infinity;
      let right = -Infinity;
      for (const [k, cell] of a.sheet.cells) {
        if (cell.value === "" && cell.formula === undefined && cell.numberFormat === undefined) continue;
        const [r, c] = k.split(",").map(Number);
        if (r < a.top || r >= a.top + a.rows || c < a.left || c >= a.left + a.cols) continue;
        top = Math.min(top, r);
        left = Math.min(left, c);
        bottom = Math.max(bottom, r);
        right = Math.max(right, c);
      }
      return top === Infinity ? null : { sheet: a.sheet, top, left, rows: bottom - top + 1, cols: right - left + 1 };
    }) as unknown as Excel.Range;
  }
  /** The cells this range shares with another of the same sheet, or a null object. */
  getIntersectionOrNullObject(other: Excel.Range): Excel.Range {
    const that = other as unknown as FakeRange;
    return new FakeRange(this.ctx, () => {
      const a = this.area();
      const b = that.area();
      if (!a || !b || a.sheet !== b.sheet) return null;
      const top = Math.max(a.top, b.top);
      const left = Math.max(a.left, b.left);
      const bottom = Math.min(a.top + a.rows, b.top + b.rows);
      const right = Math.min(a.left + a.cols, b.left + b.cols);
      if (bottom <= top || right <= left) return null;
      return { sheet: a.sheet, top, left, rows: bottom - top, cols: right - left };
    }) as unknown as Excel.Range;
  }
  getMergedAreasOrNullObject(): Excel.RangeAreas {
    const ctx = this.ctx;
    const area = () => this.must();
    const state: { address?: string; isNullObject?: boolean } = {};
    return {
      load() {
        ctx.enqueue(() => {
          const a = area();
          const inside = a.sheet.merges.filter((m) => overlaps(m, a)).map((m) => `${a.sheet.name}!${m}`);
          ctx.answer(() => {
            state.isNullObject = inside.length === 0;
            state.address = inside.join(",");
          });
          return size(inside);
        });
      },
      get address() {
        return state.address;
      },
      get isNullObject() {
        return state.isNullObject;
      },
    } as unknown as Excel.RangeAreas;
  }
  select(): void {
    this.ctx.enqueue(() => {
      const a = this.must();
      this.ctx.data.active = a.sheet.name;
      this.ctx.data.selection = `${a.sheet.name}!${cellAddress(a.top, a.left)}`;
    });
  }
  private writeEach(v: unknown[][], what: (x: unknown) => Parameters<FakeSheetData["write"]>[2]): void {
    const calculate = !this.ctx.suspended.calculation;
    this.ctx.enqueue(
      () => {
        const a = this.must();
        if (a.sheet.protected) throw new FakeExcelError("AccessDenied", "the sheet is protected");
        if (v.length !== a.rows || v.some((row) => row.length !== a.cols)) {
          throw new FakeExcelError("InvalidArgument", "the array does not match the size of the range");
        }
        v.forEach((row, r) => row.forEach((x, c) => a.sheet.write(a.top + r, a.left + c, what(x), calculate)));
        this.ctx.data.writes++;
        if (!calculate) this.ctx.data.dirty = true;
      },
      COMMAND_BYTES + size(v),
    );
  }
}

export class FakeConditionalFormatCollection
  extends Proxy
  implements Pick<Excel.ConditionalFormatCollection, "add" | "getItem">
{
  constructor(
    ctx: FakeRequestContext,
    private readonly area: () => Area,
    /** For the formats of several areas: their address, as the format's. */
    private readonly areas?: string,
  ) {
    super(ctx);
  }
  get items(): Excel.ConditionalFormat[] {
    return this.get("items");
  }
  /** Loads the formats over the range, each with its id and custom rule ("items/..." specs). */
  load(): this {
    this.loadNames(["items"], () => {
      const a = this.area();
      return a.sheet.conditionalFormats
        .filter((cf) => overlaps(cf.address, a))
        .map((cf) => ({
          id: cf.id,
          type: "Custom",
          customOrNullObject: { isNullObject: false, rule: { formula: cf.formula } },
        }));
    });
    return this;
  }
  add(type: Excel.ConditionalFormatType | string): Excel.ConditionalFormat {
    if (type !== "Custom") throw new FakeExcelError("InvalidArgument", "the in-memory Excel adds custom formats only");
    const cf: FakeConditionalFormat = { id: "", address: "", formula: "" };
    this.ctx.enqueue(
      () => {
        // Excel refuses a range of many areas, from about 500 areas or 8 000 characters of address
        // (the point varies with the addresses): the in-memory Excel refuses either.
        if (this.areas && (this.areas.length > 8000 || this.areas.split(",").length > 500)) {
          throw new FakeExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
        }
        const a = this.area();
        cf.id = this.ctx.data.id();
        cf.address =
          this.areas ?? `${cellAddress(a.top, a.left)}:${cellAddress(a.top + a.rows - 1, a.left + a.cols - 1)}`;
        a.sheet.conditionalFormats.push(cf);
      },
      COMMAND_BYTES + (this.areas?.length ?? 0),
    );
    const set = (f: (x: FakeConditionalFormat) => void, bytes = COMMAND_BYTES) => this.ctx.enqueue(() => f(cf), bytes);
    return {
      custom: {
        rule: {
          set formula(v: string) {
            set((x) => (x.formula = v), COMMAND_BYTES + size(v));
          },
        },
        format: {
          fill: {
            set color(v: string) {
              set((x) => (x.fill = v));
            },
          },
          font: {
            set color(v: string) {
              set((x) => (x.fontColor = v));
            },
          },
        },
      },
    } as unknown as Excel.ConditionalFormat;
  }
  getItem(id: string): Excel.ConditionalFormat {
    return {
      delete: () =>
        this.ctx.enqueue(() => {
          const list = this.area().sheet.conditionalFormats;
          const at = list.findIndex((cf) => cf.id === id);
          if (at < 0) throw new FakeExcelError("ItemNotFound", `no conditional format ${id}`);
          list.splice(at, 1);
        }),
    } as unknown as Excel.ConditionalFormat;
  }
}

function overlaps(address: string, a: Area): boolean {
  return address.split(",").some((part) => {
    const [x, y] = part.split(":");
    const from = parseCellAddress(x)!;
    const to = parseCellAddress(y ?? x)!;
    return !(to.row < a.top || from.row > a.top + a.rows - 1 || to.col < a.left || from.col > a.left + a.cols - 1);
  });
}

export class FakeSettingCollection
  extends Proxy
  implements Pick<Excel.SettingCollection, "add" | "getItemOrNullObject" | "items">
{
  get items(): Excel.Setting[] {
    return this.get("items");
  }
  /** Loads every setting of the add-in, with its key and value ("items/key, items/value"). */
  load(): this {
    this.loadNames(["items"], () =>
      [...this.ctx.data.settings].map(([key, value]) => ({ key, value: JSON.parse(JSON.stringify(value)) })),
    );
    return this;
  }
  add(key: string, value: unknown): Excel.Setting {
    const text = JSON.stringify(value);
    const copy = JSON.parse(text);
    this.ctx.enqueue(
      () => {
        const settings = this.ctx.data.settings;
        const others = [...settings].filter(([k]) => k !== key);
        const total = others.reduce(
          (sum, [k, v]) => sum + k.length + JSON.stringify(v).length,
          key.length + text.length,
        );
        if (total > SETTINGS_LIMIT) {
          throw new FakeExcelError("InvalidArgument", "The settings are larger than Excel keeps in a workbook.");
        }
        settings.set(key, copy);
      },
      COMMAND_BYTES + size(key) + size(value),
    );
    return {} as Excel.Setting;
  }
  getItemOrNullObject(key: string): Excel.Setting {
    return new FakeSetting(this.ctx, key) as unknown as Excel.Setting;
  }
}

export class FakeSetting extends Proxy implements Pick<Excel.Setting, "value" | "isNullObject" | "delete"> {
  constructor(
    ctx: FakeRequestContext,
    private readonly key: string,
  ) {
    super(ctx);
  }
  get value(): unknown {
    return this.get("value");
  }
  get isNullObject(): boolean {
    return this.get("isNullObject");
  }
  load(spec?: string | string[]): this {
    this.loadNames([...names(spec), "isNullObject"], (n) => {
      const has = this.ctx.data.settings.has(this.key);
      if (n === "isNullObject") return !has;
      return has ? JSON.parse(JSON.stringify(this.ctx.data.settings.get(this.key))) : undefined;
    });
    return this;
  }
  delete(): void {
    this.ctx.enqueue(() => void this.ctx.data.settings.delete(this.key));
  }
}

/** The workbook's custom XML parts: added whole, listed with their ids and namespaces, read one by one. */
export class FakeCustomXmlPartCollection
  extends Proxy
  implements Pick<Excel.CustomXmlPartCollection, "add" | "getItem" | "items">
{
  get items(): Excel.CustomXmlPart[] {
    return this.get("items");
  }
  /** Loads the parts' ids and namespaces ("items/id, items/namespaceUri"). */
  load(): this {
    this.loadNames(["items"], () =>
      [...this.ctx.data.customXmlParts].map(([id, p]) => ({ id, namespaceUri: p.namespaceUri })),
    );
    return this;
  }
  add(xml: string): Excel.CustomXmlPart {
    const part = { id: "" };
    this.ctx.enqueue(
      () => {
        const ns = /^(?:<\?xml[^>]*\?>)?\s*<[^\s>]+[^>]*\sxmlns="([^"]*)"/.exec(xml);
        if (!/^(?:<\?xml[^>]*\?>)?\s*<[^\s>/]+/.test(xml)) throw new FakeExcelError("InvalidArgument", "not XML");
        part.id = this.ctx.data.id("part");
        this.ctx.data.customXmlParts.set(part.id, { namespaceUri: ns?.[1] ?? "", xml });
      },
      COMMAND_BYTES + size(xml),
      "customXmlParts.add",
    );
    return part as unknown as Excel.CustomXmlPart;
  }
  getItem(id: string): Excel.CustomXmlPart {
    const ctx = this.ctx;
    const must = () => {
      const p = ctx.data.customXmlParts.get(id);
      if (!p) throw new FakeExcelError("ItemNotFound", `no custom XML part ${id}`);
      return p;
    };
    return {
      getXml() {
        const result: { value?: string } = {};
        ctx.enqueue(() => {
          const xml = must().xml;
          ctx.answer(() => (result.value = xml));
          return size(xml);
        });
        return result;
      },
      delete() {
        ctx.enqueue(() => {
          must();
          ctx.data.customXmlParts.delete(id);
        });
      },
    } as unknown as Excel.CustomXmlPart;
  }
}

/**
 * Runs batches on the in-memory workbook as Excel.run does: each on a new request context, or on
 * the context it is given (an event handler's, to remove it); a context's objects cannot be used
 * once its batch has ended. With `delayForCellEdit` a batch waits until the user has left the
 * cell being edited; with `mergeUndoGroup` what it changes is one step of Excel's undo.
 * `after` runs after every batch.
 */
export function fakeRunner(
  data: FakeWorkbookData,
  after?: () => void,
): <T>(
  batch: (context: Excel.RequestContext) => Promise<T>,
  options?: { context?: unknown; delayForCellEdit?: boolean; mergeUndoGroup?: boolean },
) => Promise<T> {
  return async (batch, options) => {
    if (options?.delayForCellEdit) await data.whenNotEditing();
    const ctx = options?.context instanceof FakeRequestContext ? options.context : new FakeRequestContext(data);
    ctx.running = true;
    ctx.mergeUndoGroup = options?.mergeUndoGroup === true;
    const before = ctx.mergeUndoGroup ? data.state() : null;
    const writes = data.writes;
    try {
      return await batch(ctx as unknown as Excel.RequestContext);
    } finally {
      ctx.running = false;
      if (before && data.writes !== writes) data.undoStack.push(before);
      after?.();
    }
  };
}
