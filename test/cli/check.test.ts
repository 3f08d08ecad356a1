/**
 * The `prognoskoll check` command on real .xlsx files: a few runs of the built command
 * (node dist/cli.js), the rest in-process through run(argv, io).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { expandFiles, run, type ReadFolder } from "../../src/cli/main";
import { loadWorkbook, readGrid } from "../../src/xlsx";
import { REFERENCE } from "../helpers/grids";
import {
  cellOf,
  INPUT_ROWS,
  openWorkbook,
  patchSheetXml,
  referenceLines,
  SHEET,
  SUM_ROWS,
  tempDir,
  writeEncrypted,
  writeLarge,
  writeNoTable,
  writeReference,
} from "../helpers/workbooks";
import { Zip } from "../helpers/zip";
import { handmadeWorkbook } from "../helpers/handmade";
import ExcelJS from "exceljs";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist", "cli.js");
const MINUS = "\u2212";
const NBSP = "\u00a0";

interface Outcome {
  code: number;
  out: string;
  err: string;
}

/** Runs the command in-process, capturing what it prints. */
async function cli(...argv: string[]): Promise<Outcome> {
  return cliAt(false, ...argv);
}

/** Runs the command in-process, its stdout a terminal or not. */
async function cliAt(terminal: boolean, ...argv: string[]): Promise<Outcome> {
  let out = "";
  let err = "";
  const code = await run(argv, {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    terminal,
  });
  return { code, out, err };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Runs `check ... --json` in-process and parses what it prints. */
async function checkJson(...args: string[]): Promise<Outcome & { json: Json }> {
  const r = await cli("check", ...args, "--json");
  return { ...r, json: JSON.parse(r.out) };
}

const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const noStackTrace = (r: Outcome): void => {
  expect(r.out).not.toMatch(/^\s+at /m);
  expect(r.err).not.toMatch(/^\s+at /m);
};
const lineTuples = (lines: Json[]): [string, number, number, number][] =>
  lines.map((l: Json) => [l.label, l.budget, l.comparison, l.deviation]);

let dir: string;
beforeAll(() => {
  dir = tempDir("prognoskoll-check-");
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the built command (node dist/cli.js)", () => {
  beforeAll(() => {
    execFileSync("npm", ["run", "-s", "build:cli"], { cwd: ROOT, stdio: "pipe" });
  }, 120_000);

  const node = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });

  test("with no file checks the bundled example: exit 0, Köp av tjänster flagged at −4 000", () => {
    const r = node("check");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Köp av tjänster");
    expect(r.stdout).toContain(`${MINUS}4${NBSP}000`);
    expect(r.stdout).toMatch(/^ {2}D8 +Köp av tjänster +\u22124\u00a0000 \(\u22126,3 %\)$/m);
  });

  test("--json is indented at a terminal and on one line for a program, the same either way", async () => {
    const piped = await cliAt(false, "check", "--json");
    const shown = await cliAt(true, "check", "--json");
    expect(piped.out.trimEnd()).not.toContain("\n");
    expect(shown.out).toMatch(/^\{\n {2}"workbooks": \[\n {4}\{\n/);
    expect(JSON.parse(shown.out)).toEqual(JSON.parse(piped.out));
  });

  test("--json on the example: the reference table, its columns, convention and first flag", () => {
    const r = node("check", "--json");
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd()).not.toContain("\n");
    const json = JSON.parse(r.stdout);
    expect(json.workbooks).toHaveLength(1);
    const wb = json.workbooks[0];
    expect(wb.flags[0]).toEqual({ label: "Köp av tjänster", cell: "D8", deviation: -4000, percent: -6.3 });
    expect(wb.flags.map((f: Json) => f.cell)).toEqual(["D8", "D10"]);
    expect(wb.columns).toEqual({ label: "A", budget: "B", comparison: "C", deviation: "D" });
    expect(wb.convention).toBe("result");
    expect(wb.comparisonKind).toBe("forecast");
    expect(lineTuples(wb.lines)).toEqual(REFERENCE);
    expect(wb.findings).toEqual([]);
    expect(wb.error).toBeUndefined();
  });

  test("a file that is not a workbook: exit 2, one line, no stack trace", () => {
    const file = path.join(dir, "slump-spawn.xlsx");
    fs.writeFileSync(file, Buffer.from("this is plain text, not a zip archive at all"));
    const r = node("check", file);
    expect(r.status).toBe(2);
    expect(r.stdout.trim().split("\n")).toEqual([
      `${file}: Kunde inte kontrolleras: inte en .xlsx-fil (inget zip-arkiv)`,
    ]);
    expect(r.stderr).toBe("");
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
  });

  test("an unknown option: exit 2, the message first, usage after, nothing on stdout", () => {
    const r = node("check", "--bogus");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toMatch(/^prognoskoll: okänt val --bogus$/);
    expect(r.stderr).toContain("Användning: prognoskoll check");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("--write", () => {
  test("makes NAME.checked.xlsx beside the original, which keeps its bytes", async () => {
    const file = await writeReference(dir, "skriv.xlsx");
    const before = sha256(file);
    const r = await cli("check", file, "--write");
    expect(r.code).toBe(0);
    const copy = path.join(dir, "skriv.checked.xlsx");
    expect(fs.existsSync(copy)).toBe(true);
    expect(r.out).toContain(`Skrev ${copy} (16 celler).`);
    expect(sha256(file)).toBe(before);
    // No temporary file is left behind.
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  test("the copy holds the reference figures: deviations in D, sum lines in B and C", async () => {
    const file = await writeReference(dir, "varden.xlsx");
    expect((await cli("check", file, "--write")).code).toBe(0);
    const wb = await openWorkbook(path.join(dir, "varden.checked.xlsx"));
    REFERENCE.forEach(([label, budget, forecast, deviation], i) => {
      const row = 5 + i;
      expect([label, cellOf(wb, SHEET, `A${row}`).value]).toEqual([label, label]);
      expect([label, cellOf(wb, SHEET, `D${row}`)]).toEqual([label, { value: deviation, formula: undefined }]);
      expect([label, cellOf(wb, SHEET, `B${row}`).value, cellOf(wb, SHEET, `C${row}`).value]).toEqual([
        label,
        budget,
        forecast,
      ]);
    });
    // Flagged deviations are highlighted.
    expect(wb.sheet(SHEET).cell("D8").style("fill")).toEqual({ type: "solid", color: { rgb: "FFFFC7CE" } });
    expect(wb.sheet(SHEET).cell("D10").style("fill")).toEqual({ type: "solid", color: { rgb: "FFFFC7CE" } });
    expect(wb.sheet(SHEET).cell("D9").style("fill")).toBeUndefined();
  });

  test("checking the copy again proposes nothing", async () => {
    const file = await writeReference(dir, "igen.xlsx");
    expect((await cli("check", file, "--write")).code).toBe(0);
    const again = await checkJson(path.join(dir, "igen.checked.xlsx"));
    expect(again.code).toBe(0);
    const wb = again.json.workbooks[0];
    expect(wb.changes).toEqual([]);
    expect(wb.findings).toEqual([]);
    expect(lineTuples(wb.lines)).toEqual(REFERENCE);
  });

  test("--formulas writes formulas with their values", async () => {
    const file = await writeReference(dir, "formler.xlsx");
    const r = await cli("check", file, "--write", "--formulas");
    expect(r.code).toBe(0);
    const copy = path.join(dir, "formler.checked.xlsx");
    const wb = await openWorkbook(copy);
    expect(cellOf(wb, SHEET, "D8")).toEqual({ formula: "C8-B8", value: -4000 });
    expect(cellOf(wb, SHEET, "D5")).toEqual({ formula: "C5-B5", value: 3000 });
    expect(cellOf(wb, SHEET, "B10")).toEqual({ formula: "SUM(B6:B9)", value: -288639 });
    expect(cellOf(wb, SHEET, "C10")).toEqual({ formula: "SUM(C6:C9)", value: -291639 });
    expect(cellOf(wb, SHEET, "B11")).toEqual({ formula: "B5+B10", value: -256303 });
    expect(cellOf(wb, SHEET, "B14")).toEqual({ formula: "SUM(B11:B13)", value: 0 });
    expect(cellOf(wb, SHEET, "D14")).toEqual({ formula: "C14-B14", value: 0 });
    // The cached values are in the file itself (a viewer that does not recalculate shows them).
    const zip = Zip.load(fs.readFileSync(copy));
    const xml = zip.text("xl/worksheets/sheet1.xml");
    expect(xml).toMatch(/<c r="D8"[^>]*><f>C8-B8<\/f><v>-4000<\/v><\/c>/);
    expect(xml).toMatch(/<c r="B10"[^>]*><f>SUM\(B6:B9\)<\/f><v>-288639<\/v><\/c>/);
    const again = await checkJson(copy);
    expect(again.json.workbooks[0].changes).toEqual([]);
    expect(again.json.workbooks[0].findings).toEqual([]);
  });

  test("mnkr with one decimal: exact decimal sums, the one-decimal format kept", async () => {
    const file = await writeReference(dir, "mnkr.xlsx", { mnkr: true });
    const r = await checkJson(file, "--write");
    expect(r.code).toBe(0);
    const wb0 = r.json.workbooks[0];
    expect(wb0.unit).toBe("mnkr");
    expect(lineTuples(wb0.lines)).toEqual(referenceLines({ mnkr: true }));
    expect(wb0.flags.map((f: Json) => [f.cell, f.deviation])).toEqual([
      ["D8", -4],
      ["D10", -3],
    ]);
    const wb = await openWorkbook(path.join(dir, "mnkr.checked.xlsx"));
    expect(cellOf(wb, SHEET, "B10").value).toBe(-288.6);
    expect(cellOf(wb, SHEET, "C10").value).toBe(-291.6);
    expect(cellOf(wb, SHEET, "B11").value).toBe(-256.3);
    expect(cellOf(wb, SHEET, "D8").value).toBe(-4);
    expect(wb.sheet(SHEET).cell("D8").style("numberFormat")).toBe("#,##0.0");
  });

  test("costs entered positive: detected, deviations budget − forecast on cost lines", async () => {
    const file = await writeReference(dir, "positiva.xlsx", { costsPositive: true });
    const r = await checkJson(file, "--write");
    expect(r.code).toBe(0);
    const wb0 = r.json.workbooks[0];
    expect(wb0.convention).toBe("presentation");
    expect(wb0.conventionDetected).toBe(true);
    expect(lineTuples(wb0.lines)).toEqual(referenceLines({ costsPositive: true }));
    expect(wb0.flags.map((f: Json) => [f.label, f.cell, f.deviation])).toEqual([
      ["Köp av tjänster", "D8", -4000],
      ["Verksamhetens kostnader", "D10", -3000],
    ]);
    const wb = await openWorkbook(path.join(dir, "positiva.checked.xlsx"));
    expect(cellOf(wb, SHEET, "D8").value).toBe(-4000);
    expect(cellOf(wb, SHEET, "B10").value).toBe(288639);
  });

  test("figures typed as Swedish text are read, warned about and left as text", async () => {
    const file = await writeReference(dir, "text.xlsx", { textFigures: true, textZero: "–" });
    const r = await checkJson(file, "--write");
    expect(r.code).toBe(0);
    const wb0 = r.json.workbooks[0];
    expect(lineTuples(wb0.lines)).toEqual(REFERENCE);
    const textCells = wb0.findings.filter((f: Json) => f.code === "text-number").map((f: Json) => f.cell);
    expect(textCells).toEqual(INPUT_ROWS.flatMap((row) => [`B${row}`, `C${row}`]));
    expect(wb0.findings.every((f: Json) => f.code === "text-number" && f.severity === "warning")).toBe(true);
    const b8 = wb0.findings.find((f: Json) => f.cell === "B8");
    expect(b8.message).toBe(
      `Köp av tjänster: budget ”${MINUS}63${NBSP}743” är lagrad som text; talet ${MINUS}63${NBSP}743 används.`,
    );
    const wb = await openWorkbook(path.join(dir, "text.checked.xlsx"));
    expect(cellOf(wb, SHEET, "B8").value).toBe(`${MINUS}63${NBSP}743`);
    expect(cellOf(wb, SHEET, "D8").value).toBe(-4000);
    expect(cellOf(wb, SHEET, "B10").value).toBe(-288639);
  });

  // Text that looks like a number ("0", an account number) stays text when read and written.
  test('a figure stored as the text "0" is warned about, and --write keeps it as text', async () => {
    const file = await writeReference(dir, "text-noll.xlsx", { textFigures: true });
    const r = await checkJson(file, "--write");
    const cells = r.json.workbooks[0].findings.filter((f: Json) => f.code === "text-number").map((f: Json) => f.cell);
    expect(cells).toContain("B13");
    expect(r.code).toBe(0);
    // Read as stored: the cell is still a text cell.
    const loaded = await loadWorkbook(fs.readFileSync(path.join(dir, "text-noll.checked.xlsx")));
    const g = await readGrid(loaded, SHEET);
    const origin = g.origin ?? { row: 0, col: 0 };
    expect(g.cells[12 - origin.row][1 - origin.col]?.v).toBe("0");
  });

  test("never writes an input line's figure (B and C of rows 5–9, 12–13)", async () => {
    const variants = [
      ["plain", {}],
      ["formulas", { sums: "formulas" }],
      ["misses", { sums: "formula-misses-row" }],
      ["wrong", { sums: "wrong-value" }],
      ["text", { textFigures: true, textZero: "–" }],
      ["positive", { costsPositive: true }],
      ["mnkr", { mnkr: true }],
    ] as const;
    for (const [name, options] of variants) {
      for (const formulas of [false, true]) {
        const file = await writeReference(dir, `indata-${name}-${formulas}.xlsx`, options);
        const r = await cli("check", file, "--write", ...(formulas ? ["--formulas"] : []));
        expect([name, formulas, r.code]).toEqual([name, formulas, name === "misses" || name === "wrong" ? 1 : 0]);
        const original = await openWorkbook(file);
        const copy = await openWorkbook(file.replace(/\.xlsx$/, ".checked.xlsx"));
        for (const row of INPUT_ROWS) {
          for (const col of ["B", "C"]) {
            const a = `${col}${row}`;
            expect([name, formulas, a, cellOf(copy, SHEET, a)]).toEqual([
              name,
              formulas,
              a,
              cellOf(original, SHEET, a),
            ]);
            expect([name, formulas, a, copy.sheet(SHEET).cell(a).style("numberFormat")]).toEqual([
              name,
              formulas,
              a,
              original.sheet(SHEET).cell(a).style("numberFormat"),
            ]);
          }
        }
        // And the sum lines hold the right figures afterwards.
        const lines = referenceLines(options);
        for (const row of SUM_ROWS) {
          const [, b, c] = lines[row - 5];
          expect([
            name,
            formulas,
            row,
            cellOf(copy, SHEET, `B${row}`).value,
            cellOf(copy, SHEET, `C${row}`).value,
          ]).toEqual([name, formulas, row, b, c]);
        }
      }
    }
  }, 120_000);

  test("the original is never the target: --out naming the input is refused, the input kept", async () => {
    const file = await writeReference(dir, "sjalv.xlsx");
    const before = sha256(file);
    const r = await cli("check", file, "--write", "--out", file);
    expect(r.code).toBe(2);
    expect(r.out).toContain("kopian skulle skriva över originalet");
    expect(sha256(file)).toBe(before);
    noStackTrace(r);
  });
});

describe("ready to submit: the same rule as the pane's", () => {
  const last = (out: string): string =>
    out
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("Summering"))[0] ?? "";

  test("not ready while cells are still to be written; the written copy is", async () => {
    const file = await writeReference(dir, "redo.xlsx");
    const before = await cli("check", file);
    expect(before.code).toBe(0);
    expect(last(before.out)).toMatch(
      /16 celler att skriva \(skriv med --write\)\. Inte klar att skicka in förrän cellerna är skrivna\.$/,
    );
    const written = await cli("check", file, "--write");
    expect(last(written.out)).toMatch(/16 celler att skriva\. Klar att skicka in: kopian\.$/);
    const copy = await cli("check", file.replace(/\.xlsx$/, ".checked.xlsx"));
    expect(last(copy.out)).toMatch(/0 celler att skriva\. Klar att skicka in\.$/);
  });

  test("errors come first, written or not", async () => {
    const file = await writeReference(dir, "redo-fel.xlsx", { sums: "wrong-value" });
    for (const args of [[], ["--write"]]) {
      const r = await cli("check", file, ...args);
      expect(r.code).toBe(1);
      expect(last(r.out)).toMatch(/Inte klar att skicka in\.$/);
    }
  });
});

describe("--out", () => {
  test("to a file: the copy goes there and nowhere else", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "out-file-"));
    const file = await writeReference(sub, "in.xlsx");
    const target = path.join(sub, "resultat.xlsx");
    const r = await cli("check", file, "--write", "--out", target);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(sub).sort()).toEqual(["in.xlsx", "resultat.xlsx"]);
    const wb = await openWorkbook(target);
    expect(cellOf(wb, SHEET, "D8").value).toBe(-4000);
  });

  test("to a folder with several files: every copy in the folder", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "out-folder-"));
    const inputs = path.join(sub, "in");
    const outputs = path.join(sub, "ut");
    fs.mkdirSync(inputs);
    fs.mkdirSync(outputs);
    await writeReference(inputs, "a.xlsx");
    await writeReference(inputs, "b.xlsx", { costsPositive: true });
    const r = await cli("check", inputs, "--write", "--out", outputs);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(outputs).sort()).toEqual(["a.checked.xlsx", "b.checked.xlsx"]);
    expect(fs.readdirSync(inputs).sort()).toEqual(["a.xlsx", "b.xlsx"]);
    expect(cellOf(await openWorkbook(path.join(outputs, "a.checked.xlsx")), SHEET, "D8").value).toBe(-4000);
    expect(cellOf(await openWorkbook(path.join(outputs, "b.checked.xlsx")), SHEET, "B10").value).toBe(288639);
    // Checking the folder again skips the checked copies.
    const again = await checkJson(inputs);
    expect(again.json.workbooks.map((w: Json) => path.basename(w.file))).toEqual(["a.xlsx", "b.xlsx"]);
  });

  test("to something that is not a folder, with several files: exit 2, nothing written", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "out-bad-"));
    const a = await writeReference(sub, "a.xlsx");
    const b = await writeReference(sub, "b.xlsx");
    const r = await cli("check", a, b, "--write", "--out", path.join(sub, "ut.xlsx"));
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("prognoskoll: med flera filer måste --out vara en mapp");
    expect(fs.readdirSync(sub).sort()).toEqual(["a.xlsx", "b.xlsx"]);
  });
});

