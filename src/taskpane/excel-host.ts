import { checkGrid, noTableMessage, type Lang, type Table, type WritePlan } from "../core";
import {
  applyPlan,
  HostRefusal,
  readActiveSheet,
  readSheet,
  removeFlags,
  saveSettings,
  selectedArea,
  undoLastWrite,
  watchChanges,
  type PaneSettings,
  type SheetRead,
} from "../excel/adapter";
import type { PaneHost } from "./host";

/**
 * How a batch is run: after the user leaves cell-edit mode (`delayForCellEdit`, for the re-check
 * an edit sets off), or on the request context of an object made earlier (`context`, as an event
 * handler is removed).
 */
export interface RunOptions {
  delayForCellEdit?: boolean;
  context?: unknown;
}

/** Runs a batch against a request context: Excel.run in Excel, the in-memory Excel in the preview. */
export type Runner = <T>(batch: (context: Excel.RequestContext) => Promise<T>, options?: RunOptions) => Promise<T>;

const MESSAGES = {
  sv: {
    protected: "Bladet är skyddat. Ta bort skyddet (Granska › Ta bort skydd för blad) och försök igen.",
    editing: "En cell redigeras. Tryck Enter eller Esc i cellen och försök igen.",
    notChecked: "Kontrollera bladet först.",
    changed: "Bladet har ändrats sedan kontrollen. Kontrollera igen innan du skriver.",
    tooLargeToUndo:
      "Skrivningen är för stor för att kunna ångras, så inget skrevs. Markera en mindre del av tabellen, eller kontrollera filen med prognoskoll check.",
    undoConflict: (cells: string) =>
      `Ångra avbröts: ${cells} har ändrats sedan skrivningen. Inget återställdes, så inget av det du skrivit går förlorat.`,
    merged: (cells: string) =>
      `${cells} ingår i sammanfogade celler och kan inte skrivas var för sig. Dela upp dem (Start › Sammanfoga och centrera) och försök igen. Inget skrevs.`,
    tooLargeToRead:
      "Bladet är för stort för att Excel på webben ska kunna läsa det på en gång. Markera tabellen och välj Använd markeringen som tabell.",
    failed: (m: string) => `Excel svarade med ett fel: ${m}`,
  },
  en: {
    protected: "The sheet is protected. Unprotect it (Review › Unprotect Sheet) and try again.",
    editing: "A cell is being edited. Press Enter or Esc in the cell and try again.",
    notChecked: "Check the sheet first.",
    changed: "The sheet has changed since the check. Check again before writing.",
    tooLargeToUndo:
      "The write is too large to be undone, so nothing was written. Mark a smaller part of the table, or check the file with prognoskoll check.",
    undoConflict: (cells: string) =>
      `Undo stopped: ${cells} changed since the write. Nothing was restored, so nothing you typed is lost.`,
    merged: (cells: string) =>
      `${cells} are part of merged cells and cannot be written on their own. Unmerge them (Home › Merge & Center) and try again. Nothing was written.`,
    tooLargeToRead:
      "The sheet is too large for Excel on the web to read at once. Mark the table and choose Use the selection as the table.",
    failed: (m: string) => `Excel answered with an error: ${m}`,
  },
};

/** The pane's host on top of the Excel adapter. */
export function excelHost(runner: Runner, lang: Lang): PaneHost {
  const m = MESSAGES[lang];
  let last: { read: SheetRead; checked: { table: Table; factor: ArrayLike<number> } } | null = null;
  // An edit (the user's, or a co-author's) after the check makes its plan stale.
  let changedSinceCheck = false;
  // Without change events (an older Excel), the sheet is read again before writing.
  let watching = false;
  const friendly = async <T>(
    batch: (context: Excel.RequestContext) => Promise<T>,
    options?: RunOptions,
  ): Promise<T> => {
    try {
      return await runner(batch, options);
    } catch (e) {
      if (e instanceof HostRefusal) {
        if (e.reason === "undo-too-large") throw new Error(m.tooLargeToUndo);
        if (e.reason === "merged") throw new Error(m.merged(e.cells.slice(0, 5).join(", ")));
        const cells = e.cells.slice(0, 5).join(", ") + (e.cells.length > 5 ? " …" : "");
        throw new Error(m.undoConflict(cells));
      }
      const code = (e as { code?: string }).code;
      if (code === "ResponsePayloadSizeLimitExceeded" || code === "RequestPayloadSizeLimitExceeded") {
        throw new Error(m.tooLargeToRead);
      }
      if (code === "InvalidOperationInCellEditMode") throw new Error(m.editing);
      if (code === "AccessDenied") throw new Error(m.protected);
      throw new Error(m.failed((e as Error).message));
    }
  };
  return {
    check: (options) =>
      friendly(
        async (context) => {
          const read = await readActiveSheet(context);
          changedSinceCheck = false;
          const settings = read.settings;
          const result = checkGrid(read.grid, { lang, ...settings });
          const canUndo = read.undo !== null;
          if (!result.ok) {
            last = null;
            const message = noTableMessage(lang, result.problem);
            return { ok: false, message: message.charAt(0).toUpperCase() + message.slice(1) + ".", canUndo, settings };
          }
          last = { read, checked: result.report.computed };
          return { ok: true, report: result.report, plan: result.plan, canUndo, settings };
        },
        options?.afterEdit ? { delayForCellEdit: true } : undefined,
      ),
    write: (plan: WritePlan) =>
      friendly(async (context) => {
        if (!last) throw new Error(m.notChecked);
        if (changedSinceCheck) throw new Error(m.changed);
        if (!watching) {
          const now = await readSheet(context, last.read.sheet);
          if (JSON.stringify(now.grid) !== JSON.stringify(last.read.grid)) throw new Error(m.changed);
        }
        if (last.read.protected) throw Object.assign(new Error(m.protected), { code: "AccessDenied" });
        await applyPlan(context, last.read, last.checked, plan);
        changedSinceCheck = true;
        return plan.writes.length;
      }),
    undo: () => friendly((context) => undoLastWrite(context)),
    removeFlags: () => friendly((context) => removeFlags(context)),
    saveSettings: (settings: PaneSettings) => friendly((context) => saveSettings(context, settings)),
    selection: () => friendly((context) => selectedArea(context)),
    watch: async (onChange: () => void) => {
      const handler = await friendly((context) =>
        watchChanges(context, () => {
          changedSinceCheck = true;
          onChange();
        }),
      );
      watching = true;
      // Removed on the context it was added with, as Office.js asks.
      return async () => {
        watching = false;
        await friendly(
          async (context) => {
            handler.remove();
            await context.sync();
          },
          { context: handler.context },
        );
      };
    },
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
