/**
 * The command as a package of its own: `npm pack` makes a tarball of the built command, which
 * carries its libraries in its one file, so it depends on no other package (and never on the
 * pane's React or Fluent UI). Installed globally from the tarball, with no registry to ask, it
 * checks a workbook.
 */
import { execFileSync, execSync, spawnSync } from "node:child_process";
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

beforeAll(() => {
  // Packed from a folder of its own, with the command built there as `npm run build:cli` (the
  // package's prepack) builds it: other tests build and run dist/cli.js at the same time.
  const stage = path.join(dir, "stage");
  fs.mkdirSync(stage);
  fs.mkdirSync(path.join(stage, "examples"));
  for (const f of ["package.json", "README.md", path.join("examples", "uppfoljning-maj-2025.xlsx")]) {
    fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
  }
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  expect(scripts.prepack).toBe("npm run -s build:cli");
  const build = scripts["build:cli"].replace(
    "--outfile=dist/cli.js",
    `--outfile=${path.join(stage, "dist", "cli.js")}`,
  );
  expect(build).not.toBe(scripts["build:cli"]);
  execSync(build, {
    cwd: ROOT,
    stdio: "pipe",
    env: { ...process.env, PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` },
  });
  const out = execFileSync(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: stage,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  packed = (JSON.parse(out) as Packed[])[0];
}, 300_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the tarball holds the built command and nothing of the pane", () => {
  const files = packed.files.map((f) => f.path).sort();
  expect(files).toContain("dist/cli.js");
  expect(files).toContain("package.json");
  expect(files).toContain("examples/uppfoljning-maj-2025.xlsx");
  expect(files.filter((f) => /^(src|test|dist\/taskpane|assets)\//.test(f) || f.endsWith(".map"))).toEqual([]);
});

test("the package depends on no other package", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(pkg.optionalDependencies ?? {}).toEqual({});
  expect(pkg.peerDependencies ?? {}).toEqual({});
});

test("installed globally from the tarball, offline, `prognoskoll check` checks a workbook", () => {
  const prefix = path.join(dir, "global");
  execFileSync(
    NPM,
    [
      "install",
      "--global",
      "--offline",
      "--no-audit",
      "--no-fund",
      "--prefix",
      prefix,
      path.join(dir, packed.filename),
    ],
    { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const installed = path.join(prefix, "lib", "node_modules", "prognoskoll");
  // Nothing was installed beside it.
  expect(fs.existsSync(path.join(installed, "node_modules"))).toBe(false);
  const bin = path.join(prefix, "bin", "prognoskoll");
  const r = spawnSync(bin, ["check", path.join(ROOT, "examples", "uppfoljning-maj-2025.xlsx"), "--json"], {
    cwd: dir,
    encoding: "utf8",
  });
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout) as { workbooks: { sheet: string; template: string }[] };
  expect(report.workbooks.map((w) => [w.sheet, w.template])).toEqual([["Uppföljning", "namnd"]]);
  // Without a file it checks the example it carries.
  const example = spawnSync(bin, ["check", "--json"], { cwd: dir, encoding: "utf8" });
  expect(example.stderr).toBe("");
  const own = JSON.parse(example.stdout) as { workbooks: { file: string; sheet: string }[] };
  expect(own.workbooks.map((w) => [path.relative(installed, w.file), w.sheet])).toEqual([
    [path.join("examples", "uppfoljning-maj-2025.xlsx"), "Uppföljning"],
  ]);
}, 300_000);