describe("thresholds", () => {
  test("--threshold 3500 keeps only Köp av tjänster flagged", async () => {
    const file = await writeReference(dir, "troskel.xlsx");
    const r = await checkJson(file, "--threshold", "3500");
    expect(r.code).toBe(0);
    expect(r.json.workbooks[0].flags).toEqual([
      { label: "Köp av tjänster", cell: "D8", deviation: -4000, percent: -6.3 },
    ]);
    const human = await cli("check", file, "--threshold", "3500");
    expect(human.out).toContain("1 flaggade rader");
  });

  test("--threshold 4000 still flags −4 000; 4001 flags nothing", async () => {
    const file = await writeReference(dir, "troskel-grans.xlsx");
    expect((await checkJson(file, "--threshold", "4000")).json.workbooks[0].flags.map((f: Json) => f.cell)).toEqual([
      "D8",
    ]);
    expect((await checkJson(file, "--threshold", "4001")).json.workbooks[0].flags).toEqual([]);
  });

  test("--threshold-percent 2 drops the −1 % line; 7 drops both", async () => {
    const file = await writeReference(dir, "procent.xlsx");
    expect(
      (await checkJson(file, "--threshold-percent", "2")).json.workbooks[0].flags.map((f: Json) => f.label),
    ).toEqual(["Köp av tjänster"]);
    expect((await checkJson(file, "--threshold-percent", "7")).json.workbooks[0].flags).toEqual([]);
    expect(
      (await checkJson(file, "--threshold-percent", "0,5")).json.workbooks[0].flags.map((f: Json) => f.cell),
    ).toEqual(["D8", "D10"]);
  });

  test("a negative or non-numeric threshold is bad usage", async () => {
    for (const args of [
      ["--threshold=-5"],
      ["--threshold", "mycket"],
      ["--threshold-percent", "x"],
      ["--threshold="],
      ["--threshold", " "],
    ]) {
      const r = await cli("check", ...args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err.split("\n")[0]).toMatch(/^prognoskoll: --threshold(-percent)? tar ett tal från noll och uppåt/);
      expect(r.out).toBe("");
    }
  });
});

