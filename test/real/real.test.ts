/**
 * The checker on tables that municipalities have published (tables/*.json, with their sources).
 * Each table is checked as published, and again with its deviation column left empty; what it must
 * give is worked out from its printed figures (tables.ts), never from the checker's own output.
 */
import path from "node:path";
import { checkGrid, type Grid, type Report } from "../../src/core";
import {
  arithmeticDifferences,
  conventionDeviation,
  figureRows,
  loadTables,
  publishedDeviations,
  round,
  sheetRows,
  stepOf,
  type RealTable,
} from "./tables";

const TABLES = loadTables();
/** Tables the checker does not read right yet: only their transcription is checked. */
const PENDING = loadTables(path.join(__dirname, "pending"));

function gridOf(t: RealTable, emptyDeviation = false): Grid {
  return {
    sheet: "Tabell",
    cells: sheetRows(t, { emptyDeviation }).map((r) => r.map((v) => (v === null ? null : { v }))),
  };
}

function check(t: RealTable, emptyDeviation = false): Report {
  const r = checkGrid(gridOf(t, emptyDeviation));
  if (!r.ok) throw new Error(`${t.id}: no table (${r.problem}): ${r.detail}`);
  return r.report;
}

/** The cells where the table's printed figures do not add up, in the columns the checker reads. */
function differences(t: RealTable, columns: (string | null)[]): string[] {
  const letters = columns.filter((c): c is string => c !== null);
  return t.knownDifferences
    .filter((d) => d.kind !== "own-figures" && letters.includes(d.cell.replace(/\d+$/, "")))
    .map((d) => d.cell)
    .sort();
}

const errorCells = (r: Report): string[] =>
  r.findings
    .filter((f) => f.severity === "error")
    .map((f) => f.cell)
    .sort();

describe("the corpus", () => {
  test("holds at least 12 tables from at least 8 municipalities, each with its source", () => {
    expect(TABLES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(TABLES.map((t) => t.municipality)).size).toBeGreaterThanOrEqual(8);
    for (const t of TABLES) {
      expect(t.source.document).not.toBe("");
      expect(t.source.page).not.toBe("");
      expect(t.source.url).toMatch(/^https?:\/\//);
    }
  });

  test("covers every convention and layout the checker must know", () => {
    const conventions = new Set(TABLES.map((t) => t.convention));
    const layouts = new Set(TABLES.flatMap((t) => t.layout));
    expect(conventions).toEqual(new Set(["result", "ledger", "presentation"]));
    for (const l of [
      "activity",
      "committees",
      "sums-above",
      "varav",
      "mnkr-decimal",
      "older-income-statement",
      "nested",
    ]) {
      expect(layouts).toContain(l);
    }
  });
});

describe.each(PENDING.map((t) => [t.id, t] as const))("pending: %s", (_id, t) => {
  test("its printed figures add up, but for the differences it records", () => {
    expect(arithmeticDifferences(t)).toEqual(t.knownDifferences.map((d) => d.cell).sort());
  });
});

describe.each(TABLES.map((t) => [t.id, t] as const))("%s", (_id, t) => {
  const step = stepOf(t);
  const published = publishedDeviations(t);
  const flagged = [...published].filter(([, d]) => d < 0).map(([row]) => row);

  test("its printed figures add up, but for the differences it records", () => {
    expect(arithmeticDifferences(t)).toEqual(t.knownDifferences.map((d) => d.cell).sort());
  });

  describe("as published", () => {
    const report = check(t);

    test("the columns, and the convention its figures follow", () => {
      expect(report.columns.label).toBe(t.columns.label);
      expect(report.columns.budget).toBe(t.columns.budget);
      expect(report.columns.comparison).toBe(t.columns.comparison);
      if (t.columns.deviation !== null) expect(report.columns.deviation).toBe(t.columns.deviation);
      expect([t.convention, ...(t.conventionAlternatives ?? [])]).toContain(report.convention);
    });

    test("errors only where the printed figures do not add up", () => {
      expect(errorCells(report)).toEqual(differences(t, [t.columns.budget, t.columns.comparison, t.columns.deviation]));
    });

    test("flags exactly the lines whose published deviation is negative", () => {
      expect(report.flags.map((f) => f.row).sort((a, b) => a - b)).toEqual(flagged);
    });

    test("sees the totals, their parts and the itemising lines a reader sees", () => {
      const sums = report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, [...l.parts].sort((a, b) => a - b)]);
      expect(sums).toEqual(
        t.structure.sums.map((s) => [s.row, [...s.parts].sort((a, b) => a - b)]).sort((a, b) => +a[0] - +b[0]),
      );
      expect(report.lines.filter((l) => l.kind === "of").map((l) => l.row)).toEqual(t.structure.itemising);
    });

    test("a table no template explains gets no warnings about lines a template does not know", () => {
      if (report.template === null) expect(report.findings.filter((f) => f.code === "unknown-line")).toEqual([]);
      else expect(report.template.id).toMatch(/^(namnd|resultatrakning)$/);
    });
  });

  if (t.columns.deviation !== null) {
    test("with the deviation column left empty, recomputes the published deviations to the printed precision, and flags the same lines", () => {
      const report = check(t, true);
      expect(report.columns.deviation).toBe(t.columns.deviation);
      // Where the published deviation is itself a recorded difference, or carries one from its
      // parts beyond a printed unit, the arithmetic's is expected.
      const wrong = new Set(t.knownDifferences.map((d) => d.cell));
      for (const row of figureRows(t)) {
        if (Math.abs(published.get(row)! - conventionDeviation(t, row)) > step + 1e-9)
          wrong.add(`${t.columns.deviation}${row}`);
      }
      for (const row of figureRows(t)) {
        const line = report.lines.find((l) => l.row === row)!;
        expect({ row, deviation: line.deviation }).toEqual({ row, deviation: expect.any(Number) });
        const expected = wrong.has(`${t.columns.deviation}${row}`) ? conventionDeviation(t, row) : published.get(row)!;
        const diff = Math.abs(line.deviation! - expected);
        expect({ row, withinRounding: diff <= step + 1e-9 }).toEqual({ row, withinRounding: true });
      }
      expect(report.flags.map((f) => f.row).sort((a, b) => a - b)).toEqual(flagged);
      expect(errorCells(report)).toEqual(differences(t, [t.columns.budget, t.columns.comparison]));
    });
  } else {
    test("without a deviation column, the convention's deviation of each line is the checker's", () => {
      const report = check(t);
      for (const row of figureRows(t)) {
        const line = report.lines.find((l) => l.row === row)!;
        const diff = Math.abs(round(line.deviation!) - conventionDeviation(t, row));
        expect({ row, withinRounding: diff <= step + 1e-9 }).toEqual({ row, withinRounding: true });
      }
    });
  }
});
