/**
 * Real .xlsx files for the command's tests, made in a temporary folder.
 *
 * The sheets themselves are made with exceljs. The chart, the cell comment and the conditional
 * format of the RICH workbook are written as XML parts (zip.ts), because exceljs cannot create
 * them as a user's Excel does; so is a formula-defined name. Workbooks are read back by SheetJS
 * (values, formulas, number formats) and exceljs (fills, fonts, widths), through a small view
 * (openWorkbook) that the tests query cell by cell.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Zip } from "./zip";
import ExcelJS from "exceljs";
import * as XLSX from "xlsx";
import { REFERENCE, SUM_LINES } from "./grids";

/** A new temporary folder; every test file makes its own. */
export function tempDir(prefix = "prognoskoll-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const SHEET = "Uppföljning";
/** Sheet rows of the reference table's lines (row 5 = Verksamhetens intäkter ... row 14 = Årets resultat). */
export const FIRST_LINE_ROW = 5;
export const rowOf = (label: string): number => FIRST_LINE_ROW + REFERENCE.findIndex(([l]) => l === label);
/** The input lines' rows (5–9, 12–13): their figures are typed, never written by the tool. */
export const INPUT_ROWS = REFERENCE.filter(([l]) => !SUM_LINES.has(l)).map(([l]) => rowOf(l));
export const SUM_ROWS = REFERENCE.filter(([l]) => SUM_LINES.has(l)).map(([l]) => rowOf(l));

/** The SUM formulas of the sum lines in column B (the other columns use the same rows). */
export const SUM_FORMULAS: Record<number, (col: string) => string> = {
  10: (c) => `SUM(${c}6:${c}9)`,
  11: (c) => `${c}5+${c}10`,
  14: (c) => `SUM(${c}11:${c}13)`,
};

export interface ReferenceOptions {
  /** Costs entered as positive numbers (deviation = budget − forecast on cost lines). */
  costsPositive?: boolean;
  /** Amounts in mnkr with one decimal, instead of tkr. */
  mnkr?: boolean;
  /**
   * The sum lines' budget and forecast: "empty" (as in the example), "values" (the right figures),
   * "formulas" (SUM formulas with cached values), "formula-misses-row" (B10 and C10 are
   * SUM(B6:B8), leaving out Övriga kostnader, with the values that formula gives), "wrong-value"
   * (B10 typed as a figure 1 000 below the sum of its parts).
   */
  sums?: "empty" | "values" | "formulas" | "formula-misses-row" | "wrong-value";
  /** Fill the deviation column with the right figures. */
  deviations?: boolean;
  /** Figures as Swedish text ("−63 743" with U+2212 and U+00A0 no-break space), not numbers. */
  textFigures?: boolean;
  /** With textFigures: how a zero is typed (default "0"; "–", the typographic zero, also occurs). */
  textZero?: string;
  /** Cells (like "B8") that hold the error #REF!; "all" for every figure cell B5:D14. */
  refErrors?: string[] | "all";
  sheetName?: string;
}

/** One line's figures in the sheet's unit: [label, budget, forecast, deviation]. */
export type Line = [string, number, number, number];

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * The reference table as the given options enter it: costs positive flips cost lines' signs (and
 * their deviations are budget − forecast, so they keep their sign); mnkr divides by 1 000 and
 * rounds to one decimal, with the sum lines made from the rounded parts.
 */