describe("--lang", () => {
  test("en gives English messages and English number formatting", async () => {
    const file = await writeReference(dir, "engelska.xlsx");
    const r = await cli("check", file, "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Negative deviations:");
    expect(r.out).toContain(
      "Sign convention: result form (revenue +, costs −; deviation = forecast − budget); basis: the signs of 12 figures on lines of known kind",
    );
    expect(r.out).toMatch(/^ {2}D8 +Köp av tjänster +-4,000 \(-6\.3 %\)$/m);
    expect(r.out).toContain(
      "Summary: 0 errors, 0 warnings, 0 info; 2 flagged lines; 16 cells to write (write them with --write). Not ready to submit until the cells are written.",
    );
    for (const swedish of [
      "Negativa avvikelser",
      "Summering",
      "Teckenkonvention",
      "Kolumner",
      "Klar att skicka in",
      "belopp i",
      "celler att skriva",
    ]) {
      expect([swedish, r.out.includes(swedish)]).toEqual([swedish, false]);
    }
  });

  test("en gives English findings", async () => {
    const file = await writeReference(dir, "engelska-fel.xlsx", { sums: "formula-misses-row" });
    const r = await checkJson(file, "--lang", "en");
    expect(r.code).toBe(1);
    const f = r.json.workbooks[0].findings.find((x: Json) => x.code === "sum-range-incomplete" && x.cell === "B10");
    expect(f.message).toBe("Verksamhetens kostnader: the formula =SUM(B6:B8) leaves out row 9 (Övriga kostnader).");
    const t = await writeReference(dir, "engelska-text.xlsx", { textFigures: true });
    const rt = await checkJson(t, "--lang", "en");
    const b8 = rt.json.workbooks[0].findings.find((x: Json) => x.cell === "B8");
    expect(b8.message).toBe(
      `Köp av tjänster: budget "${MINUS}63${NBSP}743" is stored as text; the number ${MINUS}63${NBSP}743 is used.`,
    );
  });

  test("en gives English reasons for a file that cannot be checked; sv (the default) Swedish ones", async () => {
    const file = path.join(dir, "tom-lang.xlsx");
    fs.writeFileSync(file, Buffer.alloc(0));
    const en = await cli("check", file, "--lang", "en");
    expect(en.code).toBe(2);
    expect(en.out.trim()).toBe(`${file}: Could not be checked: the file is empty`);
    const sv = await cli("check", file);
    expect(sv.code).toBe(2);
    expect(sv.out.trim()).toBe(`${file}: Kunde inte kontrolleras: filen är tom`);
  });

  test("--lang xx is bad usage: exit 2, one clear first line, nothing checked", async () => {
    const r = await cli("check", "--lang", "xx");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n")[0]).toBe('prognoskoll: --lang tar sv eller en, inte "xx"');
    noStackTrace(r);
  });
});

