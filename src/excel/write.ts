/**
 * Writing a plan into the workbook, and taking it back.
 *
 * A write is one action for the user, however many requests it needs: the undo snapshot is stored
 * first (if the workbook cannot keep it, nothing is written), then the cells are written as
 * column runs, each run one range with 2D arrays, then the flag format, and the workbook is
 * calculated. Requests are packed from the size of what they carry. If a part fails after cells
 * were written, the written parts are put back from the snapshot; if that fails too, the snapshot
 * stays, marked incomplete, for "Ångra" to finish.
 */
import { cellAddress, writesHiddenByMerges, type Table, type WritePlan } from "../core";
import {
  FLAG_FILL,
  FLAG_FONT,
  FLAG_MARK,
  FLAGS_SETTING,
  readBlocks,
  supports,
  type FlagRecord,
  type Rect,
  type SheetRead,
} from "./adapter";
import { BlockSizer, COMMAND_BYTES, jsonBytes, packRequests, REQUEST_BUDGET } from "./payload";
import {
  cellsOfPart,
  headerKey,
  isWritersPart,
  partNamespace,
  randomId,
  snapshotParts,
  UNDO_PREFIX,
  type SavedCell,
  type UndoHeader,
} from "./undo-store";

type Scalar = string | number | boolean;

/** Snapshot parts fetched per request: each is at most PART_BYTES, so two stay well under a response's limit. */
const PARTS_PER_REQUEST = 2;

/** The writer of snapshots made without an installation id (tests, the bench). */
const ANONYMOUS = "anonymous";

/** Why a write or an undo was not made, or not made whole; the pane words it for the user. */
export class HostRefusal extends Error {
  constructor(
    readonly reason:
      | "merged"
      | "undo-conflict"
      | "undo-elsewhere"
      | "undo-missing"
      | "undo-sheet"
      | "interrupted"
      | "interrupted-kept",
    readonly cells: string[] = [],
    /** The error Excel gave for the part that failed (for an interrupted write). */
    readonly excelError?: unknown,
  ) {
    super(reason);
  }
}

export interface WriteOptions {
  /** Plan requests to at most this many bytes of data (for tests of the splitting). */
  maxRequestBytes?: number;
  /** The installation that writes, recorded in the snapshot. */
  writer?: string;
  /** The time recorded in the snapshot. */
  now?: Date;
}

/** A command of a request: its size, and what it queues on the context. */
interface Command {
  bytes: number;
  queue(): void;
  /** The cells it writes (sheet coordinates), for a command that writes cells. */
  cells?: readonly [number, number][];
}

/** A cell to put: where, what, and its number format (undefined: keep the cell's). */
interface Put {
  row: number;
  col: number;
  content: Scalar;
  numberFormat?: string;
  /** The cell's number format now, for a run where other cells get a new one. */
  current: string;
}

/** What goes in a cell through Range.formulas so that Excel keeps it as it is: a formula, a number, or text as text. */
function entry(content: Scalar): Scalar {
  if (typeof content === "string" && content !== "" && !content.startsWith("=")) return `'${content}`;
  return content;
}

/** Commands that put cells, one per run of consecutive rows in a column. */
function runCommands(sheet: () => Excel.Worksheet, puts: readonly Put[]): Command[] {
  const sorted = [...puts].sort((a, b) => a.col - b.col || a.row - b.row);
  const commands: Command[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].col === sorted[i].col && sorted[j].row === sorted[j - 1].row + 1) j++;
    const run = sorted.slice(i, j);
    const formulas = run.map((p) => [entry(p.content)]);
    const formats = run.some((p) => p.numberFormat !== undefined)
      ? run.map((p) => [p.numberFormat ?? p.current])
      : null;
    const top = run[0].row;
    const col = run[0].col;
    commands.push({
      bytes: 2 * COMMAND_BYTES + jsonBytes(formulas) + (formats ? jsonBytes(formats) : 0),
      cells: run.map((p) => [p.row, p.col] as [number, number]),
      queue() {
        const range = sheet().getRangeByIndexes(top, col, run.length, 1);
        // The format first: in a text-formatted cell "4000" stays text.
        if (formats) range.numberFormat = formats;
        range.formulas = formulas;
      },
    });
    i = j;
  }
  return commands;
}

