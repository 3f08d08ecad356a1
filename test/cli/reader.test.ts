/**
 * The sheet reader on workbooks written by hand, part by part: every way SpreadsheetML stores a
 * cell, and XML that must be refused with a clear message.
 */
import { Zip } from "../helpers/zip";
import { loadWorkbook, readGrid, WorkbookError } from "../../src/xlsx";

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

async function workbook(sheetData: string, parts: Record<string, string> = {}, extra = ""): Promise<Buffer> {
  const zip = new Zip();
  zip.set(
    "[Content_Types].xml",
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  );
  zip.set(
    "xl/workbook.xml",
    `<?xml version="1.0"?><workbook ${NS} ${R}><sheets><sheet name="Drift &amp; investering" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  zip.set(
    "xl/_rels/workbook.xml.rels",
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  zip.set(
    "xl/worksheets/sheet1.xml",
    `<?xml version="1.0"?><worksheet ${NS}><sheetData>${sheetData}</sheetData>${extra}</worksheet>`,
  );
  for (const [name, xml] of Object.entries(parts)) zip.set(name, xml);
  return zip.toBuffer();
}

async function grid(sheetData: string, parts: Record<string, string> = {}, extra = "") {
  const loaded = await loadWorkbook(await workbook(sheetData, parts, extra));
  return readGrid(loaded, loaded.sheetNames[0]);
}

describe("the sheet reader", () => {
  test("reads the sheet's name with its XML entities decoded", async () => {
    const loaded = await loadWorkbook(await workbook('<row r="1"><c r="A1"><v>1</v></c></row>'));
    expect(loaded.sheetNames).toEqual(["Drift & investering"]);
  });

  test("reads every kind of cell value", async () => {
    const sst =
      `<?xml version="1.0"?><sst ${NS} count="3" uniqueCount="3">` +
      "<si><t>Köp av tjänster</t></si>" +
      // Rich text: the runs' text together; the phonetic reading is not part of it.
      '<si><r><t xml:space="preserve">Summa </t></r><r><rPr><b/></rPr><t>kostnader</t></r><rPh sb="0" eb="1"><t>yomi</t></rPh></si>' +
      "<si><t>00123</t></si></sst>";
    const g = await grid(
      '<row r="2">' +
        '<c r="B2" t="s"><v>0</v></c><c r="C2"><v>-4000.5</v></c><c r="D2" t="b"><v>1</v></c>' +
        '<c r="E2" t="e"><v>#REF!</v></c><c r="F2" t="inlineStr"><is><r><t>Prognos </t></r><r><t>&lt;helår&gt;</t></r><rPh sb="0" eb="1"><t>yomi</t></rPh></is></c>' +
        '<c r="G2" t="s"><v>1</v></c><c r="H2" t="s"><v>2</v></c><c r="I2" t="str"><f>B2&amp;"!"</f><v>Köp av tjänster!</v></c>' +
        "</row>",
      { "xl/sharedStrings.xml": sst },
    );
    expect(g.origin).toEqual({ row: 1, col: 1 });
    expect(g.cells).toEqual([
      [
        { v: "Köp av tjänster" },
        { v: -4000.5 },
        { v: true },
        { v: { error: "#REF!" } },
        { v: "Prognos <helår>" },
        { v: "Summa kostnader" },
        { v: "00123" },
        { v: "Köp av tjänster!", f: 'B2&"!"' },
      ],
    ]);
  });

  test("decodes the _xHHHH_ escapes of stored text, in shared, inline and formula text, and keeps an escaped underscore literal", async () => {
    const sst =
      `<?xml version="1.0"?><sst ${NS} count="2" uniqueCount="2">` +
      "<si><t>Verksamhetens_x000D_\nkostnader</t></si>" +
      "<si><t>Konto_x005F_x0041_</t></si></sst>";
    const g = await grid(
      '<row r="1">' +
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>' +
        '<c r="C1" t="inlineStr"><is><t>Prognos_x000a_helår</t></is></c>' +
        '<c r="D1" t="str"><f>A1</f><v>Verksamhetens_x000d_\nkostnader</v></c>' +
        "</row>",
      { "xl/sharedStrings.xml": sst },
    );
    expect(g.cells[0].map((c) => c?.v)).toEqual([
      "Verksamhetens\r\nkostnader",
      "Konto_x0041_",
      "Prognos\nhelår",
      "Verksamhetens\r\nkostnader",
    ]);
  });

  test("places cells without a reference after the one before, and rows without a number after the row before", async () => {
    const g = await grid('<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c r="C4"><v>3</v></c></row>');
    expect(g.origin).toEqual({ row: 2, col: 1 });
    expect(g.cells).toEqual([
      [{ v: 1 }, { v: 2 }],
      [null, { v: 3 }],
    ]);
  });

  test("gives each cell of a filled-down formula its own formula, and keeps formulas without a last value", async () => {
    const g = await grid(
      '<row r="1"><c r="D1"><f t="shared" ref="D1:D3" si="0">C1-B1</f><v>5</v></c></row>' +
        '<row r="2"><c r="D2"><f t="shared" si="0"/><v>6</v></c></row>' +
        '<row r="3"><c r="D3"><f t="shared" si="0"/></c></row>' +
        '<row r="4"><c r="D4"><f>SUM($D$1:D3)</f></c></row>',
    );
    expect(g.cells.map((r) => r[0])).toEqual([
      { v: 5, f: "C1-B1" },
      { v: 6, f: "C2-B2" },
      { v: null, f: "C3-B3" },
      { v: null, f: "SUM($D$1:D3)" },
    ]);
  });

  test("a formula's empty value is empty text only where it is typed as text; otherwise it was never computed", async () => {
    // Excel and LibreOffice store a formula showing "" as t="str"; openpyxl writes <v/> for every
    // formula it saves, having computed none.
    const g = await grid(
      '<row r="1"><c r="A1" t="str"><f>IF(B1="","",B1)</f><v></v></c><c r="B1"><f>Budget!B2</f><v/></c>' +
        '<c r="C1"><f>Budget!C2</f><v></v></c><c r="D1"><f>C1-B1</f></c></row>',
    );
    expect(g.cells[0]).toEqual([
      { v: "", f: 'IF(B1="","",B1)' },
      { v: null, f: "Budget!B2" },
      { v: null, f: "Budget!C2" },
      { v: null, f: "C1-B1" },
    ]);
  });

  test("reads number formats, built-in and the workbook's own, and leaves General unstated", async () => {
    const styles =
      `<?xml version="1.0"?><styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="# ##0;-# ##0"/></numFmts>` +
      '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="10"/></cellXfs></styleSheet>';
    const g = await grid(
      '<row r="1"><c r="A1" s="0"><v>1</v></c><c r="B1" s="1"><v>2</v></c><c r="C1" s="2"><v>45800</v></c><c r="D1" s="3"><v>0.5</v></c></row>',
      { "xl/styles.xml": styles },
    );
    expect(g.cells[0]).toEqual([
      { v: 1 },
      { v: 2, z: "# ##0;-# ##0" },
      { v: 45800, z: "mm-dd-yy" },
      { v: 0.5, z: "0.00%" },
    ]);
  });

  test("takes a cell's format from the cell formats, not from a conditional format's of the same id", async () => {
    // As openpyxl saves a workbook: the cells' formats renumbered from 164, a conditional format's
    // date format left with the id it had.
    const styles =
      `<?xml version="1.0"?><styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="# ##0 &quot;tkr&quot;"/></numFmts>` +
      '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>' +
      '<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="d mmm yyyy"/></dxf></dxfs></styleSheet>';
    const g = await grid('<row r="1"><c r="A1" s="1"><v>32336</v></c></row>', { "xl/styles.xml": styles });
    expect(g.cells[0]).toEqual([{ v: 32336, z: '# ##0 "tkr"' }]);
  });

  test("leaves out styled cells that hold nothing, and reads merged areas relative to the used range", async () => {
    const g = await grid(
      '<row r="1"><c r="A1" s="1"/><c r="B1" t="s"/></row><row r="2"><c r="B2"><v>1</v></c><c r="C2"><v>2</v></c></row>',
      {},
      '<mergeCells count="1"><mergeCell ref="B2:C2"/></mergeCells>',
    );
    expect(g.origin).toEqual({ row: 1, col: 1 });
    expect(g.merges).toEqual([{ top: 0, left: 0, bottom: 0, right: 1 }]);
  });

  test.each([
    ["a cell beyond the last column", '<row r="1"><c r="XFE1"><v>1</v></c></row>', /XFE1/],
    ["a cell beyond the last row", '<row r="1"><c r="A1048577"><v>1</v></c></row>', /A1048577/],
    ["a row number that is not one", '<row r="-3"><c><v>1</v></c></row>', /-3/],
    ["XML that is not well formed", '<row r="1"><c r="A1"><v>1</c></row>', /sheet1\.xml/],
  ])("refuses %s with a clear message", async (_what, sheetData, detail) => {
    const error = await grid(sheetData).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkbookError);
    const text = (error as WorkbookError).text("en");
    expect(text).toMatch(/^the workbook cannot be read: /);
    expect(text).toMatch(detail);
  });

  test("expands no entity a document declares for itself, and reads no file it names", async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol "lol"><!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      `<sst ${NS}><si><t>&x;&lol;</t></si></sst>`;
    const error = await grid('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', { "xl/sharedStrings.xml": xxe }).then(
      (g) => g,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkbookError);
    expect((error as WorkbookError).text("en")).toMatch(/sharedStrings\.xml/);
    expect((error as WorkbookError).text("en")).not.toMatch(/root:/);
  });
});
