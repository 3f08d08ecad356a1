/**
 * The adapter within Excel on the web's limits, in the in-memory Excel that keeps them: 5 MB per
 * request and per response, the settings' size, cell-edit mode. A sheet of 100 000 lines is
 * checked, written and undone through them; a write interrupted between its parts is taken back.
 */
import { checkGrid } from "../../src/core";
import {
  applyPlan,
  HostRefusal,
  readActiveSheet,
  undoLastWrite,
  UNDO_PREFIX,
  type SheetRead,
  type UndoHeader,
} from "../../src/excel/adapter";
import {
  FakeExcelError,
  FakeRequestContext,
  FakeSheetData,
  FakeWorkbookData,
  PAYLOAD_LIMIT,
  SETTINGS_LIMIT,
} from "../../src/preview/fake-excel";
import { referenceRows, referenceWorkbook } from "../helpers/fake-workbooks";
import { hyperFormulaEngine } from "../helpers/formula-engine";

const asExcel = (ctx: FakeRequestContext) => ctx as unknown as Excel.RequestContext;
const cells = (data: FakeWorkbookData) => JSON.stringify(data.sheets.map((s) => [...s.cells].sort()));
const headers = (data: FakeWorkbookData) =>
  [...data.settings].filter(([k]) => k.startsWith(UNDO_PREFIX)).map(([, v]) => v as UndoHeader);

async function checked(data: FakeWorkbookData, ctx = new FakeRequestContext(data)) {
  const read = await readActiveSheet(asExcel(ctx));
  const result = checkGrid(read.grid);
  if (!result.ok) throw new Error(result.detail);
  return { read, result, ctx };
}

describe("the in-memory Excel keeps Excel's limits", () => {
  test("a request over 5 MB is refused whole: nothing of it is done", async () => {
    const data = referenceWorkbook();
    const before = cells(data);
    const ctx = new FakeRequestContext(data);
    const sheet = ctx.workbook.worksheets.getItem("Uppföljning");
    sheet.getRange("F1").values = [["ett"]];
    const big = Array.from({ length: 60_000 }, () => ["x".repeat(90)]);
    sheet.getRange("G1:G60000").values = big;
    await expect(ctx.sync()).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
    expect(cells(data)).toBe(before);
  });

  test("a response over 5 MB is refused: the used range of 100 000 lines cannot be read in one go", async () => {
    const data = referenceWorkbook(referenceRows(100_000));
    const ctx = new FakeRequestContext(data);
    const used = ctx.workbook.worksheets.getActiveWorksheet().getUsedRangeOrNullObject();
    used.load("values, formulas, numberFormat, valueTypes");
    await expect(ctx.sync()).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
  });

  test("settings beyond their size limit are refused", async () => {
    const data = referenceWorkbook();
    const ctx = new FakeRequestContext(data);
    ctx.workbook.settings.add("stort", "x".repeat(SETTINGS_LIMIT));
    await expect(ctx.sync()).rejects.toBeInstanceOf(FakeExcelError);
    expect(data.settings.has("stort")).toBe(false);
  });

  test("nothing is done while a cell is being edited", async () => {
    const data = referenceWorkbook();
    data.setEditing(true);
    const ctx = new FakeRequestContext(data);
    ctx.workbook.worksheets.getActiveWorksheet().load("name");
    await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidOperationInCellEditMode" });
    await expect(readActiveSheet(asExcel(new FakeRequestContext(data)))).rejects.toMatchObject({
      code: "InvalidOperationInCellEditMode",
    });
  });
});

