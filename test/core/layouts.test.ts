import { applyPlanToGrid, blankBranch, detectTable } from "../../src/core";
import { gridOf, mustCheck } from "../helpers/grids";

/** Layouts of real follow-up sheets that a checker easily gets wrong. */

describe("section headings with a deviation formula filled down through them", () => {
  const grid = gridOf([
    ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
    ["Intäkter", null, null, "=C2-B2"],
    ["Verksamhetens intäkter", 32336, 35336, { v: 3000, f: "C3-B3" }],
    ["Kostnader", null, null, "=C4-B4"],
    ["Personalkostnader", -161198, -160198, { v: 1000, f: "C5-B5" }],
    ["Lokalhyror", -17111, -17111, { v: 0, f: "C6-B6" }],
    ["Summa kostnader", { v: -178309, f: "SUM(B5:B6)" }, { v: -177309, f: "SUM(C5:C6)" }, { v: 1000, f: "C7-B7" }],
    ["Verksamhetens nettokostnader", { v: -145973, f: "B3+B7" }, { v: -141973, f: "C3+C7" }, { v: 4000, f: "C8-B8" }],
  ]);

  test("are headings, not lines: the sheet is correct and nothing is written", () => {
    const { report, plan } = mustCheck(grid);
    expect(report.lines.map((l) => [l.row, l.label, l.kind])).toEqual([
      [3, "Verksamhetens intäkter", "input"],
      [5, "Personalkostnader", "input"],
      [6, "Lokalhyror", "input"],
      [7, "Summa kostnader", "sum"],
      [8, "Verksamhetens nettokostnader", "sum"],
    ]);
    expect(report.findings).toEqual([]);
    expect(plan.writes).toEqual([]);
  });
});

describe("a row inserted among a sum's parts", () => {
  const rows = (sumFormula: string, sumValue: number) =>
    gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Personalkostnader", -161198, -160198, 1000],
      ["Lokalhyror", -17111, -17111, 0],
      ["Köp av tjänster", -63743, -67743, -4000],
      ["Köpt vård", -5000, -9000, -4000],
      ["Verksamhetens kostnader", { v: sumValue, f: sumFormula }, -254052, -7000],
    ]);

  test("is one of the sum's parts: a SUM that misses it is reported, with the total", () => {
    const { report, plan } = mustCheck(rows("SUM(B2:B4)", -242052));
    const sum = report.lines.find((l) => l.label === "Verksamhetens kostnader")!;
    expect(sum.budget).toBe(-247052);
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([
      ["unknown-line", "A5"],
      ["total-mismatch", "B6"],
      ["sum-range-incomplete", "B6"],
    ]);
    expect(report.findings[2].message).toContain("utelämnar rad 5 (Köpt vård)");
    expect(plan.writes.map((w) => [w.cell, w.value, w.reason])).toEqual([["B6", -247052, "wrong-formula"]]);
  });

  test("a SUM that takes it in is right", () => {
    const { report, plan } = mustCheck(rows("SUM(B2:B5)", -247052));
    expect(report.findings.map((f) => f.code)).toEqual(["unknown-line"]);
    expect(plan.writes).toEqual([]);
  });

  test("in a costs-positive sheet it counts as a cost", () => {
    const grid = gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025"],
      ["Personalkostnader", 161198, 160198],
      ["Köp av tjänster", 63743, 67743],
      ["Ramavtal X", 5000, 9000],
      ["Verksamhetens kostnader", null, null],
    ]);
    const { report } = mustCheck(grid);
    expect(report.convention).toBe("presentation");
    expect(report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual([
      ["Personalkostnader", 161198, 160198, 1000],
      ["Köp av tjänster", 63743, 67743, -4000],
      ["Ramavtal X", 5000, 9000, -4000],
      ["Verksamhetens kostnader", 229941, 236941, -7000],
    ]);
  });
});

describe("columns", () => {
  test("a deviation in percent is not the deviation column", () => {
    const d = detectTable(
      gridOf([
        ["", "Budget 2025", "Prognos 2025", "Avv. %", "Avv. tkr"],
        ["Verksamhetens intäkter", 32336, 35336, 9.3, 3000],
      ]),
    );
    if (!d.ok) throw new Error(d.detail);
    expect([d.table.deviation.col, d.table.deviation.header]).toEqual([4, "Avv. tkr"]);
  });

  test("the forecast of another year is not the comparison; the outcome of the budget's year is", () => {
    const d = detectTable(
      gridOf([
        ["", "Utfall 2018", "Budget 2019", "Utfall 2019", "Prognos 2018"],
        ["Verksamhetens intäkter", 1, 2, 3, 4],
      ]),
    );
    if (!d.ok) throw new Error(d.detail);
    expect([d.table.comparison.header, d.table.comparisonKind]).toEqual(["Utfall 2019", "outcome"]);
  });

  test('"Kommun 2019" and "Koncern 2019" are outcome columns; the municipality\'s is chosen', () => {
    const d = detectTable(
      gridOf([
        ["", "Budget 2019", "Koncern 2019", "Kommun 2019"],
        ["Verksamhetens intäkter", 1, 2, 3],
      ]),
    );
    if (!d.ok) throw new Error(d.detail);
    expect(d.table.comparison.header).toBe("Kommun 2019");
    expect(d.table.otherComparisons.map((c) => c.header)).toEqual(["Koncern 2019"]);
  });
});

