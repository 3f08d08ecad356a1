/**
 * `npm run bench`: checking a finance department's batch of follow-up workbooks with
 * `prognoskoll check`, against LibreOffice Calc (headless) recalculating the same workbooks.
 * Both sides run two processes in parallel on the same files.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { convertToXlsx, requireSoffice } from "../test/helpers/soffice";
import { emit, fmt, median, section } from "./report";

const WORKBOOKS = 200;
const MIN_LINES = 10;
const MAX_LINES = 5_000;
/** Account lines per group subtotal. */
const GROUP = 10;
/** Runs of the comparison: each times `prognoskoll check` and LibreOffice once, one after the other. */
const RUNS = 5;

/** The project folder: the one holding dist/cli.js, from the bundle's folder or the working folder. */
function projectRoot(): string {
  const candidates = [path.resolve(__dirname, ".."), process.cwd()];
  const root = candidates.find((d) => fs.existsSync(path.join(d, "dist", "cli.js")));
  if (!root) throw new Error("dist/cli.js is missing: build it with `npm run -s build:cli` first");
  return root;
}

/** A deterministic sequence in [0, 1), so that every run checks the same workbooks. */
export function randomFrom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * The template of the generated sheets: accounts "Konto 0" … in groups of ten, each group with a
 * subtotal "Summa grupp N", and "Summa kostnader" over the groups. A sheet with fewer accounts
 * uses the first of them.
 */
export function accountsTemplate(): object {
  const lines: { id: string; label: string; nature: string; sum?: string[] }[] = [];
  const groups: string[] = [];
  for (let g = 0; g * GROUP < MAX_LINES; g++) {
    const parts: string[] = [];
    for (let k = g * GROUP; k < Math.min((g + 1) * GROUP, MAX_LINES); k++) {
      lines.push({ id: `k${k}`, label: `Konto ${k}`, nature: "cost" });
      parts.push(`k${k}`);
    }
    lines.push({ id: `g${g}`, label: `Summa grupp ${g}`, nature: "cost", sum: parts });
    groups.push(`g${g}`);
  }
  lines.push({ id: "total", label: "Summa kostnader", nature: "cost", sum: groups });
  return { id: "konton", name: "Kostnader per konto", lines };
}

const xmlText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="Uppföljning" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;

/** Styles: 0 plain, 1 bold, 2 amount (#,##0), 3 bold amount with a top border (sum lines). */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/**
 * One committee's follow-up as an economist submits it: title rows, a header, `n` account lines
 * (budget, forecast, and the deviation as a formula), a SUM line after every ten accounts, and a
 * total of the subtotals; every formula with its computed value, as Excel saves it.
 */
export function accountsWorkbook(n: number, random: () => number): Buffer {
  const strings: string[] = [];
  const cells: string[] = [];
  const text = (address: string, s: string, style = 0): string => {
    strings.push(s);
    return `<c r="${address}" t="s"${style ? ` s="${style}"` : ""}><v>${strings.length - 1}</v></c>`;
  };
  const amount = (address: string, v: number, style: number, formula?: string): string =>
    `<c r="${address}" s="${style}">${formula ? `<f>${formula}</f>` : ""}<v>${v}</v></c>`;
  const row = (r: number, content: string[], extra = ""): void =>
    void cells.push(`<row r="${r}"${extra}>${content.join("")}</row>`);

  row(1, [text("A1", "Socialnämnden", 1)]);
  row(2, [text("A2", "Månadsuppföljning per maj 2025, kostnader per konto")]);
  row(4, [
    text("A4", "Belopp i tkr", 1),
    text("B4", "Budget 2025", 1),
    text("C4", "Prognos helår 2025", 1),
    text("D4", "Avvikelse", 1),
  ]);
  let r = 5;
  const subtotals: number[] = [];
  let totalBudget = 0;
  let totalForecast = 0;
  for (let start = 0; start < n; start += GROUP) {
    const first = r;
    let groupBudget = 0;
    let groupForecast = 0;
    for (let k = start; k < Math.min(start + GROUP, n); k++, r++) {
      const budget = -(100 + Math.round(random() * 9_900));
      const forecast = budget + Math.round((random() - 0.6) * 400);
      groupBudget += budget;
      groupForecast += forecast;
      row(r, [
        text(`A${r}`, `Konto ${k}`),
        amount(`B${r}`, budget, 2),
        amount(`C${r}`, forecast, 2),
        amount(`D${r}`, forecast - budget, 2, `C${r}-B${r}`),
      ]);
    }
    const g = start / GROUP;
    row(r, [
      text(`A${r}`, `Summa grupp ${g}`, 1),
      amount(`B${r}`, groupBudget, 3, `SUM(B${first}:B${r - 1})`),
      amount(`C${r}`, groupForecast, 3, `SUM(C${first}:C${r - 1})`),
      amount(`D${r}`, groupForecast - groupBudget, 3, `C${r}-B${r}`),
    ]);
    subtotals.push(r);
    totalBudget += groupBudget;
    totalForecast += groupForecast;
    r++;
  }
  const over = (col: string): string => subtotals.map((s) => `${col}${s}`).join("+");
  row(r, [
    text(`A${r}`, "Summa kostnader", 1),
    amount(`B${r}`, totalBudget, 3, over("B")),
    amount(`C${r}`, totalForecast, 3, over("C")),
    amount(`D${r}`, totalForecast - totalBudget, 3, `C${r}-B${r}`),
  ]);

  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:D${r}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="32" customWidth="1"/><col min="2" max="4" width="14" customWidth="1"/></cols><sheetData>${cells.join("")}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${xmlText(s)}</t></si>`).join("")}</sst>`;

  const parts: Record<string, string> = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": ROOT_RELS,
    "xl/workbook.xml": WORKBOOK,
    "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
    "xl/styles.xml": STYLES,
    "xl/sharedStrings.xml": sst,
    "xl/worksheets/sheet1.xml": sheet,
  };
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)])), { level: 6 }));
}

