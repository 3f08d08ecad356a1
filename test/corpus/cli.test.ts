/**
 * Every input of the corpus through the built command, `prognoskoll check FILE --write --out
 * FOLDER`, as a child process, once in Swedish (the default), once with --json, and in English
 * for the entries that carry an English message.
 *
 * Every run must stay within CPU_LIMIT_MS of processor time and RSS_LIMIT_MB (the command measures
 * both itself: a small script given to node with --require writes them at exit; processor time,
 * unlike the clock, does not grow when the machine is busy), and end before HANG_MS, with the expected exit
 * status and message, no stack trace and no text of the JavaScript engine, and nothing partial:
 * the --out folder holds nothing, or for a checked sheet one complete copy; no temporary file is
 * left anywhere; the input is as it was.
 *
 * The runs are made in beforeAll, two at a time; the tests look at what they left.
 */
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Zip } from "../helpers/zip";
import { ENGINE_TEXT, makeCorpus, selected, type CorpusEntry } from "./corpus";

/** The most processor time one run of the command may use (the heaviest input takes ~8 s). */
const CPU_LIMIT_MS = 20_000;
/** A run still going after this long, however busy the machine, hangs: it is stopped. */
const HANG_MS = 300_000;
/** The most memory one run of the command may hold at its peak (resident set size). */
const RSS_LIMIT_MB = 1024;
/** Runs of the command at the same time. */
const PARALLEL = 2;

const ROOT = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-corpus-cli-"));
const CORPUS = path.join(dir, "corpus");
const BIN = path.join(dir, "bin");
const CLI = path.join(BIN, "cli.js");
const PRELOAD = path.join(BIN, "peak-rss.js");
const EVIL = "prognoskoll-evil.txt";

fs.mkdirSync(CORPUS);
const entries = selected(makeCorpus(CORPUS));

/** A JavaScript error as Node prints it. */
const JS_ERROR = /^\s*(\w*Error|Error)( \[\w+\])?: |^Uncaught |^\s+at .+:\d+:\d+\)?$/m;
/**
 * Control characters, which would reach the terminal as they are: everything below space but tab
 * and line feed (so the carriage return and ESC too), DEL, and C1 (U+0080–U+009F).
 */
const CONTROL = /[^\t\n -~\u00a0-\uffff]/;

interface Run {
  args: string[];
  out: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  /** Processor time, user and system, in ms, as the command measured it; null when it did not end by itself. */
  cpuMs: number | null;
  /** Peak resident memory in MB, as the command measured it; null when it did not end by itself. */
  rssMB: number | null;
  stdout: string;
  stderr: string;
  /** Files in the --out folder after the run. */
  written: string[];
  /** Temporary files left in the --out folder or beside the input. */
  temps: string[];
}

/** The state of an input: its bytes' hash, or what it is when it is no regular file. */
function fingerprint(file: string): string {
  const st = fs.lstatSync(file);
  if (st.isSymbolicLink()) return `link -> ${fs.readlinkSync(file)}`;
  if (st.isDirectory()) return `folder [${fs.readdirSync(file).join(", ")}]`;
  if (st.isFIFO()) return "fifo";
  return `file ${createHash("sha256").update(fs.readFileSync(file)).digest("hex")}`;
}

const temps = (folder: string): string[] =>
  fs.existsSync(folder)
    ? (fs.readdirSync(folder, { recursive: true }) as string[]).filter((f) => /\.tmp$|\.tmp\b|~\$/.test(f))
    : [];

/** Where an entry named ../../x or /tmp/x would land if it were unpacked. */
const evilPlaces = (out: string): string[] =>
  [out, path.dirname(out), path.dirname(path.dirname(out)), CORPUS, os.tmpdir(), "/tmp"].map((d) => path.join(d, EVIL));