export function referenceLines(options: ReferenceOptions = {}): Line[] {
  // The template's cost lines (net cost included: a costs-positive sheet shows it positive too).
  const cost = new Set([
    "Personalkostnader",
    "Lokalhyror",
    "Köp av tjänster",
    "Övriga kostnader",
    "Verksamhetens kostnader",
    "Verksamhetens nettokostnader",
  ]);
  let lines: Line[] = REFERENCE.map(([l, b, c, d]) => [l, b, c, d]);
  if (options.mnkr) {
    const inputs = new Map(
      lines.filter(([l]) => !SUM_LINES.has(l)).map(([l, b, c]) => [l, [round1(b / 1000), round1(c / 1000)]]),
    );
    const get = (l: string): number[] => inputs.get(l)!;
    const costs = ["Personalkostnader", "Lokalhyror", "Köp av tjänster", "Övriga kostnader"].map(get);
    const kost = [0, 1].map((k) => round1(costs.reduce((s, x) => s + x[k], 0)));
    const netto = [0, 1].map((k) => round1(get("Verksamhetens intäkter")[k] + kost[k]));
    const res = [0, 1].map((k) => round1(netto[k] + get("Kommunbidrag")[k] + get("Finansnetto")[k]));
    inputs.set("Verksamhetens kostnader", kost);
    inputs.set("Verksamhetens nettokostnader", netto);
    inputs.set("Årets resultat", res);
    lines = lines.map(([l]) => {
      const [b, c] = inputs.get(l)!;
      return [l, b, c, round1(c - b)];
    });
  }
  if (options.costsPositive) {
    lines = lines.map(([l, b, c, d]) => (cost.has(l) ? [l, -b || 0, -c || 0, d] : [l, b, c, d]));
  }
  return lines;
}

/** Swedish text for an amount: "−63 743", "32 336", "−63,7" (U+2212 minus, U+00A0 thousands separator). */
export function swedishText(x: number, decimals = 0): string {
  const [whole, frac] = Math.abs(x).toFixed(decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return `${x < 0 ? "\u2212" : ""}${grouped}${frac ? `,${frac}` : ""}`;
}

/** What one cell of the sheet XML should become: a formula with its cached value, or an error. */
type CellPatch = { formula: string; value: number } | { error: string };

const BOLD = { bold: true } as const;

/** The reference sheet in an exceljs workbook (its first sheet). */
function referenceWorkbook(options: ReferenceOptions): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet(options.sheetName ?? SHEET);
  const lines = referenceLines(options);
  const decimals = options.mnkr ? 1 : 0;
  const format = options.mnkr ? "#,##0.0" : "#,##0";
  const cell = (address: string | number, col?: number): ExcelJS.Cell =>
    col === undefined ? s.getCell(address as string) : s.getCell(address as number, col);
  cell("A1").value = "Socialnämnden";
  cell("A1").font = { bold: true, size: 14 };
  cell("A2").value = "Månadsuppföljning per maj 2025";
  cell("A4").value = options.mnkr ? "Belopp i mnkr" : "Belopp i tkr";
  cell("A4").font = { italic: true };
  cell("B4").value = "Budget 2025";
  cell("C4").value = "Prognos helår\n2025";
  cell("D4").value = "Avv. prognos/\nbudget 2025";
  for (const a of ["B4", "C4", "D4"]) {
    cell(a).font = BOLD;
    cell(a).alignment = { wrapText: true, horizontal: "right" };
  }
  s.getRow(4).height = 30;
  const sums = options.sums ?? "empty";
  const put = (address: string, x: number): void => {
    const text = x === 0 && options.textZero !== undefined ? options.textZero : swedishText(x, decimals);
    cell(address).value = options.textFigures ? text : x;
  };
  lines.forEach(([label, b, c, d], i) => {
    const r = FIRST_LINE_ROW + i;
    cell(r, 1).value = label;
    for (let k = 2; k <= 4; k++) cell(r, k).numFmt = format;
    const isSum = SUM_LINES.has(label);
    if (!isSum) {
      put(`B${r}`, b);
      put(`C${r}`, c);
    } else if (sums === "values" || (sums === "wrong-value" && r !== 10)) {
      put(`B${r}`, b);
      put(`C${r}`, c);
    } else if (sums === "wrong-value") {
      put(`B${r}`, b - 1000);
      put(`C${r}`, c);
    } else if (sums === "formulas" || sums === "formula-misses-row") {
      (["B", "C"] as const).forEach((col, k) => {
        const value = k === 0 ? b : c;
        if (sums === "formula-misses-row" && r === 10) {
          const partial = lines.slice(1, 4).reduce((sum, l) => sum + (k === 0 ? l[1] : l[2]), 0);
          cell(`${col}${r}`).value = { formula: `SUM(${col}6:${col}8)`, result: round1(partial) };
        } else {
          cell(`${col}${r}`).value = { formula: SUM_FORMULAS[r](col), result: value };
        }
      });
    }
    if (options.deviations) put(`D${r}`, d);
    if (isSum) {
      for (let k = 1; k <= 4; k++) {
        cell(r, k).font = BOLD;
        cell(r, k).border = { top: { style: "thin" } };
      }
    }
  });
  const errors =
    options.refErrors === "all"
      ? lines.flatMap((_, i) => ["B", "C", "D"].map((c) => `${c}${FIRST_LINE_ROW + i}`))
      : (options.refErrors ?? []);
  for (const a of errors) cell(a).value = { error: "#REF!" };
  cell("A16").value = "Kommentar:";
  s.getColumn("A").width = 32;
  for (const c of ["B", "C", "D"]) s.getColumn(c).width = 14;
  return wb;
}

