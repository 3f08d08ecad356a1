/**
 * A sheet of more lines than the check keeps in typed arrays gets plain arrays instead; its
 * figures must come out the same, to the hundredth.
 */
import { checkGrid, checkTable, detectTable, type Grid, type GridCell, type Template } from "../../src/core";

function sheet(n: number): { grid: Grid; template: Template; total: { budget: number; forecast: number } } {
  const lines: Template["lines"] = [];
  const cells: (GridCell | null)[][] = [
    [{ v: "Belopp i tkr" }, { v: "Budget 2025" }, { v: "Prognos 2025" }, { v: "Avvikelse" }],
  ];
  let budget = 0;
  let forecast = 0;
  for (let i = 0; i < n; i++) {
    const b = -((i % 997) * 100 + (i % 7)); // hundredths
    const f = b - ((i % 13) - 6) * 25;
    budget += b;
    forecast += f;
    lines.push({ id: `k${i}`, label: `Konto ${i}`, nature: "cost" });
    cells.push([{ v: `Konto ${i}` }, { v: b / 100 }, { v: f / 100 }, null]);
  }
  lines.push({ id: "total", label: "Summa kostnader", nature: "cost", sum: lines.map((l) => l.id) });
  cells.push([{ v: "Summa kostnader" }, null, null, null]);
  return {
    grid: { sheet: "Konton", cells },
    template: { id: "konton", name: "Konton", lines },
    total: { budget, forecast },
  };
}

test.each([1_000, 250_000])("%i account lines and their total are recomputed exactly", (n) => {
  const { grid, template, total } = sheet(n);
  const detected = detectTable(grid, { templates: [template] });
  if (!detected.ok) throw new Error(detected.detail);
  const report = checkTable(grid, detected.table);
  const c = report.computed;
  const last = c.table.lines.length - 1;
  expect(c.table.lines.length).toBe(n + 1);
  expect([c.budget[last], c.comparison[last], c.deviation[last]]).toEqual([
    total.budget,
    total.forecast,
    total.forecast - total.budget,
  ]);
  // Every line's deviation, and the flags: each negative deviation once.
  let negative = 0;
  const wrong: number[] = [];
  for (let i = 0; i < last; i++) {
    if (c.deviation[i] !== c.comparison[i] - c.budget[i]) wrong.push(i);
    if (c.deviation[i] < 0) negative++;
  }
  expect(wrong).toEqual([]);
  expect(report.flags.length).toBe(negative + (total.forecast - total.budget < 0 ? 1 : 0));
  expect(report.counts.error).toBe(0);
});

/**
 * Totals that each add up the next, tens of thousands deep: every one is worked out and checked,
 * and one wrong figure is reported at its own cell only.
 */
describe.each(["above", "below"])("%s their parts, 100 000 totals each of the next", (where) => {
  const n = 100_000;
  const wrongAt = 40_000;
  const cells: (GridCell | null)[][] = [[{ v: "Verksamhet" }, { v: "Budget" }, { v: "Prognos" }, { v: "Avvikelse" }]];
  const total = (k: number): (GridCell | null)[] => [
    { v: `Summa ${k}` },
    { v: k === wrongAt ? 130 : 120 },
    { v: 100 },
    { v: 20 },
  ];
  const activity: (GridCell | null)[] = [{ v: "Verksamhet A" }, { v: 120 }, { v: 100 }, { v: 20 }];
  if (where === "above") for (let k = 0; k < n; k++) cells.push(total(k));
  cells.push(activity);
  if (where === "below") for (let k = 0; k < n; k++) cells.push(total(k));
  // The row of total k: the header is row 1; above, total 0 is row 2; below, the activity is.
  const rowOf = (k: number): number => (where === "above" ? k + 2 : k + 3);

  test("every total is checked, and the one wrong figure is the only finding", () => {
    const result = checkGrid({ sheet: "Kedja", cells });
    if (!result.ok) throw new Error(result.detail);
    const { lines, findings } = result.report;
    expect(lines.filter((l) => l.kind === "sum").length).toBe(n);
    expect(findings.map((f) => `${f.code} ${f.cell}`)).toEqual([`total-mismatch B${rowOf(wrongAt)}`]);
  });
});