/** Commands that remove the add-in's flag formats and put `flags` in their place (none: no flags). */
function flagCommands(
  context: Excel.RequestContext,
  sheet: () => Excel.Worksheet,
  remove: readonly string[],
  flags: FlagRecord | null,
): Command[] {
  const commands: Command[] = remove.map((id) => ({
    bytes: COMMAND_BYTES,
    queue: () => sheet().getRange().conditionalFormats.getItem(id).delete(),
  }));
  for (const r of flags?.rules ?? []) {
    commands.push({
      bytes: 4 * COMMAND_BYTES + r.address.length + r.formula.length,
      queue() {
        const cf = sheet().getRanges(r.address).conditionalFormats.add("Custom");
        cf.custom.rule.formula = r.formula;
        cf.custom.format.fill.color = FLAG_FILL;
        cf.custom.format.font.color = FLAG_FONT;
      },
    });
  }
  commands.push(
    flags
      ? {
          bytes: COMMAND_BYTES + jsonBytes(flags),
          queue: () => void context.workbook.settings.add(FLAGS_SETTING, flags),
        }
      : {
          bytes: COMMAND_BYTES,
          queue: () => context.workbook.settings.getItemOrNullObject(FLAGS_SETTING).delete(),
        },
  );
  return commands;
}

/**
 * Runs commands in as few requests as their size allows, with calculation and screen updating
 * suspended, and calculates the workbook in the last one (written deviations then reach every
 * formula that reads them). Resolves with how many commands were sent in requests that succeeded;
 * rejects with the failing request's error and how far it got.
 */
async function send(
  context: Excel.RequestContext,
  commands: readonly Command[],
  budget: number,
): Promise<{ syncs: number }> {
  const requests = packRequests(commands, budget);
  let sent = 0;
  for (let i = 0; i < requests.length; i++) {
    context.application.suspendApiCalculationUntilNextSync();
    context.application.suspendScreenUpdatingUntilNextSync();
    for (const c of requests[i]) c.queue();
    if (i === requests.length - 1) context.application.calculate("Full" as Excel.CalculationType.full);
    try {
      // Only a plan too large for one request is split; each part is one sync.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    } catch (e) {
      // A request Excel refused whole did nothing; one that failed on the way may have done a part.
      const whole = REFUSED_WHOLE.has((e as { code?: string } | null)?.code ?? "");
      throw new Interrupted(e, whole ? sent : sent + requests[i].length);
    }
    sent += requests[i].length;
  }
  return { syncs: requests.length };
}

/** Errors for which Excel does nothing of the request. */
const REFUSED_WHOLE = new Set([
  "UndoNotSupported",
  "RequestPayloadSizeLimitExceeded",
  "InvalidOperationInCellEditMode",
]);

/** A request failed: the commands before `reached` may have been made (those of earlier requests were). */
class Interrupted extends Error {
  constructor(
    readonly error: unknown,
    readonly reached: number,
  ) {
    super("interrupted");
  }
}

/** The sheet's cells' sheet-row/column bounding rectangle. */
function bounds(cells: readonly SavedCell[]): Rect {
  if (cells.length === 0) return { top: 0, left: 0, rows: 0, cols: 0 };
  let top = Infinity;
  let left = Infinity;
  let bottom = -Infinity;
  let right = -Infinity;
  for (const [r, c] of cells) {
    top = Math.min(top, r);
    left = Math.min(left, c);
    bottom = Math.max(bottom, r);
    right = Math.max(right, c);
  }
  return { top, left, rows: bottom - top + 1, cols: right - left + 1 };
}

/**
 * Writes the plan: deviations and sum lines (values or formulas, with number formats), the flag
 * format over the deviation column, and the undo snapshot. One sync for a plan that fits one
 * request. Throws HostRefusal "merged" before anything is written when a cell is hidden inside
 * merged cells, and "interrupted" or "interrupted-kept" when a later part failed (see above).
 */