/** Rewrites cells of a sheet part: a formula with its cached value, or an error value. */
export function patchSheetXml(xml: string, patches: Map<string, CellPatch>): string {
  let out = xml;
  for (const [address, p] of patches) {
    const re = new RegExp(`<c r="${address}"([^>]*?)(/>|>[\\s\\S]*?</c>)`);
    const m = re.exec(out);
    if (!m) throw new Error(`cell ${address} not found in the sheet XML`);
    const attrs = m[1].replace(/\s+t="[^"]*"/, "");
    const replacement =
      "error" in p
        ? `<c r="${address}"${attrs} t="e"><v>${p.error}</v></c>`
        : `<c r="${address}"${attrs}><f>${p.formula}</f><v>${p.value}</v></c>`;
    out = out.slice(0, m.index) + replacement + out.slice(m.index + m[0].length);
  }
  return out;
}

/** An exceljs workbook's package. */
async function output(wb: ExcelJS.Workbook): Promise<Zip> {
  return Zip.load(new Uint8Array(await wb.xlsx.writeBuffer()));
}

async function save(zip: Zip, file: string): Promise<string> {
  fs.writeFileSync(file, zip.toBuffer());
  return file;
}

/** Writes the reference sheet to dir/name and returns the path. */
export async function writeReference(
  dir: string,
  name = "uppfoljning.xlsx",
  options: ReferenceOptions = {},
): Promise<string> {
  return save(await output(referenceWorkbook(options)), path.join(dir, name));
}

/** A workbook whose only sheet holds no budget table. */
export async function writeNoTable(dir: string, name = "ingen-tabell.xlsx"): Promise<string> {
  return writeRows(path.join(dir, name), "Blad1", [["Mötesanteckningar"], ["Inga siffror här."]]);
}

/** A workbook of one sheet holding `rows` from A1, as plain values (null: an empty cell). */
export async function writeRows(
  file: string,
  sheet: string,
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet(sheet);
  rows.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v !== null && v !== undefined) s.getCell(r + 1, c + 1).value = v;
    }),
  );
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

/** An old-style (OLE compound file) encrypted workbook: the header, then an "EncryptionInfo" stream name. */
export function writeEncrypted(dir: string, name = "krypterad.xlsx"): string {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const filler = Buffer.alloc(512 - 8, 0);
  const stream = Buffer.from("EncryptionInfo", "utf16le");
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    Buffer.concat([header, filler, stream, Buffer.alloc(64, 0), Buffer.from("EncryptedPackage", "utf16le")]),
  );
  return file;
}

/**
 * A sheet of `rows` accounts below a header row: "Konto N", a budget and a forecast per row.
 * Its cells are written as XML directly, into a workbook exceljs made (building so many cells
 * through exceljs would take long).
 */