describe("a sheet of 100 000 lines", () => {
  const LINES = 100_000;
  let data: FakeWorkbookData;
  let before: string;
  let read: SheetRead;
  let writes: number;
  let writeCtx: FakeRequestContext;

  beforeAll(async () => {
    data = referenceWorkbook(referenceRows(LINES));
    before = cells(data);
    const c = await checked(data);
    read = c.read;
    writes = c.result.plan.writes.length;
    writeCtx = new FakeRequestContext(data);
    await applyPlan(asExcel(writeCtx), read, c.result.report.computed, c.result.plan, { writer: "a" });
    for (const ctx of [c.ctx, writeCtx]) {
      for (const p of ctx.payloads) expect(Math.max(p.request, p.response)).toBeLessThanOrEqual(PAYLOAD_LIMIT);
    }
  }, 300_000);

  test("is read in blocks, each response under the limit, into the whole grid", () => {
    expect(read.syncs).toBeGreaterThan(2);
    expect(read.grid.cells.length).toBe(4 + 10 + LINES);
  });

  test("is written in parts, every deviation right, and the settings stay small", () => {
    expect(writeCtx.syncs).toBeGreaterThan(1);
    const s = data.sheets[0];
    let checkedRows = 0;
    for (let row = 4; row < 4 + 10 + LINES; row++) {
      const b = s.get(row, 1)?.value as number;
      const f = s.get(row, 2)?.value as number;
      const d = s.get(row, 3)?.value as number;
      if (Math.abs(d - (f - b)) > 1e-6) throw new Error(`row ${row + 1}: ${d} is not ${f} − ${b}`);
      checkedRows++;
    }
    expect(checkedRows).toBe(10 + LINES);
    expect(writes).toBe(16 + LINES);
    expect(JSON.stringify([...data.settings]).length).toBeLessThan(10_000);
    expect(headers(data).map((h) => [h.cells, h.complete])).toEqual([[writes, true]]);
  });

  test("is checked again with nothing to write, and undone exactly", async () => {
    const again = await checked(data);
    expect(again.result.plan.writes).toEqual([]);
    const ctx = new FakeRequestContext(data);
    expect(await undoLastWrite(asExcel(ctx), { writer: "a" })).toBe(writes);
    for (const p of ctx.payloads) expect(Math.max(p.request, p.response)).toBeLessThanOrEqual(PAYLOAD_LIMIT);
    expect(cells(data)).toBe(before);
    expect(data.customXmlParts.size).toBe(0);
    expect(headers(data)).toEqual([]);
  }, 300_000);
});

test("a write of 200 000 lines, whose snapshot is larger than a response, is undone exactly", async () => {
  const data = referenceWorkbook(referenceRows(200_000));
  const before = cells(data);
  const { read, result } = await checked(data);
  await applyPlan(asExcel(new FakeRequestContext(data)), read, result.report.computed, result.plan);
  const snapshot = [...data.customXmlParts.values()].reduce((n, p) => n + p.xml.length, 0);
  expect(snapshot).toBeGreaterThan(PAYLOAD_LIMIT);
  const ctx = new FakeRequestContext(data);
  expect(await undoLastWrite(asExcel(ctx))).toBe(result.plan.writes.length);
  expect(Math.max(...ctx.payloads.map((p) => p.response))).toBeLessThanOrEqual(PAYLOAD_LIMIT);
  expect(cells(data)).toBe(before);
}, 600_000);

