import { checkGrid } from "../../src/core";
import { applyPlan, HostRefusal, readActiveSheet, undoLastWrite, UNDO_PREFIX } from "../../src/excel/adapter";
import { FakeRequestContext, type FakeCell, type FakeWorkbookData } from "../../src/preview/fake-excel";
import { referenceRows, referenceWorkbook } from "../helpers/fake-workbooks";

/** Undo never takes anything from the user: it restores exactly, or not at all. */

const ctx = (data: FakeWorkbookData) => new FakeRequestContext(data) as unknown as Excel.RequestContext;

async function checkAndWrite(data: FakeWorkbookData, confirmAll = true): Promise<void> {
  const read = await readActiveSheet(ctx(data));
  const result = checkGrid(read.grid);
  if (!result.ok) throw new Error(result.detail);
  const plan = confirmAll
    ? result.plan
    : { ...result.plan, writes: result.plan.writes.filter((w) => w.reason === "empty") };
  await applyPlan(ctx(data), read, result.report.computed, plan);
}

const hasUndo = (data: FakeWorkbookData) => [...data.settings.keys()].some((k) => k.startsWith(UNDO_PREFIX));
const cells = (data: FakeWorkbookData) => JSON.stringify([...data.sheets[0].cells].sort());

test("a cell typed over since the write: undo restores nothing and names the cell", async () => {
  const data = referenceWorkbook();
  await checkAndWrite(data);
  await data.edit("Uppföljning", "D8", { value: -4500 });
  const before = cells(data);
  const refusal = await undoLastWrite(ctx(data)).catch((e: unknown) => e);
  expect(refusal).toBeInstanceOf(HostRefusal);
  expect((refusal as HostRefusal).cells).toEqual(["D8"]);
  expect(cells(data)).toBe(before);
  expect(hasUndo(data)).toBe(true);
});

test("a row inserted above the table since the write: undo restores nothing, no typed figure is lost", async () => {
  const data = referenceWorkbook();
  await checkAndWrite(data);
  // Insert a row at sheet row 2: every cell from there moves one down.
  const sheet = data.sheets[0];
  const moved = new Map<string, FakeCell>();
  for (const [k, c] of sheet.cells) {
    const [r, col] = k.split(",").map(Number);
    moved.set(`${r >= 1 ? r + 1 : r},${col}`, c);
  }
  sheet.cells.clear();
  for (const [k, c] of moved) sheet.cells.set(k, c);
  const before = cells(data);
  await expect(undoLastWrite(ctx(data))).rejects.toBeInstanceOf(HostRefusal);
  expect(cells(data)).toBe(before);
});

test("undo restores text as text, in a text-formatted cell too", async () => {
  const rows = referenceRows();
  rows[7][3] = { value: "-3900", numberFormat: "@" }; // a stale deviation typed as text
  rows[8][3] = "0"; // Övriga kostnader's deviation typed as text ('0)
  const data = referenceWorkbook(rows);
  const before = cells(data);
  await checkAndWrite(data);
  expect(data.sheets[0].get(7, 3)?.value).toBe(-4000);
  expect(data.sheets[0].get(8, 3)?.value).toBe(0);
  await undoLastWrite(ctx(data));
  expect(data.sheets[0].get(7, 3)).toEqual({ value: "-3900", numberFormat: "@" });
  expect(data.sheets[0].get(8, 3)).toEqual({ value: "0" });
  expect(cells(data)).toBe(before);
});

test("undo works on the sheet that was written, whichever sheet is active", async () => {
  const data = referenceWorkbook();
  const before = cells(data);
  await checkAndWrite(data);
  data.active = "Anvisningar";
  const context = new FakeRequestContext(data);
  expect(await undoLastWrite(context as unknown as Excel.RequestContext)).toBe(16);
  expect(context.syncs).toBe(4);
  expect(cells(data)).toBe(before);
});

test("a write of 20 000 lines keeps its undo outside the settings, and undo restores it exactly", async () => {
  const data = referenceWorkbook(referenceRows(20_000));
  const before = cells(data);
  await checkAndWrite(data);
  expect(cells(data)).not.toBe(before);
  // The settings stay small: the snapshot's cells are in custom XML parts.
  expect(JSON.stringify([...data.settings]).length).toBeLessThan(5_000);
  expect(data.customXmlParts.size).toBeGreaterThan(0);
  // The 16 cells of the reference sheet, and a deviation per added line.
  expect(await undoLastWrite(ctx(data))).toBe(16 + 20_000);
  expect(cells(data)).toBe(before);
  expect(data.customXmlParts.size).toBe(0);
  expect(hasUndo(data)).toBe(false);
});

test("undo brings back the flag format a write replaced", async () => {
  const data = referenceWorkbook();
  await checkAndWrite(data);
  const first = data.sheets[0].conditionalFormats.map(({ address, formula, fill }) => ({ address, formula, fill }));
  expect(first.length).toBe(1);
  // A second write, with a threshold: the flag rule changes.
  const read = await readActiveSheet(ctx(data));
  const result = checkGrid(read.grid, { thresholdAmount: 3500 });
  if (!result.ok) throw new Error(result.detail);
  await applyPlan(ctx(data), read, result.report.computed, result.plan);
  const second = data.sheets[0].conditionalFormats.map(({ formula }) => formula);
  expect(second).toEqual([`=AND(ISNUMBER(B5),ISNUMBER(C5),(C5-B5)<0,-(C5-B5)>=3500,N("Prognoskoll")=0)`]);
  await undoLastWrite(ctx(data));
  expect(data.sheets[0].conditionalFormats.map(({ address, formula, fill }) => ({ address, formula, fill }))).toEqual(
    first,
  );
  expect(data.settings.get("prognoskoll.flags")).toEqual({
    rules: [{ address: first[0].address, formula: first[0].formula }],
  });
});

test("undo brings back a number format the write changed on a cell whose figure stayed the same", async () => {
  const rows = referenceRows();
  // Intäkter's deviation holds the right figure, formatted as a date.
  const data0 = referenceWorkbook(rows);
  const read0 = await readActiveSheet(ctx(data0));
  const plain = checkGrid(read0.grid);
  if (!plain.ok) throw new Error(plain.detail);
  const d5 = plain.plan.writes.find((w) => w.cell === "D5")!;
  rows[4][3] = { value: d5.value, numberFormat: "yyyy-mm-dd" };
  const data = referenceWorkbook(rows);
  const before = cells(data);
  const read = await readActiveSheet(ctx(data));
  const result = checkGrid(read.grid);
  if (!result.ok) throw new Error(result.detail);
  await applyPlan(ctx(data), read, result.report.computed, result.plan);
  // The figure is right, the format is not: the plan writes the cell for its format.
  expect(result.plan.writes.filter((w) => w.cell === "D5").map((w) => w.value)).toEqual([d5.value]);
  expect(data.sheets[0].get(4, 3)?.numberFormat).not.toBe("yyyy-mm-dd");
  await undoLastWrite(ctx(data));
  expect(data.sheets[0].get(4, 3)).toEqual({ value: d5.value, numberFormat: "yyyy-mm-dd" });
  expect(cells(data)).toBe(before);
});