/** Runs a program to its end; resolves with its stdout, rejects with its stderr when it fails. */
function runProgram(program: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      // Exit 1 means findings of severity error: the batch still ran. 2 means a file failed.
      if (code === 0 || code === 1) resolve(stdout);
      else reject(new Error(`${path.basename(program)} ${args.join(" ")} exited ${code}: ${Buffer.concat(err)}`));
    });
  });
}

/** The LibreOffice version, as soffice tells it ("LibreOffice 7.4.7.2"). */
function version(soffice: string): string {
  try {
    const out = execFileSync(soffice, ["--version"], { encoding: "utf8", timeout: 60_000 });
    return /LibreOffice [\d.]+/.exec(out)?.[0] ?? "LibreOffice";
  } catch {
    return "LibreOffice";
  }
}

const seconds = (ms: number): string => `${fmt(ms / 1000, 1)} s`;

export async function libreoffice(): Promise<void> {
  const root = projectRoot();
  const cli = path.join(root, "dist", "cli.js");
  const soffice = requireSoffice();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prognoskoll-bench-lo-"));
  try {
    // 200 workbooks of 10 to 5 000 account lines, sizes spread evenly on a log scale, dealt into
    // two halves of about the same number of lines.
    const random = randomFrom(2025);
    const sizes = Array.from({ length: WORKBOOKS }, () =>
      Math.round(MIN_LINES * Math.pow(MAX_LINES / MIN_LINES, random())),
    );
    sizes[0] = MIN_LINES;
    sizes[1] = MAX_LINES;
    const halves = [path.join(tmp, "a"), path.join(tmp, "b")];
    for (const h of halves) fs.mkdirSync(h);
    const load = [0, 0];
    const files: string[][] = [[], []];
    const order = sizes.map((n, i) => ({ n, i })).sort((x, y) => y.n - x.n);
    for (const { n, i } of order) {
      const h = load[0] <= load[1] ? 0 : 1;
      const file = path.join(halves[h], `uppfoljning-${String(i).padStart(3, "0")}.xlsx`);
      fs.writeFileSync(file, accountsWorkbook(n, random));
      files[h].push(file);
      load[h] += n;
    }
    const template = path.join(tmp, "konton.json");
    fs.writeFileSync(template, JSON.stringify(accountsTemplate()));
    const totalLines = load[0] + load[1];
    const totalRows = sizes.reduce((s, n) => s + n + Math.ceil(n / GROUP) + 1, 0);

    // (a) prognoskoll check on both halves at once, one process each.
    const check = async (): Promise<{ ms: number; outputs: string[] }> => {
      const start = process.hrtime.bigint();
      const outputs = await Promise.all(
        halves.map((h) => runProgram(process.execPath, [cli, "check", "--json", "--template", template, h], root)),
      );
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, outputs };
    };
    /** Checks both halves and verifies what was reported. */
    const verified = async (): Promise<number> => {
      const r = await check();
      const workbooks = r.outputs.flatMap((o) => (JSON.parse(o) as { workbooks: Record<string, unknown>[] }).workbooks);
      const failed = workbooks.filter((w) => w.error !== undefined || (w.counts as { error: number }).error > 0);
      if (workbooks.length !== WORKBOOKS || failed.length > 0) {
        throw new Error(
          `prognoskoll check: ${workbooks.length} workbooks reported, ${failed.length} with errors: ${JSON.stringify(failed[0]).slice(0, 500)}`,
        );
      }
      const lines = workbooks.reduce((s, w) => s + (w.lines as unknown[]).length, 0);
      if (lines !== totalRows)
        throw new Error(`prognoskoll check read ${lines} lines, the workbooks have ${totalRows}`);
      return r.ms;
    };
    // (b) LibreOffice recalculating and saving both halves at once, one process (and profile) each.
    const recalculate = async (run: number): Promise<number> => {
      const start = process.hrtime.bigint();
      const conversions = await Promise.all(
        halves.map((h, k) =>
          convertToXlsx(files[k], path.join(tmp, `lo-${run}-${path.basename(h)}`), {
            program: soffice,
            timeoutMs: 1_800_000,
          }),
        ),
      );
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const notConverted = conversions.flatMap((c) => c.failed);
      if (notConverted.length > 0) {
        throw new Error(`LibreOffice did not convert ${notConverted.length} workbooks, e.g. ${notConverted[0]}`);
      }
      fs.rmSync(path.join(tmp, `lo-${run}-a`), { recursive: true, force: true });
      fs.rmSync(path.join(tmp, `lo-${run}-b`), { recursive: true, force: true });
      return ms;
    };
    // One untimed run of each side first, so that no timed run pays for a cold start.
    await verified();
    await recalculate(-1);
    const runs: { ours: number; theirs: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const ours = await verified();
      const theirs = await recalculate(run);
      runs.push({ ours, theirs });
    }
    const ratios = runs.map((r) => r.theirs / r.ours);
    const ours = median(runs.map((r) => r.ours));
    const theirs = median(runs.map((r) => r.theirs));
    const ratio = median(ratios);
    section(
      "A batch of workbooks: prognoskoll check against LibreOffice",
      `${WORKBOOKS} generated follow-up workbooks of ${fmt(MIN_LINES)} to ${fmt(MAX_LINES)} account lines ` +
        `(${fmt(totalLines)} account lines, ${fmt(totalRows)} table lines with the group SUM lines and totals; ` +
        `every deviation a formula), split into two halves of about the same size. Each side runs two ` +
        `processes in parallel, one per half, on ${os.cpus().length} cores: \`node dist/cli.js check --json\`, ` +
        `and LibreOffice Calc headless recalculating every formula on load and saving (${version(soffice)}, ` +
        `\`soffice --convert-to xlsx\`, each process with its own new profile). ${RUNS} runs, each timing both ` +
        `sides one after the other, after one untimed run of each; the medians are shown.`,
    );
    emit("| what | wall time | workbooks/s | table lines/s |");
    emit("|---|---:|---:|---:|");
    emit(
      `| \`prognoskoll check --json\`, 2 processes | ${seconds(ours)} | ${fmt((WORKBOOKS / ours) * 1000)} | ${fmt((totalRows / ours) * 1000)} |`,
    );
    emit(
      `| LibreOffice headless recalculation, 2 processes | ${seconds(theirs)} | ${fmt((WORKBOOKS / theirs) * 1000)} | ${fmt((totalRows / theirs) * 1000)} |`,
    );
    emit(
      `| LibreOffice's wall time / prognoskoll check's, median of the runs' ratios | ${fmt(ratio, 1)}× (target ≥ 5×) | | |`,
    );
    emit("");
    emit(`| run | prognoskoll check | LibreOffice | ratio |`);
    emit("|---|---:|---:|---:|");
    runs.forEach((r, i) => emit(`| ${i + 1} | ${seconds(r.ours)} | ${seconds(r.theirs)} | ${fmt(ratios[i], 1)}× |`));
    emit(`| runs at 5× or more | | | ${ratios.filter((x) => x >= 5).length} of ${RUNS} |`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