export async function writeLarge(dir: string, rows: number, name = "stor.xlsx"): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Konton").getCell("A1").value = "placeholder";
  const zip = await output(wb);
  const strings = ["Konto", "Budget", "Prognos"];
  const parts: string[] = [
    `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`,
  ];
  for (let i = 1; i <= rows; i++) {
    const r = i + 1;
    strings.push(`Konto ${i}`);
    const budget = -(1000 + (i % 997));
    const forecast = budget - (i % 7 === 0 ? 10 : 0);
    parts.push(
      `<row r="${r}"><c r="A${r}" t="s"><v>${strings.length - 1}</v></c><c r="B${r}"><v>${budget}</v></c><c r="C${r}"><v>${forecast}</v></c></row>`,
    );
  }
  const sheet = zip.text("xl/worksheets/sheet1.xml");
  zip.set(
    "xl/worksheets/sheet1.xml",
    sheet.replace(/<sheetData>[\s\S]*<\/sheetData>|<sheetData\/>/, `<sheetData>${parts.join("")}</sheetData>`),
  );
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((t) => `<si><t>${t}</t></si>`).join("")}</sst>`;
  zip.set("xl/sharedStrings.xml", sst);
  return save(zip, path.join(dir, name));
}

// ---------------------------------------------------------------------------------------------
// The RICH workbook: everything a user may have in a follow-up workbook that a checked copy must keep.

export const RICH = {
  /** The formula-defined name, exactly as workbook.xml holds it. */
  formulaName: { name: "Netto", refersTo: `${SHEET}!$B$5+${SHEET}!$B$6` },
  rangeName: "Budgetkolumn",
  conditionalFormatting:
    '<conditionalFormatting sqref="B5:B14"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>',
  dxfs: '<dxfs count="1"><dxf><font><color rgb="FF9C0006"/></font><fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf></dxfs>',
  /** The data validation as the sheet part holds it. */
  dataValidations:
    '<dataValidations count="1"><dataValidation type="whole" operator="lessThanOrEqual" allowBlank="1" showErrorMessage="1" error="Kostnader anges negativa" sqref="C8"><formula1>0</formula1></dataValidation></dataValidations>',
  /** Parts added as XML, which a checked copy must keep byte for byte. */
  addedParts: [
    "xl/charts/chart1.xml",
    "xl/drawings/drawing1.xml",
    "xl/drawings/_rels/drawing1.xml.rels",
    "xl/comments1.xml",
    "xl/drawings/vmlDrawing1.vml",
  ],
  commentCell: "C8",
  commentText: "Placeringar inom köpt vård ökar.",
  validatedCell: "C8",
} as const;

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CHART_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${NS_REL}"><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>${SHEET}!$B$4</c:f></c:strRef></c:tx><c:cat><c:strRef><c:f>${SHEET}!$A$5:$A$9</c:f></c:strRef></c:cat><c:val><c:numRef><c:f>${SHEET}!$B$5:$B$9</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="5"/><c:pt idx="0"><c:v>32336</c:v></c:pt><c:pt idx="1"><c:v>-161198</c:v></c:pt><c:pt idx="2"><c:v>-17111</c:v></c:pt><c:pt idx="3"><c:v>-63743</c:v></c:pt><c:pt idx="4"><c:v>-46587</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser><c:gapWidth val="150"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart><c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx><c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="#,##0" sourceLinked="1"/><c:crossAx val="500000001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea><c:plotVisOnly val="1"/></c:chart></c:chartSpace>`;

const DRAWING_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>12</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>18</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Diagram 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="${NS_REL}" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>`;

const DRAWING_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${REL}/chart" Target="../charts/chart1.xml"/></Relationships>`;

const COMMENTS_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments xmlns="${NS_MAIN}"><authors><author>Ekonom</author></authors><commentList><comment ref="${RICH.commentCell}" authorId="0"><text><r><t>${RICH.commentText}</t></r></text></comment></commentList></comments>`;

const VML = `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
 <o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>
 <v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
 <v:shape id="_x0000_s1025" type="#_x0000_t202" style="position:absolute;margin-left:260pt;margin-top:100pt;width:108pt;height:59pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill><x:Row>7</x:Row><x:Column>2</x:Column></x:ClientData></v:shape>
</xml>`;

const SHEET_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rIdDrawing1" Type="${REL}/drawing" Target="../drawings/drawing1.xml"/><Relationship Id="rIdVml1" Type="${REL}/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/><Relationship Id="rIdComments1" Type="${REL}/comments" Target="../comments1.xml"/></Relationships>`;

