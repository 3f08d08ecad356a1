import { promises as fs } from "node:fs";
import path from "node:path";
import { checkGrid, noTableMessage, type CheckGridOptions, type Report, type WritePlan } from "../core";
import { lossText, WorkbookError } from "./errors";
import { changesBesidesPlan } from "./preserve";
import { loadWorkbook, readGrid, writePlan } from "./xlsx";

export interface CheckFileOptions extends CheckGridOptions {
  sheet?: string;
  write?: boolean;
  /** Where to write the checked copy: a file, or a folder for NAME.checked.xlsx. */
  out?: string;
  outIsFolder?: boolean;
}

export interface FileResult {
  file: string;
  report?: Report;
  plan?: WritePlan;
  /** Set when the file could not be checked or its copy could not be written. */
  error?: string;
  written?: string;
}

/** The default name of the checked copy: NAME.checked.xlsx beside the original (or in a folder). */
export function checkedName(file: string, folder?: string): string {
  const base = path.basename(file).replace(/\.xlsx$/i, "");
  return path.join(folder ?? path.dirname(file), `${base}.checked.xlsx`);
}

/** Reads, checks and (when asked) writes one workbook. Never throws for a bad file. */
export async function checkFile(file: string, options: CheckFileOptions): Promise<FileResult> {
  const lang = options.lang ?? "sv";
  try {
    const data = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw e.code === "ENOENT"
        ? new WorkbookError("no-file")
        : new WorkbookError("cannot-read", { code: e.code ?? "?" });
    });
    const loaded = await loadWorkbook(data);
    if (options.sheet !== undefined && !loaded.sheetNames.includes(options.sheet)) {
      throw new WorkbookError("no-sheet", { name: options.sheet, names: loaded.sheetNames.join(", ") });
    }
    const names = options.sheet !== undefined ? [options.sheet] : loaded.sheetNames;
    let firstProblem = "";
    for (const name of names) {
      const grid = readGrid(loaded, name);
      const result = checkGrid(grid, options);
      if (!result.ok) {
        firstProblem ||= `${name}: ${noTableMessage(lang, result.problem)}`;
        continue;
      }
      const out: FileResult = { file, report: result.report, plan: result.plan };
      if (options.write) {
        const target = options.outIsFolder || options.out === undefined ? checkedName(file, options.out) : options.out;
        if (path.resolve(target) === path.resolve(file)) throw new WorkbookError("overwrite");
        const bytes = await writePlan(loaded, grid, result.plan);
        const losses = await changesBesidesPlan(loaded.zip, bytes, loaded.sheetNames.indexOf(name), grid, result.plan);
        if (losses.length > 0) {
          const shown = losses.slice(0, 5).map((l) => lossText(lang, l));
          if (losses.length > 5) shown.push(`+${losses.length - 5}`);
          return { ...out, error: new WorkbookError("would-lose", { problems: shown.join("; ") }).text(lang) };
        }
        try {
          await writeAtomically(target, bytes);
        } catch (e) {
          return {
            ...out,
            error: new WorkbookError("cannot-write", { code: (e as NodeJS.ErrnoException).code ?? "?" }).text(lang),
          };
        }
        out.written = target;
      }
      return out;
    }
    throw new WorkbookError("no-table", { detail: firstProblem });
  } catch (e) {
    if (e instanceof WorkbookError) return { file, error: e.text(lang) };
    return { file, error: new WorkbookError("unreadable", { detail: (e as Error).message }).text(lang) };
  }
}

/** Writes to a temporary file beside the target, then renames it into place. */
export async function writeAtomically(target: string, bytes: Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await fs.writeFile(temp, bytes, { flag: "wx" });
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
