/**
 * A sheet of more lines than the check keeps in typed arrays gets plain arrays instead; its
 * figures must come out the same, to the hundredth.
 */
import { checkTable, detectTable, type Grid, type GridCell, type Template } from "../../src/core";

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
