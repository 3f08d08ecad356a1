/**
 * The same table saved by every program a finance department might have used: the test helpers'
 * own writer, SheetJS, exceljs, openpyxl, LibreOffice Calc and Gnumeric. Each file is checked, and
 * written with and without --formulas. Each copy is then opened again by LibreOffice (which
 * recalculates every formula and saves it), by Gnumeric (the same) and by openpyxl: the figures
 * all three read must be the core's, to the hundredth, and the re-saved copies must need nothing
 * more written.
 *
 * LibreOffice (soffice), Gnumeric (ssconvert) and openpyxl (python3-openpyxl, run with
 * /usr/bin/python3) are required: without one, the tests that need it fail saying how to install it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import * as XLSX from "xlsx";
import { run } from "../../src/cli/main";
import { REFERENCE, SUM_LINES } from "../helpers/grids";
import { convertToXlsx } from "../helpers/soffice";
import { handmadeWorkbook } from "../helpers/handmade";
import { tempDir } from "../helpers/workbooks";

const SHEET = "Uppföljning";
const PYTHON = "/usr/bin/python3";
const INSTALL = "apt-get install -y --no-install-recommends gnumeric python3-openpyxl (.ci/run does this)";

/** The table as an economist receives it: title, header, the lines' input figures; sum lines and deviations empty. */
const ROWS: (string | number | null)[][] = [
  ["Socialnämnden"],
  ["Uppföljning per maj 2025"],
  [],
  ["Belopp i tkr", "Budget 2025", "Prognos helår 2025", "Avvikelse"],
  ...REFERENCE.map(([label, b, f]) => (SUM_LINES.has(label) ? [label] : [label, b, f])),
];

interface Json {
  workbooks: {
    file: string;
    error?: string;
    writeError?: string;
    written?: string;
    lines?: { label: string; budget: number | null; comparison: number | null; deviation: number | null }[];
    changes?: unknown[];
  }[];
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

async function checkJson(...argv: string[]): Promise<{ code: number; json: Json }> {
  const r = await cli("check", ...argv, "--json");
  if (r.out === "") throw new Error(`no JSON: ${r.err}`);
  return { code: r.code, json: JSON.parse(r.out) as Json };
}

/** Runs a program to the end; its failure, or its absence, fails the test with what it said. */
function runProgram(program: string, args: string[], what: string, input?: string): string {
  const r = spawnSync(program, args, { input, encoding: "utf8", timeout: 180_000 });
  if (r.error) throw new Error(`${what}: ${program} could not be run (${r.error.message}). ${INSTALL}`);
  if (r.status !== 0) throw new Error(`${what}: ${program} exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const OPENPYXL_WRITE = `
import json, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = sys.argv[2]
for row in json.load(sys.stdin):
    ws.append(row)
wb.save(sys.argv[1])
`;

/** Every cell's value of a sheet as openpyxl reads it (the last computed value of a formula), by address. */
const OPENPYXL_READ = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws = wb[sys.argv[2]]
out = {}
for row in ws.iter_rows():
    for c in row:
        if c.value is not None:
            out[c.coordinate] = c.value if isinstance(c.value, (int, float, str)) else str(c.value)
print(json.dumps(out))
`;

/** The table as SheetJS saves it. */
function writeSheetJs(file: string): string {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(ROWS), SHEET);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, XLSX.write(wb, { type: "buffer", bookType: "xlsx" }) as Buffer);
  return file;
}

/** The producers, each writing the table to a file of its own. */
const PRODUCERS: [string, (dir: string) => Promise<string>][] = [
  [
    "the test helpers' own writer",
    async (dir) => {
      const file = path.join(dir, "hjalpare.xlsx");
      fs.writeFileSync(file, handmadeWorkbook().bytes);
      return file;
    },
  ],
  ["SheetJS", async (dir) => writeSheetJs(path.join(dir, "sheetjs.xlsx"))],
  [
    "exceljs",
    async (dir) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(SHEET);
      for (const row of ROWS) ws.addRow(row);
      const file = path.join(dir, "exceljs.xlsx");
      await wb.xlsx.writeFile(file);
      return file;
    },
  ],
  [
    "openpyxl",
    async (dir) => {
      const file = path.join(dir, "openpyxl.xlsx");
      runProgram(PYTHON, ["-c", OPENPYXL_WRITE, file, SHEET], "openpyxl", JSON.stringify(ROWS));
      return file;
    },
  ],
  [
    "LibreOffice Calc",
    async (dir) => {
      // The SheetJS file, opened and saved by Calc.
      const source = writeSheetJs(path.join(dir, "src", "libreoffice.xlsx"));
      const c = await convertToXlsx([source], dir, { recalc: false });
      if (c.failed.length > 0) throw new Error(`soffice did not convert ${source}: ${c.stderr}`);
      return c.outputs.get(source)!;
    },
  ],
  [
    "Gnumeric",
    async (dir) => {
      const source = writeSheetJs(path.join(dir, "src", "gnumeric.xlsx"));
      const file = path.join(dir, "gnumeric.xlsx");
      runProgram("ssconvert", ["--export-type=Gnumeric_Excel:xlsx2", source, file], "Gnumeric");
      return file;
    },
  ],
];

