/**
 * LibreOffice Calc, run headless, as a second spreadsheet engine: it opens .xlsx files, recalculates
 * every formula, and saves them again as .xlsx, whose cached values can then be read back.
 *
 * LibreOffice keeps the cached values of an .xlsx file by default. Each run here gets a throw-away
 * user profile whose settings make it recalculate every formula on load (OOXMLRecalcMode 0), so the
 * values it saves are its own.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** How to get LibreOffice when it is missing. */
const INSTALL =
  "Install it (Debian: apt-get install -y --no-install-recommends libreoffice-calc; .ci/run does this) " +
  "or set SOFFICE to the program's path.";

/** The soffice program: $SOFFICE when set, else `soffice` or `libreoffice` on PATH; null when there is none. */
export function findSoffice(): string | null {
  const executable = (file: string): boolean => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const given = process.env.SOFFICE;
  if (given !== undefined && given !== "") return executable(given) ? given : null;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    for (const name of ["soffice", "libreoffice"]) {
      const file = path.join(dir, name);
      if (executable(file)) return file;
    }
  }
  return null;
}

/** The soffice program, or an error that says how to install it. */
export function requireSoffice(): string {
  const program = findSoffice();
  if (program !== null) return program;
  const given = process.env.SOFFICE;
  throw new Error(
    given
      ? `LibreOffice was not found: SOFFICE=${given} is not an executable file. ${INSTALL}`
      : `LibreOffice is not installed: no \`soffice\` or \`libreoffice\` program on PATH. ${INSTALL}`,
  );
}

/** The profile setting that makes Calc recalculate every formula of an .xlsx file on load. */
const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/**
 * A new, empty LibreOffice user profile in a temporary folder. With `recalc` (the default) its
 * settings make Calc recalculate .xlsx files on load; without, it keeps LibreOffice's defaults
 * (cached values are kept).
 */
export function makeProfile(recalc = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-soffice-profile-"));
  if (recalc) {
    fs.mkdirSync(path.join(dir, "user"), { recursive: true });
    fs.writeFileSync(path.join(dir, "user", "registrymodifications.xcu"), RECALC_ALWAYS);
  }
  return dir;
}

export interface ConvertOptions {
  /** Recalculate every formula on load (default true). */
  recalc?: boolean;
  /** Ends soffice after this long (default 180 s). */
  timeoutMs?: number;
  /** The soffice program (default: requireSoffice()). */
  program?: string;
}

export interface Conversion {
  /** Input file → the file LibreOffice wrote, for every input it converted. */
  outputs: Map<string, string>;
  /** The inputs it did not convert (it could not load them, or wrote nothing). */
  failed: string[];
  /** What soffice printed on stdout and stderr. */
  stdout: string;
  stderr: string;
  /** The lines of stderr that report an error ("Error: source file could not be loaded"). */
  errors: string[];
  /** Wall time of the soffice run. */
  ms: number;
}

/**
 * Opens every file in one headless soffice run (its start-up is what takes time), recalculates
 * (unless told not to) and saves each as `outDir/BASENAME.xlsx`. The profile is made anew for the
 * run and removed after it. Throws when soffice is missing, exits with a failure, or outlives the
 * timeout; a file it could not convert is listed in `failed` rather than thrown.
 */
export async function convertToXlsx(
  files: readonly string[],
  outDir: string,
  options: ConvertOptions = {},
): Promise<Conversion> {
  const program = options.program ?? requireSoffice();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const out = path.resolve(outDir);
  const expected = new Map<string, string>();
  const taken = new Set<string>();
  for (const f of files) {
    const input = path.resolve(f);
    if (path.dirname(input) === out) throw new Error(`soffice would write over its input: ${input} is in ${out}`);
    const target = path.join(out, `${path.basename(input).replace(/\.[^.]*$/, "")}.xlsx`);
    if (taken.has(target)) throw new Error(`two inputs would both become ${target}: give them different names`);
    taken.add(target);
    expected.set(f, target);
    fs.rmSync(target, { force: true });
  }
  fs.mkdirSync(out, { recursive: true });
  const profile = makeProfile(options.recalc ?? true);
  const args = [
    "--headless",
    "--norestore",
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    "--convert-to",
    "xlsx",
    "--outdir",
    out,
    ...files.map((f) => path.resolve(f)),
  ];
  const start = process.hrtime.bigint();
  try {
    const { code, signal, stdout, stderr, timedOut } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      timedOut: boolean;
    }>((resolve, reject) => {
      // Its own process group, so that soffice and the office process it starts end together.
      const child = spawn(program, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      child.stdout.on("data", (d: Buffer) => void (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => void (stderr += d.toString("utf8")));
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }, timeoutMs);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${program}: ${e.message}`));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr, timedOut });
      });
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const printed = `\nstdout:\n${stdout.trim()}\nstderr:\n${stderr.trim()}`;
    if (timedOut) {
      throw new Error(`soffice did not finish converting ${files.length} file(s) within ${timeoutMs} ms${printed}`);
    }
    if (code !== 0) {
      throw new Error(
        `soffice failed (exit ${code ?? `signal ${signal}`}) converting ${files.length} file(s)${printed}`,
      );
    }
    const outputs = new Map<string, string>();
    const failed: string[] = [];
    for (const [input, target] of expected) {
      if (fs.existsSync(target) && fs.statSync(target).size > 0) outputs.set(input, target);
      else failed.push(input);
    }
    const errors = stderr.split("\n").filter((l) => /^Error\b/i.test(l.trim()));
    return { outputs, failed, stdout, stderr, errors, ms };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