describe("errors in the sheet: exit 1", () => {
  test("a SUM formula that misses a row", async () => {
    const file = await writeReference(dir, "saknar-rad.xlsx", { sums: "formula-misses-row" });
    const r = await checkJson(file);
    expect(r.code).toBe(1);
    const wb = r.json.workbooks[0];
    const found = wb.findings.map((f: Json) => [f.code, f.cell, f.severity]).sort();
    expect(found).toEqual([
      ["sum-range-incomplete", "B10", "error"],
      ["sum-range-incomplete", "C10", "error"],
      ["total-mismatch", "B10", "error"],
      ["total-mismatch", "C10", "error"],
    ]);
    expect(wb.findings.find((f: Json) => f.code === "sum-range-incomplete" && f.cell === "B10").message).toBe(
      "Verksamhetens kostnader: formeln =SUM(B6:B8) utelämnar rad 9 (Övriga kostnader).",
    );
    // The recomputed figures are the right ones all the same.
    expect(lineTuples(wb.lines)).toEqual(REFERENCE);
    // The plan replaces the wrong formulas.
    expect(wb.changes.filter((c: Json) => c.reason === "wrong-formula").map((c: Json) => [c.cell, c.before])).toEqual([
      ["B10", "=SUM(B6:B8)"],
      ["C10", "=SUM(C6:C8)"],
    ]);
  });

  test("a total that is wrong", async () => {
    const file = await writeReference(dir, "fel-summa.xlsx", { sums: "wrong-value" });
    const r = await checkJson(file);
    expect(r.code).toBe(1);
    const wb = r.json.workbooks[0];
    expect(wb.findings).toEqual([
      {
        code: "total-mismatch",
        severity: "error",
        cell: "B10",
        message: `Verksamhetens kostnader: budget är ${MINUS}289${NBSP}639 men delarna summerar till ${MINUS}288${NBSP}639 (skillnad ${MINUS}1${NBSP}000).`,
      },
    ]);
    expect(wb.counts).toEqual({ error: 1, warning: 0, info: 0 });
    const human = await cli("check", file);
    expect(human.code).toBe(1);
    expect(human.out).toContain("Inte klar att skicka in.");
  });

  test("right SUM formulas are accepted: exit 0 and only the deviations to write", async () => {
    const file = await writeReference(dir, "ratt-formler.xlsx", { sums: "formulas" });
    const r = await checkJson(file);
    expect(r.code).toBe(0);
    const wb = r.json.workbooks[0];
    expect(wb.findings).toEqual([]);
    expect(wb.changes.map((c: Json) => c.cell)).toEqual(REFERENCE.map((_, i) => `D${5 + i}`));
  });
});

