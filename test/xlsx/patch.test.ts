/**
 * The checked copy is the original with only the planned cells changed, for every way a
 * workbook may be stored: written by hand here part by part and zipped with another zip library
 * (fflate), then checked, written, compared part by part and cell by cell with the original, and
 * read and checked again.
 */
import { applyPlanToGrid, checkGrid, type Grid, type WritePlan } from "../../src/core";
import { keptFormulaResults, loadWorkbook, readGrid, writePlan, WorkbookError } from "../../src/xlsx";
import { ZipArchive } from "../../src/xlsx/zip";
import { handmadeWorkbook as workbook, type Layout } from "../helpers/handmade";
import { changesBesidesPlan, xmlTree, type Node } from "../helpers/preserve";

const colName = (c: number): string => String.fromCharCode(65 + c);

interface Written {
  grid: Grid;
  plan: WritePlan;
  copy: Buffer;
  copyGrid: Grid;
}

async function checkAndWrite(bytes: Buffer, options: { formulas?: boolean } = {}): Promise<Written> {
  const loaded = await loadWorkbook(bytes);
  const grid = await readGrid(loaded, "Uppföljning");
  const result = checkGrid(grid, { formulas: options.formulas });
  if (!result.ok) throw new Error(result.detail);
  const copy = await writePlan(loaded, grid, result.plan, keptFormulaResults(result.report, result.plan));
  const again = await loadWorkbook(copy);
  return { grid, plan: result.plan, copy, copyGrid: await readGrid(again, "Uppföljning") };
}

/** A grid's cells as "A1" → value and formula, empty cells left out. */
function cellsOf(grid: Grid): Map<string, [unknown, string | undefined]> {
  const o = grid.origin ?? { row: 0, col: 0 };
  const out = new Map<string, [unknown, string | undefined]>();
  grid.cells.forEach((row, r) =>
    row.forEach((c, k) => {
      if (c && (c.v !== null || c.f !== undefined)) out.set(`${colName(o.col + k)}${o.row + r + 1}`, [c.v, c.f]);
    }),
  );
  return out;
}

/** The cells of a copy whose style has the flag's fill and text colour. */
function flaggedCells(copy: Buffer, sheetPart: string, stylesPart = "xl/styles.xml"): string[] {
  const zip = new ZipArchive(copy);
  const styles = xmlTree(zip.text(stylesPart)!);
  const child = (n: Node, name: string): Node | undefined =>
    n.children.find((c): c is Node => typeof c === "object" && c.name === name);
  const kids = (n: Node | undefined): Node[] => (n?.children ?? []).filter((c): c is Node => typeof c === "object");
  const fills = kids(child(styles, "fills"));
  const fonts = kids(child(styles, "fonts"));
  const flagged = kids(child(styles, "cellXfs")).map((xf) => {
    const fill = fills[Number(xf.attributes.fillId ?? 0)];
    const font = fonts[Number(xf.attributes.fontId ?? 0)];
    const fg = fill && child(child(fill, "patternFill") ?? fill, "fgColor");
    const color = font && child(font, "color");
    return fg?.attributes.rgb === "FFFFC7CE" && color?.attributes.rgb === "FF9C0006";
  });
  const out: string[] = [];
  const sheet = xmlTree(zip.text(sheetPart)!);
  for (const row of kids(child(sheet, "sheetData"))) {
    for (const c of kids(row)) if (flagged[Number(c.attributes.s ?? 0)]) out.push(String(c.attributes.r));
  }
  return out.sort();
}

/** The sheet part's XML with the elements of the given cells taken out. */
function without(xml: string, refs: Set<string>): string {
  return xml.replace(/<c r="([A-Z]+\d+)"[^>]*?(\/>|>[\s\S]*?<\/c>)/g, (all, ref: string) => (refs.has(ref) ? "" : all));
}

const LAYOUTS: [string, Layout][] = [
  ["Excel's own layout", {}],
  ['numbers typed t="n" (LibreOffice)', { typedNumbers: true }],
  ["an empty shared string as a header", { emptyHeader: true }],
  ["no styles part", { stylesPart: null }],
  ["cells and rows without r attributes", { noRefs: true }],
  ["inline strings", { text: "inline" }],
  ["rich text labels", { text: "rich" }],
  ["a chart sheet first", { chartSheetFirst: true }],
  [
    "parts named otherwise",
    { workbookPart: "xl/bok.xml", sheetPart: "xl/blad/uppfoljning.xml", stylesPart: "xl/format.xml" },
  ],
  ["a calculation chain", { calcChain: true }],
  ["the sheet's elements with a namespace prefix", { prefixed: true }],
  ["stale figures in every planned cell, styled", { cells: staleCells() }],
];

