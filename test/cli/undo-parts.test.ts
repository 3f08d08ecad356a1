/**
 * A workbook the add-in has written carries its undo snapshot in custom XML parts: the command
 * checks the same table in it as without them, and its copy keeps them exactly.
 */
import fs from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/main";
import { partNamespace, snapshotParts, type SavedCell } from "../../src/excel/undo-store";
import { handmadeWorkbook } from "../helpers/handmade";
import { tempDir } from "../helpers/workbooks";
import { Zip } from "../helpers/zip";

const CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml";

/** The workbook with a snapshot of the add-in in custom XML parts, related from the workbook as Excel stores them. */
function withSnapshot(bytes: Buffer): Buffer {
  const zip = Zip.load(bytes);
  const cells: SavedCell[] = [[7, 3, "", "General", -4000]];
  const [xml] = snapshotParts(partNamespace("anna", "1f2e"), cells);
  zip.set("customXml/item1.xml", xml);
  const rels = zip.text("xl/_rels/workbook.xml.rels");
  zip.set(
    "xl/_rels/workbook.xml.rels",
    rels.replace(
      "</Relationships>",
      `<Relationship Id="rIdUndo" Type="${CUSTOM_XML}" Target="../customXml/item1.xml"/></Relationships>`,
    ),
  );
  return zip.toBuffer();
}

async function check(file: string, args: string[] = []): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await run(["check", file, "--json", ...args], {
    stdout: (s) => void (out += s),
    stderr: (s) => void (out += s),
  });
  return { code, out };
}

test("the command checks the same table with the add-in's undo parts in the workbook, and its copy keeps them", async () => {
  const dir = tempDir();
  const plain = path.join(dir, "plain.xlsx");
  const written = path.join(dir, "written.xlsx");
  const bytes = handmadeWorkbook().bytes;
  fs.writeFileSync(plain, bytes);
  fs.writeFileSync(written, withSnapshot(bytes));
  const a = await check(plain);
  const b = await check(written);
  const report = (out: string) => {
    const wb = JSON.parse(out).workbooks[0];
    delete wb.file;
    return wb;
  };
  expect(b.code).toBe(a.code);
  expect(report(b.out)).toEqual(report(a.out));
  expect(report(b.out).sheet).toBe("Uppföljning");

  await check(written, ["--write"]);
  const copy = Zip.load(fs.readFileSync(path.join(dir, "written.checked.xlsx")));
  expect(copy.text("customXml/item1.xml")).toBe(Zip.load(fs.readFileSync(written)).text("customXml/item1.xml"));
});
