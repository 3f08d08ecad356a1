/**
 * One corpus grid through the add-in's adapter in the in-memory Excel, as the pane's two buttons
 * do: read the active sheet, check it, write the plan. It says what came of it, and which cells
 * changed that should not have.
 *
 * adapter.test.ts bundles this file and runs each case in a process of its own, so that a grid that
 * makes the adapter loop or exhaust memory fails on its own bounds instead of stopping the others.
 */
import fs from "node:fs";
import v8 from "node:v8";
import { cellAddress, checkGrid, noTableMessage } from "../../src/core";
import { applyPlan, HostRefusal, readActiveSheet } from "../../src/excel/adapter";
import { FakeRequestContext, FakeSheetData, FakeWorkbookData, type FakeCell } from "../../src/preview/fake-excel";
import type { Cell, CorpusGrid } from "./corpus";

export interface AdapterResult {
  /** "written", "no-table", "refused:REASON" (a HostRefusal), or "threw" (anything else). */
  outcome: string;
  /** The message the pane would build on: why there is no table, the refusal's cells, or what was thrown. */
  message: string;
  /** Cells (Sheet!A1) whose content or format changed although the plan did not name them. */
  unplanned: string[];
  /** Planned cells that hold a figure typed on an input line (budget or comparison of a line that is no sum). */
  inputsInPlan: string[];
  /** Planned cells that do not hold what the plan wrote. */
  notAsPlanned: string[];
  /** Whether anything else in the workbook changed (conditional formats, settings) when nothing was to be written. */
  otherChanges: boolean;
  writes: number;
  ms: number;
}

type Scalar = string | number | boolean;

/** A corpus cell as the in-memory Excel holds it. */
function fakeCell(cell: Cell): Scalar | FakeCell | null {
  if (cell === null || typeof cell !== "object") return cell;
  const value: Scalar = cell.error ?? cell.value ?? cell.raw ?? "";
  const out: FakeCell = { value };
  if (cell.formula !== undefined) out.formula = `=${cell.formula}`;
  if (cell.numberFormat !== undefined) out.numberFormat = cell.numberFormat;
  return out;
}

/** The workbook: the grid as the active sheet, and a sheet of instructions after it. */
export function fakeWorkbook(grid: CorpusGrid): FakeWorkbookData {
  const sheet = FakeSheetData.fromRows(
    grid.sheet,
    grid.rows.map((row) => row.map(fakeCell)),
  );
  sheet.merges.push(...(grid.merges ?? []));
  return new FakeWorkbookData([sheet, FakeSheetData.fromRows("Anvisningar", [["Fyll i prognosen."]])]);
}

function snapshot(data: FakeWorkbookData) {
  return {
    // A formula's value is Excel's to calculate (the write ends with a calculation): its formula
    // and format are what the add-in may change.
    cells: new Map(
      data.sheets.flatMap((s) =>
        [...s.cells].map(
          ([k, c]) =>
            [
              `${s.name}!${k}`,
              JSON.stringify(c.formula === undefined ? c : { formula: c.formula, numberFormat: c.numberFormat }),
            ] as const,
        ),
      ),
    ),
    formats: JSON.stringify(data.sheets.map((s) => s.conditionalFormats)),
    settings: JSON.stringify([...data.settings]),
  };
}

const address = (key: string): string => {
  const at = key.lastIndexOf("!");
  const [row, col] = key
    .slice(at + 1)
    .split(",")
    .map(Number);
  return `${key.slice(0, at)}!${cellAddress(row, col)}`;
};

export async function runAdapterCase(grid: CorpusGrid): Promise<AdapterResult> {
  const started = Date.now();
  const data = fakeWorkbook(grid);
  const before = snapshot(data);
  const result: AdapterResult = {
    outcome: "",
    message: "",
    unplanned: [],
    inputsInPlan: [],
    notAsPlanned: [],
    otherChanges: false,
    writes: 0,
    ms: 0,
  };
  const planned = new Set<string>();
  try {
    const ctx = new FakeRequestContext(data);
    const read = await readActiveSheet(ctx as unknown as Excel.RequestContext);
    const checked = checkGrid(read.grid);
    if (!checked.ok) {
      result.outcome = "no-table";
      result.message = noTableMessage("sv", checked.problem);
    } else {
      const { report, plan } = checked;
      const o = read.grid.origin ?? { row: 0, col: 0 };
      for (const w of plan.writes) planned.add(`${read.sheet}!${o.row + w.row},${o.col + w.col}`);
      result.writes = plan.writes.length;
      const { table } = report.computed;
      const inputCells = new Set<string>();
      for (const l of table.lines) {
        if (l.kind === "sum") continue;
        for (const col of [table.budget.col, table.comparison.col]) inputCells.add(`${l.row},${col}`);
      }
      result.inputsInPlan = plan.writes.filter((w) => inputCells.has(`${w.row},${w.col}`)).map((w) => w.cell);
      try {
        await applyPlan(ctx as unknown as Excel.RequestContext, read, report.computed, plan);
        result.outcome = "written";
        const sheet = data.sheet(read.sheet);
        result.notAsPlanned = plan.writes
          .filter((w) => {
            const now = sheet.get(o.row + w.row, o.col + w.col);
            return w.formula !== undefined ? now?.formula !== `=${w.formula}` : now?.value !== w.value;
          })
          .map((w) => w.cell);
      } catch (e) {
        if (!(e instanceof HostRefusal)) throw e;
        result.outcome = `refused:${e.reason}`;
        result.message = e.cells.join(", ");
      }
    }
  } catch (e) {
    result.outcome = "threw";
    result.message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const after = snapshot(data);
  for (const key of new Set([...before.cells.keys(), ...after.cells.keys()])) {
    if (before.cells.get(key) !== after.cells.get(key) && !planned.has(key)) result.unplanned.push(address(key));
  }
  if (result.outcome !== "written") {
    result.otherChanges = before.formats !== after.formats || before.settings !== after.settings;
  }
  result.ms = Date.now() - started;
  return result;
}

// Run on its own (bundled) with a grid file and a result file: the grid is read with
// v8.deserialize (so -0 and NaN stay as they are), the result written as JSON with the peak memory.
if (require.main === module && /adapter-case\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) {
  const [gridFile, resultFile] = process.argv.slice(2);
  const grid = v8.deserialize(fs.readFileSync(gridFile)) as CorpusGrid;
  void runAdapterCase(grid).then((r) => {
    const used = process.resourceUsage();
    fs.writeFileSync(
      resultFile,
      JSON.stringify({ ...r, rssKB: used.maxRSS, cpuMs: (used.userCPUTime + used.systemCPUTime) / 1000 }),
    );
  });
}
