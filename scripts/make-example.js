/**
 * Builds examples/uppfoljning-maj-2025.xlsx: the social services committee's follow-up per May 2025
 * as an economist receives it, with budget and forecast per line, and the result lines and the
 * deviation column left empty.  Run: node scripts/make-example.js
 */
const path = require("node:path");
const fs = require("node:fs");
const { strFromU8, strToU8, unzipSync, zipSync } = require("fflate");
const XlsxPopulate = require("xlsx-populate");

const LINES = [
  ["Verksamhetens intäkter", 32336, 35336],
  ["Personalkostnader", -161198, -160198],
  ["Lokalhyror", -17111, -17111],
  ["Köp av tjänster", -63743, -67743],
  ["Övriga kostnader", -46587, -46587],
  ["Verksamhetens kostnader", null, null],
  ["Verksamhetens nettokostnader", null, null],
  ["Kommunbidrag", 256303, 256303],
  ["Finansnetto", 0, 0],
  ["Årets resultat", null, null],
];

async function buildExample() {
  const wb = await XlsxPopulate.fromBlankAsync();
  const s = wb.sheet(0).name("Uppföljning");
  s.cell("A1").value("Socialnämnden").style({ bold: true, fontSize: 14 });
  s.cell("A2").value("Månadsuppföljning per maj 2025");
  s.cell("A4").value("Belopp i tkr").style({ italic: true });
  s.cell("B4").value("Budget 2025");
  s.cell("C4").value("Prognos helår\n2025");
  s.cell("D4").value("Avv. prognos/\nbudget 2025");
  s.range("B4:D4").style({ bold: true, wrapText: true, horizontalAlignment: "right" });
  s.row(4).height(30);
  LINES.forEach(([label, budget, forecast], i) => {
    const r = 5 + i;
    s.cell(r, 1).value(label);
    if (budget !== null) s.cell(r, 2).value(budget);
    if (forecast !== null) s.cell(r, 3).value(forecast);
    s.range(r, 2, r, 4).style("numberFormat", "#,##0");
    if (label === "Verksamhetens kostnader" || label === "Verksamhetens nettokostnader" || label === "Årets resultat") {
      s.range(r, 1, r, 4).style({ bold: true, topBorder: true });
    }
  });
  s.cell("A16").value("Kommentar:");
  s.column("A").width(32);
  s.column("B").width(14);
  s.column("C").width(14);
  s.column("D").width(14);
  const info = wb.addSheet("Anvisningar");
  info.cell("A1").value("Fyll i prognosen per rad i kolumn C. Kostnader anges med minustecken.");
  info.cell("A2").value("Lämna in senast den 10 juni 2025.");
  info.column("A").width(80);
  return withContentTypes(await wb.outputAsync());
}

/** Declares every worksheet part in [Content_Types].xml (the library leaves out added sheets). */
async function withContentTypes(buffer) {
  const parts = unzipSync(buffer);
  let types = strFromU8(parts["[Content_Types].xml"]);
  for (const name of Object.keys(parts).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    if (types.includes(`PartName="/${name}"`)) continue;
    const override = `<Override PartName="/${name}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`;
    types = types.replace("</Types>", `${override}</Types>`);
  }
  parts["[Content_Types].xml"] = strToU8(types);
  return Buffer.from(zipSync(parts, { level: 6 }));
}

module.exports = { buildExample, LINES };

if (require.main === module) {
  buildExample().then((buf) => {
    const out = path.join(__dirname, "..", "examples", "uppfoljning-maj-2025.xlsx");
    fs.writeFileSync(out, buf);
    process.stdout.write(`wrote ${out}\n`);
  });
}