describe("formula errors everywhere (#REF! in every figure cell)", () => {
  test("exit 1 with a formula-error finding for each of the 30 cells", async () => {
    const file = await writeReference(dir, "ref-overallt.xlsx", { refErrors: "all" });
    const r = await checkJson(file);
    expect(r.code).toBe(1);
    const wb = r.json.workbooks[0];
    const expected = REFERENCE.flatMap((_, i) => ["B", "C", "D"].map((c) => `${c}${5 + i}`));
    expect(wb.findings.map((f: Json) => f.cell).sort()).toEqual([...expected].sort());
    expect(wb.findings.every((f: Json) => f.code === "formula-error" && f.severity === "error")).toBe(true);
    expect(wb.findings.find((f: Json) => f.cell === "B8").message).toBe("Köp av tjänster: budget visar felet #REF!.");
    expect(wb.counts.error).toBe(30);
  });

  test("--write plans nothing over the errors, and the copy keeps every error as it was", async () => {
    const file = await writeReference(dir, "ref-skriv.xlsx", { refErrors: "all" });
    const before = sha256(file);
    const r = await cli("check", file, "--write", "--json");
    const copy = path.join(dir, "ref-skriv.checked.xlsx");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).workbooks[0].changes).toEqual([]);
    expect(sha256(file)).toBe(before);
    const original = await openWorkbook(file);
    const written = await openWorkbook(copy);
    for (let row = 5; row <= 14; row++) {
      for (const col of ["B", "C", "D"]) {
        expect(cellOf(original, "Uppföljning", `${col}${row}`).value).toBe("#REF!");
        expect(cellOf(written, "Uppföljning", `${col}${row}`).value).toBe("#REF!");
      }
    }
    noStackTrace(r);
  });

  // A part showing #REF! leaves its sum lines without a figure: nothing is made up or written.
  test("a sum line whose part shows #REF! gets no figure, no flag and no write", async () => {
    const file = await writeReference(dir, "ref-en-cell.xlsx", { refErrors: ["B8"] });
    const r = await checkJson(file);
    const wb = r.json.workbooks[0];
    const kostnader = wb.lines.find((l: Json) => l.label === "Verksamhetens kostnader");
    expect(kostnader.budget).toBeNull();
    expect(kostnader.deviation).toBeNull();
    expect(wb.flags).toEqual([]);
    expect(wb.changes.filter((c: Json) => ["B10", "B11", "B14", "D10", "D11", "D14"].includes(c.cell))).toEqual([]);
  });

  // Error cells anywhere in the workbook keep their errors in the copy.
  test("an error cell on another sheet survives --write", async () => {
    const file = await writeReferenceWithErrorOnDataSheet("fel-annat-blad.xlsx");
    const r = await cli("check", file, "--write");
    expect(r.code).toBe(0);
    const copy = await openWorkbook(file.replace(/\.xlsx$/, ".checked.xlsx"));
    expect(cellOf(copy, "Data", "B1").value).toBe("#REF!");
  });
});