/** Stale figures where the plan writes: every deviation, and the sum lines' budget and forecast. */
function staleCells(): Record<string, string> {
  const cells: Record<string, string> = {};
  for (let r = 4; r <= 13; r++) cells[`D${r}`] = `<c r="D${r}" s="1"><v>${r * 1000 + 1}</v></c>`;
  for (const r of [9, 10, 13]) {
    cells[`B${r}`] = `<c r="B${r}" s="2"><v>-1000</v></c>`;
    cells[`C${r}`] = `<c r="C${r}"><f>SUM(C1:C2)</f><v>77</v></c>`;
  }
  return cells;
}

describe.each(LAYOUTS)("a workbook with %s", (_, layout) => {
  test.each([false, true])("gets its copy, with only the planned cells changed (formulas: %s)", async (formulas) => {
    const { bytes, sheetPart } = workbook(layout);
    const { grid, plan, copy, copyGrid } = await checkAndWrite(bytes, { formulas });
    // Deviations of all ten lines and the three sum lines' budget and forecast.
    expect(plan.writes.length).toBe(16);
    expect(changesBesidesPlan(bytes, copy, sheetPart, grid, plan)).toEqual([]);
    // The copy reads back as the original with the plan applied, and needs nothing more.
    const expected = cellsOf(applyPlanToGrid(grid, plan));
    expect(cellsOf(copyGrid)).toEqual(expected);
    const recheck = checkGrid(copyGrid, { formulas });
    expect(recheck.ok && recheck.plan.writes).toEqual([]);
    // Flagged: exactly the cells the plan names.
    const o = grid.origin ?? { row: 0, col: 0 };
    const named = plan.highlights.map((h) => `${colName(o.col + h.col)}${o.row + h.row + 1}`).sort();
    // Köp av tjänster and Verksamhetens kostnader.
    expect(named).toEqual(["D7", "D9"]);
    expect(flaggedCells(copy, sheetPart, layout.stylesPart ?? "xl/styles.xml")).toEqual(named);
  });
});

