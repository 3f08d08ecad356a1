/**
 * `npm run bench:core [-- REV]`: this checkout's core against the core of another commit (default:
 * the one before the core was split into passes), side by side in one process, on the same sheets:
 * large detailed sheets, the reference sheet and the published tables of test/real. Each figure is
 * the best of seven means; the two cores take turns, so that a busy machine slows both alike.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
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

/** Bundles a core directory into one module and loads it. */
function loadCore(dir: string, name: string): Core {
  const out = path.join(os.tmpdir(), `prognoskoll-core-${name}-${process.pid}.js`);
  buildSync({
    entryPoints: [path.join(dir, "index.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: out,
    logLevel: "warning",
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out) as Core;
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

/** Best of seven means for each of two functions, taking turns. */
function sideBySide(a: () => void, b: () => void, minMs = 250): [number, number] {
  a();
  b();
  let bestA = Infinity;
  let bestB = Infinity;
  for (let k = 0; k < 7; k++) {
    (globalThis as { gc?: () => void }).gc?.();
    bestA = Math.min(bestA, meanMs(a, minMs));
    (globalThis as { gc?: () => void }).gc?.();
    bestB = Math.min(bestB, meanMs(b, minMs));
  }
  return [bestA, bestB];
}

function fromGrid(core: Core, grid: Grid, templates?: readonly Template[]): void {
  const d = core.detectTable(grid, templates ? { templates } : {});
  if (!d.ok) throw new Error("no table");
  core.checkTable(grid, d.table);
}

function main(): void {
  const rev = process.argv[2] ?? BASELINE;
  const before = loadCore(coreAt(rev), "before");
  const after = loadCore(path.join(ROOT, "src", "core"), "after");
  const rows: string[] = [];
  const row = (what: string, [a, b]: [number, number]): void => {
    rows.push(`| ${what} | ${a.toFixed(3)} ms | ${b.toFixed(3)} ms | ${(b / a).toFixed(2)} |`);
    console.error(rows[rows.length - 1]);
  };
  for (const n of [10_000, 100_000, 1_000_000]) {
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
  }
  const reference = referenceGrid();
  row(
    "the reference sheet, from the grid",
    sideBySide(
      () => fromGrid(before, reference),
      () => fromGrid(after, reference),
    ),
  );
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
    ),
  );
  // Each table alone, best of seven for each core, summed: the interleaved run above mixes the
  // tables' garbage, and its figure swings by a third between runs.
  let aloneA = 0;
  let aloneB = 0;
  for (const g of both) {
    const [a, b] = sideBySide(
      () => fromGrid(before, g),
      () => fromGrid(after, g),
      100,
    );
    aloneA += a;
    aloneB += b;
  }
  row(`${both.length} published tables, each alone (sum)`, [aloneA, aloneB]);
  console.log(`Core at ${rev} against this checkout, node ${process.version}, ${os.cpus()[0]?.model ?? ""}\n`);
  console.log("| sheet | before | after | after / before |");
  console.log("|---|---:|---:|---:|");
  for (const r of rows) console.log(r);
}

main();
