/**
 * Both hosts, one answer: each published table as an .xlsx file through `prognoskoll check --json`,
 * and as the active sheet of the in-memory Excel through the pane's host; what the pane shows must
 * be what the command prints.
 */
import path from "node:path";
import { run } from "../../src/cli/main";
import { jsonOf } from "../../src/cli/output";
import { fakeRunner, FakeSheetData, FakeWorkbookData } from "../../src/preview/fake-excel";
import { excelHost } from "../../src/taskpane/excel-host";
import { tempDir, writeRows } from "../helpers/workbooks";
import { loadTables, sheetRows, type RealTable } from "./tables";

const SHEET = "Uppföljning";
const dir = tempDir("prognoskoll-real-");

async function writeXlsx(t: RealTable, emptyDeviation: boolean): Promise<string> {
  const file = path.join(dir, `${t.id}${emptyDeviation ? "-tom" : ""}.xlsx`);
  return writeRows(file, SHEET, sheetRows(t, { emptyDeviation }));
}

async function commandJson(file: string): Promise<Record<string, unknown>> {
  let out = "";
  await run(["check", file, "--json"], { stdout: (s) => void (out += s), stderr: () => undefined });
  const wb = JSON.parse(out).workbooks[0];
  delete wb.file;
  return wb;
}

async function paneJson(t: RealTable, emptyDeviation: boolean): Promise<Record<string, unknown>> {
  const data = new FakeWorkbookData([FakeSheetData.fromRows(SHEET, sheetRows(t, { emptyDeviation }))]);
  const host = excelHost(fakeRunner(data), "sv");
  const outcome = await host.check();
  if (!outcome.ok) throw new Error(`${t.id}: ${outcome.message}`);
  const json = jsonOf({ file: "", report: outcome.report, plan: outcome.plan });
  delete json.file;
  // Through JSON, as the command prints it (undefined fields dropped).
  return JSON.parse(JSON.stringify(json));
}

const cases = loadTables().flatMap((t) =>
  (t.columns.deviation === null ? [false] : [false, true]).map((empty) => [t.id, empty, t] as const),
);

describe("the pane and the command agree", () => {
  test.each(cases)("%s (deviation column emptied: %p)", async (_id, empty, t) => {
    const command = await commandJson(await writeXlsx(t, empty));
    const pane = await paneJson(t, empty);
    expect(pane).toEqual(command);
    expect((command.lines as unknown[]).length).toBeGreaterThan(0);
  });
});
