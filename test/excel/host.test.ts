/**
 * The pane's host over the in-memory Excel: one write is one step of Excel's own undo where Excel
 * can group it; two people writing the same workbook keep their own undo; an undo of a write made
 * elsewhere asks first; work waits for the user to leave the cell being edited; a re-check after an
 * edit reads only the table's area.
 */
import { UNDO_PREFIX, type UndoHeader } from "../../src/excel/adapter";
import { FakeRequestContext, fakeRunner, type FakeWorkbookData } from "../../src/preview/fake-excel";
import { excelHost, type Runner } from "../../src/taskpane/excel-host";
import type { PaneHost } from "../../src/taskpane/host";
import { referenceRows, referenceWorkbook } from "../helpers/fake-workbooks";

const cells = (data: FakeWorkbookData) => JSON.stringify(data.sheets.map((s) => [...s.cells].sort()));
const headers = (data: FakeWorkbookData) =>
  [...data.settings].filter(([k]) => k.startsWith(UNDO_PREFIX)).map(([, v]) => v as UndoHeader);

async function checkAndWrite(host: PaneHost): Promise<number> {
  const outcome = await host.check();
  if (!outcome.ok) throw new Error(outcome.message);
  return host.write(outcome.plan);
}

describe("Excel's own undo (ExcelApi 1.20)", () => {
  test("a write is one undo group: Ctrl+Z takes all of it back", async () => {
    const data = referenceWorkbook();
    const before = cells(data);
    expect(await checkAndWrite(excelHost(fakeRunner(data), "sv", "a"))).toBe(16);
    expect(cells(data)).not.toBe(before);
    expect(data.undoStack.length).toBe(1);
    expect(data.userUndo()).toBe(true);
    expect(cells(data)).toBe(before);
  });

  test("where Excel cannot group a call, the write is made without the group, and Ångra takes it back", async () => {
    const data = referenceWorkbook();
    data.undoUnsupported.add("customXmlParts.add");
    const before = cells(data);
    const host = excelHost(fakeRunner(data), "sv", "a");
    expect(await checkAndWrite(host)).toBe(16);
    expect(data.undoStack.length).toBe(0);
    expect(headers(data).map((h) => h.complete)).toEqual([true]);
    expect(await host.undo()).toBe(16);
    expect(cells(data)).toBe(before);
  });
});

describe("two people writing the same workbook", () => {
  test("each keeps an undo of their own write, and neither replaces the other's", async () => {
    const rows = referenceRows();
    const data = referenceWorkbook(rows);
    const before = cells(data);
    const anna = excelHost(fakeRunner(data), "sv", "anna");
    const bo = excelHost(fakeRunner(data), "sv", "bo");
    await checkAndWrite(anna);
    // Bo changes a forecast and writes what follows from it.
    await data.edit("Uppföljning", "C8", { value: -70000 });
    expect(await checkAndWrite(bo)).toBeGreaterThan(0);
    expect(
      headers(data)
        .map((h) => h.writer)
        .sort(),
    ).toEqual(["anna", "bo"]);
    // Bo's undo takes back Bo's write only.
    expect(await bo.undo()).toBeGreaterThan(0);
    expect(headers(data).map((h) => h.writer)).toEqual(["anna"]);
    await data.edit("Uppföljning", "C8", { value: rows[7][2] as number });
    expect(await anna.undo()).toBe(16);
    expect(cells(data)).toBe(before);
  });

  test("Ångra of a write made elsewhere asks first, and goes ahead when asked to", async () => {
    const data = referenceWorkbook();
    const before = cells(data);
    await checkAndWrite(excelHost(fakeRunner(data), "sv", "anna"));
    const other = excelHost(fakeRunner(data), "sv", "bo");
    const asked = await other.undo();
    expect(asked).toEqual({ elsewhere: new Date(headers(data)[0].time) });
    expect(cells(data)).not.toBe(before);
    expect(await other.undo({ elsewhere: true })).toBe(16);
    expect(cells(data)).toBe(before);
  });
});

test("a check while a cell is being edited says so; the re-check after an edit waits until the edit ends", async () => {
  const data = referenceWorkbook();
  const host = excelHost(fakeRunner(data), "sv", "a");
  data.setEditing(true);
  await expect(host.check()).rejects.toThrow("En cell redigeras");
  let done = false;
  const waiting = host.check({ afterEdit: true }).then((o) => {
    done = true;
    return o;
  });
  await new Promise((r) => setTimeout(r, 50));
  expect(done).toBe(false);
  data.setEditing(false);
  expect((await waiting).ok).toBe(true);
});