/** Inserts `xml` into a parent element's content before the first of `before` present, else at the end. */
function insertBefore(doc: string, parentClose: string, before: string[], xml: string): string {
  const positions = before.map((b) => doc.search(new RegExp(`<${b}[\\s/>]`))).filter((i) => i >= 0);
  const at = positions.length > 0 ? Math.min(...positions) : doc.lastIndexOf(parentClose);
  if (at < 0) throw new Error(`no ${parentClose} in the part`);
  return doc.slice(0, at) + xml + doc.slice(at);
}

/** Adds an Override to [Content_Types].xml (or a Default for an extension). */
function addContentType(types: string, entry: string): string {
  return types.replace("</Types>", `${entry}</Types>`);
}

/** The worksheet's child elements that may follow sheetData, in schema order (CT_Worksheet). */
const SHEET_ORDER = [
  "conditionalFormatting",
  "dataValidations",
  "hyperlinks",
  "printOptions",
  "pageMargins",
  "pageSetup",
  "headerFooter",
  "rowBreaks",
  "colBreaks",
  "customProperties",
  "cellWatches",
  "ignoredErrors",
  "smartTags",
  "drawing",
  "legacyDrawing",
  "legacyDrawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
];

/** The elements that come after `name` in a worksheet. */
const after = (name: string): string[] => SHEET_ORDER.slice(SHEET_ORDER.indexOf(name) + 1);

/**
 * The RICH workbook: the reference sheet (sum formulas with cached values) with column widths,
 * a number format, bold fonts, a data validation, a conditional format, a cell comment and a bar
 * chart; a second sheet "Data" with values and a formula; a range name and a formula name.
 */