export async function applyPlan(
  context: Excel.RequestContext,
  read: SheetRead,
  checked: { table: Table },
  plan: WritePlan,
  options: WriteOptions = {},
): Promise<{ syncs: number }> {
  const writer = options.writer ?? ANONYMOUS;
  const budget = options.maxRequestBytes ?? REQUEST_BUDGET;
  const o = read.grid.origin ?? { row: 0, col: 0 };
  // A cell inside merged cells, but not their first, cannot be written on its own.
  const inMerge = writesHiddenByMerges(plan.writes, read.grid.merges ?? []).map((w) => w.cell);
  if (inMerge.length > 0) throw new HostRefusal("merged", inMerge);

  const saved: SavedCell[] = plan.writes.map((w) => [
    o.row + w.row,
    o.col + w.col,
    read.raw.formulas[w.row]?.[w.col] ?? "",
    read.raw.numberFormat[w.row]?.[w.col] ?? "General",
    w.formula !== undefined ? `=${w.formula}` : w.value,
  ]);
  const id = randomId();
  const header: UndoHeader = {
    id,
    writer,
    time: (options.now ?? new Date()).toISOString(),
    sheet: read.sheet,
    area: bounds(saved),
    cells: saved.length,
    flags: read.flagFormats.length > 0 ? read.flagRecord : null,
    complete: false,
  };
  const key = headerKey(writer);
  const sheet = () => context.workbook.worksheets.getItem(read.sheet);
  const useParts = supports("1.5");

  // 1. The snapshot, replacing this writer's earlier one (and any part a broken write left).
  const store: Command[] = [];
  if (useParts) {
    for (const p of read.undoParts.filter((x) => isWritersPart(x.namespaceUri, writer))) {
      store.push({ bytes: COMMAND_BYTES, queue: () => context.workbook.customXmlParts.getItem(p.id).delete() });
    }
    for (const xml of snapshotParts(partNamespace(writer, id), saved, jsonBytes)) {
      store.push({ bytes: COMMAND_BYTES + jsonBytes(xml), queue: () => void context.workbook.customXmlParts.add(xml) });
    }
  }
  store.push({
    bytes: COMMAND_BYTES + jsonBytes(header),
    queue: () => void context.workbook.settings.add(key, header),
  });
  // 2. The cells.
  const cells = runCommands(
    sheet,
    plan.writes.map((w, i) => ({
      row: saved[i][0],
      col: saved[i][1],
      content: saved[i][4],
      numberFormat: w.numberFormat,
      current: saved[i][3],
    })),
  );
  // 3. The flag format, and the snapshot marked complete.
  const rules = checked.table.lineArrays.count > 0 ? (plan.flagFormats ?? []) : [];
  const finish = [
    ...flagCommands(context, sheet, read.flagFormats, rules.length > 0 ? { rules } : null),
    {
      bytes: COMMAND_BYTES + jsonBytes(header),
      queue: () => void context.workbook.settings.add(key, { ...header, complete: true }),
    },
  ];
  const commands = [...store, ...cells, ...finish];
  try {
    return await send(context, commands, budget);
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    if (!commands.slice(store.length, e.reached).some((c) => c.cells)) {
      // No cell was written. A first request Excel refused whole changed nothing at all (Excel's
      // own error goes up); after one that failed on the way, the snapshot's header goes (what is
      // left of its parts, the next write removes).
      if (e.reached === 0) throw e.error;
      context.workbook.settings.getItemOrNullObject(key).delete();
      await context.sync().catch(() => undefined);
      throw new HostRefusal("interrupted", [], e.error);
    }
    // Cells were written: they are taken back as Ångra would, from the snapshot, leaving any cell
    // changed since; if that cannot be done, the snapshot stays for Ångra to finish.
    try {
      await undoLastWrite(context, { writer, maxRequestBytes: budget });
    } catch {
      throw new HostRefusal("interrupted-kept", [], e.error);
    }
    throw new HostRefusal("interrupted", [], e.error);
  }
}

/** Removes the add-in's flag formats from the active sheet, and nothing else. Two syncs. */
export async function removeFlags(context: Excel.RequestContext): Promise<number> {
  const sheet = context.workbook.worksheets.getActiveWorksheet();
  // eslint-disable-next-line office-addins/load-object-before-read
  const formats = sheet.getRange().conditionalFormats;
  formats.load("items/id, items/customOrNullObject/rule/formula");
  await context.sync();
  const ours = formats.items
    .filter((cf) => !cf.customOrNullObject.isNullObject && cf.customOrNullObject.rule.formula.includes(FLAG_MARK))
    .map((cf) => cf.id);
  if (ours.length === 0) return 0;
  for (const id of ours) formats.getItem(id).delete();
  context.workbook.settings.getItemOrNullObject(FLAGS_SETTING).delete();
  await context.sync();
  return ours.length;
}

/** Whether a cell holds this content (numbers within rounding noise). */
function holds(now: Scalar | undefined, content: Scalar): boolean {
  if (typeof content === "number") return typeof now === "number" && Math.abs(now - content) < 1e-9;
  return (now ?? "") === content;
}

export interface UndoOptions {
  /** The installation asking; its own snapshot is taken back first. */
  writer?: string;
  /** Take back a write made by another installation too (the user was asked). */
  elsewhere?: boolean;
  maxRequestBytes?: number;
}

/**
 * Takes back a write, on the sheet it was made on: every written cell that still holds what was
 * written gets its formula or constant and its number format back, and the flag format the write
 * replaced comes back. The asking installation's own last write is taken back; another's only
 * with `elsewhere` (else HostRefusal "undo-elsewhere" with its time). If any written cell now
 * holds something else (typed over, or moved by an inserted row), nothing is restored: undo would
 * overwrite the user's work. A cell that still holds what it held before (a part of an
 * interrupted write that never arrived) is left as it is. Four syncs for a write that fits one
 * request. Resolves with the number of cells restored.
 */
