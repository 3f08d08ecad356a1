import { cellAddress, checkGrid, noTableMessage, type Lang, type Table, type WritePlan } from "../core";
import {
  applyPlan,
  HostRefusal,
  readActiveSheet,
  readSettings,
  readSheet,
  removeFlags,
  saveSettings,
  selectedArea,
  undoLastWrite,
  watchChanges,
  type PaneSettings,
  type ReadScope,
  type SheetRead,
} from "../excel/adapter";
import { randomId } from "../excel/undo-store";
import type { PaneHost } from "./host";

/**
 * How a batch is run: after the user leaves cell-edit mode (`delayForCellEdit`, for the re-check
 * an edit sets off), or on the request context of an object made earlier (`context`, as an event
 * handler is removed).
 */
export interface RunOptions {
  delayForCellEdit?: boolean;
  context?: unknown;
  /** Make the batch one step of Excel's own undo (ExcelApi 1.20; ignored where unsupported). */
  mergeUndoGroup?: boolean;
}

/** Runs a batch against a request context: Excel.run in Excel, the in-memory Excel in the preview. */
export type Runner = <T>(batch: (context: Excel.RequestContext) => Promise<T>, options?: RunOptions) => Promise<T>;

const MESSAGES = {
  sv: {
    protected: "Bladet är skyddat. Ta bort skyddet (Granska › Ta bort skydd för blad) och försök igen.",
    editing: "En cell redigeras. Tryck Enter eller Esc i cellen och försök igen.",
    notChecked: "Kontrollera bladet först.",
    changed: "Bladet har ändrats sedan kontrollen. Kontrollera igen innan du skriver.",
    undoConflict: (cells: string) =>
      `Ångra avbröts: ${cells} har ändrats sedan skrivningen. Inget återställdes, så inget av det du skrivit går förlorat.`,
    undoMissing: "Det som behövs för att ångra skrivningen saknas i arbetsboken. Inget återställdes.",
    undoSheet: (sheet: string) =>
      `Bladet ”${sheet}”, där skrivningen gjordes, finns inte längre (bytt namn eller borttaget). Inget återställdes.`,
    interrupted: (why: string) =>
      `Skrivningen avbröts (${why}). Det som hann skrivas är återställt, så bladet är som före skrivningen.`,
    interruptedKept: (why: string) =>
      `Skrivningen avbröts (${why}) och kunde inte tas tillbaka. Tryck Ångra när Excel svarar igen, så återställs det som hann skrivas.`,
    merged: (cells: string) =>
      `${cells} ingår i sammanfogade celler och kan inte skrivas var för sig. Dela upp dem (Start › Sammanfoga och centrera) och försök igen. Inget skrevs.`,
    tooLargeToRead:
      "En rad i bladet är för stor för att Excel på webben ska kunna läsa den. Markera tabellen och välj Använd markeringen som tabell.",
    failed: (m: string) => `Excel svarade med ett fel: ${m}`,
  },
  en: {
    protected: "The sheet is protected. Unprotect it (Review › Unprotect Sheet) and try again.",
    editing: "A cell is being edited. Press Enter or Esc in the cell and try again.",
    notChecked: "Check the sheet first.",
    changed: "The sheet has changed since the check. Check again before writing.",
    undoConflict: (cells: string) =>
      `Undo stopped: ${cells} changed since the write. Nothing was restored, so nothing you typed is lost.`,
    undoMissing: "What is needed to undo the write is missing from the workbook. Nothing was restored.",
    undoSheet: (sheet: string) =>
      `The sheet “${sheet}” that was written is no longer there (renamed or deleted). Nothing was restored.`,
    interrupted: (why: string) =>
      `The write was interrupted (${why}). What had been written is restored, so the sheet is as before the write.`,
    interruptedKept: (why: string) =>
      `The write was interrupted (${why}) and could not be taken back. Press Undo when Excel answers again to restore what had been written.`,
    merged: (cells: string) =>
      `${cells} are part of merged cells and cannot be written on their own. Unmerge them (Home › Merge & Center) and try again. Nothing was written.`,
    tooLargeToRead:
      "A row of the sheet is too large for Excel on the web to read. Mark the table and choose Use the selection as the table.",
    failed: (m: string) => `Excel answered with an error: ${m}`,
  },
};

/** How many rows below the table's last line a re-check reads too (a line added just below it). */
const MARGIN_ROWS = 5;

/** The area a re-check after an edit reads: the rows down to just below the table, while the used range is unchanged. */
function scopeOf(read: SheetRead, table: Table): ReadScope | undefined {
  const o = read.grid.origin ?? { row: 0, col: 0 };
  const width = read.grid.cells.reduce((w, row) => Math.max(w, row.length), 0);
  let last = table.headerRow;
  for (let i = 0; i < table.lineArrays.count; i++) last = Math.max(last, table.lineArrays.row[i]);
  const rows = Math.min(read.grid.cells.length, last + 1 + MARGIN_ROWS);
  if (rows <= 0 || width === 0) return undefined;
  return {
    area: {
      sheet: read.sheet,
      address: `${cellAddress(o.row, o.col)}:${cellAddress(o.row + rows - 1, o.col + width - 1)}`,
    },
    used: read.used,
  };
}

