import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  templateFromJson,
  TemplateError,
  BUILT_IN_TEMPLATES,
  conventionFromName,
  type Lang,
  type Template,
} from "../core";
import { WorkbookError } from "../xlsx";
import { checkFile, type CheckFileOptions, type FileResult, fileKey, writeAtomically } from "./check-file";
import { humanOf, jsonOf, terminalSafe } from "./output";
import { type ReportCell, type ReportFormat, reportFormat, reportRows, toCsv, toHtml } from "./report";
import { USAGE, UsageError } from "./usage";

export { UsageError };

export interface Invocation {
  files: string[];
  options: CheckFileOptions;
  json: boolean;
  /** A summary report to write: a .csv or .html file. */
  report?: { file: string; format: ReportFormat };
  lang: Lang;
  help: boolean;
}

/** The bundled example, found from the built command (dist/) or from the sources (src/cli/). */
const EXAMPLE =
  [path.resolve(__dirname, "..", "examples"), path.resolve(__dirname, "..", "..", "examples")]
    .map((d) => path.join(d, "uppfoljning-maj-2025.xlsx"))
    .find((f) => existsSync(f)) ?? path.resolve(__dirname, "..", "examples", "uppfoljning-maj-2025.xlsx");

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Number("") is 0: an empty value is no number.
  const n = value.trim() === "" ? NaN : Number(value.replace(",", "."));
  if (!Number.isFinite(n) || n < 0) throw new UsageError("number", { name, value });
  return n;
}

export async function parseInvocation(argv: string[]): Promise<Invocation> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        write: { type: "boolean" },
        out: { type: "string" },
        json: { type: "boolean" },
        formulas: { type: "boolean" },
        threshold: { type: "string" },
        "threshold-percent": { type: "string" },
        lang: { type: "string" },
        sheet: { type: "string" },
        template: { type: "string" },
        convention: { type: "string" },
        report: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    const err = e as Error & { code?: string };
    const option = /'([^']+)'/.exec(err.message)?.[1] ?? "";
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError("unknown-option", { option });
    throw new UsageError("bad-option", { option, detail: err.message });
  }
  const v = parsed.values;
  const [command, ...files] = parsed.positionals;
  if (v.help) return { files: [], options: {}, json: false, lang: v.lang === "en" ? "en" : "sv", help: true };
  if (command !== "check")
    throw command ? new UsageError("unknown-command", { command }) : new UsageError("no-command");
  const lang = (v.lang ?? "sv") as Lang;
  if (lang !== "sv" && lang !== "en") throw new UsageError("lang", { value: String(v.lang) });
  const convention = v.convention === undefined ? undefined : conventionFromName(v.convention);
  if (convention === null) throw new UsageError("convention", { value: String(v.convention) });
  if ((v.out !== undefined || v.formulas) && !v.write) throw new UsageError("write-only");
  let report: Invocation["report"];
  if (v.report !== undefined) {
    const format = reportFormat(v.report);
    if (format === null) throw new UsageError("report-format", { file: v.report });
    report = { file: v.report, format };
  }
  let templates: readonly Template[] = BUILT_IN_TEMPLATES;
  if (v.template !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(v.template, "utf8"));
    } catch (e) {
      throw new UsageError("template-unreadable", { file: v.template, detail: (e as Error).message });
    }
    try {
      templates = [templateFromJson(json), ...BUILT_IN_TEMPLATES];
    } catch (e) {
      if (e instanceof TemplateError) {
        throw new UsageError("template-invalid", { file: v.template, detail: e.text(lang) });
      }
      throw e;
    }
  }
  const options: CheckFileOptions = {
    write: v.write ?? false,
    out: v.out,
    formulas: v.formulas ?? false,
    thresholdAmount: number("threshold", v.threshold),
    thresholdPercent: number("threshold-percent", v["threshold-percent"]),
    lang,
    sheet: v.sheet,
    templates,
    convention,
  };
  return { files, options, json: v.json ?? false, lang, help: false, report };
}

/** A workbook to check, and the subfolder it lies in below the folder it was found in ("" or "." for none). */
export interface Workbook {
  file: string;
  sub: string;
}

/** A folder's entries, read one folder at a time (replaceable in tests). */
export type ReadFolder = (dir: string) => Promise<{ name: string; isDirectory(): boolean }[]>;

const readFolder: ReadFolder = (dir) => fs.readdir(dir, { withFileTypes: true });

/**
 * Expands folders into the workbooks (.xlsx, .xlsm) in them and their subfolders, leaving out
 * earlier checked copies and Excel's lock files. Old .xls workbooks are listed too, so that each
 * gets its message ("save it as .xlsx") rather than being passed over; a folder that cannot be
 * read is a result of its own, and the others are still checked.
 */
export async function expandFiles(
  args: string[],
  lang: Lang = "sv",
  read: ReadFolder = readFolder,
): Promise<(Workbook | FileResult)[]> {
  const out: (Workbook | FileResult)[] = [];
  for (const a of args) {
    const stat = await fs.stat(a).catch(() => null);
    if (!stat?.isDirectory()) {
      out.push({ file: a, sub: "" });
      continue;
    }
    const found: string[] = [];
    const unreadable: FileResult[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await read(dir);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "?";
        unreadable.push({ file: dir, error: new WorkbookError("cannot-read-folder", { code }).text(lang) });
        return;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (/\.xls[xm]?$/i.test(e.name) && !/\.checked\.xls[xm]$/i.test(e.name) && !e.name.startsWith("~$")) {
          found.push(full);
        }
      }
    };
    await walk(a);
    out.push(...unreadable, ...found.sort().map((f) => ({ file: f, sub: path.dirname(path.relative(a, f)) })));
  }
  return out;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Where the progress bar goes; none when stderr is not a terminal. */
  progress?: NodeJS.WritableStream;
  /** Whether stdout is a terminal: JSON is then indented for reading. */
  terminal?: boolean;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  progress: process.stderr.isTTY ? process.stderr : undefined,
  terminal: process.stdout.isTTY === true,
};

