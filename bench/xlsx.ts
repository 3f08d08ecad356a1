/**
 * `npm run bench`: the .xlsx host. A checked copy of a 200 000-line sheet against checking the
 * same file (wall time and peak memory of `prognoskoll check`), and reading workbooks with this
 * host against the read path of an earlier commit, side by side in one process.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { strToU8, zipSync } from "fflate";
import { emit, fmt, median, NODE_MODULE, section } from "./report";

const ROOT = path.resolve(__dirname, "..");
/** The read path before the host was split out of the command (JSZip, saxes and the scanner). */
const READ_BASELINE = "6f0454f";

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/**
 * A committee's account sheet as Excel saves it: a title, a header, `n` account lines (budget and
 * forecast as numbers, labels as shared strings) and the deviation column empty, for the copy to
 * fill; amounts styled with a number format.
 */
export function accountLinesXlsx(n: number): Buffer {
  const rows: string[] = [];
  const strings: string[] = ["Socialnämnden", "Belopp i tkr", "Budget 2025", "Prognos helår 2025", "Avvikelse"];
  rows.push(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`);
  rows.push(
    `<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c><c r="C3" t="s"><v>3</v></c><c r="D3" t="s"><v>4</v></c></row>`,
  );
  for (let i = 1; i <= n; i++) {
    const r = i + 3;
    const budget = -(1000 + (i % 997));
    const forecast = budget - (i % 7 === 0 ? 10 : 0);
    strings.push(`Konto ${i}`);
    rows.push(
      `<row r="${r}"><c r="A${r}" t="s"><v>${strings.length - 1}</v></c><c r="B${r}" s="1"><v>${budget}</v></c><c r="C${r}" s="1"><v>${forecast}</v></c></row>`,
    );
  }
  const decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
  const parts: Record<string, string> = {
    "[Content_Types].xml":
      `${decl}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${ct}.worksheet+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.sharedStrings+xml"/></Types>`,
    "_rels/.rels": `${decl}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `${decl}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Konton" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels":
      `${decl}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    "xl/styles.xml":
      `${decl}<styleSheet xmlns="${NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
      `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
      `<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    "xl/sharedStrings.xml": `${decl}<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join("")}</sst>`,
    "xl/worksheets/sheet1.xml": `${decl}<worksheet xmlns="${NS}" xmlns:r="${REL}"><dimension ref="A1:D${n + 3}"/><sheetData>${rows.join("")}</sheetData></worksheet>`,
  };
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)])), { level: 6 }));
}

/** One run of the built command: its wall time, as the parent sees it, and its peak memory, as it reports it. */
function runCommand(args: string[]): { ms: number; peakMB: number } {
  const preload = path.join(os.tmpdir(), `prognoskoll-peak-${process.pid}.js`);
  fs.writeFileSync(
    preload,
    'process.on("exit", () => process.stderr.write("\\nPEAK_RSS_KB=" + process.resourceUsage().maxRSS + "\\n"));\n',
  );
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", preload, path.join(ROOT, "dist", "cli.js"), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`prognoskoll ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1]);
  return { ms, peakMB: kb / 1024 };
}

