/**
 * The .xlsx host: opens a workbook's package (package.ts, zip.ts), reads a sheet into a Grid
 * (read.ts, with the one XML reader in xml.ts), and writes a plan into a copy by patching only the
 * planned cells (patch.ts, styles.ts).
 */
import type { Grid } from "../core";
import { WorkbookError } from "./errors";
import { partsOf, type LoadedWorkbook } from "./package";
import { readSheetGrid } from "./read";

export { WorkbookError };
export { LIMITS, loadWorkbook, type LoadedWorkbook } from "./package";
export { keptFormulaResults, writePlan, type FormulaResult } from "./patch";
export { FLAG_FILL_ARGB, FLAG_FONT_ARGB } from "./styles";

/** A sheet's cells as a grid (its used range), with merged areas. */
export async function readGrid(loaded: LoadedWorkbook, sheetName: string): Promise<Grid> {
  const sheet = loaded.sheets.find((s) => s.name === sheetName);
  if (!sheet) throw new WorkbookError("no-sheet", { name: sheetName, names: loaded.sheetNames.join(", ") });
  return readSheetGrid(loaded.zip, partsOf(loaded), sheet.part, sheetName);
}
