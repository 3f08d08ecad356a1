import { HyperFormula } from "hyperformula";
import type { FakeWorkbookData } from "../../src/preview/fake-excel";

/**
 * Calculates the in-memory workbook with a real formula engine (HyperFormula): every formula of
 * every sheet, references to other sheets included. For tests of what a write's calculation reaches.
 */
export function hyperFormulaEngine(data: FakeWorkbookData): void {
  const sheets: Record<string, (string | number | boolean | null)[][]> = {};
  for (const s of data.sheets) {
    const rows: (string | number | boolean | null)[][] = [];
    for (const [k, c] of s.cells) {
      const [r, col] = k.split(",").map(Number);
      (rows[r] ??= [])[col] = c.formula ?? (c.value === "" ? null : c.value);
    }
    for (let i = 0; i < rows.length; i++) rows[i] = Array.from(rows[i] ?? [], (v) => v ?? null);
    sheets[s.name] = rows;
  }
  const hf = HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3" });
  for (const s of data.sheets) {
    const id = hf.getSheetId(s.name)!;
    for (const [k, c] of s.cells) {
      if (c.formula === undefined) continue;
      const [row, col] = k.split(",").map(Number);
      const v = hf.getCellValue({ sheet: id, row, col });
      c.value = v === null ? 0 : typeof v === "object" ? String(v.value) : v;
    }
  }
  hf.destroy();
}
