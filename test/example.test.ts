import fs from "node:fs";
import path from "node:path";
import { Zip } from "./helpers/zip";
import { loadWorkbook, readGrid } from "../src/xlsx";
import { checkGrid } from "../src/core";
import { REFERENCE } from "./helpers/grids";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildExample } = require("../scripts/make-example.js") as { buildExample(): Promise<Buffer> };

const EXAMPLE = path.resolve(__dirname, "..", "examples", "uppfoljning-maj-2025.xlsx");

describe("the bundled example", () => {
  test("is what scripts/make-example.js makes", async () => {
    const committed = await loadWorkbook(fs.readFileSync(EXAMPLE));
    const fresh = await loadWorkbook(await buildExample());
    expect(committed.sheetNames).toEqual(["Uppföljning", "Anvisningar"]);
    expect(fresh.sheetNames).toEqual(committed.sheetNames);
    for (const name of committed.sheetNames) {
      expect(await readGrid(committed, name)).toEqual(await readGrid(fresh, name));
    }
  });

  test("declares every sheet part, so Excel opens it without repair", async () => {
    const zip = Zip.load(fs.readFileSync(EXAMPLE));
    const types = zip.text("[Content_Types].xml");
    const sheets = zip.names().filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    expect(sheets).toEqual(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]);
    for (const s of sheets) expect(types).toContain(`PartName="/${s}"`);
  });

  test("is the reference sheet as an economist receives it, and checks to the reference figures", async () => {
    const loaded = await loadWorkbook(fs.readFileSync(EXAMPLE));
    const grid = await readGrid(loaded, "Uppföljning");
    const r = checkGrid(grid);
    if (!r.ok) throw new Error(r.detail);
    expect(r.report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual(REFERENCE);
    // Deviations and result lines are empty until written.
    expect(r.report.lines.every((l) => l.entered.deviation.state === "empty")).toBe(true);
    expect(r.plan.writes.map((w) => w.cell)).toEqual([
      "D5",
      "D6",
      "D7",
      "D8",
      "D9",
      "B10",
      "C10",
      "D10",
      "B11",
      "C11",
      "D11",
      "D12",
      "D13",
      "B14",
      "C14",
      "D14",
    ]);
  });
});
