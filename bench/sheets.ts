import type { Grid, GridCell, Template } from "../src/core";

/** A detailed sheet: N account lines in groups of ten, a subtotal per group, and a grand total. */
export function accountSheet(n: number): { grid: Grid; template: Template } {
  const lines: Template["lines"] = [];
  const cells: (GridCell | null)[][] = [
    [{ v: "Belopp i tkr" }, { v: "Budget 2025" }, { v: "Prognos 2025" }, { v: "Avvikelse" }],
  ];
  const groups: string[] = [];
  let group: string[] = [];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const flush = (): void => {
    const id = `g${groups.length}`;
    lines.push({ id, label: `Summa grupp ${groups.length}`, nature: "cost", sum: group });
    cells.push([{ v: `Summa grupp ${groups.length}` }, null, null, null]);
    groups.push(id);
    group = [];
  };
  for (let i = 0; i < n; i++) {
    const id = `k${i}`;
    const budget = -Math.round(random() * 1e6) / 100;
    const forecast = budget - Math.round(random() * 2e4 - 1e4) / 100;
    lines.push({ id, label: `Konto ${i}`, nature: "cost" });
    cells.push([{ v: `Konto ${i}` }, { v: budget }, { v: forecast }, null]);
    group.push(id);
    if (group.length === 10) flush();
  }
  if (group.length > 0) flush();
  lines.push({ id: "total", label: "Summa kostnader", nature: "cost", sum: groups });
  cells.push([{ v: "Summa kostnader" }, null, null, null]);
  return { grid: { sheet: "Konton", cells }, template: { id: "konton", name: "Konton", lines } };
}

/** The mean time of one call, in ms, over at least `minMs` and three calls. */
export function meanMs(fn: () => void, minMs: number): number {
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    fn();
    runs++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < minMs || runs < 3);
  return elapsed / runs;
}
