import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { templateFromJson, TemplateError, BUILT_IN_TEMPLATES, type Convention, type Lang, type Template } from "../core";
import { checkFile, type CheckFileOptions, type FileResult } from "./check-file";
import { humanOf, jsonOf } from "./output";

const USAGE = `Usage: prognoskoll check [FILES or FOLDERS...] [options]

Checks budget follow-up workbooks (.xlsx): finds the budget table, recomputes deviations and
result lines, flags negative deviations and validates the totals. With no file it checks the
bundled example.

Options:
  --write                 write recomputed deviations and sum lines into a copy (NAME.checked.xlsx)
  --out PATH              where to write the copy (a file, or a folder when checking several)
  --formulas              write Excel formulas rather than values
  --json                  print the result as JSON only
  --threshold N           flag only negative deviations of at least N (in the sheet's unit)
  --threshold-percent P   flag only negative deviations of at least P % of the budget
  --lang sv|en            language of messages (default sv)
  --sheet NAME            check this sheet (default: the first sheet with a budget table)
  --template FILE.json    a report template of your own, besides the built-in ones
  --convention costs-negative|costs-positive
                          the sign convention, instead of detecting it
  -h, --help              show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be checked or bad usage.`;

export class UsageError extends Error {}

export interface Invocation {
  files: string[];
  options: CheckFileOptions;
  json: boolean;
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
  const n = Number(value.replace(",", "."));
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} takes a number of zero or more, not "${value}"`);
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
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const [command, ...files] = parsed.positionals;
  if (v.help) return { files: [], options: {}, json: false, lang: "sv", help: true };
  if (command !== "check") throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  const lang = (v.lang ?? "sv") as Lang;
  if (lang !== "sv" && lang !== "en") throw new UsageError(`--lang takes sv or en, not "${v.lang}"`);
  if (v.convention !== undefined && v.convention !== "costs-negative" && v.convention !== "costs-positive") {
    throw new UsageError(`--convention takes costs-negative or costs-positive, not "${v.convention}"`);
  }
  if ((v.out !== undefined || v.formulas) && !v.write) throw new UsageError("--out and --formulas go with --write");
  let templates: readonly Template[] = BUILT_IN_TEMPLATES;
  if (v.template !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(v.template, "utf8"));
    } catch (e) {
      throw new UsageError(`cannot read the template ${v.template}: ${(e as Error).message}`);
    }
    try {
      templates = [templateFromJson(json), ...BUILT_IN_TEMPLATES];
    } catch (e) {
      if (e instanceof TemplateError) throw new UsageError(`the template ${v.template} is not valid: ${e.message}`);
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
    convention: v.convention as Convention | undefined,
  };
  return { files, options, json: v.json ?? false, lang, help: false };
}

/** Expands folders into the .xlsx files in them (not earlier checked copies or Excel's lock files). */
export async function expandFiles(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    const stat = await fs.stat(a).catch(() => null);
    if (stat?.isDirectory()) {
      const entries = await fs.readdir(a, { recursive: true });
      for (const e of entries.sort()) {
        const name = path.basename(e);
        if (/\.xlsx$/i.test(name) && !/\.checked\.xlsx$/i.test(name) && !name.startsWith("~$")) out.push(path.join(a, e));
      }
    } else {
      out.push(a);
    }
  }
  return out;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stderrIsTTY: boolean;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/** Runs the command and returns its exit status. */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  let inv: Invocation;
  try {
    inv = await parseInvocation(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`prognoskoll: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (inv.help) {
    io.stdout(USAGE + "\n");
    return 0;
  }
  const files = inv.files.length > 0 ? await expandFiles(inv.files) : [EXAMPLE];
  if (files.length === 0) {
    io.stderr(`prognoskoll: no .xlsx files in ${inv.files.join(", ")}\n`);
    return 2;
  }
  if (inv.options.write && inv.options.out !== undefined) {
    const stat = await fs.stat(inv.options.out).catch(() => null);
    inv.options.outIsFolder = stat?.isDirectory() ?? /[\\/]$/.test(inv.options.out);
    if (files.length > 1 && !inv.options.outIsFolder) {
      io.stderr(`prognoskoll: with several files, --out must be an existing folder\n`);
      return 2;
    }
  }
  const bar =
    files.length > 1 && io.stderrIsTTY
      ? new SingleBar({ format: "{bar} {value}/{total} {file}", stream: process.stderr, hideCursor: true })
      : null;
  bar?.start(files.length, 0, { file: "" });
  const results: FileResult[] = [];
  for (const file of files) {
    bar?.update(results.length, { file: path.basename(file) });
    const r = await checkFile(file, inv.options);
    results.push(r);
    if (!inv.json) {
      bar?.stop();
      io.stdout(humanOf(r, inv.lang) + "\n\n");
      bar?.start(files.length, results.length, { file: "" });
    }
  }
  bar?.update(results.length, { file: "" });
  bar?.stop();
  if (inv.json) io.stdout(JSON.stringify({ workbooks: results.map(jsonOf) }, null, 2) + "\n");
  if (results.some((r) => r.error !== undefined)) return 2;
  if (results.some((r) => (r.report?.counts.error ?? 0) > 0)) return 1;
  return 0;
}

if (require.main === module) {
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
