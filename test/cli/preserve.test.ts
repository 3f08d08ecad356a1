/**
 * A checked copy keeps everything in the workbook it does not mean to change: the RICH workbook
 * (chart, comment, conditional formatting, data validation, defined names, widths, a second
 * sheet) through `check --write`, and the guard that refuses a copy that would lose something.
 */
import fs from "node:fs";
import path from "node:path";
import { Zip } from "../helpers/zip";
import { run } from "../../src/cli/main";
import { changesBesidesPlan } from "../helpers/preserve";
import { loadWorkbook, readGrid, writePlan } from "../../src/xlsx";
import { checkGrid, type Grid, type WritePlan } from "../../src/core";
import {
  cellOf,
  openWorkbook,
  partsOf,
  partText,
  RICH,
  SHEET,
  tempDir,
  writeRich,
  writeWithChartSheet,
} from "../helpers/workbooks";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

/** Parts the library writes anew (compared element by element, not byte by byte). */
const REWRITTEN =
  /^(xl\/worksheets\/sheet1\.xml|xl\/styles\.xml|xl\/sharedStrings\.xml|xl\/workbook\.xml|\[Content_Types\]\.xml|docProps\/.*|.*\.rels|xl\/calcChain\.xml)$/;

const SHEET_PART = "xl/worksheets/sheet1.xml";

const one = (xml: string, re: RegExp): string => {
  const all = xml.match(new RegExp(re.source, "g")) ?? [];
  if (all.length !== 1) throw new Error(`expected one match of ${re}, found ${all.length}`);
  return all[0];
};
const definedNames = (workbookXml: string): string[] =>
  workbookXml.match(/<definedName\b[^>]*>[^<]*<\/definedName>/g) ?? [];
const relationships = (rels: string): string[] => (rels.match(/<Relationship\b[^>]*\/>/g) ?? []).sort();
const typeEntries = (types: string): string[] => (types.match(/<(Default|Override)\b[^>]*\/>/g) ?? []).sort();

let dir: string;
beforeAll(() => {
  dir = tempDir("prognoskoll-preserve-");
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the RICH workbook as made", () => {
  test("reads back with both sheets, the formula values and the parts added as XML", async () => {
    const file = await writeRich(dir, "rik-las.xlsx");
    const wb = await openWorkbook(file);
    expect(wb.sheets().map((s: { name(): string }) => s.name())).toEqual([SHEET, "Data"]);
    expect(cellOf(wb, SHEET, "B10")).toEqual({ value: -288639, formula: "SUM(B6:B9)" });
    expect(cellOf(wb, "Data", "B3")).toEqual({ value: 46518.2, formula: "B1+B2" });
    const parts = await partsOf(file);
    for (const p of RICH.addedParts) expect([p, parts.has(p)]).toEqual([p, true]);
    const sheet = await partText(file, "xl/worksheets/sheet1.xml");
    // Schema order: cols, sheetData, conditionalFormatting, dataValidations, pageMargins, drawing, legacyDrawing.
    const order = [
      "<cols>",
      "<sheetData>",
      "<conditionalFormatting ",
      "<dataValidations ",
      "<pageMargins ",
      "<drawing ",
      "<legacyDrawing ",
    ].map((t) => sheet.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The checker reads it like the reference sheet.
    const r = await cli("check", file, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).workbooks[0].flags.map((f: { cell: string }) => f.cell)).toEqual(["D8", "D10"]);
  });
});

