import { applyPlanToGrid, checkGrid } from "../../src/core";
import { REFERENCE, referenceGrid } from "../helpers/grids";

describe("the reference report", () => {
  test("is reproduced exactly from its inputs", () => {
    const r = checkGrid(referenceGrid());
    if (!r.ok) throw new Error(r.detail);
    const { report } = r;
    expect(report.columns).toEqual({ label: "A", budget: "B", comparison: "C", deviation: "D" });
    expect(report.unit).toBe("tkr");
    expect(report.convention).toBe("result");
    expect(report.template!.id).toBe("namnd");
    expect(report.comparisonKind).toBe("forecast");
    expect(report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual(REFERENCE);
    expect(report.flags.map((f) => [f.label, f.cell, f.deviation])).toEqual([
      ["Köp av tjänster", "D8", -4000],
      ["Verksamhetens kostnader", "D10", -3000],
    ]);
    expect(report.findings).toEqual([]);
  });

  test("writing the plan and checking again proposes nothing", () => {
    for (const formulas of [false, true]) {
      const first = checkGrid(referenceGrid(), { formulas });
      if (!first.ok) throw new Error(first.detail);
      expect(first.plan.writes.length).toBe(10 + 6);
      const again = checkGrid(applyPlanToGrid(referenceGrid(), first.plan), { formulas });
      if (!again.ok) throw new Error(again.detail);
      expect(again.plan.writes).toEqual([]);
      expect(again.report.findings).toEqual([]);
    }
  });
});