describe("patching", () => {
  test("every byte of the sheet outside the planned cells is as it was", async () => {
    const { bytes, sheetPart } = workbook();
    const { grid, plan, copy } = await checkAndWrite(bytes);
    const o = grid.origin ?? { row: 0, col: 0 };
    const refs = new Set(plan.writes.map((w) => `${colName(o.col + w.col)}${o.row + w.row + 1}`));
    const before = new ZipArchive(bytes).text(sheetPart)!;
    const after = new ZipArchive(copy).text(sheetPart)!;
    expect(after).not.toBe(before);
    expect(without(after, refs)).toBe(without(before, refs));
    // Every other part but styles and workbook: the same bytes.
    const a = new ZipArchive(bytes);
    const b = new ZipArchive(copy);
    for (const { name } of a.entries) {
      if ([sheetPart, "xl/styles.xml", "xl/workbook.xml"].includes(name)) continue;
      expect([name, b.bytes(name)?.equals(a.bytes(name)!)]).toEqual([name, true]);
    }
    expect(b.text("xl/workbook.xml")).toContain('<calcPr fullCalcOnLoad="1"/>');
  });

  test("cells and rows it creates in a prefixed sheet carry the sheet's prefix", async () => {
    const { bytes, sheetPart } = workbook({ prefixed: true });
    const { copy } = await checkAndWrite(bytes);
    const xml = new ZipArchive(copy).text(sheetPart)!;
    expect(xml).toContain('<x:c r="D4"');
    expect(xml).not.toMatch(/<(c|row|v|f|is|t)[\s>/]/);
  });

  test("drops the calculation chain, its content type and its relationship", async () => {
    const { bytes } = workbook({ calcChain: true });
    const { copy } = await checkAndWrite(bytes);
    const zip = new ZipArchive(copy);
    expect(zip.has("xl/calcChain.xml")).toBe(false);
    expect(zip.text("[Content_Types].xml")).not.toContain("calcChain");
    expect(zip.text("xl/_rels/workbook.xml.rels")).not.toContain("calcChain");
    expect(zip.text("xl/_rels/workbook.xml.rels")).toContain("sharedStrings");
  });

  test("a workbook without styles gets a styles part with its content type and relationship", async () => {
    const { bytes } = workbook({ stylesPart: null });
    const { copy } = await checkAndWrite(bytes);
    const zip = new ZipArchive(copy);
    expect(zip.text("[Content_Types].xml")).toContain('PartName="/xl/styles.xml"');
    expect(zip.text("xl/_rels/workbook.xml.rels")).toMatch(/relationships\/styles" Target="styles.xml"/);
  });

  test("a rewritten first cell of a filled-down formula leaves each other cell its own formula", async () => {
    // D4 is wrong (its budget is the next row's); D5 shares the formula and is right.
    const { bytes, sheetPart } = workbook({
      cells: {
        D4: '<c r="D4"><f t="shared" ref="D4:D5" si="0">C4-B$5</f><v>-129862</v></c>',
        D5: '<c r="D5"><f t="shared" si="0"/><v>1000</v></c>',
      },
    });
    const { grid, plan, copy, copyGrid } = await checkAndWrite(bytes);
    expect(plan.writes.map((w) => w.cell)).toContain("D4");
    expect(plan.writes.map((w) => w.cell)).not.toContain("D5");
    expect(changesBesidesPlan(bytes, copy, sheetPart, grid, plan)).toEqual([]);
    const xml = new ZipArchive(copy).text(sheetPart)!;
    expect(xml).toContain('<c r="D5"><f>C5-B$5</f><v>1000</v></c>');
    expect(cellsOf(copyGrid).get("D5")).toEqual([1000, "C5-B$5"]);
    expect(cellsOf(copyGrid).get("D4")).toEqual([3000, undefined]);
  });

  test("a formula the plan keeps stores what it computes once the written cells change, and the copy checks clean", async () => {
    // Årets resultat and the operating costs' deviation are formulas saved before their sum lines
    // were filled in: their stored results (999, 0) are what the empty cells gave.
    const { bytes, sheetPart } = workbook({
      cells: {
        B13: '<c r="B13"><f>B10+B11+B12</f><v>999</v></c>',
        D9: '<c r="D9" t="str"><f>C9-B9</f><v></v></c>',
      },
    });
    const { plan, copy, copyGrid } = await checkAndWrite(bytes);
    expect(plan.writes.map((w) => w.cell)).not.toContain("B13");
    expect(plan.writes.map((w) => w.cell)).not.toContain("D9");
    expect(plan.writes.map((w) => w.cell)).toEqual(expect.arrayContaining(["B9", "C9", "B10"]));
    const cells = cellsOf(copyGrid);
    expect(cells.get("B13")).toEqual([0, "B10+B11+B12"]);
    expect(cells.get("D9")).toEqual([-3000, "C9-B9"]);
    // The formulas themselves are stored as they were.
    const xml = new ZipArchive(copy).text(sheetPart)!;
    expect(xml).toContain('<c r="B13"><f>B10+B11+B12</f><v>0</v></c>');
    // D9, a negative deviation, is flagged as well: a style of its own, its text type dropped.
    expect(xml).toMatch(/<c r="D9" s="\d+"><f>C9-B9<\/f><v>-3000<\/v><\/c>/);
    expect(flaggedCells(copy, sheetPart)).toContain("D9");
    const again = checkGrid(copyGrid);
    if (!again.ok) throw new Error(again.detail);
    expect(again.report.counts.error).toBe(0);
    expect(again.plan.writes).toEqual([]);
  });

  test("a cell it creates in a formatted column takes the column's format", async () => {
    // Column D is formatted as a whole (style 1, the amounts' format); its cells do not exist yet.
    const { bytes, sheetPart } = workbook({
      cols: '<col min="1" max="1" width="32" customWidth="1"/><col min="4" max="4" width="12" style="1" customWidth="1"/>',
    });
    const { copy } = await checkAndWrite(bytes);
    const xml = new ZipArchive(copy).text(sheetPart)!;
    // D4, a positive deviation, is plain: the column's own style. B9, in an unformatted column, has none.
    expect(xml).toContain('<c r="D4" s="1"><v>3000</v></c>');
    expect(xml).toContain('<c r="B9"><v>-288639</v></c>');
  });

  test("a planned cell inside an array formula over several cells is refused with a clear message", async () => {
    const { bytes } = workbook({
      cells: {
        D4: '<c r="D4"><f t="array" ref="D4:D5">C4:C5-B4:B5</f><v>0</v></c>',
        D5: '<c r="D5"><v>1000</v></c>',
      },
    });
    const loaded = await loadWorkbook(bytes);
    const grid = await readGrid(loaded, "Uppföljning");
    const result = checkGrid(grid);
    if (!result.ok) throw new Error(result.detail);
    const error = await writePlan(loaded, grid, result.plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbookError);
    expect((error as WorkbookError).text("sv")).toBe(
      "inget skrevs: D4 ingår i en matrisformel över flera celler, som bara kan ändras som helhet; skriv i Excel",
    );
  });
});