describe.each([
  ["values", [] as string[]],
  ["formulas", ["--formulas"]],
])("check --write (%s) on the RICH workbook", (mode, extra) => {
  let file: string;
  let copy: string;
  beforeAll(async () => {
    file = await writeRich(dir, `rik-${mode}.xlsx`);
    copy = path.join(dir, `rik-${mode}.checked.xlsx`);
    const r = await cli("check", file, "--write", ...extra);
    if (r.code !== 0) throw new Error(`check --write failed (${r.code}): ${r.out}${r.err}`);
  });

  test("writes the copy with the deviations and highlights", async () => {
    const wb = await openWorkbook(copy);
    expect(cellOf(wb, SHEET, "D8")).toEqual(
      mode === "formulas" ? { value: -4000, formula: "C8-B8" } : { value: -4000, formula: undefined },
    );
    expect(cellOf(wb, SHEET, "D10")).toEqual(
      mode === "formulas" ? { value: -3000, formula: "C10-B10" } : { value: -3000, formula: undefined },
    );
    // The sum lines' own formulas were right and are kept.
    expect(cellOf(wb, SHEET, "B10")).toEqual({ value: -288639, formula: "SUM(B6:B9)" });
    expect(cellOf(wb, SHEET, "B14")).toEqual({ value: 0, formula: "SUM(B11:B13)" });
    expect(wb.sheet(SHEET).cell("D8").style("fill")).toEqual({ type: "solid", color: { rgb: "FFFFC7CE" } });
  });

  test("every part but the rewritten ones is byte-identical, and no part is lost or added", async () => {
    const before = await partsOf(file);
    const after = await partsOf(copy);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const untouched = [...before.keys()].filter((p) => !REWRITTEN.test(p)).sort();
    // The chart, its drawing, the comments, their VML, the theme and the second sheet at least.
    expect(untouched).toEqual(
      [...RICH.addedParts, "xl/theme/theme1.xml", "xl/worksheets/sheet2.xml"].filter((p) => !REWRITTEN.test(p)).sort(),
    );
    for (const p of untouched) expect([p, after.get(p)!.equals(before.get(p)!)]).toEqual([p, true]);
  });

  test("keeps both defined names, the formula one exactly", async () => {
    const before = definedNames(await partText(file, "xl/workbook.xml"));
    const after = definedNames(await partText(copy, "xl/workbook.xml"));
    expect(after).toEqual(before);
    expect(after).toHaveLength(2);
    expect(after).toContain(`<definedName name="${RICH.formulaName.name}">${RICH.formulaName.refersTo}</definedName>`);
    expect(after.some((d) => d.startsWith(`<definedName name="${RICH.rangeName}">`) && d.includes("$B$5:$B$14"))).toBe(
      true,
    );
  });

  test("keeps the conditional formatting, the data validation, the widths, the drawing and the comments' VML", async () => {
    const before = await partText(file, "xl/worksheets/sheet1.xml");
    const after = await partText(copy, "xl/worksheets/sheet1.xml");
    expect(one(after, /<conditionalFormatting\b[\s\S]*?<\/conditionalFormatting>/)).toBe(RICH.conditionalFormatting);
    expect(one(after, /<dataValidations\b[\s\S]*?<\/dataValidations>/)).toBe(RICH.dataValidations);
    expect(one(after, /<cols>[\s\S]*?<\/cols>/)).toBe(one(before, /<cols>[\s\S]*?<\/cols>/));
    expect(one(after, /<drawing\b[^>]*\/>/)).toBe('<drawing r:id="rIdDrawing1"/>');
    expect(one(after, /<legacyDrawing\b[^>]*\/>/)).toBe('<legacyDrawing r:id="rIdVml1"/>');
    expect(after.indexOf("<drawing ")).toBeLessThan(after.indexOf("<legacyDrawing "));
    expect(after.indexOf("</conditionalFormatting>")).toBeLessThan(after.indexOf("<dataValidations"));
    // The relationships those elements use, and the content types of the parts.
    const rels = "xl/worksheets/_rels/sheet1.xml.rels";
    expect(relationships(await partText(copy, rels))).toEqual(relationships(await partText(file, rels)));
    expect(relationships(await partText(copy, rels))).toHaveLength(3);
    expect(typeEntries(await partText(copy, "[Content_Types].xml"))).toEqual(
      expect.arrayContaining(typeEntries(await partText(file, "[Content_Types].xml"))),
    );
    // The conditional format's style.
    expect(one(await partText(copy, "xl/styles.xml"), /<dxfs\b[\s\S]*?<\/dxfs>/)).toBe(RICH.dxfs);
  });

  test("keeps the second sheet's cells, formats and width", async () => {
    const wb = await openWorkbook(copy);
    expect(["A1", "B1", "A2", "B2", "A3", "B3"].map((a) => cellOf(wb, "Data", a))).toEqual([
      { value: "Invånare", formula: undefined },
      { value: 46512, formula: undefined },
      { value: "Kostnad per invånare", formula: undefined },
      { value: 6.2, formula: undefined },
      { value: "Summa", formula: undefined },
      { value: 46518.2, formula: "B1+B2" },
    ]);
    expect(wb.sheet("Data").cell("A1").style("bold")).toBe(true);
    expect(wb.sheet("Data").cell("B1").style("numberFormat")).toBe("# ##0");
    expect(wb.sheet("Data").column("A").width()).toBe(24);
    expect(wb.sheet(SHEET).column("A").width()).toBe(32);
    expect(wb.sheet(SHEET).cell("A1").style("bold")).toBe(true);
  });

  test("checking the copy proposes nothing, and writing it again keeps everything", async () => {
    const again = await cli("check", copy, "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).workbooks[0].changes).toEqual([]);
    const second = path.join(dir, `rik-${mode}.again.xlsx`);
    const r = await cli("check", copy, "--write", "--out", second, ...extra);
    expect(r.code).toBe(0);
    const a = await partsOf(copy);
    const b = await partsOf(second);
    for (const p of RICH.addedParts) expect([p, b.get(p)?.equals(a.get(p)!)]).toEqual([p, true]);
  });
});

describe("the comparison that proves a copy keeps everything: changesBesidesPlan", () => {
  let before: Buffer;
  let grid: Grid;
  let plan: WritePlan;
  let written: Buffer;

  beforeAll(async () => {
    const file = await writeRich(dir, "rik-vakt.xlsx");
    const loaded = await loadWorkbook(fs.readFileSync(file));
    grid = await readGrid(loaded, SHEET);
    const result = checkGrid(grid);
    if (!result.ok) throw new Error(result.detail);
    plan = result.plan;
    written = await writePlan(loaded, grid, plan);
    before = loaded.data;
  });

  /** The written copy, changed by `edit`. */
  async function edited(edit: (zip: Zip) => Promise<void> | void): Promise<Buffer> {
    const zip = Zip.load(written);
    await edit(zip);
    return zip.toBuffer();
  }
  const replaceIn = async (zip: Zip, part: string, from: string, to: string): Promise<void> => {
    const text = zip.text(part);
    if (!text.includes(from)) throw new Error(`${part} does not contain ${from}`);
    zip.set(part, text.replace(from, to));
  };

  test("finds nothing in the copy as written (also re-zipped)", async () => {
    expect(plan.writes.length).toBe(10);
    expect(await changesBesidesPlan(before, written, SHEET_PART, grid, plan)).toEqual([]);
    expect(changesBesidesPlan(before, await edited(() => undefined), SHEET_PART, grid, plan)).toEqual([]);
  });

  test("names the chart when its part is removed", async () => {
    const copy = await edited((zip) => void zip.remove("xl/charts/chart1.xml"));
    const problems = changesBesidesPlan(before, copy, SHEET_PART, grid, plan);
    expect(problems).toEqual([{ part: "xl/charts/chart1.xml", change: "lost" }]);
  });

  test("names the chart when its part is changed", async () => {
    const copy = await edited((zip) => replaceIn(zip, "xl/charts/chart1.xml", "$B$5:$B$9", "$B$5:$B$8"));
    expect(changesBesidesPlan(before, copy, SHEET_PART, grid, plan)).toEqual([
      { part: "xl/charts/chart1.xml", change: "changed" },
    ]);
  });

  test("names the comments when they are removed", async () => {
    const copy = await edited((zip) => void zip.remove("xl/comments1.xml"));
    expect(changesBesidesPlan(before, copy, SHEET_PART, grid, plan)).toEqual([
      { part: "xl/comments1.xml", change: "lost" },
    ]);
  });

  test("names the defined names when the formula name is changed", async () => {
    const copy = await edited((zip) =>
      replaceIn(zip, "xl/workbook.xml", "Uppföljning!$B$6</definedName>", "Uppföljning!$B$7</definedName>"),
    );
    const problems = changesBesidesPlan(before, copy, SHEET_PART, grid, plan);
    expect(problems).toEqual([{ part: "definedNames", change: "changed" }]);
  });

  test("names the conditional formatting when it is dropped from the sheet", async () => {
    const copy = await edited((zip) => replaceIn(zip, "xl/worksheets/sheet1.xml", RICH.conditionalFormatting, ""));
    expect(changesBesidesPlan(before, copy, SHEET_PART, grid, plan)).toEqual([
      { part: "conditionalFormatting", change: "changed" },
    ]);
  });

  test("names the data validation and the drawing element when they are dropped", async () => {
    const copy = await edited(async (zip) => {
      await replaceIn(zip, "xl/worksheets/sheet1.xml", RICH.dataValidations, "");
      await replaceIn(zip, "xl/worksheets/sheet1.xml", '<drawing r:id="rIdDrawing1"/>', "");
    });
    expect(changesBesidesPlan(before, copy, SHEET_PART, grid, plan)).toEqual([
      { part: "dataValidations", change: "changed" },
      { part: "drawing", change: "changed" },
    ]);
  });

  test("names an input cell that changed, and not the planned ones", async () => {
    const copy = await edited((zip) => replaceIn(zip, "xl/worksheets/sheet1.xml", "<v>-63743</v>", "<v>-63000</v>"));
    expect(changesBesidesPlan(before, copy, SHEET_PART, grid, plan)).toEqual([{ part: "B8", change: "changed" }]);
  });

  test("names the second sheet when one of its cells changed", async () => {
    const copy = await edited((zip) => replaceIn(zip, "xl/worksheets/sheet2.xml", "<v>46512</v>", "<v>46000</v>"));
    const problems = changesBesidesPlan(before, copy, SHEET_PART, grid, plan);
    expect(problems).toHaveLength(1);
    expect(problems[0].part).toMatch(/^xl\/worksheets\/sheet2\.xml/);
  });
});

describe("a workbook with a chart sheet", () => {
  test.each([false, true])(
    "is checked and gets its copy, the chart sheet kept (chart sheet first: %s)",
    async (first) => {
      const name = first ? "diagramblad-forst.xlsx" : "diagramblad.xlsx";
      const file = await writeWithChartSheet(dir, name, first);
      const r = await cli("check", file, "--write");
      expect(r.out).not.toMatch(/^\s+at /m);
      const copy = file.replace(/\.xlsx$/, ".checked.xlsx");
      expect(r.out).toMatch(new RegExp(`Skrev ${copy.replace(/[.\\/]/g, "\\$&")} \\(\\d+ celler\\)`));
      const before = await partsOf(file);
      const after = await partsOf(copy);
      for (const p of ["xl/chartsheets/sheet1.xml", "xl/chartsheets/_rels/sheet1.xml.rels", "xl/charts/chart1.xml"]) {
        expect([p, after.get(p)?.equals(before.get(p)!)]).toEqual([p, true]);
      }
      // The copy reads again, with nothing left to write.
      const again = await cli("check", copy, "--json");
      expect(JSON.parse(again.out).workbooks[0].changes).toEqual([]);
    },
  );
});
