/**
 * The reading part of `prognoskoll check` alone, as the baseline of its wall time: open the
 * workbook and read every sheet into a grid, then stop.
 */
import fs from "node:fs";
import { loadWorkbook, readGrid } from "../src/xlsx";

async function main(file: string): Promise<void> {
  const loaded = await loadWorkbook(fs.readFileSync(file));
  for (const name of loaded.sheetNames) await readGrid(loaded, name);
}

void main(process.argv[2]);
