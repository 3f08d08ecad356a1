/**
 * Round trips: the add-in's check + write of a 5 000-line sheet against an adapter that reads and
 * writes cell by cell, both on the in-memory Excel. Excel on the web and on a network pays a round
 * trip per context.sync; the simulated delay adds 50 ms per sync to the measured time.
 */
import { checkGrid, type Grid, type GridCell } from "../src/core";
import { applyPlan, readActiveSheet, undoLastWrite } from "../src/excel/adapter";
import { FakeRequestContext, FakeSheetData, FakeWorkbookData, PAYLOAD_LIMIT } from "../src/preview/fake-excel";
import { emit, fmt, median, section } from "./report";

const DELAY_MS = 50;
const LINES = 5_000;

function sheetRows(lines = LINES): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"]];
  for (let k = 0; k < lines - 1; k++) rows.push([`Konto ${4000 + k}`, -(k % 97) - 1, -(k % 89) - 1, null]);
  rows.push(["Verksamhetens kostnader", null, null, null]);
  return rows;
}

/** A context whose syncs each cost a round trip: slept for real, or only counted. */
class DelayedContext extends FakeRequestContext {
  constructor(
    data: FakeWorkbookData,
    private readonly sleep: boolean,
  ) {
    super(data);
  }
  override async sync<T>(passThroughValue?: T): Promise<T> {
    if (this.sleep) await new Promise((r) => setTimeout(r, DELAY_MS));
    return super.sync(passThroughValue);
  }
}

/** The add-in: one sync to read, one to write. */
async function ours(ctx: Excel.RequestContext): Promise<void> {
  const read = await readActiveSheet(ctx);
  const result = checkGrid(read.grid);
  if (!result.ok) throw new Error(result.detail);
  await applyPlan(ctx, read, result.report.computed, result.plan);
}

/** The naive way: every cell loaded and synced on its own, every write synced on its own. */
async function naive(ctx: Excel.RequestContext): Promise<void> {
  const sheet = ctx.workbook.worksheets.getActiveWorksheet().load("name");
  const used = sheet.getUsedRangeOrNullObject().load("rowCount,columnCount,rowIndex,columnIndex");
  await ctx.sync();
  const cells: (GridCell | null)[][] = [];
  for (let r = 0; r < used.rowCount; r++) {
    const row: (GridCell | null)[] = [];
    for (let c = 0; c < used.columnCount; c++) {
      const cell = sheet.getRangeByIndexes(used.rowIndex + r, used.columnIndex + c, 1, 1);
      cell.load("values,formulas,numberFormat");
      await ctx.sync();
      const v = cell.values[0][0] as string | number | boolean;
      const f = cell.formulas[0][0];
      row.push(
        v === ""
          ? null
          : {
              v,
              ...(typeof f === "string" && f.startsWith("=") ? { f: f.slice(1) } : {}),
              z: cell.numberFormat[0][0] as string,
            },
      );
    }
    cells.push(row);
  }
  const grid: Grid = { sheet: sheet.name, cells, origin: { row: used.rowIndex, col: used.columnIndex } };
  const result = checkGrid(grid);
  if (!result.ok) throw new Error(result.detail);
  for (const w of result.plan.writes) {
    const cell = sheet.getRange(w.cell);
    if (w.formula !== undefined) cell.formulas = [[`=${w.formula}`]];
    else cell.values = [[w.value]];
    if (w.numberFormat !== undefined) cell.numberFormat = [[w.numberFormat]];
    await ctx.sync();
  }
}

async function measure(
  run: (ctx: Excel.RequestContext) => Promise<void>,
  sleep: boolean,
  runs: number,
): Promise<{ ms: number; syncs: number; ok: boolean }> {
  const times: number[] = [];
  let syncs = 0;
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const data = new FakeWorkbookData([FakeSheetData.fromRows("Uppföljning", sheetRows())]);
    const ctx = new DelayedContext(data, sleep);
    const start = performance.now();
    await run(ctx as unknown as Excel.RequestContext);
    const elapsed = performance.now() - start;
    syncs = ctx.syncs;
    times.push(sleep ? elapsed : elapsed + ctx.syncs * DELAY_MS);
    // Both must leave the sheet checked: a second check proposes nothing.
    const again = checkGrid(
      (await readActiveSheet(new FakeRequestContext(data) as unknown as Excel.RequestContext)).grid,
    );
    ok &&= again.ok && again.plan.writes.length === 0;
  }
  return { ms: median(times), syncs, ok };
}

export async function roundTrips(): Promise<void> {
  const mine = await measure(ours, true, 5);
  const cellByCell = await measure(naive, false, 1);
  if (!mine.ok || !cellByCell.ok) throw new Error("a round trip left the sheet unchecked");
  section(
    "Round trips: check + write of a 5 000-line sheet",
    `Both on the in-memory Excel with ${DELAY_MS} ms added per context.sync. The add-in sleeps the delay for real; ` +
      "the cell-by-cell adapter's delay is its sync count × 50 ms added to its measured time (sleeping it would take " +
      "many minutes). Both leave the sheet so that a second check proposes nothing.",
  );
  emit("| adapter | context.sync calls | time | ratio |");
  emit("|---|---:|---:|---:|");
  emit(`| Prognoskoll (read in one batch, write in one batch) | ${fmt(mine.syncs)} | ${fmt(mine.ms)} ms | 1× |`);
  emit(
    `| cell by cell (a sync per cell read and per cell written) | ${fmt(cellByCell.syncs)} | ${fmt(cellByCell.ms / 1000, 1)} s | ${fmt(cellByCell.ms / mine.ms)}× slower |`,
  );
}

/** Syncs and the largest request and response of a check, a write and an undo, in the in-memory Excel with its 5 MB limit. */
export async function syncCounts(): Promise<void> {
  section(
    "Syncs and payloads within Excel on the web's 5 MB limit",
    "Check (read), write and undo of an account sheet in the in-memory Excel, which refuses a request or a response " +
      "over 5 MB as Excel on the web does. Payloads as the in-memory Excel measures them (the JSON of what is sent " +
      "and returned, and a fixed size per command).",
  );
  emit("| lines | check syncs | write syncs | undo syncs | largest request | largest response |");
  emit("|---:|---:|---:|---:|---:|---:|");
  const mb = (b: number) => `${fmt(b / 1024 / 1024, 2)} MB`;
  for (const lines of [5_000, 100_000]) {
    const data = new FakeWorkbookData([FakeSheetData.fromRows("Uppföljning", sheetRows(lines))]);
    const check = new FakeRequestContext(data);
    const read = await readActiveSheet(check as unknown as Excel.RequestContext);
    const result = checkGrid(read.grid);
    if (!result.ok) throw new Error(result.detail);
    const write = new FakeRequestContext(data);
    await applyPlan(write as unknown as Excel.RequestContext, read, result.report.computed, result.plan);
    const undo = new FakeRequestContext(data);
    const restored = await undoLastWrite(undo as unknown as Excel.RequestContext);
    if (restored !== result.plan.writes.length) throw new Error("undo did not restore every written cell");
    const all = [check, write, undo].flatMap((c) => c.payloads);
    const request = Math.max(...all.map((p) => p.request));
    const response = Math.max(...all.map((p) => p.response));
    if (Math.max(request, response) > PAYLOAD_LIMIT) throw new Error("a payload passed the limit");
    emit(`| ${fmt(lines)} | ${check.syncs} | ${write.syncs} | ${undo.syncs} | ${mb(request)} | ${mb(response)} |`);
  }
}