describe("a write in several requests that fails between them", () => {
  // 400 lines written in requests of about 3 KB: the snapshot first, then the cells in many parts.
  const setup = async () => {
    const data = referenceWorkbook(referenceRows(400));
    const before = cells(data);
    const { read, result } = await checked(data);
    return { data, before, read, result };
  };

  test("is taken back: the parts written are restored, and no snapshot is left", async () => {
    const { data, before, read, result } = await setup();
    const start = data.syncCount;
    // The fourth request fails: the snapshot and two parts of cells were written before it.
    data.failSync = (n) => (n === start + 4 ? "GeneralException" : null);
    const ctx = new FakeRequestContext(data);
    const refusal = await applyPlan(asExcel(ctx), read, result.report.computed, result.plan, {
      maxRequestBytes: 3_000,
    }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(HostRefusal);
    expect((refusal as HostRefusal).reason).toBe("interrupted");
    expect(ctx.syncs).toBeGreaterThan(4);
    expect(cells(data)).toBe(before);
    expect(headers(data)).toEqual([]);
  });

  test("whose rollback fails too keeps its snapshot, and Ångra finishes the job later", async () => {
    const { data, before, read, result } = await setup();
    const start = data.syncCount;
    // The connection is gone from the fourth request on.
    data.failSync = (n) => (n >= start + 4 ? "ConnectionLost" : null);
    const refusal = await applyPlan(asExcel(new FakeRequestContext(data)), read, result.report.computed, result.plan, {
      maxRequestBytes: 3_000,
      writer: "a",
    }).catch((e: unknown) => e);
    expect((refusal as HostRefusal).reason).toBe("interrupted-kept");
    expect(cells(data)).not.toBe(before);
    expect(headers(data).map((h) => h.complete)).toEqual([false]);
    // The connection is back: undo restores what was written, and leaves what never arrived.
    data.failSync = null;
    const restored = await undoLastWrite(asExcel(new FakeRequestContext(data)), { writer: "a" });
    expect(restored).toBeGreaterThan(0);
    expect(restored).toBeLessThan(result.plan.writes.length);
    expect(cells(data)).toBe(before);
    expect(headers(data)).toEqual([]);
  });

  test("that fails while the snapshot is stored writes nothing", async () => {
    const { data, before, read, result } = await setup();
    const start = data.syncCount;
    data.failSync = (n) => (n === start + 1 ? "GeneralException" : null);
    await expect(
      applyPlan(asExcel(new FakeRequestContext(data)), read, result.report.computed, result.plan, {
        maxRequestBytes: 3_000,
      }),
    ).rejects.toMatchObject({ reason: "interrupted" });
    expect(cells(data)).toBe(before);
    expect(headers(data)).toEqual([]);
  });

  test("whose first request Excel refuses whole does nothing, and gives Excel's error", async () => {
    const { data, before, read, result } = await setup();
    const settings = JSON.stringify([...data.settings]);
    const start = data.syncCount;
    data.failSync = (n) => (n === start + 1 ? "UndoNotSupported" : null);
    await expect(
      applyPlan(asExcel(new FakeRequestContext(data)), read, result.report.computed, result.plan, {
        maxRequestBytes: 3_000,
      }),
    ).rejects.toMatchObject({ code: "UndoNotSupported" });
    expect(cells(data)).toBe(before);
    expect(JSON.stringify([...data.settings])).toBe(settings);
  });

  test("is not taken back over a figure typed into a written cell meanwhile: the snapshot stays", async () => {
    const { data, before, read, result } = await setup();
    const start = data.syncCount;
    // While the fourth request fails, a co-author types into D6, which the write had already filled.
    data.failSync = (n) => {
      if (n !== start + 4) return null;
      data.sheets[0].write(5, 3, { value: 123 });
      return "GeneralException";
    };
    const refusal = await applyPlan(asExcel(new FakeRequestContext(data)), read, result.report.computed, result.plan, {
      maxRequestBytes: 3_000,
      writer: "a",
    }).catch((e: unknown) => e);
    expect((refusal as HostRefusal).reason).toBe("interrupted-kept");
    expect(data.sheets[0].get(5, 3)?.value).toBe(123);
    expect(headers(data).map((h) => h.complete)).toEqual([false]);
    expect(cells(data)).not.toBe(before);
  });
});

test("after a write the workbook is calculated: a formula on another sheet that reads a written deviation has its new value", async () => {
  const data = referenceWorkbook();
  data.sheets.push(
    FakeSheetData.fromRows("Sammanställning", [
      ["Köp av tjänster, avvikelse i kr", { value: 0, formula: "=Uppföljning!D8*1000" }],
      ["Resultat, avvikelse", { value: 0, formula: "=SUM(Uppföljning!D14)" }],
    ]),
  );
  data.engine = hyperFormulaEngine;
  const { read, result } = await checked(data);
  await applyPlan(asExcel(new FakeRequestContext(data)), read, result.report.computed, result.plan);
  const summary = data.sheet("Sammanställning");
  const d8 = data.sheets[0].get(7, 3)?.value as number;
  const d14 = data.sheets[0].get(13, 3)?.value as number;
  expect(typeof d8).toBe("number");
  expect(summary.get(0, 1)?.value).toBeCloseTo(d8 * 1000, 6);
  expect(summary.get(1, 1)?.value).toBeCloseTo(d14, 6);
  expect(data.dirty).toBe(false);
});

test("a sheet that fits one request is checked and written in two syncs, each of them one request", async () => {
  const data = referenceWorkbook(referenceRows(4_990));
  const ctx = new FakeRequestContext(data);
  const { read, result } = await checked(data, ctx);
  await applyPlan(asExcel(ctx), read, result.report.computed, result.plan);
  expect(ctx.syncs).toBe(2);
  expect(ctx.payloads.every((p) => p.request < PAYLOAD_LIMIT && p.response < PAYLOAD_LIMIT)).toBe(true);
});

test("a sheet whose first rows are too wide for one response is read in measured blocks", async () => {
  // 40 columns of long notes beside the table: the first rows' response passes 5 MB.
  const rows = referenceRows(3_000).map((r, i) => [
    ...r,
    ...Array.from({ length: 40 }, (_, c) => (i < 3 ? null : `Anteckning ${c} ${"·".repeat(40)}`)),
  ]);
  const data = referenceWorkbook(rows);
  const ctx = new FakeRequestContext(data);
  const { read } = await checked(data, ctx);
  expect(read.grid.cells.length).toBe(rows.length);
  expect(read.syncs).toBeGreaterThan(2);
  // The first sync's answer was refused; every block after it fits.
  expect(ctx.payloads.map((p) => p.response > PAYLOAD_LIMIT)).toEqual(ctx.payloads.map((_, i) => i === 0));
});
