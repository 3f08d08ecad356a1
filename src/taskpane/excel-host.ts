import { checkGrid, noTableMessage, type Lang, type Table, type WritePlan } from "../core";
import {
  applyPlan,
  readActiveSheet,
  removeFlags,
  saveSettings,
  selectedArea,
  undoLastWrite,
  watchChanges,
  type PaneSettings,
  type SheetRead,
} from "../excel/adapter";
import type { PaneHost } from "./host";

/** Runs a batch against a request context: Excel.run in Excel, the in-memory Excel in the preview. */
export type Runner = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

const MESSAGES = {
  sv: {
    protected: "Bladet är skyddat. Ta bort skyddet (Granska › Ta bort skydd för blad) och försök igen.",
    editing: "En cell redigeras. Tryck Enter eller Esc i cellen och försök igen.",
    notChecked: "Kontrollera bladet först.",
    changed: "Bladet har ändrats sedan kontrollen. Kontrollera igen innan du skriver.",
    failed: (m: string) => `Excel svarade med ett fel: ${m}`,
  },
  en: {
    protected: "The sheet is protected. Unprotect it (Review › Unprotect Sheet) and try again.",
    editing: "A cell is being edited. Press Enter or Esc in the cell and try again.",
    notChecked: "Check the sheet first.",
    changed: "The sheet has changed since the check. Check again before writing.",
    failed: (m: string) => `Excel answered with an error: ${m}`,
  },
};

/** The pane's host on top of the Excel adapter. */
export function excelHost(runner: Runner, lang: Lang): PaneHost {
  const m = MESSAGES[lang];
  let last: { read: SheetRead; table: Table } | null = null;
  // An edit (the user's, or a co-author's) after the check makes its plan stale.
  let changedSinceCheck = false;
  let writing = false;
  const friendly = async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => {
    try {
      return await runner(batch);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "InvalidOperationInCellEditMode") throw new Error(m.editing);
      if (code === "AccessDenied") throw new Error(m.protected);
      throw new Error(m.failed((e as Error).message));
    }
  };
  return {
    check: () =>
      friendly(async (context) => {
        const read = await readActiveSheet(context);
        changedSinceCheck = false;
        const settings = read.settings;
        const result = checkGrid(read.grid, { lang, ...settings });
        const canUndo = read.undo !== null;
        if (!result.ok) {
          last = null;
          return { ok: false, message: noTableMessage(lang, result.problem), canUndo, settings };
        }
        last = { read, table: result.report.computed.table };
        return { ok: true, report: result.report, plan: result.plan, canUndo, settings };
      }),
    write: (plan: WritePlan) =>
      friendly(async (context) => {
        if (!last) throw new Error(m.notChecked);
        if (changedSinceCheck) throw new Error(m.changed);
        if (last.read.protected) throw Object.assign(new Error(m.protected), { code: "AccessDenied" });
        writing = true;
        try {
          await applyPlan(context, last.read, last.table, plan, last.read.settings);
        } finally {
          writing = false;
        }
        changedSinceCheck = true;
        return plan.writes.length;
      }),
    undo: () => friendly((context) => undoLastWrite(context)),
    removeFlags: () => friendly((context) => removeFlags(context)),
    saveSettings: (settings: PaneSettings) => friendly((context) => saveSettings(context, settings)),
    selection: () => friendly((context) => selectedArea(context)),
    watch: (onChange: () => void) =>
      friendly((context) =>
        watchChanges(context, () => {
          if (!writing) changedSinceCheck = true;
          onChange();
        }),
      ),
    select: (cell: string) =>
      friendly(async (context) => {
        const sheet = last
          ? context.workbook.worksheets.getItem(last.read.sheet)
          : context.workbook.worksheets.getActiveWorksheet();
        sheet.getRange(cell).select();
        await context.sync();
      }),
  };
}
