import { checkGrid } from "../../src/core";
import {
  applyPlan,
  FLAG_MARK,
  readActiveSheet,
  removeFlags,
  undoLastWrite,
  UNDO_PREFIX,
} from "../../src/excel/adapter";
import { FakeExcelError, FakeRequestContext, FakeSheetData, FakeWorkbookData } from "../../src/preview/fake-excel";
import { type FakeRow, referenceRows } from "../helpers/fake-workbooks";
import { REFERENCE } from "../helpers/grids";

function workbook(rows: FakeRow[]): FakeWorkbookData {
  const sheet = FakeSheetData.fromRows("Uppföljning", rows);
  sheet.cells.set("3,1", { value: "Budget 2025", numberFormat: "@" });
  // The economist's own conditional format, which the add-in must leave alone.
  sheet.conditionalFormats.push({ id: "{own}", address: "B5:C14", formula: "=B5>100000", fill: "#00FF00" });
  return new FakeWorkbookData([sheet, FakeSheetData.fromRows("Anvisningar", [["Fyll i prognosen."]])]);
}

const hasUndo = (data: FakeWorkbookData) => [...data.settings.keys()].some((k) => k.startsWith(UNDO_PREFIX));

/** Check and write, as the pane's two buttons do, in one context. */
async function checkAndWrite(ctx: FakeRequestContext) {
  const read = await readActiveSheet(ctx as unknown as Excel.RequestContext);
  const result = checkGrid(read.grid);
  if (!result.ok) throw new Error(result.detail);
  await applyPlan(ctx as unknown as Excel.RequestContext, read, result.report.computed, result.plan);
  return { read, result };
}

const snapshot = (data: FakeWorkbookData) =>
  data.sheets.map((s) => ({
    name: s.name,
    cells: new Map([...s.cells].map(([k, c]) => [k, { ...c }])),
    formats: s.conditionalFormats.map((cf) => ({ ...cf })),
  }));