/** A write the pane itself refuses (not checked, or changed since the check): shown as it is. */
class PaneRefusal extends Error {}

/**
 * The pane's host on top of the Excel adapter; `writer` is this installation's id, kept with its
 * undo snapshots; `maxRequestBytes` what one request may carry (Excel on the web's limit, less a
 * margin, unless a test asks for less).
 */
export function excelHost(
  runner: Runner,
  lang: Lang,
  writer: string = randomId(),
  { maxRequestBytes }: { maxRequestBytes?: number } = {},
): PaneHost {
  const m = MESSAGES[lang];
  let last: { read: SheetRead; checked: { table: Table; factor: ArrayLike<number> } } | null = null;
  // An edit (the user's, or a co-author's) after the check makes its plan stale.
  let changedSinceCheck = false;
  // Without change events (an older Excel), the sheet is read again before writing.
  let watching = false;
  // Excel's undo group is used until Excel says it cannot take one of the write's calls.
  let mergeUndo = true;
  // The table the economist chose, as the last check or the last change of settings saw it.
  let chosen: PaneSettings["table"];
  const friendly = async <T>(
    batch: (context: Excel.RequestContext) => Promise<T>,
    options?: RunOptions,
  ): Promise<T> => {
    try {
      return await runner(batch, options);
    } catch (e) {
      // The pane's own refusals say what to do; they are not Excel's errors.
      if (e instanceof PaneRefusal) throw new Error(e.message);
      if (e instanceof HostRefusal) {
        const why = e.excelError instanceof Error ? e.excelError.message : String(e.excelError ?? "");
        if (e.reason === "merged") throw new Error(m.merged(e.cells.slice(0, 5).join(", ")));
        if (e.reason === "interrupted") throw new Error(m.interrupted(why));
        // The snapshot stayed: Ångra can finish what the write left.
        if (e.reason === "interrupted-kept") throw Object.assign(new Error(m.interruptedKept(why)), { undoable: true });
        if (e.reason === "undo-missing") throw new Error(m.undoMissing);
        if (e.reason === "undo-sheet") throw new Error(m.undoSheet(e.cells[0]));
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
  const write = async (context: Excel.RequestContext, plan: WritePlan): Promise<number> => {
    if (!last) throw new PaneRefusal(m.notChecked);
    if (changedSinceCheck) throw new PaneRefusal(m.changed);
    if (!watching) {
      const now = await readSheet(context, last.read.sheet);
      if (JSON.stringify(now.grid) !== JSON.stringify(last.read.grid)) throw new PaneRefusal(m.changed);
    }
    if (last.read.protected) throw Object.assign(new Error(m.protected), { code: "AccessDenied" });
    try {
      await applyPlan(context, last.read, last.checked, plan, { writer, maxRequestBytes });
    } catch (e) {
      // A write that did something before it failed: the sheet must be checked again before the
      // next (an error of Excel's own comes only from a request that did nothing).
      if (e instanceof HostRefusal && e.reason !== "merged") last = null;
      throw e;
    }
    changedSinceCheck = true;
    return plan.writes.length;
  };
  return {
    check: (options) =>
      friendly(
        async (context) => {
          // After an edit: the table's rows; else the table the economist chose, if any.
          const scope =
            options?.afterEdit && last ? scopeOf(last.read, last.checked.table) : chosen ? { area: chosen } : undefined;
          const read = await readActiveSheet(context, scope);
          changedSinceCheck = false;
          const settings = read.settings;
          chosen = settings.table;
          const result = checkGrid(read.grid, { lang, ...settings });
          const canUndo = read.undos.length > 0;
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
    write: async (plan: WritePlan) => {
      if (mergeUndo) {
        try {
          // One write, one step of Excel's undo (Ctrl+Z), where Excel keeps add-in actions on it.
          return await runner((context) => write(context, plan), { mergeUndoGroup: true });
        } catch (e) {
          // Only a write Excel refused whole is made again, without the group.
          if (e instanceof HostRefusal || (e as { code?: string }).code !== "UndoNotSupported")
            return friendly(() => Promise.reject(e));
          // Excel cannot group one of the calls: the write is made without the group (nothing of
          // the grouped attempt was kept), and the pane's own undo takes it back.
          mergeUndo = false;
          changedSinceCheck = false;
        }
      }
      return friendly((context) => write(context, plan));
    },
    undo: async (options) => {
      try {
        return await runner((context) =>
          undoLastWrite(context, { writer, elsewhere: options?.elsewhere, maxRequestBytes }),
        );
      } catch (e) {
        if (e instanceof HostRefusal && e.reason === "undo-elsewhere") return { elsewhere: new Date(e.cells[0]) };
        return friendly(() => Promise.reject(e));
      }
    },
    removeFlags: () => friendly((context) => removeFlags(context)),
    settings: () => friendly((context) => readSettings(context)),
    saveSettings: async (settings: PaneSettings) => {
      await friendly((context) => saveSettings(context, settings));
      chosen = settings.table;
    },
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