let runs = 0;
/** Runs `check FILE --write --out FOLDER ...extra` (without --write and --out when `write` is false). */
function runCli(file: string, extra: string[], write = true): Promise<Run> {
  const n = ++runs;
  const out = path.join(dir, `out-${n}`);
  fs.mkdirSync(out);
  const rssFile = path.join(dir, `rss-${n}`);
  const args = write ? ["check", file, "--write", "--out", out, ...extra] : ["check", file, ...extra];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--require", PRELOAD, CLI, ...args], {
      env: { ...process.env, PROGNOSKOLL_CORPUS_RSS: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => stdout.push(b));
    child.stderr.on("data", (b: Buffer) => stderr.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      const used = fs.existsSync(rssFile)
        ? (JSON.parse(fs.readFileSync(rssFile, "utf8")) as { rssKB: number; cpuMs: number })
        : null;
      const rss = used === null ? null : used.rssKB / 1024;
      resolve({
        args,
        out,
        status,
        signal,
        ms: Date.now() - started,
        cpuMs: used === null ? null : Math.round(used.cpuMs),
        rssMB: rss === null ? null : Math.round(rss),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        written: fs.readdirSync(out, { recursive: true }) as string[],
        temps: [...temps(out), ...temps(path.dirname(file))],
      });
    });
  });
}

/** The checked copy's name for an input, as the command names it. */
const copyName = (file: string): string =>
  `${path.basename(file).replace(/\.xls[xm]$/i, "")}.checked.${/\.xlsm$/i.test(file) ? "xlsm" : "xlsx"}`;

const wantsCopy = (e: CorpusEntry): boolean => e.copy ?? e.status < 2;
const matches = (text: string, m: RegExp | string): boolean =>
  typeof m === "string" ? text.includes(m) : m.test(text);

interface Results {
  sv?: Run;
  json?: Run;
  en?: Run;
  /** Why a run was not made. */
  skipped?: string;
}
const results = new Map<string, Results>();
const before = new Map<string, string>();
const evilBefore = new Set<string>();

beforeAll(async () => {
  fs.mkdirSync(BIN);
  // Built as `npm run build:cli` builds it, into a folder of its own; its packages are the project's.
  execFileSync(
    path.join(ROOT, "node_modules", ".bin", "esbuild"),
    [
      path.join(ROOT, "src", "cli", "main.ts"),
      "--bundle",
      "--platform=node",
      "--target=node20",
      "--packages=external",
      `--outfile=${CLI}`,
      "--log-level=warning",
    ],
    { cwd: ROOT, stdio: "pipe" },
  );
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(BIN, "node_modules"), "dir");
  fs.writeFileSync(
    PRELOAD,
    `process.on("exit", () => { try { const u = process.resourceUsage(); require("fs").writeFileSync(process.env.PROGNOSKOLL_CORPUS_RSS, JSON.stringify({ rssKB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); } catch {} });\n`,
  );
  for (const e of entries) before.set(e.name, fingerprint(e.file));
  for (const p of evilPlaces(path.join(dir, "out-0"))) if (fs.existsSync(p)) evilBefore.add(p);

  // Each entry: Swedish, then --json, then English; an entry whose first run hung is not run
  // again (it would only hang again).
  const queue = [...entries];
  const worker = async (): Promise<void> => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      const r: Results = {};
      results.set(e.name, r);
      r.sv = await runCli(e.file, []);
      if (r.sv.signal === "SIGKILL") {
        r.skipped = `the first run did not end within ${HANG_MS} ms`;
        continue;
      }
      r.json = await runCli(e.file, ["--json"]);
      if (e.messageEn !== undefined) r.en = await runCli(e.file, ["--lang", "en"]);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}, 60 * 60_000);

