import { checkTable, type CheckOptions, type Report } from "./check";
import { detectTable, type DetectOptions, type NoTable } from "./detect";
import { buildPlan, type PlanOptions, type WritePlan } from "./plan";
import type { Grid, GridCell } from "./types";

export * from "./address";
export * from "./check";
export * from "./columns";
export * from "./convention";
export * from "./detect";
export * from "./formula";
export * from "./messages";
export * from "./numbers";
export * from "./plan";
export * from "./structure";
export * from "./templates";
export * from "./types";

export type CheckGridOptions = DetectOptions & CheckOptions & PlanOptions;

export type GridResult =
  | { ok: true; report: Report; plan: WritePlan }
  | { ok: false; reason: "empty" | "no-table"; problem: NoTable; detail: string };

/** Detects the table of a grid, checks it and plans the writes: the whole job for one sheet. */
export function checkGrid(grid: Grid, options: CheckGridOptions = {}): GridResult {
  const detection = detectTable(grid, options);
  if (!detection.ok) return detection;
  const report = checkTable(grid, detection.table, options);
  return { ok: true, report, plan: buildPlan(report, options) };
}

/** A copy of the grid with the plan's writes made (values, or formulas with their values). */
/**
 * Where a checked sheet stands, the same in every host: errors to fix first; cells still to be
 * written (unless they have been, `written`); or ready to submit.
 */
export type Readiness = "errors" | "pending" | "ready";

export function readiness(report: Report, plan: WritePlan, written = false): Readiness {
  if (report.counts.error > 0) return "errors";
  return plan.writes.length > 0 && !written ? "pending" : "ready";
}

export function applyPlanToGrid(grid: Grid, plan: WritePlan): Grid {
  const cells = grid.cells.map((r) => (r ? [...r] : []));
  for (const w of plan.writes) {
    while (cells.length <= w.row) cells.push([]);
    const row = cells[w.row];
    const old = row[w.col];
    const cell: GridCell = { v: w.value };
    if (w.formula !== undefined) cell.f = w.formula;
    const z = w.numberFormat ?? old?.z;
    if (z !== undefined) cell.z = z;
    row[w.col] = cell;
  }
  return { ...grid, cells };
}