describe("a formula whose value was never computed", () => {
  const grid = gridOf([
    ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
    ["Personalkostnader", { v: null, f: "Data!B2" }, -160198, null],
    ["Köp av tjänster", -63743, -67743, null],
    ["Verksamhetens kostnader", null, null, null],
  ]);

  test("is reported, counts as no figure, and nothing is made up from it", () => {
    const { report, plan } = mustCheck(grid);
    expect(report.findings.map((f) => [f.code, f.severity, f.cell])).toEqual([["uncalculated", "error", "B2"]]);
    expect(report.findings[0].message).toBe(
      "Personalkostnader: budget är formeln =Data!B2 utan beräknat värde; öppna och spara arbetsboken i Excel så att den räknas.",
    );
    const byLabel = Object.fromEntries(report.lines.map((l) => [l.label, [l.budget, l.deviation]]));
    expect(byLabel).toEqual({
      Personalkostnader: [null, null],
      "Köp av tjänster": [-63743, -4000],
      "Verksamhetens kostnader": [null, null],
    });
    expect(plan.writes.map((w) => w.cell)).toEqual(["D3", "C4"]);
  });
});

describe("a formula that computes empty text", () => {
  // =IF(C2="";"";C2-B2): a deviation left blank until the forecast is typed.
  const blank = (r: number) => ({ v: "", f: `IF(C${r}="","",C${r}-B${r})` });
  const grid = gridOf([
    ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
    ["Personalkostnader", -161198, null, blank(2)],
    ["Köp av tjänster", -63743, -67743, { v: -4000, f: "C3-B3" }],
    ["Verksamhetens kostnader", null, null, null],
  ]);

  test("shows nothing, like an empty cell: the missing forecast is the finding, not the formula", () => {
    const { report, plan } = mustCheck(grid);
    expect(report.findings.map((f) => [f.code, f.severity, f.cell])).toEqual([["missing-value", "error", "C2"]]);
    // No deviation can be worked out for the line, so its formula is left alone.
    expect(plan.writes.map((w) => w.cell)).toEqual(["B4"]);
  });

  test("where the line's figures are there, the formula hiding its deviation is a wrong formula", () => {
    const filled = gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Personalkostnader", -161198, -160198, { v: "", f: 'IF(C2>0,C2-B2,"")' }],
      ["Köp av tjänster", -63743, -67743, -4000],
    ]);
    const { report, plan } = mustCheck(filled);
    expect(report.findings).toEqual([]);
    expect(plan.writes.map((w) => [w.cell, w.value, w.reason])).toEqual([["D2", 1000, "wrong-formula"]]);
  });
});

describe("formulas that show nothing in a template not yet filled in", () => {
  // Rows linked to a sheet of figures not yet typed: label, budget and forecast show nothing.
  const linked = (col: string, r: number) => ({ v: "", f: `IF(Underlag!${col}${r}="","",Underlag!${col}${r})` });
  const rows = [
    ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
    ["Personalkostnader", -161198, -160198, { v: 1000, f: 'IF(C2="","",C2-B2)' }],
    [linked("A", 3), linked("B", 3), linked("C", 3), { v: "", f: 'IF(C3="","",C3-B3)' }],
    ["Köp av tjänster", -63743, -67743, { v: -4000, f: 'IF(C4="","",C4-B4)' }],
    ["Verksamhetens kostnader", null, null, null],
  ];

  test("are a blank row: no line, no finding, nothing written in it", () => {
    const { report, plan } = mustCheck(gridOf(rows));
    expect(report.lines.map((l) => l.row)).toEqual([2, 4, 5]);
    expect(report.findings).toEqual([]);
    expect(plan.writes.map((w) => w.cell)).toEqual(["B5", "C5", "D5"]);
  });

  test("inside a sum's range they are a blank row: the SUM over them is right", () => {
    const d = (r: number, v: number | "") => ({ v, f: `IF(C${r}="","",C${r}-B${r})` });
    const { report, plan } = mustCheck(
      gridOf([
        ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
        ["Verksamhetens intäkter", 32336, 35336, d(2, 3000)],
        ["Personalkostnader", -161198, -160198, d(3, 1000)],
        [linked("A", 4), linked("B", 4), linked("C", 4), d(4, "")],
        ["Köp av tjänster", -63743, -67743, d(5, -4000)],
        [
          "Verksamhetens nettokostnader",
          { v: -192605, f: "SUM(B2:B5)" },
          { v: -192605, f: "SUM(C2:C5)" },
          { v: 0, f: "SUM(D2:D5)" },
        ],
      ]),
    );
    expect(report.findings).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test.each([
    ["Budgetreserv", "Prognos 2025"],
    ["Prognosreserv", "Utfall jan-apr 2025"],
  ])("a labelled row of them under the header ends it, a line of nothing yet (%s)", (label, comparison) => {
    const { report, plan } = mustCheck(
      gridOf([
        ["Konto", "Benämning", "Budget 2025", comparison, "Avvikelse", "Kommentar"],
        [3999, label, linked("C", 2), linked("D", 2), { v: "", f: 'IF(D2="","",D2-C2)' }, "ingen budget ännu"],
        [3010, "Verksamhetens intäkter", 32336, 35336, null, null],
        [4010, "Personalkostnader", -161198, -160198, null, null],
      ]),
    );
    expect(report.columns).toEqual({ label: "B", budget: "C", comparison: "D", deviation: "E" });
    expect(report.headers).toEqual({ budget: "Budget 2025", comparison, deviation: "Avvikelse" });
    expect(report.lines.map((l) => [l.row, l.budget, l.comparison])).toEqual([
      [2, 0, 0],
      [3, 32336, 35336],
      [4, -161198, -160198],
    ]);
    expect(report.findings).toEqual([]);
    // Its deviation formula is right and shows nothing for its zero: it is kept.
    expect(plan.writes.map((w) => w.cell)).toEqual(["E3", "E4"]);
  });

  test("a deviation formula that shows nothing is kept for a zero only when it reckons with the line's own figures", () => {
    const { plan } = mustCheck(
      gridOf([
        ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
        // One row off, after a row was moved: it shows nothing, and would go on showing nothing.
        ["Lokalhyror", -17111, -17111, { v: "", f: 'IF(C4="","",C4-B4)' }],
        [null, null, null, null],
        ["Köp av tjänster", -63743, -67743, -4000],
      ]),
    );
    expect(plan.writes.map((w) => [w.cell, w.value, w.reason])).toEqual([["D2", 0, "wrong-formula"]]);
  });

  test("a deviation formula that shows nothing for a zero is kept; one that hides a deviation is not", () => {
    const zero = gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Lokalhyror", -17111, -17111, { v: "", f: 'IF(C2-B2=0,"",C2-B2)' }],
      ["Köp av tjänster", -63743, -67743, { v: "", f: 'IF(C3-B3>-5000,"",C3-B3)' }],
    ]);
    const { plan } = mustCheck(zero);
    expect(plan.writes.map((w) => [w.cell, w.value, w.reason])).toEqual([["D3", -4000, "wrong-formula"]]);
  });
});