/** The reference sheet plus a sheet "Data" whose B1 shows #REF!. */
async function writeReferenceWithErrorOnDataSheet(name: string): Promise<string> {
  const base = await writeReference(dir, `bas-${name}`);
  // A second sheet whose B1 holds the error, added to the package as another program would.
  const zip = Zip.load(fs.readFileSync(base));
  const ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
  zip.set(
    "xl/worksheets/sheet2.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="B1"><v>0</v></c></row></sheetData></worksheet>`,
  );
  zip.set(
    "xl/workbook.xml",
    zip.text("xl/workbook.xml").replace("</sheets>", `<sheet name="Data" sheetId="99" r:id="rIdData"/></sheets>`),
  );
  zip.set(
    "xl/_rels/workbook.xml.rels",
    zip
      .text("xl/_rels/workbook.xml.rels")
      .replace(
        "</Relationships>",
        `<Relationship Id="rIdData" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`,
      ),
  );
  zip.set(
    "[Content_Types].xml",
    zip
      .text("[Content_Types].xml")
      .replace(
        "</Types>",
        `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="${ct}.worksheet+xml"/></Types>`,
      ),
  );
  const xml = zip.text("xl/worksheets/sheet2.xml");
  zip.set("xl/worksheets/sheet2.xml", patchSheetXml(xml, new Map([["B1", { error: "#REF!" }]])));
  const file = path.join(dir, name);
  fs.writeFileSync(file, zip.toBuffer());
  fs.rmSync(base);
  return file;
}

