/**
 * `npm run bench:core [-- REV]`: this checkout's core against the core of another commit (default:
 * the one before the core was split into passes), side by side in one process, on the same sheets:
 * large detailed sheets, the reference sheet and the published tables of test/real. Each figure is
 * the best of seven means; the two cores take turns, so that a busy machine slows both alike.
 * Each kind of sheet is measured in a process of its own, as a pane or a `check` run over a folder
 * of committee sheets would meet it: after a sheet of a million lines, the same process runs the
 * small tables slower with either core, and by how much depends on what ran before.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { NODE_MODULE } from "./report";
import { accountSheet, meanMs } from "./sheets";
import { loadTables, sheetRows } from "../test/real/tables";
import { referenceGrid } from "../test/helpers/grids";
import type { Grid, Template } from "../src/core";

/** The commit whose core the passes replaced. */
const BASELINE = "01d1643";

interface Core {
  detectTable(grid: Grid, options?: { templates?: readonly Template[] }): { ok: boolean; table?: unknown };
  checkTable(grid: Grid, table: unknown): unknown;
  BUILT_IN_TEMPLATES: readonly Template[];
}

const ROOT = path.resolve(__dirname, "..");

/** Bundles a core directory into one module; returns the module's file. */
function bundleCore(dir: string, name: string): string {
  const out = path.join(os.tmpdir(), `prognoskoll-core-${name}-${process.pid}.js`);
  buildSync({ ...NODE_MODULE, entryPoints: [path.join(dir, "index.ts")], outfile: out });
  return out;
}

/** The core of another commit, written out of git into a temporary directory. */
function coreAt(rev: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-core-"));
  const files = execFileSync("git", ["ls-tree", "--name-only", `${rev}:src/core`], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f.endsWith(".ts"));
  for (const f of files) {
    fs.writeFileSync(path.join(dir, f), execFileSync("git", ["show", `${rev}:src/core/${f}`], { cwd: ROOT }));
  }
  return dir;
}

/**
 * Best of seven means for each of two functions, taking turns, after a warm-up of each. With `collect`, the heap is
 * collected before each mean, so that neither core pays for the other's garbage: right for the
 * large sheets. A forced collection also throws away compiled code (over four times as many
 * functions get optimised again in a run of the published tables with it), and on a sheet
 * checked in tens of microseconds that recompiling is most of what would be measured; the small
 * sheets are therefore measured without it.
 */
function sideBySide(a: () => void, b: () => void, minMs = 250, collect = true): [number, number] {
  const gc = collect ? (globalThis as { gc?: () => void }).gc : undefined;
  // Warmed up until the compiler has settled on both: on a sheet checked in a millisecond, a few
  // calls leave much of the code not yet optimised, and which core is further along is chance.
  meanMs(a, 4 * minMs);
  meanMs(b, 4 * minMs);
  let bestA = Infinity;
  let bestB = Infinity;
  for (let k = 0; k < 7; k++) {
    gc?.();
    bestA = Math.min(bestA, meanMs(a, minMs));
    gc?.();
    bestB = Math.min(bestB, meanMs(b, minMs));
  }
  return [bestA, bestB];
}

function fromGrid(core: Core, grid: Grid, templates?: readonly Template[]): void {
  const d = core.detectTable(grid, templates ? { templates } : {});
  if (!d.ok) throw new Error("no table");
  core.checkTable(grid, d.table);
}

/** The kinds of sheet, each measured in its own process. */
const SECTIONS = ["10000", "100000", "1000000", "reference", "tables"] as const;

/** Measures one kind of sheet with both cores (bundled in `beforeFile` and `afterFile`); prints its table rows. */
function measure(section: string, beforeFile: string, afterFile: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const before = require(beforeFile) as Core;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const after = require(afterFile) as Core;
  const row = (what: string, [a, b]: [number, number]): void => {
    console.log(`| ${what} | ${a.toFixed(3)} ms | ${b.toFixed(3)} ms | ${(b / a).toFixed(2)} |`);
  };
  if (/^\d+$/.test(section)) {
    const n = Number(section);
    const { grid, template } = accountSheet(n);
    const templates = [template];
    row(
      `${n.toLocaleString("en")} account lines, from the grid`,
      sideBySide(
        () => fromGrid(before, grid, templates),
        () => fromGrid(after, grid, templates),
        n >= 1_000_000 ? 1000 : 250,
      ),
    );
    const tb = before.detectTable(grid, { templates }).table;
    const ta = after.detectTable(grid, { templates }).table;
    row(
      `${n.toLocaleString("en")} account lines, check only`,
      sideBySide(
        () => before.checkTable(grid, tb),
        () => after.checkTable(grid, ta),
        n >= 1_000_000 ? 1000 : 250,
      ),
    );
    return;
  }
  if (section === "reference") {
    const reference = referenceGrid();
    row(
      "the reference sheet, from the grid",
      sideBySide(
        () => fromGrid(before, reference),
        () => fromGrid(after, reference),
        250,
        false,
      ),
    );
    return;
  }
  // The published tables: the earlier core finds only some of them; both check the ones it finds.
  const grids = loadTables(path.join(ROOT, "test", "real", "tables")).map((t) => ({
    sheet: t.id,
    cells: sheetRows(t).map((r) => r.map((v) => (v === null ? null : { v }))),
  }));
  const both = grids.filter((g) => before.detectTable(g).ok && after.detectTable(g).ok);
  row(
    `${both.length} published tables both cores find, from the grid`,
    sideBySide(
      () => both.forEach((g) => fromGrid(before, g)),
      () => both.forEach((g) => fromGrid(after, g)),
      250,
      false,
    ),
  );
  // Each table alone, best of seven for each core, summed: a run over one table at a time, as a
  // pane meets them.
  let aloneA = 0;
  let aloneB = 0;
  for (const g of both) {
    const [a, b] = sideBySide(
      () => fromGrid(before, g),
      () => fromGrid(after, g),
      100,
      false,
    );
    aloneA += a;
    aloneB += b;
  }
  row(`${both.length} published tables, each alone (sum)`, [aloneA, aloneB]);
}

function main(): void {
  if (process.argv[2] === "--measure") {
    const [section, beforeFile, afterFile] = process.argv.slice(3);
    measure(section!, beforeFile!, afterFile!);
    return;
  }
  const rev = process.argv[2] ?? BASELINE;
  const beforeFile = bundleCore(coreAt(rev), "before");
  const afterFile = bundleCore(path.join(ROOT, "src", "core"), "after");
  const rows: string[] = [];
  for (const section of SECTIONS) {
    const run = spawnSync(process.execPath, ["--expose-gc", __filename, "--measure", section, beforeFile, afterFile], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (run.status !== 0) throw new Error(`measuring ${section} failed`);
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("|"));
    for (const l of lines) console.error(l);
    rows.push(...lines);
  }
  console.log(`Core at ${rev} against this checkout, node ${process.version}, ${os.cpus()[0]?.model ?? ""}\n`);
  console.log("| sheet | before | after | after / before |");
  console.log("|---|---:|---:|---:|");
  for (const r of rows) console.log(r);
}

main();