export async function undoLastWrite(context: Excel.RequestContext, options: UndoOptions = {}): Promise<number> {
  const writer = options.writer ?? ANONYMOUS;
  const settings = context.workbook.settings;
  settings.load("items/key, items/value");
  const parts = supports("1.5") ? context.workbook.customXmlParts : null;
  parts?.load("items/id, items/namespaceUri");
  await context.sync();
  const headers = settings.items
    .filter((s) => s.key.startsWith(UNDO_PREFIX))
    .map((s) => s.value as UndoHeader)
    .sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  const header = headers.find((h) => h.writer === writer) ?? headers[0];
  if (!header) return 0;
  if (header.writer !== writer && !options.elsewhere) throw new HostRefusal("undo-elsewhere", [header.time]);
  const ns = partNamespace(header.writer, header.id);
  const mine = (parts?.items ?? []).filter((p) => p.namespaceUri === ns);

  // The snapshot's parts, a few per request (each part is well under a response's size), and
  // whether the written sheet is still there.
  const found = context.workbook.worksheets.getItemOrNullObject(header.sheet);
  found.load("name");
  const saved: SavedCell[] = [];
  for (let i = 0; i < mine.length || i === 0; i += PARTS_PER_REQUEST) {
    const xml = mine.slice(i, i + PARTS_PER_REQUEST).map((p) => parts!.getItem(p.id).getXml());
    // Each group needs its own request: together they pass the response limit.
    // eslint-disable-next-line office-addins/no-context-sync-in-loop
    await context.sync();
    for (const x of xml) saved.push(...cellsOfPart(x.value));
  }
  if (found.isNullObject) throw new HostRefusal("undo-sheet", [header.sheet]);
  if (saved.length !== header.cells) throw new HostRefusal("undo-missing");

  // What the written cells hold now, read in blocks of rows sized as the sheet is read, and the
  // add-in's flag formats on the sheet.
  const sheet = context.workbook.worksheets.getItem(header.sheet);
  // eslint-disable-next-line office-addins/load-object-before-read
  const formats = sheet.getRange().conditionalFormats;
  const askFormats = () => formats.load("items/id, items/customOrNullObject/rule/formula");
  askFormats();
  const area = header.area;
  const formulas: Scalar[][] = [];
  const numberFormats: string[][] = [];
  if (area.rows === 0) await context.sync();
  await readBlocks(
    context,
    sheet,
    area,
    "formulas, numberFormat",
    new BlockSizer(),
    (_, range) => {
      formulas.push(...(range.formulas as Scalar[][]));
      numberFormats.push(...(range.numberFormat as string[][]));
      return [range.formulas, range.numberFormat];
    },
    askFormats,
  );
  const at = (r: number, c: number) => formulas[r - area.top]?.[c - area.left];
  const formatAt = (r: number, c: number) => numberFormats[r - area.top]?.[c - area.left];
  const conflicts = saved
    .filter(([r, c, before, , written]) => !holds(at(r, c), written) && !holds(at(r, c), before))
    .map(([r, c]) => cellAddress(r, c));
  if (conflicts.length > 0) throw new HostRefusal("undo-conflict", conflicts);

  // A cell that holds what was written gets its content and format back; one that already holds
  // its content and format from before (a part of an interrupted write that never arrived) is left.
  const back = saved.filter(
    ([r, c, before, format, written]) =>
      holds(at(r, c), written) && !(holds(at(r, c), before) && formatAt(r, c) === format),
  );
  const commands = runCommands(
    () => sheet,
    back.map(([row, col, formula, numberFormat]) => ({
      row,
      col,
      content: formula,
      numberFormat,
      current: numberFormat,
    })),
  );
  const ours = formats.items
    .filter((cf) => !cf.customOrNullObject.isNullObject && cf.customOrNullObject.rule.formula.includes(FLAG_MARK))
    .map((cf) => cf.id);
  commands.push(...flagCommands(context, () => sheet, ours, header.flags));
  for (const p of mine) {
    commands.push({ bytes: COMMAND_BYTES, queue: () => parts!.getItem(p.id).delete() });
  }
  commands.push({
    bytes: COMMAND_BYTES,
    queue: () => context.workbook.settings.getItemOrNullObject(headerKey(header.writer)).delete(),
  });
  try {
    await send(context, commands, options.maxRequestBytes ?? REQUEST_BUDGET);
  } catch (e) {
    // What was restored stays restored; the snapshot stays too, so "Ångra" can finish.
    throw e instanceof Interrupted ? e.error : e;
  }
  return back.length;
}