describe("files that cannot be checked: exit 2, one clear line, no stack trace", () => {
  const cases: [string, () => Promise<string> | string, RegExp][] = [
    [
      "random bytes (not a zip)",
      () => {
        const f = path.join(dir, "slump.xlsx");
        fs.writeFileSync(f, createHash("sha512").update("prognoskoll").digest());
        return f;
      },
      /^inte en \.xlsx-fil \(inget zip-arkiv\)$/,
    ],
    [
      "a truncated zip (the first half of a real file)",
      async () => {
        const whole = fs.readFileSync(await writeReference(dir, "hel.xlsx"));
        const f = path.join(dir, "halv.xlsx");
        fs.writeFileSync(f, whole.subarray(0, Math.floor(whole.length / 2)));
        return f;
      },
      /^filen är skadad: zip-arkivet går inte att läsa/,
    ],
    ["an encrypted workbook", () => writeEncrypted(dir), /^arbetsboken är lösenordsskyddad \(krypterad\)/],
    [
      "an old .xls (OLE file without encryption)",
      () => {
        const f = path.join(dir, "gammal.xlsx");
        fs.writeFileSync(
          f,
          Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024, 0)]),
        );
        return f;
      },
      /^detta är en gammal \.xls-arbetsbok/,
    ],
    [
      "an empty file",
      () => {
        const f = path.join(dir, "tom.xlsx");
        fs.writeFileSync(f, Buffer.alloc(0));
        return f;
      },
      /^filen är tom$/,
    ],
    ["a workbook with no table", () => writeNoTable(dir), /^ingen budgettabell hittades \(Blad1: .+\)$/],
    ["a missing file", () => path.join(dir, "finns-inte.xlsx"), /^filen finns inte$/],
    [
      "a zip that is not a workbook",
      async () => {
        const zip = new Zip();
        zip.set("hej.txt", "hej");
        const f = path.join(dir, "zip.xlsx");
        fs.writeFileSync(f, zip.toBuffer());
        return f;
      },
      /^inte en Excel-arbetsbok/,
    ],
  ];

  test.each(cases)("%s", async (_name, make, reason) => {
    const file = await make();
    const r = await cli("check", file);
    expect(r.code).toBe(2);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const prefix = `${file}: Kunde inte kontrolleras: `;
    expect(lines[0].startsWith(prefix)).toBe(true);
    expect(lines[0].slice(prefix.length)).toMatch(reason);
    expect(r.err).toBe("");
    noStackTrace(r);
    // --json says the same, as an error entry.
    const j = await checkJson(file);
    expect(j.code).toBe(2);
    expect(j.json.workbooks).toEqual([{ file, error: lines[0].slice(prefix.length) }]);
  });

  test("--write on such a file writes nothing", async () => {
    const f = path.join(dir, "tom-skriv.xlsx");
    fs.writeFileSync(f, Buffer.alloc(0));
    const r = await cli("check", f, "--write");
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(dir, "tom-skriv.checked.xlsx"))).toBe(false);
  });

  test("a sheet named with --sheet that does not exist", async () => {
    const file = await writeReference(dir, "blad.xlsx");
    const r = await cli("check", file, "--sheet", "Saknas");
    expect(r.code).toBe(2);
    expect(r.out.trim()).toBe(
      `${file}: Kunde inte kontrolleras: det finns inget blad som heter "Saknas" (bladen är: ${SHEET})`,
    );
  });

  test("an unknown option is bad usage", async () => {
    const r = await cli("check", "--frobnicate");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n")[0]).toMatch(/^prognoskoll: okänt val --frobnicate$/);
    noStackTrace(r);
  });

  test("an unknown command, and --formulas without --write, are bad usage", async () => {
    const a = await cli("kontrollera");
    expect(a.code).toBe(2);
    expect(a.err.split("\n")[0]).toBe('prognoskoll: okänt kommando "kontrollera"');
    const b = await cli("check", "--formulas");
    expect(b.code).toBe(2);
    expect(b.err.split("\n")[0]).toBe("prognoskoll: --out och --formulas används tillsammans med --write");
  });

  test("one unreadable file among good ones: all reported, exit 2", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "blandat-"));
    const a = await writeReference(sub, "a.xlsx");
    const bad = path.join(sub, "b.xlsx");
    fs.writeFileSync(bad, Buffer.from("PK but not really a zip"));
    const c = await writeReference(sub, "c.xlsx", { sums: "wrong-value" });
    const r = await cli("check", a, bad, c, "--write");
    expect(r.code).toBe(2);
    const heads = r.out.split("\n").filter((l) => l.startsWith(sub));
    expect(heads).toEqual([
      `${a} — blad "${SHEET}", mall Nämndens driftredovisning, belopp i tkr`,
      `${bad}: Kunde inte kontrolleras: inte en .xlsx-fil (inget zip-arkiv)`,
      `${c} — blad "${SHEET}", mall Nämndens driftredovisning, belopp i tkr`,
    ]);
    expect(fs.existsSync(path.join(sub, "a.checked.xlsx"))).toBe(true);
    expect(fs.existsSync(path.join(sub, "c.checked.xlsx"))).toBe(true);
    expect(fs.existsSync(path.join(sub, "b.checked.xlsx"))).toBe(false);
    const j = await checkJson(a, bad, c);
    expect(j.code).toBe(2);
    expect(
      j.json.workbooks.map((w: Json) => [path.basename(w.file), w.error ?? null, w.counts?.error ?? null]),
    ).toEqual([
      ["a.xlsx", null, 0],
      ["b.xlsx", "inte en .xlsx-fil (inget zip-arkiv)", null],
      ["c.xlsx", null, 1],
    ]);
  });

  test("a folder with good and bad workbooks: every one reported", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "mapp-"));
    await writeReference(sub, "1.xlsx");
    fs.writeFileSync(path.join(sub, "2.xlsx"), Buffer.alloc(0));
    await writeReference(sub, "3.xlsx");
    fs.writeFileSync(path.join(sub, "~$1.xlsx"), Buffer.alloc(10));
    fs.writeFileSync(path.join(sub, "anteckning.txt"), "hej");
    const j = await checkJson(sub);
    expect(j.code).toBe(2);
    expect(j.json.workbooks.map((w: Json) => [path.basename(w.file), w.error ?? null])).toEqual([
      ["1.xlsx", null],
      ["2.xlsx", "filen är tom"],
      ["3.xlsx", null],
    ]);
  });

  test("a batch shows its progress on a terminal, file by file, and only there", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "framsteg-"));
    await writeReference(sub, "1.xlsx");
    await writeReference(sub, "2.xlsx");
    let drawn = "";
    // A stream that says it is a terminal, as stderr at a prompt does.
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    terminal.on("data", (d: Buffer) => (drawn += d.toString("utf8")));
    const code = await run(["check", "--json", sub], {
      stdout: () => undefined,
      stderr: () => undefined,
      progress: terminal,
    });
    expect(code).toBe(0);
    expect(drawn).toContain("2/2");
    expect((await checkJson(sub)).err).toBe("");
  });

  test("an old .xls workbook in a folder gets its message instead of being passed over", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "xls-"));
    await writeReference(sub, "a.xlsx");
    // An OLE compound file, as Excel 97–2003 saved workbooks.
    fs.writeFileSync(
      path.join(sub, "b.xls"),
      Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]),
    );
    const j = await checkJson(sub);
    expect(j.code).toBe(2);
    expect(j.json.workbooks.map((w: Json) => [path.basename(w.file), w.error ?? null])).toEqual([
      ["a.xlsx", null],
      ["b.xls", "detta är en gammal .xls-arbetsbok (Excel 97–2003); spara den som .xlsx"],
    ]);
  });

  test("a subfolder that cannot be read is reported, and every other workbook is still checked", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "las-"));
    await writeReference(sub, "1.xlsx");
    fs.mkdirSync(path.join(sub, "stängd"));
    await writeReference(path.join(sub, "stängd"), "2.xlsx");
    fs.mkdirSync(path.join(sub, "öppen"));
    await writeReference(path.join(sub, "öppen"), "3.xlsx");
    // Permissions do not stop the root user the tests may run as: the folder reader refuses instead.
    const refusing: ReadFolder = async (d) => {
      if (path.basename(d) === "stängd") throw Object.assign(new Error("permission denied"), { code: "EACCES" });
      return fs.promises.readdir(d, { withFileTypes: true });
    };
    const items = await expandFiles([sub], "sv", refusing);
    expect(
      items.map((i) => ("sub" in i ? [path.relative(sub, i.file), i.sub] : [path.relative(sub, i.file), i.error])),
    ).toEqual([
      ["stängd", "mappen går inte att läsa (EACCES); filerna i den kontrollerades inte"],
      ["1.xlsx", "."],
      [path.join("öppen", "3.xlsx"), "öppen"],
    ]);
  });

  // Messages about the command line follow --lang like every other message.
  test("a folder with no workbooks is reported in Swedish by default", async () => {
    const sub = fs.mkdtempSync(path.join(dir, "inga-"));
    const r = await cli("check", sub);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/no \.xlsx files/);
  });
});

describe("a label typed over two lines in its cell", () => {
  test("is read whole, as Excel stores it (_x000D_ and a line feed), and printed on one line", async () => {
    const dir = tempDir();
    const { bytes } = handmadeWorkbook({
      cells: { A9: '<c r="A9" t="inlineStr"><is><t>Verksamhetens_x000D_\nkostnader</t></is></c>' },
    });
    const file = path.join(dir, "radbrytning.xlsx");
    fs.writeFileSync(file, bytes);
    const r = await checkJson(file);
    const line = r.json.workbooks[0].lines.find((l: Json) => l.row === 9);
    expect([line.kind, line.parts, line.deviation]).toEqual(["sum", [5, 6, 7, 8], -3000]);
    const human = await cli("check", file);
    expect(human.out).toMatch(/^!\s+9 {2}Verksamhetens kostnader\s+−288\s639/m);
  });
});

