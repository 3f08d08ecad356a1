import type { Report, WritePlan } from "../core";
import type { PaneSettings } from "../excel/adapter";

export type { PaneSettings };

/** What the pane asks of its host (Excel, or the in-memory Excel of the preview). */
export interface PaneHost {
  /** Reads the sheet and checks it; `afterEdit` waits until the user has left the cell being edited. */
  check(options?: { afterEdit?: boolean }): Promise<CheckOutcome>;
  /** Writes the plan (the changes the user accepted) in one batch. */
  write(plan: WritePlan): Promise<number>;
  /**
   * Takes back the last write: the number of cells restored, or, when the write to take back was
   * made from another installation and `elsewhere` was not given, when it was made (ask first).
   */
  undo(options?: { elsewhere?: boolean }): Promise<number | { elsewhere: Date }>;
  /** Removes the flag highlighting, leaving the user's own formatting; how many formats went. */
  removeFlags(): Promise<number>;
  /** Selects a cell of the checked sheet, like "D8". */
  select(cell: string): Promise<void>;
  /** The settings saved in the workbook. */
  settings(): Promise<PaneSettings>;
  /** Saves the settings in the workbook. */
  saveSettings(settings: PaneSettings): Promise<void>;
  /** Where the economist's selection is, to use as the table. */
  selection(): Promise<{ sheet: string; address: string }>;
  /** Calls `onChange` when the workbook changes; resolves with the function that stops it. */
  watch(onChange: () => void): Promise<() => Promise<void>>;
}

export type CheckOutcome =
  | { ok: true; report: Report; plan: WritePlan; canUndo: boolean; settings: PaneSettings }
  | { ok: false; message: string; canUndo: boolean; settings: PaneSettings };