describe("sums written to show nothing for a zero", () => {
  // =OM(SUMMA(B2:B3)=0;"";SUMMA(B2:B3)): the sum is what is checked, and a zero may show as nothing.
  const om = (sum: string, v: number | "") => ({ v, f: `IF(${sum}=0,"",${sum})` });
  const rows = (range: [number, number]) => [
    ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
    ["Verksamhetens intäkter", 32336, 35336, 3000],
    ["Personalkostnader", -161198, -160198, 1000],
    ["Extraordinära intäkter", 0, 0, 0],
    ["Extraordinära kostnader", 0, 0, 0],
    [
      "Extraordinära poster",
      om(`SUM(B${range[0]}:B${range[1]})`, ""),
      om(`SUM(C${range[0]}:C${range[1]})`, ""),
      om(`SUM(D${range[0]}:D${range[1]})`, ""),
    ],
  ];

  test("are kept, a zero shown as nothing", () => {
    const { report, plan } = mustCheck(gridOf(rows([4, 5])));
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes.filter((w) => w.row === 5)).toEqual([]);
  });

  test("over the wrong rows are reported as such", () => {
    const { report } = mustCheck(gridOf(rows([3, 4])));
    expect(report.findings.filter((f) => f.code === "sum-range-incomplete").map((f) => f.cell)).toEqual([
      "B6",
      "C6",
      "D6",
    ]);
  });
});

describe("subtotals written to show nothing for a zero, under no sum word", () => {
  const om = (c: string, a: number, b: number, v: number | "") => ({
    v,
    f: `IF(SUM(${c}${a}:${c}${b})=0,"",SUM(${c}${a}:${c}${b}))`,
  });
  test("are sums by their formulas, a zero section too", () => {
    const { report, plan } = mustCheck(
      gridOf([
        ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
        ["Intäkter A", 100, 120, 20],
        ["Kostnader A", -300, -310, -10],
        ["Verksamhet A", om("B", 2, 3, -200), om("C", 2, 3, -190), om("D", 2, 3, 10)],
        ["Intäkter B", 0, 0, 0],
        ["Kostnader B", 0, 0, 0],
        ["Verksamhet B", om("B", 5, 6, ""), om("C", 5, 6, ""), om("D", 5, 6, "")],
        ["Totalt", { v: -200, f: "B4+B7" }, { v: -190, f: "C4+C7" }, { v: 10, f: "D4+D7" }],
      ]),
    );
    expect(report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, l.parts])).toEqual([
      [4, [2, 3]],
      [7, [5, 6]],
      [8, [4, 7]],
    ]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes).toEqual([]);
  });
});

describe("what a formula blank in some case reckons", () => {
  test.each([
    ['IF(C5="","",C5-B5)', "C5-B5"],
    ['IF(C5<>"",C5-B5,"")', "C5-B5"],
    ['if( C5 = "" , "" , C5-B5 )', "C5-B5"],
    ['IF(C5="","",IF(B5="","",C5-B5))', "C5-B5"],
    ['IF(A1=",""x"")","",B1)', "B1"],
    ["IF('Blad, 2'!A1=0,\"\",'Blad, 2'!A1)", "'Blad, 2'!A1"],
    ['IF(SUM(B2:B3)=0,"",SUM(B2:B3))', "SUM(B2:B3)"],
    ['IF(C5="","")', null],
    ['IF(C5="","","")', null],
    ['IFERROR(C5-B5,"")', null],
    ['IF(C5="","",C5)+1', null],
    ["C5-B5", null],
  ])("%s: %s", (formula, branch) => {
    expect(blankBranch(formula)).toBe(branch);
  });

  test("a deviation it cannot read that shows nothing for a zero is kept", () => {
    const { plan } = mustCheck(
      gridOf([
        ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
        ["Lokalhyror", -17111, -17111, { v: "", f: 'IF(ROUND(C2-B2,0)=0,"",ROUND(C2-B2,0))' }],
        ["Köp av tjänster", -63743, -67743, -4000],
      ]),
    );
    expect(plan.writes).toEqual([]);
  });
});

