import fs from "node:fs";
import path from "node:path";
import { Zip } from "../helpers/zip";
import { run } from "../../src/cli/main";
import { cellOf, openWorkbook, tempDir, writeReference } from "../helpers/workbooks";

/**
 * A deviation column filled down in Excel is stored as one shared formula: the first cell holds
 * it, the others refer to it. Rewriting the first cell must not take the formula from the others.
 */

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

/** The costs-positive reference sheet with D6:D12 filled down as =C6-B6 (wrong for cost lines). */
async function filledDown(dir: string, formula = "C6-B6"): Promise<string> {
  const file = await writeReference(dir, "ifylld.xlsx", { costsPositive: true, sums: "values", deviations: true });
  const zip = Zip.load(fs.readFileSync(file));
  let xml = zip.text("xl/worksheets/sheet1.xml");
  const wb = await openWorkbook(file);
  for (let row = 6; row <= 12; row++) {
    const b = cellOf(wb, "Uppföljning", `B${row}`).value as number;
    const c = cellOf(wb, "Uppföljning", `C${row}`).value as number;
    const f = row === 6 ? `<f t="shared" ref="D6:D12" si="0">${formula}</f>` : `<f t="shared" si="0"/>`;
    xml = xml.replace(
      new RegExp(`<c r="D${row}"([^>]*?)(/>|>[\\s\\S]*?</c>)`),
      `<c r="D${row}"$1>${f}<v>${c - b}</v></c>`,
    );
  }
  zip.set("xl/worksheets/sheet1.xml", xml);
  fs.writeFileSync(file, zip.toBuffer());
  return file;
}

test("rewriting the first cell of a filled-down formula keeps the formula in the cells that are right", async () => {
  const dir = tempDir();
  const file = await filledDown(dir);
  const r = await cli("check", file, "--write", "--json");
  const w = JSON.parse(r.out).workbooks[0];
  expect(w.writeError).toBeUndefined();
  expect(r.code).toBe(1);
  expect(w.changes.map((c: { cell: string }) => c.cell)).toEqual(["D6", "D7", "D8", "D9", "D10", "D11"]);
  const copy = await openWorkbook(path.join(dir, "ifylld.checked.xlsx"));
  expect(cellOf(copy, "Uppföljning", "D6")).toEqual({ value: 1000, formula: undefined });
  // Kommunbidrag is revenue: forecast − budget was right, and stays a formula with its value.
  expect(cellOf(copy, "Uppföljning", "D12")).toEqual({ value: 0, formula: "C12-B12" });
  // And checking the copy finds the column right.
  const again = await cli("check", path.join(dir, "ifylld.checked.xlsx"), "--json");
  expect(JSON.parse(again.out).workbooks[0].changes).toEqual([]);
});

test("a filled-down formula's other cells keep the sheet and table names it refers to", async () => {
  // A sheet named like a cell is quoted ('T2'), and a table's column may be named like one too.
  const dir = tempDir();
  const file = await filledDown(dir, "C6-B6+0*'T2'!A1+0*SUM(Tabell1[Prognos T2])");
  const r = await cli("check", file, "--write", "--json");
  expect(JSON.parse(r.out).workbooks[0].writeError).toBeUndefined();
  const xml = Zip.load(fs.readFileSync(path.join(dir, "ifylld.checked.xlsx"))).text("xl/worksheets/sheet1.xml");
  // Every cell of the group the plan leaves keeps the names, its own references moved.
  const kept = [...xml.matchAll(/<c r="D(\d+)"[^>]*><f>([^<]*)<\/f>/g)].map(([, row, f]) => [Number(row), f]);
  expect(kept.length).toBeGreaterThan(1);
  for (const [row, f] of kept) expect(f).toBe(`C${row}-B${row}+0*'T2'!A${Number(row) - 5}+0*SUM(Tabell1[Prognos T2])`);
});
