import { promises as fs, readFileSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import {
  checkGrid,
  noTableMessage,
  writesHiddenByMerges,
  type CheckGridOptions,
  type Grid,
  type Report,
  type WritePlan,
} from "../core";
import { keptFormulaResults, loadWorkbook, readGrid, WorkbookError, writePlan } from "../xlsx";

export interface CheckFileOptions extends CheckGridOptions {
  sheet?: string;
  write?: boolean;
  /** Where to write the checked copy: a file, or a folder for NAME.checked.xlsx. */
  out?: string;
  outIsFolder?: boolean;
  /** With a folder --out: the subfolder of it the copy goes in (the workbook's own below the folder checked). */
  outSub?: string;
  /** Copies written earlier in this run (resolved paths): a later file may not overwrite one. */
  taken?: Set<string>;
  /** The workbooks this run checks (device and inode, "dev:ino"): no copy may overwrite one. */
  inputs?: Set<string>;
}

export interface FileResult {
  file: string;
  report?: Report;
  plan?: WritePlan;
  /** Set when the file could not be checked. */
  error?: string;
  /** Set when the file was checked but its copy was not written. */
  writeError?: string;
  written?: string;
}

/**
 * The default name of the checked copy: NAME.checked.xlsx beside the original (or in a folder);
 * a macro workbook keeps its kind, NAME.checked.xlsm.
 */
export function checkedName(file: string, folder?: string): string {
  const ext = /\.xlsm$/i.test(file) ? ".xlsm" : ".xlsx";
  const base = path.basename(file).replace(/\.xls[xm]$/i, "");
  return path.join(folder ?? path.dirname(file), `${base}.checked${ext}`);
}

/** Whether two paths name the same file, through links too. */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.stat(a).catch(() => null), fs.stat(b).catch(() => null)]);
  if (x && y) return x.dev === y.dev && x.ino === y.ino;
  return path.resolve(a) === path.resolve(b);
}

/** A file's identity, the same through every link to it. */
export function fileKey(stat: Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/** A path's file status, or null when it cannot be had (the read then says why). */
function statOrNull(file: string): Stats | null {
  try {
    return statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** Reads, checks and (when asked) writes one workbook. Never throws for a bad file. */
export async function checkFile(file: string, options: CheckFileOptions): Promise<FileResult> {
  const lang = options.lang ?? "sv";
  try {
    // A pipe or a device would block the read, or never end it. Files are read one after
    // another, so a synchronous read waits for nothing else.
    if (statOrNull(file)?.isFile() === false) throw new WorkbookError("not-a-file");
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw code === "ENOENT" ? new WorkbookError("no-file") : new WorkbookError("cannot-read", { code: code ?? "?" });
    }
    const loaded = await loadWorkbook(data);
    if (options.sheet !== undefined && !loaded.sheetNames.includes(options.sheet)) {
      throw new WorkbookError("no-sheet", { name: options.sheet, names: loaded.sheetNames.join(", ") });
    }
    // A hidden sheet (last year's figures, a lookup table) is not what is handed in: it is checked
    // only when named, as the pane checks only the sheet in view.
    const names =
      options.sheet !== undefined ? [options.sheet] : loaded.sheets.filter((s) => !s.hidden).map((s) => s.name);
    let firstProblem = "";
    for (const name of names) {
      const grid = await readGrid(loaded, name);
      const result = checkGrid(grid, options);
      if (!result.ok) {
        firstProblem ||= `${name}: ${noTableMessage(lang, result.problem)}`;
        continue;
      }
      const out: FileResult = { file, report: result.report, plan: result.plan };
      if (options.write) {
        try {
          out.written = await writeCopy(file, loaded, name, grid, result.report, result.plan, options);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          out.writeError = (
            e instanceof WorkbookError
              ? e
              : code !== undefined
                ? new WorkbookError("cannot-write", { code })
                : new WorkbookError("unsupported-write")
          ).text(lang);
        }
      }
      return out;
    }
    const hidden = options.sheet === undefined ? loaded.sheets.filter((s) => s.hidden).map((s) => `"${s.name}"`) : [];
    const unnamed =
      hidden.length > 0 ? new WorkbookError("hidden-sheets", { names: hidden.join(", ") }).text(lang) : "";
    throw new WorkbookError("no-table", { detail: [firstProblem, unnamed].filter((t) => t !== "").join("; ") });
  } catch (e) {
    if (e instanceof WorkbookError) return { file, error: e.text(lang) };
    return { file, error: new WorkbookError("unreadable", { detail: (e as Error).message }).text(lang) };
  }
}

/** Writes the checked copy, if it keeps the workbook intact; returns where it went. */
async function writeCopy(
  file: string,
  loaded: Awaited<ReturnType<typeof loadWorkbook>>,
  sheet: string,
  grid: Grid,
  report: Report,
  plan: WritePlan,
  options: CheckFileOptions,
): Promise<string> {
  const folder =
    options.out !== undefined && options.outIsFolder ? path.join(options.out, options.outSub ?? "") : options.out;
  const target = options.outIsFolder || options.out === undefined ? checkedName(file, folder) : options.out;
  if (await sameFile(target, file)) throw new WorkbookError("overwrite");
  const existing = await fs.stat(target).catch(() => null);
  if (existing && options.inputs?.has(fileKey(existing))) throw new WorkbookError("overwrite-input", { target });
  const resolved = path.resolve(target);
  if (options.taken?.has(resolved)) throw new WorkbookError("out-taken", { target });
  const hidden = writesHiddenByMerges(plan.writes, grid.merges ?? []);
  if (hidden.length > 0) {
    const cells = hidden.slice(0, 5).map((w) => w.cell);
    throw new WorkbookError("merged", {
      cells: cells.join(", ") + (hidden.length > 5 ? ` (+${hidden.length - 5})` : ""),
    });
  }
  const bytes = await writePlan(loaded, grid, plan, keptFormulaResults(report, plan));
  // The folder of a copy named by --out is made, as a folder named by --out is.
  if (options.out !== undefined) await fs.mkdir(path.dirname(target), { recursive: true });
  await writeAtomically(target, bytes);
  options.taken?.add(resolved);
  return target;
}

/**
 * Writes to a temporary file beside the target, flushes it to disk, then renames it into place:
 * the target is either the whole new copy or what it was before.
 */
export async function writeAtomically(target: string, bytes: Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    const handle = await fs.open(temp, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