describe.each([
  ["the reference sheet (10 lines)", 0],
  ["a sheet of 5 000 lines", 4990],
])("%s", (_name, accounts) => {
  test("check and write take exactly two syncs, the write with calculation and screen updating suspended", async () => {
    const data = workbook(referenceRows(accounts));
    const ctx = new FakeRequestContext(data);
    const { result } = await checkAndWrite(ctx);
    expect(result.report.lines.length).toBe(10 + accounts);
    expect(ctx.syncs).toBe(2);
    expect(ctx.suspendedAtSync).toEqual([false, true]);
  });

  test("no cell but the planned ones changes; every typed figure stays as it was", async () => {
    const data = workbook(referenceRows(accounts));
    const before = snapshot(data);
    const { read, result } = await checkAndWrite(new FakeRequestContext(data));
    const o = read.grid.origin!;
    const planned = new Set(result.plan.writes.map((w) => `${o.row + w.row},${o.col + w.col}`));
    const after = snapshot(data);
    expect(after[1]).toEqual(before[1]);
    for (const [k, cell] of before[0].cells) {
      if (!planned.has(k)) expect([k, after[0].cells.get(k)]).toEqual([k, cell]);
    }
    // Input lines' budget and forecast are never in the plan.
    for (const l of result.report.lines.filter((x) => x.kind !== "sum")) {
      expect(planned.has(`${l.row - 1},1`)).toBe(false);
      expect(planned.has(`${l.row - 1},2`)).toBe(false);
    }
    expect(planned.size).toBe(result.plan.writes.length);
  });

  test("a second check right after writing proposes no change", async () => {
    const data = workbook(referenceRows(accounts));
    await checkAndWrite(new FakeRequestContext(data));
    const again = await readActiveSheet(new FakeRequestContext(data) as unknown as Excel.RequestContext);
    const result = checkGrid(again.grid);
    if (!result.ok) throw new Error(result.detail);
    expect(result.plan.writes).toEqual([]);
    expect(result.report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("undo restores every cell and format exactly, and the flags go", async () => {
    const data = workbook(referenceRows(accounts));
    const before = snapshot(data);
    await checkAndWrite(new FakeRequestContext(data));
    expect(snapshot(data)).not.toEqual(before);
    const ctx = new FakeRequestContext(data);
    const restored = await undoLastWrite(ctx as unknown as Excel.RequestContext);
    expect(restored).toBeGreaterThan(0);
    expect(ctx.syncs).toBe(4);
    expect(snapshot(data)).toEqual(before);
    expect(hasUndo(data)).toBe(false);
    expect(data.customXmlParts.size).toBe(0);
  });
});

describe("the reference sheet in Excel", () => {
  test("gets the reference deviations and result lines, and one flag format over the deviation column", async () => {
    const data = workbook(referenceRows());
    await checkAndWrite(new FakeRequestContext(data));
    const s = data.sheets[0];
    const column = (c: number) => REFERENCE.map((_, i) => s.get(4 + i, c)?.value);
    expect(column(3)).toEqual(REFERENCE.map((r) => r[3]));
    expect(column(1)).toEqual(REFERENCE.map((r) => r[1]));
    expect(column(2)).toEqual(REFERENCE.map((r) => r[2]));
    expect(s.get(7, 3)?.numberFormat).toBeUndefined();
    const ours = s.conditionalFormats.filter((cf) => cf.formula.includes(FLAG_MARK));
    expect(ours.map((cf) => [cf.address, cf.formula, cf.fill])).toEqual([
      ["D5:D14", `=AND(ISNUMBER(B5),ISNUMBER(C5),(C5-B5)<0,${FLAG_MARK})`, "#FFC7CE"],
    ]);
    // Writing again replaces the flag format rather than adding a second one.
    await checkAndWrite(new FakeRequestContext(data));
    expect(s.conditionalFormats.filter((cf) => cf.formula.includes(FLAG_MARK)).length).toBe(1);
    expect(s.conditionalFormats.find((cf) => cf.id === "{own}")).toBeDefined();
  });

  test("undo still works from a new context, as after the pane was closed and opened again", async () => {
    const data = workbook(referenceRows());
    const before = snapshot(data);
    await checkAndWrite(new FakeRequestContext(data));
    expect(hasUndo(data)).toBe(true);
    await undoLastWrite(new FakeRequestContext(data) as unknown as Excel.RequestContext);
    expect(snapshot(data)).toEqual(before);
  });

  test("undo brings back a stale figure and a wrong formula that the write replaced", async () => {
    const rows = referenceRows();
    rows[7][3] = { value: -3900, numberFormat: "#,##0" }; // Köp av tjänster: a typo in the deviation
    rows[9][1] = { value: 0, formula: "=SUM(B6:B8)" }; // Verksamhetens kostnader misses a row
    const data = workbook(rows);
    data.recalculate(); // as Excel holds it: the formula's value is what it adds up
    const missing = data.sheets[0].get(9, 1)?.value;
    const before = snapshot(data);
    const { result } = await checkAndWrite(new FakeRequestContext(data));
    expect(result.plan.writes.filter((w) => w.reason !== "empty").map((w) => [w.cell, w.reason])).toEqual([
      ["D8", "stale"],
      ["B10", "wrong-formula"],
    ]);
    expect(data.sheets[0].get(7, 3)?.value).toBe(-4000);
    await undoLastWrite(new FakeRequestContext(data) as unknown as Excel.RequestContext);
    expect(snapshot(data)).toEqual(before);
    expect(data.sheets[0].get(9, 1)).toEqual({ value: missing, formula: "=SUM(B6:B8)" });
  });

  test("a plan larger than a request may carry is written in parts, with the same result", async () => {
    const one = workbook(referenceRows(200));
    const parts = workbook(referenceRows(200));
    const ctx = new FakeRequestContext(parts);
    const read = await readActiveSheet(ctx as unknown as Excel.RequestContext);
    const result = checkGrid(read.grid);
    if (!result.ok) throw new Error(result.detail);
    await applyPlan(ctx as unknown as Excel.RequestContext, read, result.report.computed, result.plan, {
      maxRequestBytes: 10_000,
    });
    await checkAndWrite(new FakeRequestContext(one));
    expect(ctx.syncs).toBeGreaterThan(2);
    expect(ctx.suspendedAtSync.slice(1).every((s) => s)).toBe(true);
    expect(snapshot(parts)).toEqual(snapshot(one));
  });
});

test("removing the flags restores the sheet's formats exactly and leaves every cell as written", async () => {
  const data = workbook(referenceRows());
  const formatsBefore = data.sheets[0].conditionalFormats.map((cf) => ({ ...cf }));
  await checkAndWrite(new FakeRequestContext(data));
  const cellsAfterWrite = snapshot(data)[0].cells;
  expect(data.sheets[0].conditionalFormats.length).toBe(formatsBefore.length + 1);
  const ctx = new FakeRequestContext(data);
  expect(await removeFlags(ctx as unknown as Excel.RequestContext)).toBe(1);
  expect(ctx.syncs).toBe(2);
  expect(data.sheets[0].conditionalFormats).toEqual(formatsBefore);
  expect(snapshot(data)[0].cells).toEqual(cellsAfterWrite);
  expect(await removeFlags(new FakeRequestContext(data) as unknown as Excel.RequestContext)).toBe(0);
});

test("in a costs-positive sheet, cost lines are flagged by budget − forecast, the others by forecast − budget", async () => {
  const rows = referenceRows().map((r, i) =>
    i >= 4 &&
    typeof r[1] === "number" &&
    ["Personalkostnader", "Lokalhyror", "Köp av tjänster", "Övriga kostnader"].includes(String(r[0]))
      ? [r[0], -r[1], -(r[2] as number), null]
      : r,
  );
  const data = workbook(rows);
  await checkAndWrite(new FakeRequestContext(data));
  const ours = data.sheets[0].conditionalFormats.filter((cf) => cf.formula.includes(FLAG_MARK));
  expect(ours.map((cf) => [cf.address, cf.formula])).toEqual([
    ["D5,D12:D14", `=AND(ISNUMBER(B5),ISNUMBER(C5),(C5-B5)<0,${FLAG_MARK})`],
    ["D6:D11", `=AND(ISNUMBER(B6),ISNUMBER(C6),(B6-C6)<0,${FLAG_MARK})`],
  ]);
});

test("merged cells reach the core's grid, relative to the used range", async () => {
  const data = workbook(referenceRows());
  data.sheets[0].merges.push("A1:D1", "B4:B4");
  const read = await readActiveSheet(new FakeRequestContext(data) as unknown as Excel.RequestContext);
  expect(read.grid.origin).toEqual({ row: 0, col: 0 });
  expect(read.grid.merges).toEqual([
    { top: 0, left: 0, bottom: 0, right: 3 },
    { top: 3, left: 1, bottom: 3, right: 1 },
  ]);
});

test("a formula Excel shows as blank reaches the core as computed empty text, not as never computed", async () => {
  const rows = referenceRows();
  const at = rows.findIndex((r) => r[0] === "Lokalhyror");
  rows[at] = [rows[at][0], rows[at][1], null, null];
  const data = workbook(rows);
  data.sheets[0].cells.set(`${at},3`, { value: "", formula: `=IF(C${at + 1}="","",C${at + 1}-B${at + 1})` });
  const read = await readActiveSheet(new FakeRequestContext(data) as unknown as Excel.RequestContext);
  const result = checkGrid(read.grid);
  if (!result.ok) throw new Error(result.detail);
  expect(result.report.findings.filter((f) => f.cell === `D${at + 1}`)).toEqual([]);
  expect(result.report.findings.map((f) => [f.code, f.cell])).toContainEqual(["missing-value", `C${at + 1}`]);
});

test("text that reads like a formula, in a column formatted as text, is text the write replaces", async () => {
  const rows = referenceRows();
  const data = workbook(rows);
  const lines = rows.flatMap((r, i) => (i >= 4 && typeof r[1] === "number" ? [i] : []));
  for (const i of lines) data.sheets[0].cells.set(`${i},3`, { value: `=C${i + 1}-B${i + 1}`, numberFormat: "@" });
  const { result } = await checkAndWrite(new FakeRequestContext(data));
  const cells = lines.map((i) => `D${i + 1}`);
  expect(result.report.findings.filter((f) => f.code === "not-a-number").map((f) => f.cell)).toEqual(cells);
  expect(result.plan.writes.map((w) => w.cell)).toEqual(expect.arrayContaining(cells));
  // Each is a number now: Excel reads a figure written over text as a number again.
  for (const i of lines) expect(typeof data.sheets[0].cells.get(`${i},3`)?.value).toBe("number");
});

test("a sheet of many small blocks gets its flag formats within the areas Excel takes in one range", async () => {
  const rows: FakeRow[] = [["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"]];
  for (let k = 0; k < 700; k++) {
    rows.push(
      [`Område ${k + 1}`],
      [`Verksamhet ${k + 1}a`, 100 + k, 90, null],
      [`Verksamhet ${k + 1}b`, 200, 205, null],
    );
  }
  rows.push(["Summa", null, null, null]);
  const data = new FakeWorkbookData([FakeSheetData.fromRows("Uppföljning", rows)]);
  const { result } = await checkAndWrite(new FakeRequestContext(data));
  const ours = data.sheets[0].conditionalFormats.filter((cf) => cf.formula.includes(FLAG_MARK));
  expect(ours.length).toBe((result.plan.flagFormats ?? []).length);
  expect(ours.length).toBeGreaterThan(3);
  expect(data.sheets[0].cells.get("2,3")?.value).toBe(10);
});

describe("the in-memory Excel", () => {
  test("reading a property that was not loaded throws, as Excel does", async () => {
    const ctx = new FakeRequestContext(workbook(referenceRows()));
    const range = ctx.workbook.worksheets.getActiveWorksheet().getRange("D8");
    range.load("values");
    expect(() => range.values).toThrow(FakeExcelError);
    await ctx.sync();
    expect(range.values).toEqual([[""]]);
    expect(() => range.address).toThrow(/not available/);
  });

  test("addresses carry the sheet name, and values and formulas are 2D arrays", async () => {
    const ctx = new FakeRequestContext(workbook(referenceRows()));
    const range = ctx.workbook.worksheets.getActiveWorksheet().getRange("B5:C6");
    range.formulas = [
      ["=1+0", 2],
      [3, 4],
    ];
    range.load("address, values, formulas");
    await ctx.sync();
    expect(range.address).toBe("Uppföljning!B5:C6");
    expect(range.values).toEqual([
      ["#VALUE!", 2],
      [3, 4],
    ]);
    expect(range.formulas).toEqual([
      ["=1+0", 2],
      [3, 4],
    ]);
  });
});
