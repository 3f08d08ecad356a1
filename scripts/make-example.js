/**
 * Builds examples/uppfoljning-maj-2025.xlsx: the social services committee's follow-up per May 2025
 * as an economist receives it, with budget and forecast per line, and the result lines and the
 * deviation column left empty.  Run: node scripts/make-example.js
 */
const path = require("node:path");
const fs = require("node:fs");
const ExcelJS = require("exceljs");

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

const SUMS = new Set(["Verksamhetens kostnader", "Verksamhetens nettokostnader", "Årets resultat"]);

async function buildExample() {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet("Uppföljning");
  const set = (address, value, style = {}) => {
    const cell = s.getCell(address);
    if (value !== null) cell.value = value;
    Object.assign(cell, style);
  };
  set("A1", "Socialnämnden", { font: { bold: true, size: 14 } });
  set("A2", "Månadsuppföljning per maj 2025");
  set("A4", "Belopp i tkr", { font: { italic: true } });
  const header = { font: { bold: true }, alignment: { wrapText: true, horizontal: "right" } };
  set("B4", "Budget 2025", header);
  set("C4", "Prognos helår\n2025", header);
  set("D4", "Avv. prognos/\nbudget 2025", header);
  s.getRow(4).height = 30;
  LINES.forEach(([label, budget, forecast], i) => {
    const r = 5 + i;
    const sum = SUMS.has(label) ? { font: { bold: true }, border: { top: { style: "thin" } } } : {};
    set(`A${r}`, label, sum);
    set(`B${r}`, budget, { ...sum, numFmt: "#,##0" });
    set(`C${r}`, forecast, { ...sum, numFmt: "#,##0" });
    set(`D${r}`, null, { ...sum, numFmt: "#,##0" });
  });
  set("A16", "Kommentar:");
  s.getColumn("A").width = 32;
  for (const c of ["B", "C", "D"]) s.getColumn(c).width = 14;
  const info = wb.addWorksheet("Anvisningar");
  info.getCell("A1").value = "Fyll i prognosen per rad i kolumn C. Kostnader anges med minustecken.";
  info.getCell("A2").value = "Lämna in senast den 10 juni 2025.";
  info.getColumn("A").width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

module.exports = { buildExample, LINES };

if (require.main === module) {
  buildExample().then((buf) => {
    const out = path.join(__dirname, "..", "examples", "uppfoljning-maj-2025.xlsx");
    fs.writeFileSync(out, buf);
    process.stdout.write(`wrote ${out}\n`);
  });
}