export async function writeRich(dir: string, name = "rik.xlsx", options: ReferenceOptions = {}): Promise<string> {
  const wb = referenceWorkbook({ sums: "formulas", ...options });
  const s = wb.getWorksheet(SHEET)!;
  s.getCell(RICH.validatedCell).dataValidation = {
    type: "whole",
    operator: "lessThanOrEqual",
    formulae: [0],
    allowBlank: true,
    showErrorMessage: true,
    error: "Kostnader anges negativa",
  };
  wb.definedNames.add(`${SHEET}!$B$5:$B$14`, RICH.rangeName);
  const data = wb.addWorksheet("Data");
  data.getCell("A1").value = "Invånare";
  data.getCell("A1").font = BOLD;
  data.getCell("B1").value = 46512;
  data.getCell("B1").numFmt = "# ##0";
  data.getCell("A2").value = "Kostnad per invånare";
  data.getCell("B2").value = 6.2;
  data.getCell("A3").value = "Summa";
  // The second sheet's formula, with its cached value.
  data.getCell("B3").value = { formula: "B1+B2", result: 46518.2 };
  data.getColumn("A").width = 24;
  const zip = await output(wb);

  // The formula-defined name.
  let workbookXml = zip.text("xl/workbook.xml");
  const nameXml = `<definedName name="${RICH.formulaName.name}">${RICH.formulaName.refersTo}</definedName>`;
  if (!workbookXml.includes("</definedNames>")) throw new Error("exceljs wrote no definedNames");
  workbookXml = workbookXml.replace("</definedNames>", `${nameXml}</definedNames>`);
  zip.set("xl/workbook.xml", workbookXml);

  // Conditional formatting, the chart's drawing and the comment's VML in the sheet, in schema order.
  let sheetXml = zip.text("xl/worksheets/sheet1.xml");
  // The validation exactly as Excel writes it.
  const validation = /<dataValidations\b[\s\S]*?<\/dataValidations>/;
  if (!validation.test(sheetXml)) throw new Error("exceljs wrote no dataValidations");
  sheetXml = sheetXml.replace(validation, RICH.dataValidations);
  sheetXml = insertBefore(sheetXml, "</worksheet>", after("conditionalFormatting"), RICH.conditionalFormatting);
  sheetXml = insertBefore(sheetXml, "</worksheet>", after("drawing"), `<drawing r:id="rIdDrawing1"/>`);
  sheetXml = insertBefore(sheetXml, "</worksheet>", after("legacyDrawing"), `<legacyDrawing r:id="rIdVml1"/>`);
  if (!sheetXml.includes(`xmlns:r="${NS_REL}"`)) throw new Error("the sheet part does not declare the r: namespace");
  zip.set("xl/worksheets/sheet1.xml", sheetXml);
  if (zip.has("xl/worksheets/_rels/sheet1.xml.rels")) throw new Error("exceljs wrote sheet relationships; merge them");
  zip.set("xl/worksheets/_rels/sheet1.xml.rels", SHEET_RELS);

  // The conditional format's style.
  let styles = zip.text("xl/styles.xml");
  if (/<dxfs\b/.test(styles)) styles = styles.replace(/<dxfs[^>]*\/>|<dxfs[\s\S]*?<\/dxfs>/, RICH.dxfs);
  else styles = insertBefore(styles, "</styleSheet>", ["tableStyles", "colors", "extLst"], RICH.dxfs);
  zip.set("xl/styles.xml", styles);

  zip.set("xl/charts/chart1.xml", CHART_XML);
  zip.set("xl/drawings/drawing1.xml", DRAWING_XML);
  zip.set("xl/drawings/_rels/drawing1.xml.rels", DRAWING_RELS);
  zip.set("xl/comments1.xml", COMMENTS_XML);
  zip.set("xl/drawings/vmlDrawing1.vml", VML);

  let types = zip.text("[Content_Types].xml");
  const ct = "application/vnd.openxmlformats-officedocument";
  if (!types.includes('PartName="/xl/worksheets/sheet2.xml"')) {
    // A writer that does not register the second sheet's content type gets it here.
    types = addContentType(
      types,
      `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>`,
    );
  }
  types = addContentType(types, `<Default Extension="vml" ContentType="${ct}.vmlDrawing"/>`);
  types = addContentType(
    types,
    `<Override PartName="/xl/comments1.xml" ContentType="${ct}.spreadsheetml.comments+xml"/>`,
  );
  types = addContentType(types, `<Override PartName="/xl/drawings/drawing1.xml" ContentType="${ct}.drawing+xml"/>`);
  types = addContentType(types, `<Override PartName="/xl/charts/chart1.xml" ContentType="${ct}.drawingml.chart+xml"/>`);
  zip.set("[Content_Types].xml", types);
  return save(zip, path.join(dir, name));
}

/**
 * A workbook with a chart sheet "Diagram" after the reference sheet: the workbook's sheet entry
 * points at xl/chartsheets/sheet1.xml, not at a worksheet part.
 */
