import { gridOf, mustCheck } from "../helpers/grids";

/** The sign convention, decided from the sheet's evidence in its order, and the structure rules that need it. */

const HEADER = ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"];

describe("the sign convention, from the evidence in the sheet", () => {
  test.each([
    {
      name: "revenue negative and costs positive: the ledger",
      rows: [
        ["Intäkter", -1000, -1200, 200],
        ["Personalkostnader", 5000, 5300, -300],
        ["Övriga kostnader", 2000, 1900, 100],
      ],
      convention: "ledger",
      basis: "line-signs",
      flags: ["Personalkostnader"],
    },
    {
      name: "activities entered positive: net costs positive, ledger and presentation alike",
      rows: [
        ["Förskola", 1000, 1100, -100],
        ["Grundskola", 2000, 1900, 100],
      ],
      convention: "presentation",
      basis: "line-signs",
      flags: ["Förskola"],
    },
    {
      name: "activities entered negative: the result convention",
      rows: [
        ["Förskola", -1000, -1100, -100],
        ["Grundskola", -2000, -1900, 100],
      ],
      convention: "result",
      basis: "line-signs",
      flags: ["Förskola"],
    },
    {
      name: "activities of both signs: the deviation column decides (budget − forecast: net costs positive)",
      rows: [
        ["Förskola", -1000, -1100, 100],
        ["Grundskola", 2000, 1900, 100],
        ["Fritidsgårdar", -300, -200, -100],
        ["Bibliotek", 400, 500, -100],
      ],
      convention: "presentation",
      basis: "deviation-column",
      flags: ["Fritidsgårdar", "Bibliotek"],
    },
  ])("$name", ({ rows, convention, basis, flags }) => {
    const { report } = mustCheck(gridOf([HEADER, ...rows]));
    expect(report.convention).toBe(convention);
    expect(report.conventionEvidence.basis).toBe(basis);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.flags.map((f) => f.label)).toEqual(flags);
  });

  test("where neither signs nor a deviation column decide, the header's words do", () => {
    const { report } = mustCheck(
      gridOf([
        ["Nettokostnad per verksamhet"],
        ["Belopp i tkr", "Budget 2025", "Prognos 2025"],
        ["Förskola", -1000, -1100],
        ["Grundskola", 2000, 1900],
      ]),
    );
    expect(report.conventionEvidence).toMatchObject({ basis: "header-words", words: "nettokostnad" });
    expect(report.convention).toBe("presentation");
  });

  test("another column's header says nothing of the compared figures: only the title and their own headers do", () => {
    const rows = [
      ["Förskola", -1000, -1100, 50],
      ["Grundskola", 2000, 1900, 60],
    ];
    const beside = mustCheck(gridOf([["Belopp i tkr", "Budget 2025", "Prognos 2025", "Intäkter"], ...rows]));
    expect(beside.report.conventionEvidence.basis).toBe("assumed");
    const titled = mustCheck(
      gridOf([["Intäkter och kostnader"], ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Övrigt"], ...rows]),
    );
    expect(titled.report.conventionEvidence).toMatchObject({ basis: "header-words", words: "intäkt" });
  });

  test("a deviation column reckoned against the convention the signs establish is one finding at its header", () => {
    const { report } = mustCheck(
      gridOf([
        HEADER,
        ["Intäkter", 1000, 1200, -200],
        ["Personalkostnader", -5000, -5300, 300],
        ["Övriga kostnader", -2000, -1900, -100],
      ]),
    );
    expect(report.convention).toBe("result");
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([["deviation-mismatch", "D1"]]);
    expect(report.findings[0].message).toContain("omvänt tecken");
  });
});

describe("sums and itemising lines without a template", () => {
  test("a Netto line above its parts, with varav lines under it, in the ledger convention", () => {
    const { report } = mustCheck(
      gridOf([
        HEADER,
        ["Netto", 3000, 3100, -100],
        ["- varav kostnader", 4000, 4200, -200],
        ["- varav intäkter", -1000, -1100, 100],
        ["Förskola", 1000, 1050, -50],
        ["Grundskola", 2000, 2050, -50],
      ]),
    );
    expect(report.convention).toBe("ledger");
    expect(report.lines.map((l) => [l.row, l.kind, l.parts, l.itemises])).toEqual([
      [2, "sum", [5, 6], null],
      [3, "of", [], 2],
      [4, "of", [], 2],
      [5, "input", [], null],
      [6, "input", [], null],
    ]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("a total whose block could end at two places takes the one its figures agree with, and says so", () => {
    const { report } = mustCheck(
      gridOf([
        HEADER,
        ["Barn och utbildning"],
        ["Förskola", -1000, -1000, 0],
        ["Grundskola", -2000, -2000, 0],
        ["Vård och omsorg"],
        ["Hemtjänst", -500, -600, -100],
        ["Särskilt boende", -700, -700, 0],
        ["Totalt", -1200, -1300, -100],
      ]),
    );
    const total = report.lines.find((l) => l.label === "Totalt")!;
    expect(total.parts).toEqual([6, 7]);
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([["sum-reading", "A8"]]);
    expect(report.findings[0].message).toBe(
      "Totalt: summan kan avse flera block av rader; den räknas som rad 6–7, där beloppen går ihop, inte som rad 3–4, 6–7.",
    );
  });

  test("a total that names its section closes that section, nested under a committee total", () => {
    const { report } = mustCheck(
      gridOf([
        HEADER,
        ["Barn och utbildning"],
        ["Förskola", -1000, -1000, 0],
        ["Grundskola", -2000, -2100, -100],
        ["Summa barn och utbildning", -3000, -3100, -100],
        ["Vård och omsorg"],
        ["Hemtjänst", -500, -600, -100],
        ["Summa vård och omsorg", -500, -600, -100],
        ["Summa nämnden", -3500, -3700, -200],
      ]),
    );
    expect(report.lines.filter((l) => l.kind === "sum").map((l) => [l.label, l.parts])).toEqual([
      ["Summa barn och utbildning", [3, 4]],
      ["Summa vård och omsorg", [7]],
      ["Summa nämnden", [5, 8]],
    ]);
    expect(report.findings).toEqual([]);
  });
});

describe("the words real reports use", () => {
  test("a budget headed Kommunbidrag over two rows, an outcome headed Nettokostnad, and percentages left out", () => {
    const { report } = mustCheck(
      gridOf([
        ["Driftredovisning per nämnd, mnkr"],
        ["Nämnd", "Kommun-", "Netto-", "Budget-", "Förbrukat"],
        [null, "bidrag", "kostnad", "avvikelse", "%"],
        ["Kommunstyrelsen", 120.5, 118.2, 2.3, 98.1],
        ["Socialnämnden", 310.0, 325.4, -15.4, 105.0],
        ["Summa", 430.5, 443.6, -13.1, 103.0],
      ]),
    );
    expect(report.columns).toEqual({ label: "A", budget: "B", comparison: "C", deviation: "D" });
    expect(report.headers.budget).toBe("Kommunbidrag");
    expect(report.comparisonKind).toBe("outcome");
    expect(report.convention).toBe("presentation");
    expect(report.lines.find((l) => l.label === "Summa")!.parts).toEqual([4, 5]);
    expect(report.flags.map((f) => f.label)).toEqual(["Socialnämnden", "Summa"]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("a header word wrapped over two rows without a hyphen, and a Totala line as the sum of the lines above it", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Budget", "Prognos", "Avvikels"],
        [null, "2025", "2025", "e"],
        ["Förskola", -1000, -1100, -100],
        ["Grundskola", -2000, -1900, 100],
        ["Totala verksamheten", -3000, -3000, 0],
      ]),
    );
    expect(report.columns.deviation).toBe("D");
    expect(report.headers.deviation).toBe("Avvikelse");
    expect(report.deviationProposed).toBe(false);
    expect(report.lines.find((l) => l.label === "Totala verksamheten")).toMatchObject({ kind: "sum", parts: [3, 4] });
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("an annual report's outcome of the year is compared, not an earlier forecast that does not name the year", () => {
    const rows = [
      ["Ekonomi", -53.7, -58.1, 4.4, -53.8],
      ["HR", -129.9, -137.6, 7.7, -131.7],
    ];
    const published = mustCheck(gridOf([[null, "Utfall 2025", "Budget 2025", "Avvikelse", "Prognos aug"], ...rows]));
    expect(published.report.columns).toMatchObject({ budget: "C", comparison: "B", deviation: "D" });
    const emptied = rows.map((r) => [r[0], r[1], r[2], null, r[4]]);
    const headed = mustCheck(gridOf([[null, "Utfall 2025", "Budget 2025", "Avvikelse", "Prognos aug"], ...emptied]));
    expect(headed.report.columns).toMatchObject({ budget: "C", comparison: "B", deviation: "D" });
    // A forecast that names the budget's year still comes first when the deviation column says nothing.
    const named = mustCheck(gridOf([[null, "Utfall 2025", "Budget 2025", "Avvikelse", "Prognos 2025"], ...emptied]));
    expect(named.report.columns.comparison).toBe("E");
  });

  test("the deviation column's figures say which column it compares with the budget", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Prognos intäkter", "Prognos kostnader", "Prognos resultat", "Budget", "Prognosavvikelse"],
        ["Ekonomi", 82.2, -69.5, 12.7, -82.5, 13.0],
        ["HR", 143.3, -145.4, -2.1, -143.8, -1.6],
        ["Kommunikation", 100.4, -98.1, 2.3, -98.6, 0.5],
      ]),
    );
    expect(report.columns).toMatchObject({ budget: "E", comparison: "C", deviation: "F" });
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("the full-year forecast is taken before a year-to-date outcome, and the later forecast before the earlier", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Budget 2025", "Periodutfall", "Prognos T1", "Prognos T2", "Avvikelse"],
        ["Förskola", -1000, -300, -1010, -1020, -20],
        ["Grundskola", -2000, -700, -1990, -1980, 20],
      ]),
    );
    expect(report.columns.comparison).toBe("E");
    expect(report.otherComparisons.map((c) => c.header)).toEqual(["Prognos T1", "Periodutfall"]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("investment lines below the operating table are part of no total", () => {
    const { report } = mustCheck(
      gridOf([
        HEADER,
        ["Netto", -3000, -3100, -100],
        ["Förskola", -1000, -1050, -50],
        ["Grundskola", -2000, -2050, -50],
        ["Nettoinvesteringar", -500, -400, 100],
      ]),
    );
    expect(report.lines.map((l) => [l.label, l.kind, l.parts])).toEqual([
      ["Netto", "sum", [3, 4]],
      ["Förskola", "input", []],
      ["Grundskola", "input", []],
      ["Nettoinvesteringar", "input", []],
    ]);
    expect(report.findings).toEqual([]);
  });

  test("columns under a Period and a Helår heading: the full year's budget and forecast, and not the period's deviation", () => {
    const { report } = mustCheck(
      gridOf([
        ["Belopp i mnkr", "Period", null, null, "Helår", null, null],
        [null, "Utfall", "Budget", "Avvikelse", "Prognos", "Fg prognos", "Budget"],
        ["Intäkter", 373.6, 375.7, -2.1, 1513.3, 1506.8, 1506.8],
        ["Kostnader", -360.5, -382.1, 21.6, -1550.7, -1549.1, -1549.1],
        ["Resultat", 13.1, -6.4, 19.5, -37.4, -42.3, -42.3],
      ]),
    );
    expect(report.columns).toMatchObject({ budget: "G", comparison: "E", deviation: "H" });
    expect(report.lines.map((l) => l.deviation)).toEqual([6.5, -1.6, 4.9]);
    expect(report.flags.map((f) => f.label)).toEqual(["Kostnader"]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("a deviation header wrapped inside its cell is a deviation, though its first piece reads as a budget", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Utfall", "Budget", "Budgetav"],
        [null, "kostnader", "kostnader", "vikelse"],
        ["Ekonomi", -13.7, -20.7, 7.0],
        ["HR", -34.3, -36.2, 1.9],
      ]),
    );
    expect(report.columns).toMatchObject({ budget: "C", comparison: "B", deviation: "D" });
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("a column headed Resultat is the deviation where its figures are the result against the budget, and not where they are not", () => {
    const deviation = mustCheck(
      gridOf([
        ["Verksamhet (mnkr)", "Utfall", "Årsbudget", "Resultat"],
        ["Tillväxtenheten", 28.2, 30.7, 2.5],
        ["Välfärd", 378.3, 377.8, -0.5],
        ["Totalt", 406.5, 408.5, 2.0],
      ]),
    ).report;
    expect(deviation.columns).toMatchObject({ budget: "C", comparison: "B", deviation: "D" });
    expect(deviation.flags.map((f) => f.label)).toEqual(["Välfärd"]);
    expect(deviation.findings.filter((f) => f.severity === "error")).toEqual([]);
    // Left empty, it is where the deviation goes.
    const empty = mustCheck(
      gridOf([
        ["Verksamhet (mnkr)", "Utfall", "Årsbudget", "Resultat"],
        ["Tillväxtenheten", 28.2, 30.7, null],
        ["Välfärd", 378.3, 377.8, null],
      ]),
    ).report;
    expect(empty.columns).toMatchObject({ budget: "C", comparison: "B", deviation: "D" });
    expect(empty.lines.map((l) => l.deviation)).toEqual([2.5, -0.5]);
    const result = mustCheck(
      gridOf([
        [null, "Utfall kostnader", "Resultat", "Budget kostnader"],
        ["Ekonomi", -13.7, 6.8, -20.7],
        ["HR", -34.3, 1.5, -36.2],
      ]),
    ).report;
    expect(result.columns).toMatchObject({ budget: "D", comparison: "B", deviation: "E" });
  });

  test("in columns headed as costs, every line is a cost, whatever it is called", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Utfall kostnader", "Budget kostnader", "Avvikelse"],
        ["Tilläggstjänster", -6.9, -12.0, 5.1],
        ["Direktförsäljning och övrigt", -69.8, -65.3, -4.5],
        ["Kommunbidrag", -8.8, -9.6, 0.8],
      ]),
    );
    expect(report.convention).toBe("result");
    expect(report.lines.map((l) => l.nature)).toEqual(["cost", "cost", "cost"]);
    expect(report.findings).toEqual([]);
    expect(report.flags.map((f) => f.label)).toEqual(["Direktförsäljning och övrigt"]);
  });

  test("a total printed coarser than its parts is rounded to its own step; beyond that it is a mismatch", () => {
    const rows = (total: number) => [
      ["Verksamhet (mnkr)", "Budget", "Utfall", "Avvikelse"],
      ["Tillväxtenheten", 30.69, 28.17, 2.52],
      ["Välfärd", 377.84, 378.28, -0.44],
      ["Totalt", total, 406.5, 2.1],
    ];
    const rounded = mustCheck(gridOf(rows(408.5))).report;
    expect(rounded.findings.map((f) => [f.code, f.severity, f.cell])).toEqual([
      ["rounding-difference", "info", "B4"],
      ["rounding-difference", "info", "C4"],
      ["rounding-difference", "info", "D4"],
    ]);
    const wrong = mustCheck(gridOf(rows(408.6))).report;
    expect(wrong.findings.filter((f) => f.severity === "error").map((f) => [f.code, f.cell])).toEqual([
      ["total-mismatch", "B4"],
    ]);
  });

  test("hundredths of a thousand or a million kronor are rounded, hundredths of kronor exact", () => {
    const rows = (unit: string) => [
      [unit, "Budget", "Utfall", "Avvikelse"],
      ["Verksamhetsstöd", 18.4, 17.28, 1.11],
      ["Välfärd", 377.84, 378.28, -0.44],
    ];
    const mnkr = mustCheck(gridOf(rows("Verksamhet (mnkr)"))).report;
    expect(mnkr.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(mnkr.lines[0].deviation).toBe(1.11);
    const kronor = mustCheck(gridOf(rows("Verksamhet (kronor)"))).report;
    expect(kronor.findings.filter((f) => f.severity === "error").map((f) => [f.code, f.cell])).toEqual([
      ["deviation-mismatch", "D2"],
    ]);
  });

  test("a template total takes no part that a line outside it stands between", () => {
    const { report } = mustCheck(
      gridOf([
        ["Resultaträkning (mnkr)", "Utfall", "Årsbudget", "Avvikelse"],
        ["Verksamhetens intäkter", 125.2, 94.4, 30.8],
        ["Verksamhetens kostnader", -575.5, -549.5, -26.0],
        ["Nettokostnader", -450.3, -455.1, 4.8],
        ["Kommunbidrag", 489.0, 489.0, 0],
        ["Kapitalkostnad", -33.5, -33.8, 0.3],
      ]),
    );
    expect(report.lines.map((l) => [l.label, l.kind, l.parts])).toEqual([
      ["Verksamhetens intäkter", "input", []],
      ["Verksamhetens kostnader", "input", []],
      ["Nettokostnader", "sum", [2, 3]],
      ["Kommunbidrag", "input", []],
      ["Kapitalkostnad", "input", []],
    ]);
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});