describe("hidden sheets", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  /** A workbook whose first sheet, hidden, holds last year's table; the visible one `visible`. */
  async function withHiddenFirst(name: string, visible: "table" | "notes"): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const old = wb.addWorksheet("Fg år", { state: "hidden" });
    const now = wb.addWorksheet(SHEET);
    old.addRow(["Belopp i tkr", "Budget 2024", "Prognos helår 2024", "Avvikelse"]);
    for (const [label, b, f] of REFERENCE) old.addRow([label, b, f - 1000]);
    if (visible === "table") {
      now.addRow(["Belopp i tkr", "Budget 2025", "Prognos helår 2025", "Avvikelse"]);
      for (const [label, b, f] of REFERENCE) now.addRow([label, b, f]);
    } else now.addRow(["Anteckningar inför mötet"]);
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    return file;
  }

  test("a hidden sheet before the visible one is passed over, and the visible one is checked and written", async () => {
    const file = await withHiddenFirst("dold-forst.xlsx", "table");
    const r = await checkJson(file, "--write");
    expect(r.json.workbooks[0].sheet).toBe(SHEET);
    const copy = await loadWorkbook(fs.readFileSync(path.join(dir, "dold-forst.checked.xlsx")));
    const hidden = await readGrid(copy, "Fg år");
    // The hidden sheet's deviation column is as it was: empty.
    expect(hidden.cells.slice(1).map((row) => row[3]?.v ?? null)).toEqual(REFERENCE.map(() => null));
  });

  test("a table only on a hidden sheet is not checked, and the message says how to name it", async () => {
    const file = await withHiddenFirst("bara-dold.xlsx", "notes");
    const r = await cli("check", file);
    expect(r.code).toBe(2);
    expect(r.out).toContain('dolda blad kontrolleras bara när de namnges med --sheet: "Fg år"');
    noStackTrace(r);
    const named = await checkJson(file, "--sheet", "Fg år");
    expect(named.code).not.toBe(2);
    expect(named.json.workbooks[0].sheet).toBe("Fg år");
  });
});

describe("a large sheet", () => {
  test("200 000 rows of accounts are checked and every line reported", async () => {
    const file = await writeLarge(dir, 200_000);
    const r = await checkJson(file);
    expect(r.code).toBe(0);
    const wb = r.json.workbooks[0];
    expect(wb.error).toBeUndefined();
    expect(wb.columns).toEqual({ label: "A", budget: "B", comparison: "C", deviation: "D" });
    expect(wb.deviationProposed).toBe(true);
    expect(wb.lines).toHaveLength(200_000);
    // Lines no template knows make an ordinary table of accounts: no line is a stray.
    expect(wb.template).toBeNull();
    expect(wb.findings).toEqual([]);
    expect(wb.lines[0]).toEqual({
      label: "Konto 1",
      row: 2,
      kind: "input",
      nature: "cost",
      budget: -1001,
      comparison: -1001,
      deviation: 0,
    });
    expect(wb.lines[6]).toEqual({
      label: "Konto 7",
      row: 8,
      kind: "input",
      nature: "cost",
      budget: -1007,
      comparison: -1017,
      deviation: -10,
    });
    expect(wb.lines[199_999].label).toBe("Konto 200000");
    expect(wb.lines[199_999].row).toBe(200_001);
    // Every seventh account's forecast is 10 above its budget (a cost overrun).
    expect(wb.flags).toHaveLength(Math.floor(200_000 / 7));
    expect(wb.counts.error).toBe(0);
  }, 600_000);
});

describe("--convention and what the report says of the convention", () => {
  test("the JSON names the convention, its evidence, each sum's parts and each line's nature", async () => {
    const file = await writeReference(dir, "konvention.xlsx");
    const r = await checkJson(file);
    const wb = r.json.workbooks[0];
    expect(wb.convention).toBe("result");
    expect(wb.conventionEvidence).toEqual({ basis: "line-signs", agree: 12, disagree: 0, alike: [] });
    expect(wb.template).toBe("namnd");
    const sum = wb.lines.find((l: Json) => l.label === "Verksamhetens kostnader");
    expect(sum).toMatchObject({ kind: "sum", nature: "cost", parts: [6, 7, 8, 9] });
    expect(wb.lines.find((l: Json) => l.label === "Kommunbidrag")).toMatchObject({ kind: "input", nature: "revenue" });
    expect(wb.lines.find((l: Json) => l.label === "Kommunbidrag").parts).toBeUndefined();
  });

  test.each([
    ["ledger", "ledger"],
    ["presentation", "presentation"],
    ["result", "result"],
    ["costs-negative", "result"],
    ["costs-positive", "presentation"],
  ])("--convention %s is taken as %s, and said to be given", async (name, convention) => {
    const file = await writeReference(dir, `given-${name}.xlsx`);
    const r = await checkJson(file, "--convention", name);
    expect(r.json.workbooks[0].convention).toBe(convention);
    expect(r.json.workbooks[0].conventionEvidence.basis).toBe("given");
  });

  test("an unknown convention is bad usage, said in one line", async () => {
    const r = await cli("check", "--convention", "kostnader");
    expect(r.code).toBe(2);
    expect(r.err).toContain('--convention tar result, ledger eller presentation, inte "kostnader"');
    noStackTrace(r);
  });

  test("the terminal report names the convention, its basis and each sum's parts", async () => {
    const file = await writeReference(dir, "terminal.xlsx");
    const r = await cli("check", file);
    expect(r.out).toContain(
      "Teckenkonvention: resultatform (intäkter +, kostnader −; avvikelse = prognos − budget); grund: tecknen på 12 belopp på rader av känt slag",
    );
    expect(r.out).toMatch(/Verksamhetens kostnader .*Σ 6–9$/m);
    expect(r.out).toMatch(/Verksamhetens nettokostnader .*Σ 5, 10$/m);
  });
});