/** The language asked for on the command line, for messages about the command line itself. */
function langOf(argv: string[]): Lang {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const value = i < 0 ? undefined : argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
  return value === "en" ? "en" : "sv";
}

/** Runs the command and returns its exit status. */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let inv: Invocation;
  try {
    inv = await parseInvocation(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      const lang = langOf(argv);
      io.stderr(`prognoskoll: ${e.text(lang)}\n\n${USAGE[lang]}\n`);
      return 2;
    }
    throw e;
  }
  if (inv.help) {
    io.stdout(USAGE[inv.lang] + "\n");
    return 0;
  }
  const files = inv.files.length > 0 ? await expandFiles(inv.files, inv.lang) : [{ file: EXAMPLE, sub: "" }];
  if (files.length === 0) {
    io.stderr(`prognoskoll: ${new UsageError("no-files", { where: inv.files.join(", ") }).text(inv.lang)}\n`);
    return 2;
  }
  if (inv.options.write && inv.options.out !== undefined) {
    const stat = await fs.stat(inv.options.out).catch(() => null);
    // A path that is not there names a folder unless it names a workbook (…/kopia.xlsx).
    inv.options.outIsFolder = stat?.isDirectory() ?? !/\.xls[xm]$/i.test(inv.options.out);
    if (files.length > 1 && !inv.options.outIsFolder) {
      io.stderr(`prognoskoll: ${new UsageError("out-folder").text(inv.lang)}\n`);
      return 2;
    }
    // A macro workbook's content under an .xlsx name, or the other way round, is a file Excel refuses.
    const ext = path.extname(files[0].file).toLowerCase();
    if (!inv.options.outIsFolder && /^\.xls[xm]$/.test(ext) && path.extname(inv.options.out).toLowerCase() !== ext) {
      io.stderr(`prognoskoll: ${new UsageError("out-kind", { out: inv.options.out, ext }).text(inv.lang)}\n`);
      return 2;
    }
    // A folder that is not there is made.
    if (inv.options.outIsFolder && !stat) await fs.mkdir(inv.options.out, { recursive: true });
  }
  // A summary that could not be written would be found missing only after the whole batch.
  if (inv.report) {
    const folder = path.dirname(path.resolve(inv.report.file));
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat?.isDirectory()) {
      const file = inv.report.file;
      io.stderr(`prognoskoll: ${new UsageError("report-unwritable", { file, code: "ENOENT" }).text(inv.lang)}\n`);
      return 2;
    }
  }
  inv.options.taken = new Set();
  // A copy written early in the batch may not replace a workbook checked later (or earlier) in it.
  inv.options.inputs = new Set();
  for (const f of files) {
    if (!("sub" in f)) continue;
    const stat = await fs.stat(f.file).catch(() => null);
    if (stat) inv.options.inputs.add(fileKey(stat));
  }
  // The progress bar's library is loaded only when there is a terminal to draw it on.
  const bar =
    files.length > 1 && io.progress
      ? new (await import("cli-progress")).SingleBar({
          format: "{bar} {value}/{total} {file}",
          stream: io.progress,
          hideCursor: true,
        })
      : null;
  bar?.start(files.length, 0, { file: "" });
  // Each result is reduced to what is printed as soon as it is made, so that a large batch does
  // not keep every sheet in memory.
  const workbooks: Record<string, unknown>[] = [];
  let done = 0;
  let unchecked = false;
  let errors = false;
  const reportLines: ReportCell[][] = [];
  for (const file of files) {
    bar?.update(done, { file: path.basename(file.file) });
    // A workbook found in a subfolder has its copy in the same subfolder of --out.
    const r: FileResult = "sub" in file ? await checkFile(file.file, { ...inv.options, outSub: file.sub }) : file;
    done++;
    unchecked ||= r.error !== undefined || r.writeError !== undefined;
    errors ||= (r.report?.counts.error ?? 0) > 0;
    if (inv.report) reportLines.push(...reportRows(r, inv.lang));
    if (inv.json) workbooks.push(jsonOf(r));
    else {
      bar?.stop();
      io.stdout(terminalSafe(humanOf(r, inv.lang)) + "\n\n");
      bar?.start(files.length, done, { file: "" });
    }
  }
  bar?.update(done, { file: "" });
  bar?.stop();
  // Indented for a reader at a terminal; on one line for a program or a file (a third the size).
  if (inv.json) io.stdout(JSON.stringify({ workbooks }, null, io.terminal ? 2 : undefined) + "\n");
  if (inv.report) {
    const { file, format } = inv.report;
    const text = format === "csv" ? toCsv(reportLines, inv.lang) : toHtml(reportLines, inv.lang, new Date());
    try {
      await writeAtomically(file, Buffer.from(text, "utf8"));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "?";
      io.stderr(`prognoskoll: ${new UsageError("report-unwritable", { file, code }).text(inv.lang)}\n`);
      return 2;
    }
  }
  if (unchecked) return 2;
  if (errors) return 1;
  return 0;
}

if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: end quietly, as other commands do.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`prognoskoll: ${e.message}\n`);
      process.exitCode = 2;
    },
  );
}
