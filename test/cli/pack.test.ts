/**
 * The command as a package of its own: `npm pack` makes a tarball of the built command, and that
 * tarball, unpacked beside nothing but the project's production dependencies, checks a workbook.
 * The pane's libraries (React, Fluent UI), which webpack bundles into the add-in, are not among
 * those dependencies.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-pack-"));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

interface Packed {
  filename: string;
  files: { path: string }[];
}

let packed: Packed;
/** Folders of the production dependencies, as npm lists them from the project. */
let production: string[];

beforeAll(() => {
  const out = execFileSync(NPM, ["pack", "--json", "--pack-destination", dir], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  packed = (JSON.parse(out) as Packed[])[0];
  const listed = execFileSync(NPM, ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  production = listed
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && l !== ROOT);
}, 300_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the tarball holds the built command and nothing of the pane", () => {
  const files = packed.files.map((f) => f.path).sort();
  expect(files).toContain("dist/cli.js");
  expect(files).toContain("package.json");
  expect(files.filter((f) => /^(src|test|dist\/taskpane|assets)\//.test(f) || f.endsWith(".map"))).toEqual([]);
});

test("its production dependencies include neither React nor Fluent UI", () => {
  expect(production.length).toBeGreaterThan(0);
  const pane = production.filter((p) => /node_modules\/(react|react-dom|scheduler|@fluentui\/[^/]+)$/.test(p));
  expect(pane).toEqual([]);
});

test("unpacked beside only the production dependencies, the command checks a workbook", () => {
  const modules = path.join(dir, "install", "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(dir, packed.filename), "-C", path.join(dir, "install")]);
  fs.renameSync(path.join(dir, "install", "package"), path.join(modules, "prognoskoll"));
  // The top-level production packages, linked as an install would place them.
  const top = path.join(ROOT, "node_modules");
  for (const p of production) {
    const rel = path.relative(top, p);
    if (rel.startsWith("..") || rel.split(path.sep).filter((s) => s === "node_modules").length > 0) continue;
    const at = path.join(modules, rel);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(p, at, "dir");
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(modules, "prognoskoll", "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  const bin = path.join(modules, "prognoskoll", pkg.bin.prognoskoll);
  const r = spawnSync(
    process.execPath,
    [bin, "check", path.join(ROOT, "examples", "uppfoljning-maj-2025.xlsx"), "--json"],
    {
      encoding: "utf8",
    },
  );
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout) as { workbooks: { sheet: string; template: string }[] };
  expect(report.workbooks.map((w) => [w.sheet, w.template])).toEqual([["Uppföljning", "namnd"]]);
});