/** The reference table and, `gap` rows below it, 3 000 rows of notes; a host whose request contexts are kept. */
function tableWithNotes(gap: number): { data: FakeWorkbookData; contexts: FakeRequestContext[]; host: PaneHost } {
  const rows: (string | number | null)[][] = referenceRows().map((r) =>
    r.map((c) => (typeof c === "object" ? null : c)),
  );
  for (let i = 0; i < gap; i++) rows.push([]);
  for (let i = 0; i < 3000; i++) rows.push([`Anteckning ${i + 1}: ${"text ".repeat(20)}`]);
  const data = referenceWorkbook(rows);
  const contexts: FakeRequestContext[] = [];
  const inner = fakeRunner(data);
  const runner: Runner = (batch, options) =>
    inner((context) => {
      contexts.push(context as unknown as FakeRequestContext);
      return batch(context);
    }, options);
  return { data, contexts, host: excelHost(runner, "sv", "a") };
}

test("a re-check after an edit reads the table's rows, not the notes below it", async () => {
  // The reference table, and 3 000 rows of notes further down the sheet.
  const { data, contexts, host } = tableWithNotes(20);
  const first = await host.check();
  const full = contexts[0].payloads.reduce((s, p) => s + p.response, 0);
  await data.edit("Uppföljning", "C8", { value: -70000 });
  const again = await host.check({ afterEdit: true });
  const scoped = contexts[1].payloads.reduce((s, p) => s + p.response, 0);
  expect(first.ok && again.ok).toBe(true);
  expect(scoped).toBeLessThan(full / 10);
  // The re-check found the same table and sees the edit.
  if (!first.ok || !again.ok) return;
  expect(again.report.lines.map((l) => l.label)).toEqual(first.report.lines.map((l) => l.label));
  expect(again.plan.writes.map((w) => w.cell)).toContain("D8");
  // A new row below the table changes the used range: the sheet is read whole again.
  data.sheets[0].cells.set("4000,0", { value: "Sist" });
  await data.edit("Uppföljning", "C8", { value: -70001 });
  await host.check({ afterEdit: true });
  expect(contexts[2].payloads.reduce((s, p) => s + p.response, 0)).toBeGreaterThan(full);
});

test("a table chosen as the selection is read alone, whatever else the sheet holds", async () => {
  const { contexts, host } = tableWithNotes(0);
  await host.saveSettings({ table: { sheet: "Uppföljning", address: "A4:D14" } });
  const outcome = await host.check();
  expect(outcome.ok && outcome.report.lines.length).toBe(10);
  const read = contexts[1].payloads;
  expect(read.length).toBe(1);
  expect(read[0].response).toBeLessThan(20_000);
});

test("after a write that failed midway, the next write waits for a new check, which then succeeds", async () => {
  const data = referenceWorkbook();
  const before = cells(data);
  const host = excelHost(fakeRunner(data), "sv", "a", { maxRequestBytes: 2_000 });
  const outcome = await host.check();
  if (!outcome.ok) throw new Error(outcome.message);
  // The second request (still storing the snapshot) fails.
  const start = data.syncCount;
  data.failSync = (n) => (n === start + 2 ? "GeneralException" : null);
  await expect(host.write(outcome.plan)).rejects.toThrow(/^Skrivningen avbröts/);
  expect(cells(data)).toBe(before);
  data.failSync = null;
  await expect(host.write(outcome.plan)).rejects.toThrow(/^Kontrollera bladet först\.$/);
  expect(await checkAndWrite(host)).toBe(16);
  expect(await host.undo()).toBe(16);
  expect(cells(data)).toBe(before);
});

test("a writer's second write replaces only its own snapshot", async () => {
  const data = referenceWorkbook();
  const anna = excelHost(fakeRunner(data), "sv", "anna");
  const bo = excelHost(fakeRunner(data), "sv", "bo");
  await checkAndWrite(anna);
  await data.edit("Uppföljning", "C8", { value: -70000 });
  await checkAndWrite(bo);
  await data.edit("Uppföljning", "C9", { value: -30000 });
  await checkAndWrite(anna);
  expect(
    headers(data)
      .map((h) => h.writer)
      .sort(),
  ).toEqual(["anna", "bo"]);
  // Each snapshot is whole: Bo's undo finds every part of it.
  await data.edit("Uppföljning", "C9", { value: -30000 });
  const bos = headers(data).find((h) => h.writer === "bo")!;
  expect(
    [...data.customXmlParts.values()].filter((p) => p.namespaceUri.endsWith(`:bo:${bos.id}`)).length,
  ).toBeGreaterThan(0);
});
