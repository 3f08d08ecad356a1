/**
 * Writes the bundled example workbook as JSON for the preview page: each sheet's cells with their
 * values, formulas and number formats. Run by `npm run preview`.
 */
import fs from "node:fs";
import path from "node:path";
import { loadWorkbook, readGrid } from "../xlsx";
import type { FakeCell } from "./fake-excel";

export async function exportExample(file: string): Promise<{ name: string; rows: (FakeCell | null)[][] }[]> {
  const loaded = await loadWorkbook(fs.readFileSync(file));
  const sheets: { name: string; rows: (FakeCell | null)[][] }[] = [];
  for (const name of loaded.sheetNames) {
    const grid = await readGrid(loaded, name);
    const o = grid.origin ?? { row: 0, col: 0 };
    const rows: (FakeCell | null)[][] = Array.from({ length: o.row }, () => []);
    for (const row of grid.cells) {
      rows.push([
        ...Array.from({ length: o.col }, () => null),
        ...row.map((c): FakeCell | null => {
          if (!c) return null;
          const v = c.v;
          const value = v === null ? "" : typeof v === "object" ? v.error : v;
          const cell: FakeCell = { value };
          if (c.f !== undefined) cell.formula = `=${c.f}`;
          if (c.z !== undefined) cell.numberFormat = c.z;
          return cell;
        }),
      ]);
    }
    sheets.push({ name, rows });
  }
  return sheets;
}

if (require.main === module) {
  const [, , input, output] = process.argv;
  exportExample(input).then((sheets) => {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(output, JSON.stringify(sheets));
  });
}
