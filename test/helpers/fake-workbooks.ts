import { FakeSheetData, FakeWorkbookData, type FakeCell } from "../../src/preview/fake-excel";
import { REFERENCE, SUM_LINES } from "./grids";

export type FakeRow = (string | number | null | FakeCell)[];

/** The reference sheet as an economist receives it, with `accounts` extra cost lines among the costs. */
export function referenceRows(accounts = 0): FakeRow[] {
  const rows: FakeRow[] = [
    ["Socialnämnden"],
    ["Uppföljning per maj 2025"],
    [],
    ["Belopp i tkr", "Budget 2025", "Prognos helår\n2025", "Avv. prognos/\nbudget 2025"],
  ];
  for (const [label, b, f] of REFERENCE) {
    if (label === "Verksamhetens kostnader") {
      for (let k = 0; k < accounts; k++) rows.push([`Konto ${4000 + k}`, -(k % 97) - 1, -(k % 89) - 1, null]);
    }
    rows.push(SUM_LINES.has(label) ? [label, null, null, null] : [label, b, f, null]);
  }
  return rows;
}

/** A workbook with the reference sheet (or these rows) and a second sheet of instructions. */
export function referenceWorkbook(rows: FakeRow[] = referenceRows()): FakeWorkbookData {
  return new FakeWorkbookData([
    FakeSheetData.fromRows("Uppföljning", rows),
    FakeSheetData.fromRows("Anvisningar", [["Fyll i prognosen."]]),
  ]);
}