/** The checked copy of a 200 000-line sheet against checking it. */
export function copySection(): void {
  const n = 200_000;
  const runs = 3;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-bench-copy-"));
  try {
    const file = path.join(tmp, "konton.xlsx");
    fs.writeFileSync(file, accountLinesXlsx(n));
    const out = path.join(tmp, "konton.checked.xlsx");
    const checks: { ms: number; peakMB: number }[] = [];
    const copies: { ms: number; peakMB: number }[] = [];
    for (let i = 0; i < runs; i++) {
      checks.push(runCommand(["check", file]));
      fs.rmSync(out, { force: true });
      copies.push(runCommand(["check", file, "--write"]));
      if (!fs.existsSync(out)) throw new Error("the copy was not written");
    }
    const check = median(checks.map((c) => c.ms));
    const copy = median(copies.map((c) => c.ms));
    const checkPeak = median(checks.map((c) => c.peakMB));
    const copyPeak = median(copies.map((c) => c.peakMB));
    section(
      "The checked copy of a 200 000-line sheet",
      `An account sheet of ${fmt(n)} lines (${fmt(fs.statSync(file).size / 1e6, 1)} MB), its deviation column empty: ` +
        `\`prognoskoll check FILE\` against \`prognoskoll check FILE --write\`, which writes all ${fmt(n)} deviations into a copy ` +
        `(${fmt(fs.statSync(out).size / 1e6, 1)} MB). Median of ${runs} runs each, taking turns; wall time of the whole process ` +
        `and its peak resident memory.`,
    );
    emit("| what | wall time | peak memory |");
    emit("|---|---:|---:|");
    emit(`| check | ${fmt(check / 1000, 2)} s | ${fmt(checkPeak)} MB |`);
    emit(`| check and write the copy | ${fmt(copy / 1000, 2)} s | ${fmt(copyPeak)} MB |`);
    emit(
      `| copy against check | ${fmt(copy / check, 2)}× (target ≤ 3×) | +${fmt(copyPeak - checkPeak)} MB (target ≤ 300 MB) |`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Bundles a side-by-side reader: the read path of `rev` (written out of git) and this checkout's,
 * in one module. The old path's writing libraries are not needed to read and are left out.
 */
async function bundleReaders(rev: string, dir: string): Promise<string> {
  const files = execFileSync("git", ["ls-tree", "-r", "--name-only", rev, "src/core", "src/cli"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => f.endsWith(".ts"));
  for (const f of files) {
    fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), execFileSync("git", ["show", `${rev}:${f}`], { cwd: ROOT }));
  }
  const entry = path.join(dir, "entry.ts");
  fs.writeFileSync(
    entry,
    `export { loadWorkbook as oldLoad, readGrid as oldRead } from ${JSON.stringify(path.join(dir, "src/cli/xlsx"))};\n` +
      `export { loadWorkbook as newLoad, readGrid as newRead } from ${JSON.stringify(path.join(ROOT, "src/xlsx"))};\n`,
  );
  const out = path.join(dir, "readers.js");
  await build({
    ...NODE_MODULE,
    entryPoints: [entry],
    outfile: out,
    nodePaths: [path.join(ROOT, "node_modules")],
    external: ["xlsx-populate"],
    plugins: [
      {
        name: "unused-writers",
        setup(b) {
          b.onResolve({ filter: /^sax$/ }, () => ({ path: "sax", namespace: "unused" }));
          b.onLoad({ filter: /.*/, namespace: "unused" }, () => ({ contents: "module.exports = {};" }));
        },
      },
    ],
  });
  return out;
}

interface Reader {
  load(data: Buffer): Promise<{ sheetNames: string[] }>;
  read(loaded: unknown, name: string): Promise<unknown>;
}

/** Best of seven means of reading a file's every sheet, for two readers taking turns. */
async function sideBySide(a: Reader, b: Reader, data: Buffer, minMs: number): Promise<[number, number]> {
  const once = async (r: Reader): Promise<void> => {
    const loaded = await r.load(data);
    for (const name of loaded.sheetNames) await r.read(loaded, name);
  };
  const mean = async (r: Reader): Promise<number> => {
    let n = 0;
    const start = process.hrtime.bigint();
    let ms = 0;
    do {
      await once(r);
      n++;
      ms = Number(process.hrtime.bigint() - start) / 1e6;
    } while (ms < minMs || n < 3);
    return ms / n;
  };
  await once(a);
  await once(b);
  let bestA = Infinity;
  let bestB = Infinity;
  for (let k = 0; k < 7; k++) {
    (globalThis as { gc?: () => void }).gc?.();
    bestA = Math.min(bestA, await mean(a));
    (globalThis as { gc?: () => void }).gc?.();
    bestB = Math.min(bestB, await mean(b));
  }
  return [bestA, bestB];
}

/** Reading with this host against the read path of READ_BASELINE. */
export async function readSection(rev = READ_BASELINE): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-bench-read-"));
  try {
    let bundle: string;
    try {
      bundle = await bundleReaders(rev, tmp);
    } catch (e) {
      // The earlier path reads with JSZip and saxes (JSZip comes with exceljs, a development dependency).
      section("Reading workbooks: this host against the earlier read path");
      emit(`Not measured: the read path of ${rev} could not be built here (${(e as Error).message.split("\n")[0]}).`);
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(bundle) as Record<string, (...a: unknown[]) => Promise<never>>;
    const before: Reader = { load: (d) => m.oldLoad(d), read: (l, n) => m.oldRead(l, n) };
    const after: Reader = { load: (d) => m.newLoad(d), read: (l, n) => m.newRead(l, n) };
    section(
      "Reading workbooks: this host against the earlier read path",
      `Opening a workbook and reading every sheet into grids, with this checkout's host (src/xlsx) and with the read ` +
        `path of commit ${rev} (JSZip, saxes and the scanner), side by side in one process, taking turns; best of seven means.`,
    );
    emit("| workbook | before | after | after / before |");
    emit("|---|---:|---:|---:|");
    const work: [string, Buffer, number][] = [
      ["the bundled example", fs.readFileSync(path.join(ROOT, "examples", "uppfoljning-maj-2025.xlsx")), 250],
      ["5 000 account lines", accountLinesXlsx(5_000), 250],
      ["200 000 account lines", accountLinesXlsx(200_000), 1000],
    ];
    for (const [what, data, minMs] of work) {
      const [a, b] = await sideBySide(before, after, data, minMs);
      emit(`| ${what} | ${fmt(a, 2)} ms | ${fmt(b, 2)} ms | ${fmt(b / a, 2)} |`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
