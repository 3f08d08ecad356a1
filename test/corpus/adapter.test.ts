/**
 * The corpus's sheets through the add-in's adapter, in the in-memory Excel: read, check, write, as
 * the pane does. Each case runs in a process of its own (adapter-case.ts, bundled once) with bounds
 * on its time and heap, so that a case that loops or exhausts memory fails alone.
 *
 * What every case must show: a clear outcome (the plan written, no table with a plain message, or
 * one of the adapter's documented refusals), nothing written when the check cannot be done or
 * the write is refused, and no cell changed but the planned ones (never a typed figure).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import type { AdapterResult } from "./adapter-case";
import { corpusEntries, ENGINE_TEXT, selected, type AdapterOutcome, type CorpusEntry, type CorpusGrid } from "./corpus";

/** The most processor time one case may use, reading, checking and writing (processor time does not grow when the machine is busy). */
const CPU_LIMIT_MS = 20_000;
/** A case still going after this long, however busy the machine, hangs: it is stopped. */
const HANG_MS = 300_000;
/** The memory one case may use at its peak (resident); its heap is capped at the same (--max-old-space-size). */
const MEMORY_LIMIT_MB = 1024;

const ROOT = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-corpus-adapter-"));
const BUNDLE = path.join(dir, "adapter-case.js");
/** The entries that are sheets; no file is written, the grids are all the adapter needs. */
const sheets = selected(corpusEntries(dir)).filter(
  (e): e is CorpusEntry & { grid: CorpusGrid } => e.grid !== undefined,
);

type Run =
  (AdapterResult & { rssKB: number; cpuMs: number }) | { outcome: "timeout" | "crashed"; message: string; ms: number };

let cases = 0;
/** Runs one grid through the bundled adapter-case.js in a process of its own, within the bounds. */
function runCase(grid: CorpusGrid): Run {
  const n = ++cases;
  const gridFile = path.join(dir, `grid-${n}.bin`);
  const resultFile = path.join(dir, `result-${n}.json`);
  fs.writeFileSync(gridFile, v8.serialize(grid));
  const started = Date.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${MEMORY_LIMIT_MB}`, BUNDLE, gridFile, resultFile], {
    encoding: "utf8",
    timeout: HANG_MS,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Date.now() - started;
  fs.rmSync(gridFile, { force: true });
  if (fs.existsSync(resultFile)) return JSON.parse(fs.readFileSync(resultFile, "utf8"));
  if (r.signal === "SIGKILL" && ms >= HANG_MS) {
    return { outcome: "timeout", message: `no outcome after ${HANG_MS} ms`, ms };
  }
  if (/heap out of memory/.test(r.stderr)) {
    return { outcome: "crashed", message: `out of memory (a heap of ${MEMORY_LIMIT_MB} MB) after ${ms} ms`, ms };
  }
  const said = r.stderr.trim().split("\n").slice(0, 3).join(" / ");
  return { outcome: "crashed", message: `status ${r.status}, signal ${r.signal}: ${said}`, ms };
}

function expected(e: CorpusEntry): AdapterOutcome[] {
  if (e.adapter !== undefined) return Array.isArray(e.adapter) ? e.adapter : [e.adapter];
  return [e.status < 2 ? "written" : "no-table"];
}

beforeAll(() => {
  execFileSync(
    path.join(ROOT, "node_modules", ".bin", "esbuild"),
    [
      path.join(__dirname, "adapter-case.ts"),
      "--bundle",
      "--platform=node",
      "--target=node20",
      `--outfile=${BUNDLE}`,
      "--log-level=warning",
    ],
    { cwd: ROOT, stdio: "pipe" },
  );
}, 60_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Measured times and peak memory, printed at the end with PROGNOSKOLL_CORPUS_VERBOSE. */
const times: [string, number][] = [];
const rss: [string, number][] = [];
const cpu: [string, number][] = [];
afterAll(() => {
  if (process.env.PROGNOSKOLL_CORPUS_VERBOSE) {
    const top = (list: [string, number][], unit: string) =>
      [...list]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([n, x]) => `${n} ${x} ${unit}`)
        .join(", ");
    process.stdout.write(
      `adapter: slowest ${top(times, "ms")}; most processor time ${top(cpu, "ms")}; largest ${top(rss, "MB")}\n`,
    );
  }
});

test("the corpus has sheets for the adapter", () => {
  if (!process.env.PROGNOSKOLL_CORPUS_ONLY) expect(sheets.length).toBeGreaterThanOrEqual(25);
});

describe.each(sheets.map((e) => [e.name, e] as const))("%s", (_name, entry) => {
  test(
    `${entry.description}: ${expected(entry).join(" or ")}, nothing changed but the plan`,
    () => {
      const r = runCase(entry.grid);
      times.push([entry.name, r.ms]);
      const problems: string[] = [];
      if (!(expected(entry) as string[]).includes(r.outcome)) {
        problems.push(`outcome ${r.outcome} (${r.message}), expected ${expected(entry).join(" or ")}`);
      }
      if ("unplanned" in r) {
        cpu.push([entry.name, Math.round(r.cpuMs)]);
        if (r.cpuMs > CPU_LIMIT_MS)
          problems.push(`used ${Math.round(r.cpuMs)} ms of processor time, more than ${CPU_LIMIT_MS} ms`);
        rss.push([entry.name, Math.round(r.rssKB / 1024)]);
        if (r.rssKB / 1024 > MEMORY_LIMIT_MB) problems.push(`peak memory ${Math.round(r.rssKB / 1024)} MB`);
        if (r.outcome === "no-table" && !r.message) problems.push("no table, and no message says why");
        if (ENGINE_TEXT.test(r.message)) problems.push(`the message is the engine's, not the product's: ${r.message}`);
        if (r.unplanned.length > 0)
          problems.push(`cells changed that the plan did not name: ${r.unplanned.slice(0, 10).join(", ")}`);
        if (r.inputsInPlan.length > 0) problems.push(`the plan writes typed figures: ${r.inputsInPlan.join(", ")}`);
        if (r.notAsPlanned.length > 0)
          problems.push(`cells not written as planned: ${r.notAsPlanned.slice(0, 10).join(", ")}`);
        if (r.otherChanges) problems.push(`${r.outcome}, yet formats or settings of the workbook changed`);
      }
      expect(problems).toEqual([]);
    },
    2 * HANG_MS,
  );
});