describe("a second table whose title is a formula", () => {
  test("is still a second table, not lines of the first", () => {
    const { report } = mustCheck(
      gridOf([
        ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
        ["Verksamhetens intäkter", 32336, 35336, 3000],
        ["Personalkostnader", -161198, -160198, 1000],
        [null, null, null, null],
        [{ v: "Investeringar 2025", f: '"Investeringar "&$B$1' }, "Budget", "Prognos", "Avvikelse"],
        ["Inventarier", -5000, -4000, 1000],
      ]),
    );
    expect(report.lines.map((l) => l.row)).toEqual([2, 3]);
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([["second-table", "A5"]]);
  });
});

describe("figures stored as text under a sum", () => {
  const grid = (sum: string | null) =>
    gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Personalkostnader", "\u2212161\u00a0198", -160198, 1000],
      ["Köp av tjänster", -63743, -67743, -4000],
      ["Verksamhetens kostnader", sum === null ? null : { v: -63743, f: sum }, -227941, -3000],
    ]);

  test("get a value, not a formula Excel would add up without them", () => {
    const { plan } = mustCheck(grid(null), { formulas: true });
    expect(plan.writes.map((w) => [w.cell, w.value, w.formula])).toEqual([["B4", -224941, undefined]]);
  });

  test("an existing SUM over them shows the wrong figure and is replaced by the value", () => {
    const { report, plan } = mustCheck(grid("SUM(B2:B3)"), { formulas: true });
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([
      ["text-number", "B2"],
      ["total-mismatch", "B4"],
    ]);
    expect(plan.writes.map((w) => [w.cell, w.value, w.formula, w.reason])).toEqual([
      ["B4", -224941, undefined, "wrong-formula"],
    ]);
  });

  test("a total stored as text is given its value, and a wrong formula over it is put right in the same plan", () => {
    const sheet = gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Intäkter", 200, 210, 10],
      ["Personalkostnader", -100, -110, -10],
      ["Köp av tjänster", -50, -40, 10],
      ["Summa kostnader", "\u2212150", -150, 0],
      ["Kvar för nämnden", { v: 350, f: "B2-B5" }, { v: 60, f: "C2+C5" }, 10],
    ]);
    const { plan } = mustCheck(sheet);
    expect(plan.writes.map((w) => [w.cell, w.value, w.formula, w.reason])).toEqual([
      ["B5", -150, undefined, "stale"],
      ["B6", 50, "B2+B5", "wrong-formula"],
    ]);
    expect(mustCheck(applyPlanToGrid(sheet, plan)).plan.writes).toEqual([]);
  });

  test("a right formula over a total stored as text keeps its formula and gets the figure it will show", () => {
    const sheet = gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Förskola", "1 000", 1100, -100],
      ["Grundskola", 2000, 2000, 0],
      ["Summa", "3000", { v: 3100, f: "SUM(C2:C3)" }, { v: -100, f: "D2+D3" }],
      ["Totalt", { v: 2000, f: "B4" }, { v: 3100, f: "C4" }, { v: -100, f: "D4" }],
    ]);
    const { plan } = mustCheck(sheet);
    expect(plan.writes.map((w) => [w.cell, w.value, w.formula])).toEqual([
      ["B4", 3000, undefined],
      ["B5", 3000, "B4"],
    ]);
    expect(mustCheck(applyPlanToGrid(sheet, plan)).plan.writes).toEqual([]);
  });
});