/** The reference figures, in hundredths, by label: budget, forecast, deviation. */
const EXPECTED = new Map(REFERENCE.map(([l, b, f, d]) => [l, [b * 100, f * 100, d * 100]]));

/** What a report's lines say, in hundredths, by label. */
function figures(lines: NonNullable<Json["workbooks"][0]["lines"]>): Map<string, number[]> {
  return new Map(
    lines.map((l) => [l.label, [l.budget, l.comparison, l.deviation].map((x) => Math.round((x ?? NaN) * 100))]),
  );
}

/** The table's figures as openpyxl reads them from a file, in hundredths, by label. */
function openpyxlFigures(file: string): Map<string, number[]> {
  const cells = JSON.parse(runProgram(PYTHON, ["-c", OPENPYXL_READ, file, SHEET], "openpyxl")) as Record<
    string,
    unknown
  >;
  const out = new Map<string, number[]>();
  for (const [address, label] of Object.entries(cells)) {
    const r = /^A(\d+)$/.exec(address)?.[1];
    if (r === undefined || !EXPECTED.has(String(label))) continue;
    const cents = (c: string): number => Math.round(Number(cells[`${c}${r}`]) * 100);
    out.set(String(label), [cents("B"), cents("C"), cents("D")]);
  }
  return out;
}

let dir: string;
const files = new Map<string, string>();
/** The copies: producer → mode → file. */
const copies = new Map<string, Map<string, string>>();
let libreoffice: Map<string, string>;
const gnumeric = new Map<string, string>();

beforeAll(async () => {
  dir = tempDir("prognoskoll-producers-");
  for (const [name, make] of PRODUCERS) {
    const sub = path.join(dir, name.replace(/\W+/g, "-"));
    fs.mkdirSync(sub);
    const file = await make(sub);
    files.set(name, file);
    const modes = new Map<string, string>();
    for (const mode of ["values", "formulas"]) {
      const out = path.join(sub, mode);
      fs.mkdirSync(out);
      const r = await checkJson(file, "--write", "--out", out, ...(mode === "formulas" ? ["--formulas"] : []));
      const w = r.json.workbooks[0];
      if (!w.written) throw new Error(`${name} (${mode}): no copy: ${w.writeError ?? w.error ?? ""}`);
      modes.set(mode, w.written);
    }
    copies.set(name, modes);
  }
  // Every copy opened by LibreOffice in one run, recalculated and saved.
  const all = [...copies.entries()].flatMap(([name, modes]) => [...modes.values()].map((f) => ({ name, f })));
  const renamed = all.map(({ name, f }) => {
    const to = path.join(dir, "lo-in", `${name.replace(/\W+/g, "-")}-${path.basename(path.dirname(f))}.xlsx`);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(f, to);
    return [f, to] as const;
  });
  const c = await convertToXlsx(
    renamed.map(([, to]) => to),
    path.join(dir, "lo-out"),
  );
  libreoffice = new Map(renamed.map(([f, to]) => [f, c.outputs.get(to) ?? ""]));
  // And by Gnumeric, recalculated and saved.
  for (const [f, to] of renamed) {
    const out = path.join(dir, "gnumeric-out", path.basename(to));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    runProgram("ssconvert", ["--recalc", "--export-type=Gnumeric_Excel:xlsx2", f, out], "Gnumeric");
    gnumeric.set(f, out);
  }
}, 600_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(PRODUCERS.map(([name]) => name))("the table saved by %s", (name) => {
  test("is checked: every line's figures are the reference's, and nothing is an error", async () => {
    const r = await checkJson(files.get(name)!);
    expect(r.json.workbooks[0].error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(figures(r.json.workbooks[0].lines!)).toEqual(EXPECTED);
  });

  test.each(["values", "formulas"])(
    "its copy (%s) reads back as the core computed it, in the command",
    async (mode) => {
      const copy = copies.get(name)!.get(mode)!;
      const r = await checkJson(copy);
      expect(figures(r.json.workbooks[0].lines!)).toEqual(EXPECTED);
      expect(r.json.workbooks[0].changes).toEqual([]);
    },
  );

  test.each(["values", "formulas"])(
    "its copy (%s), recalculated and saved by LibreOffice, holds the same figures and needs nothing written",
    async (mode) => {
      const saved = libreoffice.get(copies.get(name)!.get(mode)!)!;
      expect(saved).not.toBe("");
      const r = await checkJson(saved);
      expect(figures(r.json.workbooks[0].lines!)).toEqual(EXPECTED);
      expect(r.json.workbooks[0].changes).toEqual([]);
      expect(openpyxlFigures(saved)).toEqual(EXPECTED);
    },
  );

  test.each(["values", "formulas"])(
    "its copy (%s), recalculated and saved by Gnumeric, holds the same figures and needs nothing written",
    async (mode) => {
      const saved = gnumeric.get(copies.get(name)!.get(mode)!)!;
      const r = await checkJson(saved);
      expect(figures(r.json.workbooks[0].lines!)).toEqual(EXPECTED);
      expect(r.json.workbooks[0].changes).toEqual([]);
      expect(openpyxlFigures(saved)).toEqual(EXPECTED);
    },
  );

  test.each(["values", "formulas"])("its copy (%s) is read by openpyxl with the core's figures", async (mode) => {
    const copy = copies.get(name)!.get(mode)!;
    expect(openpyxlFigures(copy)).toEqual(EXPECTED);
  });
});
