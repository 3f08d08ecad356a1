/**
 * The test helpers' own writer: the reference table (sum lines and deviations empty) as a
 * package written part by part by hand and zipped with fflate, stored in any of the ways the
 * format allows (see Layout).
 */
import { strToU8, zipSync } from "fflate";
import { REFERENCE } from "./grids";

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "application/vnd.openxmlformats-officedocument.spreadsheetml";
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const STYLES =
  `${DECL}<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0"/></numFmts>` +
  `<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

export interface Layout {
  /** Where the workbook, the sheet and the styles are stored. */
  workbookPart?: string;
  sheetPart?: string;
  stylesPart?: string | null;
  /** Labels as shared strings (default), inline strings, or rich text runs. */
  text?: "shared" | "inline" | "rich";
  /** Numbers typed t="n", as LibreOffice writes them. */
  typedNumbers?: boolean;
  /** Cells and rows without r attributes. */
  noRefs?: boolean;
  /** A chart sheet before the worksheet. */
  chartSheetFirst?: boolean;
  /** An empty shared string as the header of column A. */
  emptyHeader?: boolean;
  /** A calculation chain part. */
  calcChain?: boolean;
  /** The worksheet's elements written with a namespace prefix (x:row, x:c …), as some programs write them. */
  prefixed?: boolean;
  /** Extra cells, by address, as raw XML (replacing what would be there). */
  cells?: Record<string, string>;
  /** The sheet's column definitions, as raw XML inside <cols> (default: column A's width). */
  cols?: string;
}

/** The reference table (sum lines and deviations empty) as a package, stored as `layout` says. */
export function handmadeWorkbook(layout: Layout = {}): { bytes: Buffer; sheetPart: string } {
  const workbookPart = layout.workbookPart ?? "xl/workbook.xml";
  const dir = workbookPart.slice(0, workbookPart.lastIndexOf("/") + 1);
  const sheetPart = layout.sheetPart ?? "xl/worksheets/sheet1.xml";
  const stylesPart = layout.stylesPart === undefined ? "xl/styles.xml" : layout.stylesPart;
  const strings: string[] = [];
  const text = (ref: string, s: string, style = ""): string => {
    if (layout.text === "inline") return `<c r="${ref}"${style} t="inlineStr"><is><t>${s}</t></is></c>`;
    strings.push(s);
    return `<c r="${ref}"${style} t="s"><v>${strings.length - 1}</v></c>`;
  };
  const num = (ref: string, n: number): string =>
    `<c r="${ref}"${stylesPart ? ' s="1"' : ""}${layout.typedNumbers ? ' t="n"' : ""}><v>${n}</v></c>`;
  const rows: string[][] = [
    [text("A1", "Socialnämnden", stylesPart ? ' s="2"' : "")],
    [],
    [
      layout.emptyHeader ? text("A3", "") : text("A3", "Belopp i tkr"),
      text("B3", "Budget 2025"),
      text("C3", "Prognos helår 2025"),
      text("D3", "Avvikelse"),
    ],
  ];
  const sums = new Set(["Verksamhetens kostnader", "Verksamhetens nettokostnader", "Årets resultat"]);
  REFERENCE.forEach(([label, b, f], i) => {
    const r = i + 4;
    rows.push(sums.has(label) ? [text(`A${r}`, label)] : [text(`A${r}`, label), num(`B${r}`, b), num(`C${r}`, f)]);
  });
  for (const [ref, xml] of Object.entries(layout.cells ?? {})) {
    const r = Number(ref.slice(1)) - 1;
    const c = ref.charCodeAt(0) - 65;
    const row = rows[r];
    const at = row.findIndex((x) => x.startsWith(`<c r="${ref}"`));
    if (at >= 0) row[at] = xml;
    else {
      const later = row.findIndex((x) => (/<c r="([A-Z])/.exec(x)?.[1] ?? "Z").charCodeAt(0) - 65 > c);
      row.splice(later < 0 ? row.length : later, 0, xml);
    }
  }
  let sheetData = rows.map((cells, i) => `<row r="${i + 1}">${cells.join("")}</row>`).join("");
  if (layout.noRefs) sheetData = sheetData.replace(/ r="[A-Z]+\d+"/g, "").replace(/<row r="\d+">/g, "<row>");
  const sheet =
    `${DECL}<worksheet xmlns="${NS}" xmlns:r="${REL}"><dimension ref="A1:D13"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${layout.cols ?? '<col min="1" max="1" width="32" customWidth="1"/>'}</cols>` +
    `<sheetData>${sheetData}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  const sheetXml = layout.prefixed
    ? sheet
        .replace(
          /<(\/?)(worksheet|dimension|sheetViews|sheetView|sheetFormatPr|cols|col|sheetData|row|c|v|is|t|f|pageMargins)\b/g,
          "<$1x:$2",
        )
        .replace(`xmlns="${NS}"`, `xmlns:x="${NS}"`)
    : sheet;
  const sst =
    `${DECL}<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">` +
    strings
      .map((s) =>
        layout.text === "rich" && s.includes(" ")
          ? `<si><r><t xml:space="preserve">${s.slice(0, s.indexOf(" ") + 1)}</t></r><r><rPr><b/></rPr><t>${s.slice(s.indexOf(" ") + 1)}</t></r></si>`
          : `<si><t>${s}</t></si>`,
      )
      .join("") +
    `</sst>`;
  const rel = (id: string, type: string, target: string): string =>
    `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`;
  const relative = (part: string): string => (part.startsWith(dir) ? part.slice(dir.length) : `/${part}`);
  const sheets =
    (layout.chartSheetFirst ? `<sheet name="Diagram" sheetId="2" r:id="rId9"/>` : "") +
    `<sheet name="Uppföljning" sheetId="1" r:id="rId1"/>`;
  const parts: Record<string, string> = {
    "[Content_Types].xml":
      `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/${workbookPart}" ContentType="${CT}.sheet.main+xml"/>` +
      `<Override PartName="/${sheetPart}" ContentType="${CT}.worksheet+xml"/>` +
      (stylesPart ? `<Override PartName="/${stylesPart}" ContentType="${CT}.styles+xml"/>` : "") +
      (layout.text !== "inline"
        ? `<Override PartName="/${dir}sharedStrings.xml" ContentType="${CT}.sharedStrings+xml"/>`
        : "") +
      (layout.calcChain ? `<Override PartName="/${dir}calcChain.xml" ContentType="${CT}.calcChain+xml"/>` : "") +
      `</Types>`,
    "_rels/.rels": `${DECL}<Relationships xmlns="${PKG_REL}">${rel("rId1", "officeDocument", workbookPart)}</Relationships>`,
    [workbookPart]:
      `${DECL}<workbook xmlns="${NS}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets>` +
      `<definedNames><definedName name="Budget">Uppföljning!$B$4:$B$13</definedName></definedNames></workbook>`,
    [`${dir}_rels/${workbookPart.slice(dir.length)}.rels`]:
      `${DECL}<Relationships xmlns="${PKG_REL}">${rel("rId1", "worksheet", relative(sheetPart))}` +
      (stylesPart ? rel("rId2", "styles", relative(stylesPart)) : "") +
      (layout.text !== "inline" ? rel("rId3", "sharedStrings", "sharedStrings.xml") : "") +
      (layout.calcChain ? rel("rId4", "calcChain", "calcChain.xml") : "") +
      (layout.chartSheetFirst ? rel("rId9", "chartsheet", "chartsheets/sheet1.xml") : "") +
      `</Relationships>`,
    [sheetPart]: sheetXml,
    "docProps/app.xml": `${DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Test</Application></Properties>`,
  };
  if (stylesPart) parts[stylesPart] = STYLES;
  if (layout.text !== "inline") parts[`${dir}sharedStrings.xml`] = sst;
  if (layout.calcChain) parts[`${dir}calcChain.xml`] = `${DECL}<calcChain xmlns="${NS}"><c r="D4" i="1"/></calcChain>`;
  if (layout.chartSheetFirst) {
    parts[`${dir}chartsheets/sheet1.xml`] =
      `${DECL}<chartsheet xmlns="${NS}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>`;
  }
  const files = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]));
  return { bytes: Buffer.from(zipSync(files, { level: 6 })), sheetPart };
}