describe("income statements that the template explains only in part", () => {
  const summary = (rows: (string | number | null)[][]) => {
    const { report } = mustCheck(gridOf([["Mnkr", "Budget", "Utfall", "Avvikelse"], ...rows]));
    return {
      sums: report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, [...l.parts].sort((a, b) => a - b)]),
      errors: report.findings.filter((f) => f.severity === "error").map((f) => [f.code, f.cell]),
    };
  };

  test("a result printed above its parts, without the template's subtotals, is their total and is checked", () => {
    const rows = (result: number) => [
      ["Årets resultat", 30, result, result - 30],
      ["Verksamhetens nettokostnad", -1000, -1030, -30],
      ["- varav reavinster", 20, 25, 5],
      ["Skatter och generella bidrag", 1020, 1035, 15],
      ["Finansnetto", 10, 7, -3],
    ];
    expect(summary(rows(12))).toEqual({ sums: [[2, [3, 5, 6]]], errors: [] });
    // A printed result its parts do not give is reported, and its deviation is the parts'.
    expect(summary(rows(40)).errors).toEqual([
      ["total-mismatch", "C2"],
      ["deviation-mismatch", "D2"],
    ]);
  });

  test("a subtotal with a wrong figure is still a subtotal, and only its cell is reported", () => {
    const { sums, errors } = summary([
      ["Intäkter", 500, 520, 20],
      ["Kostnader", -400, -430, -30],
      ["Avskrivningar", -50, -50, 0],
      ["Rörelseresultat", 50, 45, -5],
      ["Finansiella poster", -10, -12, -2],
      ["Resultat efter finansiella poster", 40, 28, -12],
    ]);
    expect(sums).toEqual([
      [5, [2, 3, 4]],
      [7, [5, 6]],
    ]);
    expect(errors).toEqual([
      ["total-mismatch", "C5"],
      ["deviation-mismatch", "D5"],
    ]);
  });

  test("an item named for a result (Exploateringsresultat) is no total", () => {
    const { sums, errors } = summary([
      ["Verksamhetens intäkter", 300, 310, 10],
      ["Exploateringsresultat", 20, 25, 5],
      ["Verksamhetens kostnader", -900, -950, -50],
      ["Avskrivningar", -40, -40, 0],
      ["Verksamhetens nettokostnader", -620, -655, -35],
    ]);
    expect(sums).toEqual([[6, [2, 3, 4, 5]]]);
    expect(errors).toEqual([]);
  });

  test("a committee's result below its activities and its grant takes them all", () => {
    const { sums, errors } = summary([
      ["Politisk verksamhet", -3000, -3100, -100],
      ["Förskola", -52000, -51500, 500],
      ["Grundskola", -91000, -92000, -1000],
      ["Kommunbidrag", 146000, 146000, 0],
      ["Resultat", 0, -600, -600],
    ]);
    expect(sums).toEqual([[6, [2, 3, 4, 5]]]);
    expect(errors).toEqual([]);
  });

  test("a total standing between its parts keeps those on both sides", () => {
    const { sums, errors } = summary([
      ["Kommunbidrag", 100, 100, 0],
      ["Resultat", 10, 5, -5],
      ["Nettokostnad", -90, -95, -5],
      ["Intäkter", 20, 22, 2],
      ["Personalkostnader", -80, -84, -4],
      ["Övriga kostnader", -30, -33, -3],
    ]);
    expect(sums).toEqual([
      [3, [2, 4]],
      [4, [5, 6, 7]],
    ]);
    expect(errors).toEqual([]);
  });

  test("a subtotal the template does not know is a total of the parts above it, and a line below a total is not its part", () => {
    expect(
      summary([
        ["Intäkter", 500, 520, 20],
        ["Kostnader", -400, -430, -30],
        ["Avskrivningar", -50, -50, 0],
        ["Rörelseresultat", 50, 40, -10],
        ["Finansiella poster", -10, -12, -2],
        ["Resultat efter finansiella poster", 40, 28, -12],
        ["Avkastningskrav", -20, -20, 0],
        ["Jämförelsestörande poster", 0, 15, 15],
        ["Årets resultat", 20, 23, 3],
      ]),
    ).toEqual({
      sums: [
        [5, [2, 3, 4]],
        [7, [5, 6]],
        [10, [7, 8, 9]],
      ],
      errors: [],
    });
  });
});

describe("a committee's income statement with its revenue listed by activity", () => {
  // Revenue per activity under the heading "Verksamhetens intäkter", costs by kind under
  // "Verksamhetens kostnader", in the result convention (revenue positive, costs negative); the
  // cost total takes in "Finansnetto", and Kommunbidrag is among the revenue.
  const rows = (costTotal: number): (string | number | null)[][] => [
    ["Mnkr", "Utfall", "Budget", "Avvikelse"],
    ["Verksamhetens intäkter", null, null, null],
    ["Drift, skolor", 180, 200, -20],
    ["Drift, förskolor", 120, 120, 0],
    ["Totalt drift", 300, 320, -20],
    ["Projekt, skolor", 8, 10, -2],
    ["Projekt, förskolor", 4, 3, 1],
    ["Totalt projekt", 12, 13, -1],
    ["Totalt drift och projekt", 312, 333, -21],
    ["Inköp och upphandling", 12, 10, 2],
    ["E-tjänster", 5, 6, -1],
    ["Kommunbidrag", 40, 40, 0],
    ["Totala intäkter", 369, 389, -20],
    [null, null, null, null],
    ["Verksamhetens kostnader", null, null, null],
    ["Personalkostnader", -200, -230, 30],
    ["Konsultkostnader", -20, -10, -10],
    ["IT-licenser", -30, -30, 0],
    ["Övriga kostnader", -107, -118, 11],
    ["Finansnetto", -1, -1, 0],
    ["Totala kostnader", costTotal, -389, 31],
    ["Årets resultat", 11, 0, 11],
  ];

  test("the activities under a revenue heading are revenue, whatever their own words: the convention and flags follow", () => {
    const { report } = mustCheck(gridOf(rows(-358)));
    expect(report.convention).toBe("result");
    const natures = Object.fromEntries(report.lines.map((l) => [l.label, l.nature]));
    expect([natures["Drift, skolor"], natures["Inköp och upphandling"], natures["Totalt drift"]]).toEqual([
      "revenue",
      "revenue",
      "revenue",
    ]);
    expect(report.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect(report.flags.map((f) => f.row).sort((a, b) => a - b)).toEqual([3, 5, 6, 8, 9, 11, 13, 17]);
  });

  test("the template's totals take what stands in their blocks: Finansnetto is one of the costs", () => {
    const { report } = mustCheck(gridOf(rows(-358)));
    const parts = Object.fromEntries(report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, l.parts]));
    expect(parts).toEqual({
      5: [3, 4],
      8: [6, 7],
      9: [5, 8],
      13: [9, 10, 11, 12],
      21: [16, 17, 18, 19, 20],
      22: [13, 21],
    });
    // A total that misses a part is reported at its cell.
    const wrong = mustCheck(gridOf(rows(-350))).report;
    expect(wrong.findings.filter((f) => f.severity === "error").map((f) => [f.code, f.cell])).toEqual([
      ["total-mismatch", "B21"],
    ]);
  });
});

