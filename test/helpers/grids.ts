import {
  checkGrid,
  type CheckGridOptions,
  type Grid,
  type GridCell,
  type Report,
  type WritePlan,
} from "../../src/core";

/** A grid from rows of plain values; strings starting with "=" become formulas (value null). */
export function gridOf(rows: (string | number | null | undefined | GridCell)[][], sheet = "Uppföljning"): Grid {
  return {
    sheet,
    cells: rows.map((r) =>
      r.map((v) => {
        if (v === undefined || v === null) return null;
        if (typeof v === "object") return v;
        if (typeof v === "string" && v.startsWith("=")) return { v: null, f: v.slice(1) };
        return { v };
      }),
    ),
  };
}

/** The reference report's table (Socialnämnden, May 2025), in tkr, costs negative. */
export const REFERENCE: [string, number, number, number][] = [
  ["Verksamhetens intäkter", 32336, 35336, 3000],
  ["Personalkostnader", -161198, -160198, 1000],
  ["Lokalhyror", -17111, -17111, 0],
  ["Köp av tjänster", -63743, -67743, -4000],
  ["Övriga kostnader", -46587, -46587, 0],
  ["Verksamhetens kostnader", -288639, -291639, -3000],
  ["Verksamhetens nettokostnader", -256303, -256303, 0],
  ["Kommunbidrag", 256303, 256303, 0],
  ["Finansnetto", 0, 0, 0],
  ["Årets resultat", 0, 0, 0],
];

export const SUM_LINES = new Set(["Verksamhetens kostnader", "Verksamhetens nettokostnader", "Årets resultat"]);

/** The reference sheet as an economist receives it: input figures, result lines and deviations empty. */
export function referenceGrid(options: { filled?: boolean } = {}): Grid {
  return gridOf([
    ["Socialnämnden"],
    ["Uppföljning per maj 2025"],
    [],
    ["Belopp i tkr", "Budget 2025", "Prognos helår\n2025", "Avv. prognos/\nbudget 2025"],
    ...REFERENCE.map(([label, b, f, d]) =>
      options.filled || !SUM_LINES.has(label) ? [label, b, f, options.filled ? d : null] : [label, null, null, null],
    ),
  ]);
}

/** Runs checkGrid and fails the test with the detector's reason when no table was found. */
export function mustCheck(grid: Grid, options: CheckGridOptions = {}): { report: Report; plan: WritePlan } {
  const r = checkGrid(grid, options);
  if (!r.ok) throw new Error(`no table (${r.reason}): ${r.detail}`);
  return { report: r.report, plan: r.plan };
}

/** The committee template's line labels in template order, sum lines included. */
export const COMMITTEE_LABELS: string[] = REFERENCE.map(([label]) => label);

/** A reference-shaped grid (title rows, header on sheet row 4) with these rows below the header. */
export function committeeGrid(
  rows: (string | number | null | undefined | GridCell)[][],
  header: (string | null)[] = ["Belopp i tkr", "Budget 2025", "Prognos helår\n2025", "Avv. prognos/\nbudget 2025"],
): Grid {
  return gridOf([["Socialnämnden"], ["Uppföljning per maj 2025"], [], header, ...rows]);
}