afterAll(() => {
  if (process.env.PROGNOSKOLL_CORPUS_VERBOSE) {
    const all = [...results.entries()].flatMap(([name, r]) =>
      [r.sv, r.json, r.en].filter((x): x is Run => x !== undefined).map((x) => ({ name, ...x })),
    );
    const top = (key: (x: (typeof all)[number]) => number, unit: string) =>
      [...all]
        .sort((a, b) => key(b) - key(a))
        .slice(0, 6)
        .map((x) => `${x.name} ${x.args.slice(5).join(" ") || "(sv)"}: ${key(x)} ${unit}`)
        .join("; ");
    process.stdout.write(
      `corpus: ${all.length} runs\n  slowest: ${top((x) => x.ms, "ms")}\n  most processor time: ${top((x) => x.cpuMs ?? 0, "ms")}\n  largest: ${top((x) => x.rssMB ?? 0, "MB")}\n`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What is wrong with one run, in words (empty when nothing is). */
async function problemsOf(e: CorpusEntry, r: Run, kind: "sv" | "json" | "en"): Promise<string[]> {
  const p: string[] = [];
  const text = `${r.stdout}\n${r.stderr}`;
  const limitMs = e.limits?.ms ?? CPU_LIMIT_MS;
  const limitMB = e.limits?.rssMB ?? RSS_LIMIT_MB;
  if (r.signal === "SIGKILL" && r.ms >= HANG_MS) p.push(`did not end within ${HANG_MS} ms`);
  else if (r.cpuMs !== null && r.cpuMs > limitMs)
    p.push(`used ${r.cpuMs} ms of processor time, more than ${limitMs} ms`);
  if (r.rssMB === null) p.push(`ended by ${r.signal ?? `status ${r.status}`} before it could measure its memory`);
  else if (r.rssMB > limitMB) p.push(`peak memory ${r.rssMB} MB, more than ${limitMB} MB`);
  if (r.status !== e.status) p.push(`exit status ${r.status}, expected ${e.status}`);
  if (JS_ERROR.test(text)) p.push(`a JavaScript error is printed: ${JS_ERROR.exec(text)![0].trim()}`);
  if (ENGINE_TEXT.test(text)) p.push(`engine or library text in the message: ${ENGINE_TEXT.exec(text)![0].trim()}`);
  // (JSON escapes the characters JSON must; the rest is for the terminal.)
  if (kind !== "json" && (CONTROL.test(r.stdout) || CONTROL.test(r.stderr))) {
    const c = CONTROL.exec(r.stdout + r.stderr)![0];
    p.push(`a control character (U+${c.charCodeAt(0).toString(16).padStart(4, "0")}) is printed as it is`);
  }
  if (e.mustNotPrint?.test(text)) p.push(`prints what it must not: ${e.mustNotPrint.exec(text)![0]}`);

  // The message.
  if (kind === "sv" && !matches(text, e.message)) p.push(`the message does not contain ${String(e.message)}`);
  if (kind === "en" && e.messageEn !== undefined && !matches(text, e.messageEn)) {
    p.push(`the English message does not contain ${String(e.messageEn)}`);
  }
  if (kind === "en" && /Kunde inte kontrolleras|Summering|Kopian skrevs inte/.test(text)) {
    p.push("Swedish text in an English run");
  }
  const failed = kind === "en" ? "Could not be checked" : "Kunde inte kontrolleras";
  if (kind !== "json" && r.stdout.includes(`: ${failed}: `) && r.stdout.trim().split("\n").length !== 1) {
    p.push(`a file that could not be checked gets more than one line:\n${r.stdout.trim().slice(0, 400)}`);
  }
  if (kind === "json") {
    if (e.usage) {
      if (r.stdout !== "") p.push("bad usage, yet something on stdout");
      if (!matches(r.stderr, e.message)) p.push(`stderr does not contain ${String(e.message)}`);
    } else {
      let json: { workbooks?: Record<string, unknown>[] } | null = null;
      try {
        json = JSON.parse(r.stdout);
      } catch {
        p.push(`--json printed what is not JSON: ${r.stdout.slice(0, 200)}`);
      }
      const wb = json?.workbooks?.[0];
      if (json && (json.workbooks?.length !== 1 || wb?.file !== e.file))
        p.push("--json: not one workbook for the file");
      if (wb) {
        const strings = JSON.stringify(wb);
        if (ENGINE_TEXT.test(strings)) p.push(`--json: engine or library text: ${ENGINE_TEXT.exec(strings)![0]}`);
        if (e.status === 2 && wb.error === undefined && wb.writeError === undefined) {
          p.push("--json: exit 2, but neither error nor writeError");
        }
        const counts = wb.counts as { error: number } | undefined;
        if (e.status < 2 && (counts?.error ?? -1) > 0 !== (e.status === 1)) {
          p.push(`--json: counts.error ${counts?.error}, for an expected exit status of ${e.status}`);
        }
        if (wantsCopy(e) && wb.written === undefined) p.push("--json: no written copy reported");
      }
    }
  }

  // Nothing partial.
  if (r.temps.length > 0) p.push(`temporary files left: ${r.temps.join(", ")}`);
  const copy = copyName(e.file);
  if (wantsCopy(e)) {
    if (r.written.length !== 1 || r.written[0] !== copy) {
      p.push(`the --out folder holds [${r.written.join(", ")}], expected [${copy}]`);
    } else {
      try {
        // fflate checks each part's size as it unpacks it.
        const zip = Zip.load(fs.readFileSync(path.join(r.out, copy)));
        if (!zip.has("xl/workbook.xml") || !zip.has("[Content_Types].xml")) p.push("the copy is no workbook");
      } catch (err) {
        p.push(`the copy cannot be read: ${(err as Error).message}`);
      }
    }
  } else if (r.written.length > 0) {
    p.push(`the --out folder should be empty, it holds [${r.written.join(", ")}]`);
  }
  if (fingerprint(e.file) !== before.get(e.name)) p.push("the input changed");
  for (const place of evilPlaces(r.out)) {
    if (fs.existsSync(place) && !evilBefore.has(place)) p.push(`a file was made outside the --out folder: ${place}`);
  }
  return p;
}

test("the corpus has at least 40 inputs, each with a file and a distinct name", () => {
  if (!process.env.PROGNOSKOLL_CORPUS_ONLY) expect(entries.length).toBeGreaterThanOrEqual(40);
  expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  for (const e of entries)
    expect([e.name, fs.existsSync(e.file) || fs.lstatSync(e.file).isSymbolicLink()]).toEqual([e.name, true]);
});

describe.each(entries.map((e) => [e.name, e] as const))("%s", (_name, e) => {
  const at = (kind: "sv" | "json" | "en"): Run => {
    const r = results.get(e.name);
    if (!r?.[kind]) throw new Error(r?.skipped ? `not run: ${r.skipped}` : "not run");
    return r[kind];
  };

  test(`${e.description}: exit ${e.status}, ${String(e.message)}`, async () => {
    expect(await problemsOf(e, at("sv"), "sv")).toEqual([]);
  });

  test("--json: parseable, the same status, nothing partial", async () => {
    expect(await problemsOf(e, at("json"), "json")).toEqual([]);
  });

  if (e.messageEn !== undefined) {
    test(`--lang en: ${String(e.messageEn)}`, async () => {
      expect(await problemsOf(e, at("en"), "en")).toEqual([]);
    });
  }
});

// The largest sheet checked without a copy too: what the check itself costs, and its report.
const large = entries.find((e) => e.name === "200000-rader");
describe("200000-rader without --write", () => {
  (large ? test : test.skip)(
    "the report and the JSON are printed, within the bounds",
    async () => {
      // Without --write its 200 000 deviations are still to be written: not ready yet.
      const e = { ...large!, copy: false, message: "Inte klar att skicka in förrän cellerna är skrivna" };
      const human = await runCli(e.file, [], false);
      const json = await runCli(e.file, ["--json"], false);
      expect([...(await problemsOf(e, human, "sv")), ...(await problemsOf(e, json, "json"))]).toEqual([]);
    },
    2 * HANG_MS,
  );
});