export async function writeWithChartSheet(dir: string, name = "diagramblad.xlsx", first = false): Promise<string> {
  const zip = await output(referenceWorkbook({}));
  let workbookXml = zip.text("xl/workbook.xml");
  const chartSheet = `<sheet name="Diagram" sheetId="2" r:id="rIdChartSheet1"/>`;
  workbookXml = first
    ? workbookXml.replace(/<sheets>/, `<sheets>${chartSheet}`)
    : workbookXml.replace("</sheets>", `${chartSheet}</sheets>`);
  zip.set("xl/workbook.xml", workbookXml);
  let rels = zip.text("xl/_rels/workbook.xml.rels");
  rels = rels.replace(
    "</Relationships>",
    `<Relationship Id="rIdChartSheet1" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`,
  );
  zip.set("xl/_rels/workbook.xml.rels", rels);
  zip.set(
    "xl/chartsheets/sheet1.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<chartsheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews><drawing r:id="rId1"/></chartsheet>`,
  );
  zip.set(
    "xl/chartsheets/_rels/sheet1.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${REL}/drawing" Target="../drawings/drawing1.xml"/></Relationships>`,
  );
  zip.set("xl/drawings/drawing1.xml", DRAWING_XML);
  zip.set("xl/drawings/_rels/drawing1.xml.rels", DRAWING_RELS);
  zip.set("xl/charts/chart1.xml", CHART_XML);
  const ct = "application/vnd.openxmlformats-officedocument";
  let types = zip.text("[Content_Types].xml");
  types = addContentType(
    types,
    `<Override PartName="/xl/chartsheets/sheet1.xml" ContentType="${ct}.spreadsheetml.chartsheet+xml"/>`,
  );
  types = addContentType(types, `<Override PartName="/xl/drawings/drawing1.xml" ContentType="${ct}.drawing+xml"/>`);
  types = addContentType(types, `<Override PartName="/xl/charts/chart1.xml" ContentType="${ct}.drawingml.chart+xml"/>`);
  zip.set("[Content_Types].xml", types);
  return save(zip, path.join(dir, name));
}

// ---------------------------------------------------------------------------------------------
// Reading workbooks back.

/** A cell as the tests query it: its value (a formula's last value; an error as its text), formula and style. */
export interface CellView {
  value(): unknown;
  formula(): string | undefined;
  /** "fill": { type: "solid", color: { rgb } } or undefined; "bold": true or undefined; "numberFormat": the code ("General" when none). */
  style(name: "fill" | "bold" | "numberFormat"): unknown;
}

export interface SheetView {
  name(): string;
  column(letter: string): { width(): number | undefined };
  cell(address: string): CellView;
  cell(row: number, col: number): CellView;
}

export interface BookView {
  sheet(name: string): SheetView;
  sheets(): SheetView[];
}

/** A cell read by two other programs: SheetJS for what it holds, exceljs for how it looks. */
function cellView(held: XLSX.CellObject | undefined, looks: ExcelJS.Cell): CellView {
  return {
    value() {
      if (!held || held.t === "z") return undefined;
      if (held.t === "e") return held.w;
      return held.v;
    },
    formula() {
      return held?.f || undefined;
    },
    style(name) {
      if (name === "numberFormat") return held?.z ?? looks.numFmt ?? "General";
      if (name === "bold") return looks.font?.bold ? true : undefined;
      const fill = looks.fill as { type?: string; pattern?: string; fgColor?: { argb?: string } } | undefined;
      return fill?.type === "pattern" && fill.pattern === "solid"
        ? { type: "solid", color: { rgb: fill.fgColor?.argb } }
        : undefined;
    },
  };
}

function sheetView(held: XLSX.WorkSheet, looks: ExcelJS.Worksheet): SheetView {
  return {
    name: () => looks.name,
    column: (letter: string) => ({ width: () => looks.getColumn(letter).width }),
    cell: (a: string | number, col?: number) => {
      const address = col === undefined ? (a as string) : XLSX.utils.encode_cell({ r: (a as number) - 1, c: col - 1 });
      return cellView(held[address] as XLSX.CellObject | undefined, looks.getCell(address));
    },
  };
}

/** Opens an .xlsx file as other programs read it (SheetJS and exceljs). */
export async function openWorkbook(file: string): Promise<BookView> {
  const data = fs.readFileSync(file);
  const held = XLSX.read(data, { cellFormula: true, cellNF: true });
  const looks = new ExcelJS.Workbook();
  await looks.xlsx.load(data as unknown as ArrayBuffer);
  const view = (name: string): SheetView => {
    const ws = looks.getWorksheet(name);
    if (!ws || !held.Sheets[name]) throw new Error(`${file} has no sheet ${name}`);
    return sheetView(held.Sheets[name], ws);
  };
  return { sheet: view, sheets: () => held.SheetNames.map(view) };
}

/** A cell's value and formula (errors as their text, like "#REF!"). */
export function cellOf(wb: BookView, sheet: string, address: string): { value: unknown; formula: string | undefined } {
  const cell = wb.sheet(sheet).cell(address);
  return { value: cell.value(), formula: cell.formula() };
}

/** Every part of an .xlsx file, by name, as bytes. */
export async function partsOf(file: string): Promise<Map<string, Buffer>> {
  const zip = Zip.load(fs.readFileSync(file));
  return new Map(zip.names().map((name) => [name, zip.bytes(name)]));
}

export async function partText(file: string, part: string): Promise<string> {
  return Zip.load(fs.readFileSync(file)).text(part);
}
