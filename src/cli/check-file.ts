import { promises as fs } from "node:fs";
import path from "node:path";
import { checkGrid, type CheckGridOptions, type Report, type WritePlan } from "../core";
import { changesBesidesPlan } from "./preserve";
import { loadWorkbook, readGrid, WorkbookError, writePlan } from "./xlsx";

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
  try {
    const data = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new WorkbookError("unreadable", e.code === "ENOENT" ? "no such file" : `cannot read the file (${e.code})`);
    });
    const loaded = await loadWorkbook(data);
    const names = options.sheet !== undefined ? [options.sheet] : loaded.sheetNames;
    if (options.sheet !== undefined && !loaded.sheetNames.includes(options.sheet)) {
      return { file, error: `no sheet named "${options.sheet}" (the sheets are: ${loaded.sheetNames.join(", ")})` };
    }
    let firstProblem = "";
    for (const name of names) {
      const grid = readGrid(loaded, name);
      const result = checkGrid(grid, options);
      if (!result.ok) {
        firstProblem ||= `sheet "${name}": ${result.detail}`;
        continue;
      }
      const out: FileResult = { file, report: result.report, plan: result.plan };
      if (options.write) {
        const target = options.outIsFolder || options.out === undefined ? checkedName(file, options.out) : options.out;
        if (path.resolve(target) === path.resolve(file)) {
          return { ...out, error: "the checked copy would overwrite the original; choose another --out" };
        }
        const bytes = await writePlan(loaded, grid, result.plan);
        const problems = await changesBesidesPlan(loaded.zip, bytes, loaded.sheetNames.indexOf(name), grid, result.plan);
        if (problems.length > 0) {
          return { ...out, error: `nothing written: the copy would not keep the workbook intact: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}` };
        }
        await writeAtomically(target, bytes);
        out.written = target;
      }
      return out;
    }
    return { file, error: `no budget table found (${firstProblem || "the workbook has no sheets"})` };
  } catch (e) {
    if (e instanceof WorkbookError) return { file, error: e.message };
    const err = e as NodeJS.ErrnoException;
    if (err.code) return { file, error: `cannot write the checked copy (${err.code}: ${err.message})` };
    return { file, error: `the workbook cannot be read: ${err.message}` };
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