describe("headings and totals that only seem to name a section", () => {
  const H = ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"];

  test('a heading that names no revenue or cost ("Skattefinansierad verksamhet") leaves its activities net costs', () => {
    const { report, plan } = mustCheck(
      gridOf([
        H,
        ["Skattefinansierad verksamhet", null, null, null],
        ["Förskola", 120000, 123000, -3000],
        ["Grundskola", 210000, 208000, 2000],
        ["Fritidshem", 30000, 31000, -1000],
        ["Summa", 360000, 362000, -2000],
        ["Avgiftsfinansierad verksamhet", null, null, null],
        ["Vatten och avlopp", 5000, 4000, 1000],
        ["Renhållning", 2000, 2500, -500],
        ["Summa", 7000, 6500, 500],
        ["Totalt", 367000, 368500, -1500],
      ]),
    );
    expect(report.lines.find((l) => l.label === "Förskola")!.nature).toBe("cost");
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test("a section ends at its own total: a grant below the net cost is revenue by its words", () => {
    const { report, plan } = mustCheck(
      gridOf([
        H,
        ["Intäkter", null, null, null],
        ["Avgifter", 1000, 1200, 200],
        ["Bidrag", 3000, 2800, -200],
        ["Summa intäkter", 4000, 4000, 0],
        ["Kostnader", null, null, null],
        ["Personal", 20000, 21000, -1000],
        ["Lokaler", 5000, 5000, 0],
        ["Summa kostnader", 25000, 26000, -1000],
        ["Nettokostnad", 21000, 22000, -1000],
        ["Kommunbidrag från KF", 21000, 21000, 0],
        ["Resultat", 0, -1000, -1000],
      ]),
    );
    expect(report.lines.find((l) => l.label === "Kommunbidrag från KF")!.nature).toBe("revenue");
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test('"Totala kostnader" names the section "Kostnader", not "Driftkostnader" within it', () => {
    const { report, plan } = mustCheck(
      gridOf([
        H,
        ["Kostnader", null, null, null],
        ["Löner", 20000, 21000, -1000],
        ["Arbetsgivaravgifter", 6000, 6300, -300],
        ["Driftkostnader", null, null, null],
        ["Material", 1000, 900, 100],
        ["Konsulter", 2000, 2500, -500],
        ["Resor", 300, 200, 100],
        ["Totala kostnader", 29400, 30900, -1500],
      ]),
    );
    expect(report.lines.find((l) => l.label === "Totala kostnader")!.parts).toEqual([3, 4, 6, 7, 8]);
    expect(plan.writes.map((w) => [w.cell, w.value])).toEqual([
      ["B9", 29300],
      ["D9", -1600],
    ]);
  });
});

describe("operating statements with Intäkter, Kostnader and Netto per committee", () => {
  test('"Netto" is the outcome, and a header hyphenated to fit its cell ("Av-vikelse") is read whole', () => {
    const grid = gridOf([
      ["Mnkr", "Intäkter", "Kost-nader", "Netto", "Budget", "Av-vikelse"],
      ["Byggnadsnämnd", 48, -90, -42, -39, -3],
      ["Kulturnämnd", 108, -550, -442, -428, -14],
      ["Kommunstyrelse", 322, -702, -380, -405, 25],
      ["Summa nämnderna", 478, -1342, -864, -872, 8],
    ]);
    const { report, plan } = mustCheck(grid);
    expect([report.headers.comparison, report.comparisonKind, report.headers.deviation]).toEqual([
      "Netto",
      "outcome",
      "Av-vikelse",
    ]);
    expect(report.flags.map((f) => f.row)).toEqual([3, 2]);
    expect(report.lines.find((l) => l.row === 5)!.parts).toEqual([2, 3, 4]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test('"jan-apr" keeps its hyphen: a year-to-date outcome is not preferred over the forecast', () => {
    const d = detectTable(
      gridOf([
        ["", "Budget 2025", "Utfall jan-apr", "Prognos 2025"],
        ["Förskola", 100, 30, 105],
      ]),
    );
    if (!d.ok) throw new Error(d.detail);
    expect(d.table.comparison.header).toBe("Prognos 2025");
  });
});

describe("a note that specifies the revenue by kind", () => {
  test('lines under "Specifikation verksamhetens intäkter" are revenue, whatever their words', () => {
    const { report } = mustCheck(
      gridOf([
        ["Mnkr", "Bokslut 2016", "Budget 2016"],
        ["Specifikation verksamhetens intäkter", null, null],
        ["Taxor och avgifter", 52.5, 53.4],
        ["Lokalhyror och arrenden", 20.2, 20.3],
        ["Bidrag från staten", 129.6, 91.3],
        ["Summa", 202.3, 165.0],
      ]),
    );
    expect(report.lines.filter((l) => l.kind !== "sum").map((l) => l.nature)).toEqual([
      "revenue",
      "revenue",
      "revenue",
    ]);
    expect(report.flags.map((f) => f.row).sort()).toEqual([3, 4]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("the balance requirement's reconciliation below the result", () => {
  const statement = (rur: number | null, total: number | null) =>
    mustCheck(
      gridOf([
        ["Mnkr", "Budget 2020", "Bokslut 2020"],
        ["Verksamhetens nettokostnader", -1096.2, -1086.2],
        ["Skatteintäkter", 1111.2, 1123.1],
        ["Årets resultat", 15.0, 36.9],
        ["Avräkning mot balanskravet", null, -1.6],
        ["Årets resultat efter balanskravsjusteringar", 15.0, 35.3],
        ["Reservering av medel till RUR", rur, -22.0],
        ["Balanskravsresultat", total, 13.3],
      ]),
    );

  test("a disposition the budget leaves empty is not compared with a budget, nor is the total right above it", () => {
    const { report, plan } = statement(null, null);
    const line = (row: number) => report.lines.find((l) => l.row === row)!;
    expect([line(5).deviation, line(7).deviation, line(8).deviation, line(8).budget]).toEqual([null, null, null, null]);
    // A total that prints its budget counts the disposition as zero, and is compared.
    expect(line(6).deviation).toBe(20.3);
    expect(report.flags).toEqual([]);
    expect(report.findings.filter((f) => f.code === "missing-value")).toEqual([]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes.filter((w) => w.target !== "header" && w.row >= 4 && w.target !== "deviation")).toEqual([]);
  });

  test("a budgeted disposition is compared like any line", () => {
    const { report } = statement(-10.0, 5.0);
    expect(report.flags.map((f) => f.row)).toEqual([7]);
    expect(report.lines.find((l) => l.row === 8)!.deviation).toBe(8.3);
  });

  test("an operating line the budget leaves empty is still reckoned against zero, and said so", () => {
    const { report } = mustCheck(
      gridOf([
        ["Tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
        ["Personalkostnader", -5000, -5100, -100],
        ["Köp av tjänster", null, -300, null],
        ["Summa kostnader", -5000, -5400, -400],
      ]),
    );
    expect(report.flags.map((f) => f.row).sort()).toEqual([2, 3, 4]);
    expect(report.findings.filter((f) => f.code === "missing-value").map((f) => f.cell)).toEqual(["B3"]);
  });
});

describe("a subtotal that only its figures show", () => {
  const H = ["Mnkr", "Budget 2018", "Utfall 2018", "Avvikelse"];

  test("a line that adds up the lines since the last total, in budget and outcome, is their subtotal", () => {
    const { report, plan } = mustCheck(
      gridOf([
        H,
        ["Kommunstyrelsen", 164.2, 157.7, 6.5],
        ["Socialnämnden", 345.9, 362.2, -16.3],
        ["Summa nämnder", 510.1, 519.9, -9.8],
        ["Pensioner", 50.2, 46.7, 3.5],
        ["Kommunreserven", 9.5, 0.0, 9.5],
        ["Övriga verksamhetsposter", -16.1, -27.8, 11.7],
        ["Gemensamma kostnader/intäkter", 43.6, 18.9, 24.7],
        ["Verksamhetens nettokostnader", 553.7, 538.8, 14.9],
      ]),
    );
    expect(report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, l.parts])).toEqual([
      [4, [2, 3]],
      [8, [5, 6, 7]],
      [9, [4, 8]],
    ]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test("a line that matches the lines above in one column only, or only in zeros, is an ordinary line", () => {
    const { report } = mustCheck(
      gridOf([
        H,
        ["Personal", 100, 110, -10],
        ["Lokaler", 50, 50, 0],
        ["Övrigt", 150, 140, 10],
        ["Summa", 300, 300, 0],
        ["Material", 0, 0, 0],
        ["Resor", 0, 0, 0],
        ["Konsulter", 0, 0, 0],
        ["Totalt", 300, 300, 0],
      ]),
    );
    expect(report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, l.parts])).toEqual([
      [5, [2, 3, 4]],
      [9, [5, 6, 7, 8]],
    ]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("within the rounding of its parts' unit: a tenth off in a table of tenths, not a whole unit", () => {
    const rows = (outcome: number) =>
      gridOf([
        H,
        ["Kommunledning", 47.3, 48.7, -1.4],
        ["Utbildning", 426.5, 423.7, 2.8],
        ["Kommunens verksamheter", 473.8, outcome, 473.8 - outcome],
        ["Finansförvaltning", 157.7, 154.4, 3.3],
        ["Verksamhetens nettokostnad", 631.5, 626.8, 4.7],
      ]);
    const sums = (outcome: number) =>
      mustCheck(rows(outcome))
        .report.lines.filter((l) => l.kind === "sum")
        .map((l) => [l.row, l.parts]);
    expect(sums(472.4)).toEqual([
      [4, [2, 3]],
      [6, [4, 5]],
    ]);
    expect(sums(472.5)).toEqual([
      [4, [2, 3]],
      [6, [4, 5]],
    ]);
    // Half a unit off is no rounding of two tenths: the line is not a subtotal.
    expect(sums(472.9)).toEqual([[6, [2, 3, 4, 5]]]);
  });
});

describe("words of the lines", () => {
  test('"VA-verksamheten, skattefinansiering" is a net cost, "Generella stats- och utjämn.bidrag" revenue', () => {
    const { report } = mustCheck(
      gridOf([
        ["Mnkr", "Budget", "Utfall", "Avvikelse"],
        ["Verksamhetens nettokostnad", -686.2, -687.1, -0.9],
        ["Skatteintäkter", 616.9, 625.2, 8.3],
        ["Generella stats- och utjämn.bidrag", 91.4, 91.4, 0.0],
        ["VA-verksamheten, skattefinansiering", -3.7, 0.0, 3.7],
      ]),
    );
    expect(report.lines.map((l) => [l.label, l.nature])).toEqual([
      ["Verksamhetens nettokostnad", "cost"],
      ["Skatteintäkter", "revenue"],
      ["Generella stats- och utjämn.bidrag", "revenue"],
      ["VA-verksamheten, skattefinansiering", "cost"],
    ]);
  });
});

describe("one block of cost types per activity", () => {
  const H = ["Tkr", "Utfall 2020", "Budget", "Avvikelse"];
  const blocks = (grön: number) =>
    gridOf([
      H,
      ["Gator och vägar", null, null, null],
      ["Intäkter", 2064, 1312, 752],
      ["Personalkostnader", -1935, -2170, 235],
      ["Övriga kostnader", -32310, -30122, -2188],
      ["Nettokostnad", -32181, -30980, -1201],
      ["Grön miljö", null, null, null],
      ["Intäkter", 111, 71, 40],
      ["Övriga kostnader", -6679, -6154, -525],
      ["Nettokostnad", grön, -6083, grön + 6083],
      ["Vattenvårdsförbund", null, null, null],
      ["Övriga kostnader", -120, -130, 10],
      ["Nettokostnad", -120, -130, 10],
    ]);

  test("each block under its heading is the template over again: its net cost is its own lines' total", () => {
    const { report, plan } = mustCheck(blocks(-6568));
    expect(report.lines.filter((l) => l.kind === "sum").map((l) => [l.row, l.parts])).toEqual([
      [6, [3, 4, 5]],
      [10, [8, 9]],
      [13, [12]],
    ]);
    expect(report.findings).toEqual([]);
    expect(report.flags.map((f) => f.row).sort((a, b) => a - b)).toEqual([5, 6, 9, 10]);
    expect(plan.writes).toEqual([]);
  });

  test("a block's net cost that its lines do not give is reported at its cell", () => {
    const { report } = mustCheck(blocks(-6468));
    expect(report.findings.filter((f) => f.severity === "error").map((f) => [f.code, f.cell])).toEqual([
      ["total-mismatch", "B10"],
      ["deviation-mismatch", "D10"],
    ]);
  });

  test("a heading in an income statement does not start the template over where a total below it needs a subtotal above it", () => {
    const { report } = mustCheck(
      gridOf([
        ["Mnkr", "Budget 2024", "Utfall 2024", "Avvikelse"],
        ["Verksamhetens intäkter", 300, 310, 10],
        ["Verksamhetens kostnader", -1200, -1230, -30],
        ["Jämförelsestörande poster", 0, 5, 5],
        ["Avskrivningar", -50, -48, 2],
        ["Verksamhetens nettokostnader", -950, -963, -13],
        ["Skatteintäkter", 800, 810, 10],
        ["Generella statsbidrag och utjämning", 200, 205, 5],
        ["Verksamhetens resultat", 50, 52, 2],
        ["Finansiering", null, null, null],
        ["Finansiella intäkter", 10, 12, 2],
        ["Finansiella kostnader", -5, -6, -1],
        ["Jämförelsestörande poster", 0, -3, -3],
        ["Resultat efter finansiella poster", 55, 55, 0],
        ["Extraordinära poster", 0, 0, 0],
        ["Årets resultat", 55, 55, 0],
      ]),
    );
    expect(report.findings).toEqual([]);
    expect(report.lines.find((l) => l.row === 14)!.parts).toEqual([9, 11, 12, 13]);
  });

  test("a line that comes twice with no heading between is still reported", () => {
    const { report } = mustCheck(
      gridOf([
        H,
        ["Intäkter", 2064, 1312, 752],
        ["Personalkostnader", -1935, -2170, 235],
        ["Personalkostnader", -100, -100, 0],
        ["Övriga kostnader", -32310, -30122, -2188],
        ["Nettokostnad", -32181, -30980, -1201],
      ]),
    );
    expect(report.findings.filter((f) => f.code === "unknown-line").map((f) => f.cell)).toEqual(["A4"]);
  });
});

describe("a cost entered against the convention that its total takes as entered", () => {
  const H = ["Mnkr", "Prognos", "Årsbudget", "Avvikelse"];
  const statement = (result: number) =>
    gridOf([
      H,
      ["Kommunledning", 48.7, 47.3, -1.4],
      ["Utbildning", 423.7, 426.5, 2.8],
      ["Vård och omsorg", 176.3, 173.8, -2.5],
      ["Miljö och teknik", 38.4, 38.6, 0.2],
      ["Verksamhetens nettokostnad", 687.1, 686.2, -0.9],
      ["Skatteintäkter", 625.2, 616.9, 8.3],
      ["Generella statsbidrag och utjämning", 91.4, 91.4, 0.0],
      ["Finansiella intäkter", 2.3, 1.0, 1.3],
      ["Finansiella kostnader", -7.1, -8.0, 0.9],
      ["Resultat före extraordinära poster", result, 15.1, result - 15.1],
    ]);

  test("net costs entered positive and subtracted, financial costs entered negative and added: the result adds up", () => {
    const { report, plan } = mustCheck(statement(24.7));
    expect(report.convention).toBe("presentation");
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    // The sheet is still told that the line is signed against its other costs.
    expect(report.findings.filter((f) => f.code === "sign").map((f) => f.cell)).toEqual(["C10", "B10"]);
    const line = report.lines.find((l) => l.row === 10)!;
    expect([line.deviation, line.flagged]).toEqual([0.9, false]);
    expect(plan.writes).toEqual([]);
  });

  test("a result whose forecast neither reading explains is reported, with the line reckoned as the convention says", () => {
    const { report } = mustCheck(statement(30.0));
    // Only both figures together show that the line is taken as entered: the budget is reported too.
    expect(report.findings.filter((f) => f.code === "total-mismatch").map((f) => f.cell)).toEqual(["C11", "B11"]);
    expect(report.lines.find((l) => l.row === 10)!.flagged).toBe(true);
  });
});
