import {
  applyPlanToGrid,
  checkGrid,
  classifyHeader,
  detectTable,
  normalizeLabel,
  type DetectOptions,
  type Grid,
  type GridCell,
  type MergeArea,
  type Table,
} from "../../src/core";
import { committeeGrid, gridOf, mustCheck, REFERENCE, referenceGrid } from "../helpers/grids";

type Value = string | number | null | undefined | GridCell;

/** The reference table's lines, filled, as grid rows. */
const FILLED: Value[][] = REFERENCE.map(([label, b, f, d]) => [label, b, f, d]);
/** Only the input lines of the reference, with budget and forecast. */
const INPUT_ROWS: Value[][] = REFERENCE.filter(
  ([label]) => !/^(Verksamhetens (kostnader|nettokostnader)|Årets resultat)$/.test(label),
).map(([label, b, f]) => [label, b, f]);

function withMerges(grid: Grid, merges: MergeArea[]): Grid {
  return { ...grid, merges };
}

function detected(grid: Grid, options: DetectOptions = {}): Table {
  const d = detectTable(grid, options);
  if (!d.ok) throw new Error(`no table (${d.reason}): ${d.detail}`);
  return d.table;
}

/** What a detection found, in a form to compare against. */
function summary(t: Table) {
  return {
    headerRow: t.headerRow,
    firstDataRow: t.firstDataRow,
    labelCol: t.labelCol,
    budget: { col: t.budget.col, header: t.budget.header },
    comparison: { col: t.comparison.col, header: t.comparison.header },
    comparisonKind: t.comparisonKind,
    deviation: { col: t.deviation.col, header: t.deviation.header, proposed: t.deviation.proposed },
    unit: t.unit,
    template: t.template.template.id,
    lines: t.lines.map((l) => [l.label, l.line?.id ?? null, l.kind]),
  };
}

const REFERENCE_LINES = [
  ["Verksamhetens intäkter", "intakter", "input"],
  ["Personalkostnader", "personal", "input"],
  ["Lokalhyror", "lokalhyror", "input"],
  ["Köp av tjänster", "kopAvTjanster", "input"],
  ["Övriga kostnader", "ovrigaKostnader", "input"],
  ["Verksamhetens kostnader", "kostnader", "sum"],
  ["Verksamhetens nettokostnader", "nettokostnader", "sum"],
  ["Kommunbidrag", "kommunbidrag", "input"],
  ["Finansnetto", "finansnetto", "input"],
  ["Årets resultat", "aretsResultat", "sum"],
];

interface Case {
  name: string;
  grid: Grid;
  options?: DetectOptions;
  expected: Partial<ReturnType<typeof summary>>;
}

const CASES: Case[] = [
  {
    name: "the reference sheet: title rows above, unit note in the header row, multi-line headers",
    grid: referenceGrid(),
    expected: {
      headerRow: 3,
      firstDataRow: 4,
      labelCol: 0,
      budget: { col: 1, header: "Budget 2025" },
      comparison: { col: 2, header: "Prognos helår 2025" },
      comparisonKind: "forecast",
      deviation: { col: 3, header: "Avv. prognos/budget 2025", proposed: false },
      unit: "tkr",
      template: "namnd",
      lines: REFERENCE_LINES,
    },
  },
  {
    name: "the unit in a title row: Mnkr",
    grid: gridOf([["Socialnämnden, Mnkr"], [], [null, "Budget 2025", "Prognos 2025", "Avvikelse"], ...FILLED]),
    expected: { headerRow: 2, firstDataRow: 3, unit: "mnkr", lines: REFERENCE_LINES },
  },
  {
    name: "a Not column between the labels and the figures",
    grid: gridOf([
      ["Belopp i tkr", "Not", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ...FILLED.map(([label, b, f, d], i) => [
        label,
        i % 3 === 0 ? i + 1 : i % 3 === 1 ? String(i + 1) : null,
        b,
        f,
        d,
      ]),
    ]),
    expected: {
      labelCol: 0,
      budget: { col: 2, header: "Budget 2025" },
      comparison: { col: 3, header: "Prognos 2025" },
      deviation: { col: 4, header: "Avvikelse", proposed: false },
      lines: REFERENCE_LINES,
    },
  },
  {
    name: "blank columns between the label and the figures and between the figures",
    grid: gridOf([
      ["Belopp i tkr", null, null, "Budget", null, "Prognos", null, "Avvikelse"],
      ...FILLED.map(([label, b, f, d]) => [label, null, null, b, null, f, null, d]),
    ]),
    expected: {
      labelCol: 0,
      budget: { col: 3, header: "Budget" },
      comparison: { col: 5, header: "Prognos" },
      deviation: { col: 7, header: "Avvikelse", proposed: false },
      lines: REFERENCE_LINES,
    },
  },
  {
    name: "labels in column B after a column of line numbers",
    grid: gridOf([
      [null, "Belopp i tkr", "Budget", "Prognos", "Avvikelse"],
      ...FILLED.map(([label, b, f, d], i) => [i + 1, label, b, f, d]),
    ]),
    expected: { labelCol: 1, budget: { col: 2, header: "Budget" }, lines: REFERENCE_LINES },
  },
  {
    name: "a header split over two rows, the year a number in the row below",
    grid: gridOf([
      ["Socialnämnden"],
      ["Belopp i tkr", "Budget", "Prognos helår", "Avvikelse"],
      [null, 2025, 2025, null],
      ...FILLED,
    ]),
    expected: {
      headerRow: 1,
      firstDataRow: 3,
      budget: { col: 1, header: "Budget 2025" },
      comparison: { col: 2, header: "Prognos helår 2025" },
      deviation: { col: 3, header: "Avvikelse", proposed: false },
      lines: REFERENCE_LINES,
    },
  },
  {
    name: "a header split over two rows, the year as text",
    grid: gridOf([
      ["Belopp i tkr", "Budget", "Prognos helår", "Avvikelse"],
      [null, "2025", "2025", "mot budget"],
      ...FILLED,
    ]),
    expected: {
      headerRow: 0,
      firstDataRow: 2,
      budget: { col: 1, header: "Budget 2025" },
      comparison: { col: 2, header: "Prognos helår 2025" },
      deviation: { col: 3, header: "Avvikelse mot budget", proposed: false },
    },
  },
  {
    name: "a merged group header over the figure columns",
    grid: withMerges(gridOf([[null, "Helår 2025"], ["Belopp i tkr", "Budget", "Prognos", "Avvikelse"], ...FILLED]), [
      { top: 0, left: 1, bottom: 0, right: 3 },
    ]),
    expected: {
      headerRow: 1,
      firstDataRow: 2,
      budget: { col: 1, header: "Helår 2025 Budget" },
      comparison: { col: 2, header: "Helår 2025 Prognos" },
      deviation: { col: 3, header: "Helår 2025 Avvikelse", proposed: false },
      unit: "tkr",
      lines: REFERENCE_LINES,
    },
  },
  {
    name: "upper-case, numbered, padded and Summa-prefixed labels",
    grid: gridOf([
      [null, "Budget", "Prognos", "Avvikelse"],
      ["VERKSAMHETENS INTÄKTER", 32336, 35336, 3000],
      ["1. Personalkostnader", -161198, -160198, 1000],
      ["2) Lokalhyror  ", -17111, -17111, 0],
      ["  3. Köp av tjänster (not 3)", -63743, -67743, -4000],
      ["4 Övriga kostnader:", -46587, -46587, 0],
      ["Summa kostnader", -288639, -291639, -3000],
      ["Verksamhetens nettokostnad", -256303, -256303, 0],
      ["KOMMUNBIDRAG", 256303, 256303, 0],
      ["Finansnetto\u00a0", 0, 0, 0],
      ["Årets Resultat", 0, 0, 0],
    ]),
    expected: {
      lines: [
        ["VERKSAMHETENS INTÄKTER", "intakter", "input"],
        ["1. Personalkostnader", "personal", "input"],
        ["2) Lokalhyror", "lokalhyror", "input"],
        ["3. Köp av tjänster (not 3)", "kopAvTjanster", "input"],
        ["4 Övriga kostnader:", "ovrigaKostnader", "input"],
        ["Summa kostnader", "kostnader", "sum"],
        ["Verksamhetens nettokostnad", "nettokostnader", "sum"],
        ["KOMMUNBIDRAG", "kommunbidrag", "input"],
        ["Finansnetto", "finansnetto", "input"],
        ["Årets Resultat", "aretsResultat", "sum"],
      ],
    },
  },
  {
    name: "an empty deviation column",
    grid: gridOf([["Belopp i tkr", "Budget", "Prognos", "Avvikelse"], ...INPUT_ROWS]),
    expected: { deviation: { col: 3, header: "Avvikelse", proposed: false } },
  },
  {
    name: "no deviation column: the next free column is proposed",
    grid: gridOf([["Belopp i tkr", "Budget", "Prognos"], ...INPUT_ROWS]),
    expected: { deviation: { col: 3, header: "Avvikelse", proposed: true } },
  },
  {
    name: "no deviation column, a comment column right of the figures",
    grid: gridOf([["Belopp i tkr", "Budget", "Prognos", "Kommentar"], ...INPUT_ROWS.map((r) => [...r, "enligt plan"])]),
    expected: { deviation: { col: 4, header: "Avvikelse", proposed: true } },
  },
  {
    name: "no deviation column, a note in one row of the next column",
    grid: gridOf([
      ["Belopp i tkr", "Budget", "Prognos"],
      ...INPUT_ROWS.map((r, i) => (i === 3 ? [...r, "köpt vård"] : r)),
    ]),
    expected: { deviation: { col: 4, header: "Avvikelse", proposed: true } },
  },
  {
    name: "a full-year budget and forecast among year-to-date columns",
    grid: gridOf([
      [
        null,
        "Budget helår",
        "Budget tom maj",
        "Utfall tom maj",
        "Prognos helår",
        "Avvikelse utfall/budget",
        "Avvikelse prognos/budget",
      ],
      ["Verksamhetens intäkter", 32336, 13473, 14012, 35336, 539, 3000],
    ]),
    expected: {
      budget: { col: 1, header: "Budget helår" },
      comparison: { col: 4, header: "Prognos helår" },
      comparisonKind: "forecast",
      deviation: { col: 6, header: "Avvikelse prognos/budget", proposed: false },
    },
  },
  {
    name: "a year-to-date budget: the year-to-date outcome is the comparison",
    grid: gridOf([
      [null, "Budget jan–maj", "Utfall jan–maj", "Prognos helår", "Avvikelse prognos", "Avvikelse utfall"],
      ["Verksamhetens intäkter", 13473, 14012, 35336, 21863, 539],
    ]),
    expected: {
      budget: { col: 1, header: "Budget jan–maj" },
      comparison: { col: 2, header: "Utfall jan–maj" },
      comparisonKind: "outcome",
      deviation: { col: 5, header: "Avvikelse utfall", proposed: false },
    },
  },
  {
    name: "a forecast before an outcome of the same period",
    grid: gridOf([
      [null, "Budget 2025", "Utfall 2025", "Prognos 2025"],
      ["Verksamhetens intäkter", 1, 2, 3],
    ]),
    expected: { comparison: { col: 3, header: "Prognos 2025" }, comparisonKind: "forecast" },
  },
];

describe("detectTable", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(summary(detected(c.grid, c.options))).toMatchObject(c.expected);
  });

  test.each([
    ["Belopp i tkr", "tkr"],
    ["Tkr", "tkr"],
    ["Belopp i tusental kronor", "tkr"],
    ["Mnkr", "mnkr"],
    ["Belopp i mkr", "mnkr"],
    ["Miljoner kronor", "mnkr"],
    ["Mdkr", "mdkr"],
    ["Belopp i kronor", "kr"],
    ["Socialnämnden", null],
  ])("the unit note %j gives %p", (note, unit) => {
    const grid = gridOf([[note], [null, "Budget", "Prognos"], ...INPUT_ROWS]);
    expect(detected(grid).unit).toBe(unit);
    const inHeader = gridOf([[note, "Budget", "Prognos"], ...INPUT_ROWS]);
    expect(detected(inHeader).unit).toBe(unit);
  });

  test("a missing deviation column is planned with its header", () => {
    const grid = gridOf([["Socialnämnden"], ["Belopp i tkr", "Budget", "Prognos"], ...INPUT_ROWS]);
    const { report, plan } = mustCheck(grid);
    expect(report.deviationProposed).toBe(true);
    expect(report.columns.deviation).toBe("D");
    expect(plan.writes[0]).toEqual({
      cell: "D2",
      row: 1,
      col: 3,
      target: "header",
      label: "Avvikelse",
      before: { value: null },
      value: "Avvikelse",
      reason: "header",
    });
    expect(plan.writes.slice(1).map((w) => [w.cell, w.value])).toEqual([
      ["D3", 3000],
      ["D4", 1000],
      ["D5", 0],
      ["D6", -4000],
      ["D7", 0],
      ["D8", 0],
      ["D9", 0],
    ]);
    const again = mustCheck(applyPlanToGrid(grid, plan));
    expect(again.report.deviationProposed).toBe(false);
    expect(again.report.headers.deviation).toBe("Avvikelse");
    expect(again.plan.writes).toEqual([]);
  });

  test("an empty deviation column is filled, the header left alone", () => {
    const { plan } = mustCheck(gridOf([["Belopp i tkr", "Budget", "Prognos", "Avvikelse"], ...INPUT_ROWS]));
    expect(plan.writes.map((w) => [w.cell, w.value, w.reason])).toEqual([
      ["D2", 3000, "empty"],
      ["D3", 1000, "empty"],
      ["D4", 0, "empty"],
      ["D5", -4000, "empty"],
      ["D6", 0, "empty"],
      ["D7", 0, "empty"],
      ["D8", 0, "empty"],
    ]);
  });
});

describe("a municipality's annual report with several years and the group", () => {
  const header = ["Belopp i mnkr", "Not", "Utfall 2019", "Utfall 2018", "Budget 2019", 2019, 2018];
  const rows: Value[][] = [
    ["Verksamhetens intäkter", 1, 1250, 1200, 1230, 1500, 1450],
    ["Verksamhetens kostnader", 2, -5400, -5300, -5390, -5600, -5500],
    ["Avskrivningar", 3, -210, -200, -205, -260, -250],
  ];
  const group = [null, null, "Kommunen", null, null, "Koncernen", null];
  test.each([
    ["without merged cells", gridOf([group, header, ...rows])],
    [
      "with merged group headers",
      withMerges(gridOf([group, header, ...rows]), [
        { top: 0, left: 2, bottom: 0, right: 4 },
        { top: 0, left: 5, bottom: 0, right: 6 },
      ]),
    ],
  ])("%s: the comparison is Utfall 2019 of the municipality", (_name, grid) => {
    const t = detected(grid);
    expect(t.comparison.col).toBe(2);
    expect(t.comparison.header).toMatch(/Utfall 2019$/);
    expect(t.comparison.info).toEqual({
      kind: "outcome",
      year: 2019,
      period: "year",
      entity: "kommun",
      made: 0,
      earlier: false,
    });
    expect(t.comparisonKind).toBe("outcome");
    expect(t.budget.col).toBe(4);
    expect(t.budget.info).toMatchObject({ kind: "budget", year: 2019, entity: "kommun", made: 0 });
    expect(t.otherComparisons.map((c) => [c.col, c.info.year, c.info.entity])).toEqual([
      [5, 2019, "koncern"],
      [3, 2018, "kommun"],
      [6, 2018, "koncern"],
    ]);
    expect(t.unit).toBe("mnkr");
    expect(t.labelCol).toBe(0);
    expect(t.template.template.id).toBe("resultatrakning");
    expect(t.deviation).toMatchObject({ col: 7, header: "Avvikelse", proposed: true });
    const { report } = mustCheck(grid);
    expect(report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual([
      ["Verksamhetens intäkter", 1230, 1250, 20],
      ["Verksamhetens kostnader", -5390, -5400, -10],
      ["Avskrivningar", -205, -210, -5],
    ]);
    expect(report.otherComparisons.map((c) => c.column)).toEqual(["F", "D", "G"]);
  });
});

describe("sheets without a table", () => {
  test.each<[string, Grid, DetectOptions, "empty" | "no-table", RegExp]>([
    ["no cells", { sheet: "Blad1", cells: [] }, {}, "empty", /empty/],
    ["empty rows", { sheet: "Blad1", cells: [[], []] }, {}, "empty", /empty/],
    ["only text", gridOf([["Socialnämnden"], ["Verksamhetsberättelse"], ["Året i korthet"]]), {}, "no-table", /header/],
    [
      "figures without headers",
      gridOf([
        ["Verksamhetens intäkter", 32336, 35336],
        ["Personalkostnader", -161198, -160198],
      ]),
      {},
      "no-table",
      /budget/,
    ],
    [
      "a budget without a comparison",
      gridOf([
        [null, "Budget 2025"],
        ["Verksamhetens intäkter", 32336],
      ]),
      {},
      "no-table",
      /forecast or outcome/,
    ],
    ["a header without lines", gridOf([[null, "Budget", "Prognos"]]), {}, "no-table", /label/],
    [
      "a budget column with no labels to its left",
      gridOf([
        ["Budget", "Prognos"],
        [1, 2],
      ]),
      {},
      "no-table",
      /no header row|label/,
    ],
    ["a template that does not exist", referenceGrid(), { templateId: "kommunen" }, "no-table", /"kommunen"/],
  ])("%s", (_name, grid, options, reason, detail) => {
    const d = detectTable(grid, options);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.reason).toBe(reason);
    expect(d.detail).toMatch(detail);
    expect(checkGrid(grid, options)).toEqual(d);
  });
});

describe("the template and the sign convention", () => {
  test("a committee table gets the committee template", () => {
    expect(detected(referenceGrid()).template.template.id).toBe("namnd");
  });

  test("a template can be chosen by id", () => {
    const t = detected(referenceGrid(), { templateId: "resultatrakning" });
    expect(t.template.template.id).toBe("resultatrakning");
    // Personalkostnader is no line of the income statement.
    expect(t.lines.find((l) => l.label === "Personalkostnader")?.kind).toBe("unknown");
  });

  test("a costs-positive sheet is detected as such", () => {
    const grid = committeeGrid(
      REFERENCE.map(([label, b, f, d], i) => (i >= 1 && i <= 6 ? [label, -b, -f, d] : [label, b, f, d])),
    );
    const { report, plan } = mustCheck(grid);
    expect(report.convention).toBe("presentation");
    expect(report.conventionDetected).toBe(true);
    expect(report.findings).toEqual([]);
    expect(plan.writes).toEqual([]);
    expect(report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual([
      ["Verksamhetens intäkter", 32336, 35336, 3000],
      ["Personalkostnader", 161198, 160198, 1000],
      ["Lokalhyror", 17111, 17111, 0],
      ["Köp av tjänster", 63743, 67743, -4000],
      ["Övriga kostnader", 46587, 46587, 0],
      ["Verksamhetens kostnader", 288639, 291639, -3000],
      ["Verksamhetens nettokostnader", 256303, 256303, 0],
      ["Kommunbidrag", 256303, 256303, 0],
      ["Finansnetto", 0, 0, 0],
      ["Årets resultat", 0, 0, 0],
    ]);
    expect(report.flags.map((f) => [f.label, f.deviation])).toEqual([
      ["Köp av tjänster", -4000],
      ["Verksamhetens kostnader", -3000],
    ]);
  });

  test("a costs-positive sheet with empty result lines gets costs-positive sums and formulas", () => {
    const grid = committeeGrid(
      REFERENCE.map(([label, b, f], i) =>
        [5, 6, 9].includes(i)
          ? [label, null, null, null]
          : i >= 1 && i <= 4
            ? [label, -b, -f, null]
            : [label, b, f, null],
      ),
    );
    const { report, plan } = mustCheck(grid, { formulas: true });
    expect(report.convention).toBe("presentation");
    const byCell = Object.fromEntries(plan.writes.map((w) => [w.cell, [w.formula, w.value]]));
    expect(byCell).toMatchObject({
      B10: ["SUM(B6:B9)", 288639],
      B11: ["-B5+B10", 256303],
      B14: ["-B11+B12+B13", 0],
      D6: ["-C6+B6", 1000],
      D8: ["-C8+B8", -4000],
      D10: ["-C10+B10", -3000],
      D5: ["C5-B5", 3000],
      D14: ["C14-B14", 0],
    });
  });

  test("without any cost figure, the conventions that reckon revenue alike are named", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Budget", "Prognos"],
        ["Verksamhetens intäkter", 10, 12],
      ]),
    );
    expect(report.convention).toBe("result");
    expect(report.conventionEvidence).toEqual({ basis: "line-signs", agree: 2, disagree: 0, alike: ["presentation"] });
  });

  test("without any figure of known sign, the convention is assumed, and said to be", () => {
    const { report } = mustCheck(
      gridOf([
        [null, "Budget", "Prognos"],
        ["Årets resultat", 10, 12],
      ]),
    );
    expect(report.convention).toBe("result");
    expect(report.conventionDetected).toBe(false);
    expect(report.conventionEvidence.basis).toBe("assumed");
  });

  test("a given convention is not reported as detected", () => {
    const { report } = mustCheck(referenceGrid(), { convention: "result" });
    expect(report.conventionDetected).toBe(false);
  });
});

describe("the municipality's income statement", () => {
  // Figures of our own, consistent by construction (tkr, costs negative).
  const INCOME: [string, number, number][] = [
    ["Verksamhetens intäkter", 1250000, 1262500],
    ["Verksamhetens kostnader", -5400000, -5431200],
    ["Avskrivningar", -210000, -208400],
    ["Verksamhetens nettokostnader", -4360000, -4377100],
    ["Skatteintäkter", 3580000, 3571300],
    ["Generella statsbidrag och utjämning", 890000, 902600],
    ["Verksamhetens resultat", 110000, 96800],
    ["Finansiella intäkter", 42000, 45500],
    ["Finansiella kostnader", -38000, -41700],
    ["Resultat efter finansiella poster", 114000, 100600],
    ["Extraordinära poster", 0, 0],
    ["Årets resultat", 114000, 100600],
  ];
  const SUMS = new Set([
    "Verksamhetens nettokostnader",
    "Verksamhetens resultat",
    "Resultat efter finansiella poster",
    "Årets resultat",
  ]);
  const EXPECTED = INCOME.map(([label, b, f]) => [label, b, f, f - b]);

  function statement(filled: boolean): Grid {
    return gridOf([
      ["Resultaträkning"],
      ["Belopp i tkr", "Not", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ...INCOME.map(([label, b, f], i) =>
        !filled && SUMS.has(label) ? [label, null, null, null, null] : [label, i + 1, b, f, filled ? f - b : null],
      ),
    ]);
  }

  test("the figures are consistent by construction", () => {
    const v = Object.fromEntries(INCOME.map(([l, b, f]) => [l, [b, f]]));
    for (const k of [0, 1]) {
      const net = v["Verksamhetens intäkter"][k] + v["Verksamhetens kostnader"][k] + v["Avskrivningar"][k];
      expect(v["Verksamhetens nettokostnader"][k]).toBe(net);
      const op = net + v["Skatteintäkter"][k] + v["Generella statsbidrag och utjämning"][k];
      expect(v["Verksamhetens resultat"][k]).toBe(op);
      const fin = op + v["Finansiella intäkter"][k] + v["Finansiella kostnader"][k];
      expect(v["Resultat efter finansiella poster"][k]).toBe(fin);
      expect(v["Årets resultat"][k]).toBe(fin + v["Extraordinära poster"][k]);
    }
  });

  test("is detected with the income statement template", () => {
    const t = detected(statement(false));
    expect(t.template.template.id).toBe("resultatrakning");
    expect(t.unit).toBe("tkr");
    expect(t.labelCol).toBe(0);
    expect([t.budget.col, t.comparison.col, t.deviation.col]).toEqual([2, 3, 4]);
    expect(t.lines.map((l) => [l.line?.id, l.kind])).toEqual([
      ["intakter", "input"],
      ["kostnader", "input"],
      ["avskrivningar", "input"],
      ["nettokostnader", "sum"],
      ["skatteintakter", "input"],
      ["statsbidrag", "input"],
      ["verksamhetensResultat", "sum"],
      ["finansiellaIntakter", "input"],
      ["finansiellaKostnader", "input"],
      ["resultatEfterFinansiellaPoster", "sum"],
      ["extraordinaraPoster", "input"],
      ["aretsResultat", "sum"],
    ]);
  });

  test.each([false, true])("every sum line and deviation is recomputed exactly (formulas %p)", (formulas) => {
    const { report, plan } = mustCheck(statement(false), { formulas });
    expect(report.template!.id).toBe("resultatrakning");
    expect(report.convention).toBe("result");
    expect(report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual(EXPECTED);
    expect(report.findings).toEqual([]);
    expect(report.flags.map((f) => [f.label, f.cell, f.deviation])).toEqual([
      ["Verksamhetens kostnader", "E4", -31200],
      ["Verksamhetens nettokostnader", "E6", -17100],
      ["Resultat efter finansiella poster", "E12", -13400],
      ["Årets resultat", "E14", -13400],
      ["Verksamhetens resultat", "E9", -13200],
      ["Skatteintäkter", "E7", -8700],
      ["Finansiella kostnader", "E11", -3700],
    ]);
    const sums = plan.writes.filter((w) => w.target !== "deviation").map((w) => [w.cell, w.value, w.formula]);
    expect(sums).toEqual([
      ["C6", -4360000, formulas ? "SUM(C3:C5)" : undefined],
      ["D6", -4377100, formulas ? "SUM(D3:D5)" : undefined],
      ["C9", 110000, formulas ? "SUM(C6:C8)" : undefined],
      ["D9", 96800, formulas ? "SUM(D6:D8)" : undefined],
      ["C12", 114000, formulas ? "SUM(C9:C11)" : undefined],
      ["D12", 100600, formulas ? "SUM(D9:D11)" : undefined],
      ["C14", 114000, formulas ? "C12+C13" : undefined],
      ["D14", 100600, formulas ? "D12+D13" : undefined],
    ]);
    expect(plan.writes.filter((w) => w.target === "deviation").map((w) => [w.cell, w.value])).toEqual(
      EXPECTED.map(([, , , d], i) => [`E${i + 3}`, d]),
    );
    const again = mustCheck(applyPlanToGrid(statement(false), plan), { formulas });
    expect(again.plan.writes).toEqual([]);
    expect(again.report.findings).toEqual([]);
  });

  test("the filled statement has nothing to correct", () => {
    const { report, plan } = mustCheck(statement(true));
    expect(report.findings).toEqual([]);
    expect(plan.writes).toEqual([]);
    expect(report.lines.map((l) => [l.label, l.budget, l.comparison, l.deviation])).toEqual(EXPECTED);
  });

  test("a result line off by 1 000 is found", () => {
    const grid = statement(true);
    grid.cells[8]![3] = { v: 97800 };
    const { report } = mustCheck(grid);
    // The deviation of a sum line comes from the recomputed sums, so only the total is wrong.
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([["total-mismatch", "D9"]]);
    expect(report.lines[6].comparison).toBe(96800);
  });
});

describe("labels and headers", () => {
  test.each([
    ["Verksamhetens intäkter", "verksamhetens intäkter"],
    ["  VERKSAMHETENS  INTÄKTER ", "verksamhetens intäkter"],
    ["1. Personalkostnader", "personalkostnader"],
    ["2) Lokalhyror", "lokalhyror"],
    ["a. Lokalhyror", "lokalhyror"],
    ["iv. Lokalhyror", "lokalhyror"],
    ["3 Köp av tjänster", "köp av tjänster"],
    ["1.2. Köp av tjänster", "köp av tjänster"],
    ["Summa kostnader", "kostnader"],
    ["Summa: kostnader", "kostnader"],
    ["Totalt kostnader", "kostnader"],
    ["S:a kostnader", "kostnader"],
    ["Skatteintäkter (not 4)", "skatteintäkter"],
    ["Skatteintäkter (4, 5)", "skatteintäkter"],
    ["Skatteintäkter not 4", "skatteintäkter"],
    ["Årets resultat:", "årets resultat"],
    ["Årets resultat *", "årets resultat"],
    ["Köp\u00a0av\u2009tjänster", "köp av tjänster"],
    ["Varav köpt vård", "varav köpt vård"],
  ])("normalizeLabel(%j) is %j", (label, norm) => {
    expect(normalizeLabel(label)).toBe(norm);
  });

  test("a trailing note number after a label is ignored", () => {
    const t = detected(
      gridOf([
        ["Belopp i tkr", "Budget", "Prognos"],
        ["Verksamhetens intäkter 1", 1250000, 1262500],
        ["Verksamhetens kostnader 2", -5400000, -5431200],
        ["Skatteintäkter 4", 3580000, 3571300],
        ["Generella statsbidrag och utjämning not 5", 890000, 902600],
      ]),
    );
    expect(t.template.template.id).toBe("resultatrakning");
    expect(t.lines.map((l) => l.line?.id)).toEqual(["intakter", "kostnader", "skatteintakter", "statsbidrag"]);
  });

  /** What a header says when its words say nothing more than its kind. */
  const HEADER_INFO = { year: null, period: "year", entity: null, made: 0, earlier: false } as const;
  test.each<[string, ReturnType<typeof classifyHeader>]>([
    ["Budget 2025", { ...HEADER_INFO, kind: "budget", year: 2025 }],
    ["Budget helår", { ...HEADER_INFO, kind: "budget" }],
    ["Årsbudget", { ...HEADER_INFO, kind: "budget" }],
    ["Prognos helår\n2025", { ...HEADER_INFO, kind: "forecast", year: 2025 }],
    ["Helårsprognos", { ...HEADER_INFO, kind: "forecast" }],
    ["Bokslutsprognos", { ...HEADER_INFO, kind: "forecast" }],
    ["Utfallsprognos", { ...HEADER_INFO, kind: "forecast" }],
    ["Utfall jan–maj", { ...HEADER_INFO, kind: "outcome", period: "ytd" }],
    ["Utfall tom maj", { ...HEADER_INFO, kind: "outcome", period: "ytd" }],
    ["Utfall t.o.m. maj", { ...HEADER_INFO, kind: "outcome", period: "ytd" }],
    ["Ackumulerat utfall", { ...HEADER_INFO, kind: "outcome", period: "ytd" }],
    ["Bokslut 2024", { ...HEADER_INFO, kind: "outcome", year: 2024 }],
    ["Avv. prognos/\nbudget 2025", { ...HEADER_INFO, kind: "deviation", year: 2025 }],
    ["Budgetavvikelse", { ...HEADER_INFO, kind: "deviation" }],
    ["Budget-avvikelse", { ...HEADER_INFO, kind: "deviation" }],
    ["Prognosavvikelse", { ...HEADER_INFO, kind: "deviation" }],
    ["Driftavvikelse", { ...HEADER_INFO, kind: "deviation" }],
    ["Differens", { ...HEADER_INFO, kind: "deviation" }],
    ["Not", { ...HEADER_INFO, kind: "note" }],
    ["Koncernen 2019", { ...HEADER_INFO, kind: "outcome", year: 2019, entity: "koncern" }],
    ["2018", { ...HEADER_INFO, kind: "outcome", year: 2018 }],
    ["Kommentar", { ...HEADER_INFO, kind: null }],
    ["Fg prognos", { ...HEADER_INFO, kind: "forecast", earlier: true }],
    ["Utfall fg år", { ...HEADER_INFO, kind: "outcome", earlier: true }],
  ])("classifyHeader(%j)", (text, info) => {
    expect(classifyHeader(text)).toEqual(info);
  });
});

describe("layouts that once went wrong", () => {
  test("the label column's own header may name an outcome: its texts make it the labels, and the other outcome is compared", () => {
    const rows: Value[][] = [
      ["Sektorernas resultat"],
      ["Utfall per sektor (tkr)", "Budget", "Utfall", "Avvikelse"],
      ["Skola", -1000, -1200, -200],
      ["Omsorg", -2000, -1900, 100],
      ["Summa", -3000, -3100, -100],
    ];
    const t = detected(gridOf(rows));
    expect([t.labelCol, t.budget.col, t.comparison.col, t.deviation.col]).toEqual([0, 1, 2, 3]);
    expect(t.otherComparisons.map((c) => c.col)).toEqual([]);
    // Without another outcome, that header's column stays a figure column: no labels are left.
    const alone = detectTable(gridOf(rows.map((r, i) => (i === 1 ? [r[0], r[1]] : r.slice(0, 2)))));
    expect(alone.ok ? null : alone.problem).toBe("no-labels");
  });

  test("a line with amounts between 1 950 and 2 199 is not dropped", () => {
    const grid = gridOf([
      [null, "Budget", "Prognos"],
      ["Verksamhetens intäkter", 32336, 35336],
      ["Avgifter", 2000, 2100],
      ["Personalkostnader", -161198, -160198],
    ]);
    const { report } = mustCheck(grid);
    expect(report.lines.map((l) => [l.label, l.deviation])).toEqual([
      ["Verksamhetens intäkter", 3000],
      ["Avgifter", 100],
      ["Personalkostnader", 1000],
    ]);
  });

  test("a merged title right above the header does not become part of the column headers", () => {
    const rows: Value[][] = [
      ["Driftredovisning per maj 2025"],
      [null, "Budget helår", "Utfall jan–maj", "Prognos helår", "Avvikelse"],
      ["Verksamhetens intäkter", 32336, 14012, 35336, 3000],
      ["Personalkostnader", -161198, -66310, -160198, 1000],
    ];
    const plain = detected(gridOf(rows));
    expect([plain.comparison.col, plain.comparisonKind, plain.budget.info.period]).toEqual([3, "forecast", "year"]);
    const t = detected(withMerges(gridOf(rows), [{ top: 0, left: 0, bottom: 0, right: 4 }]));
    expect([t.comparison.col, t.comparisonKind, t.budget.info.period]).toEqual([3, "forecast", "year"]);
    expect(t.budget.header).not.toMatch(/Driftredovisning/);
  });

  test("a label in decomposed Unicode (NFD) is recognised", () => {
    expect(normalizeLabel("Köp av tjänster".normalize("NFD"))).toBe(normalizeLabel("Köp av tjänster"));
    const grid = gridOf([
      [null, "Budget", "Prognos"],
      ["Köp av tjänster".normalize("NFD"), -63743, -67743],
    ]);
    expect(detected(grid).lines[0].line?.id).toBe("kopAvTjanster");
  });

  test("section headings without figures do not take the place of the sum lines", () => {
    const grid = gridOf([
      [null, "Budget", "Prognos", "Avvikelse"],
      ["Intäkter"],
      ["Verksamhetens intäkter", 32336, 35336, 3000],
      ["Kostnader"],
      ["Personalkostnader", -161198, -160198, 1000],
      ["Lokalhyror", -17111, -17111, 0],
      ["Köp av tjänster", -63743, -67743, -4000],
      ["Övriga kostnader", -46587, -46587, 0],
      ["Summa kostnader", -288639, -291639, -3000],
    ]);
    const { report, plan } = mustCheck(grid);
    const summa = report.lines.find((l) => l.label === "Summa kostnader");
    expect([summa?.lineId, summa?.kind]).toEqual(["kostnader", "sum"]);
    expect(summa?.budget).toBe(-288639);
    // Every figure is right: nothing is an error and nothing is to be written (least of all into a heading row).
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.findings.filter((f) => f.cell.endsWith("9"))).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test("a header merged over two rows is read once", () => {
    const grid = withMerges(
      gridOf([["Belopp i tkr", "Budget 2025", "Prognos", "Avvikelse"], [null, null, "helår 2025", null], ...FILLED]),
      [
        { top: 0, left: 1, bottom: 1, right: 1 },
        { top: 0, left: 3, bottom: 1, right: 3 },
      ],
    );
    const t = detected(grid);
    expect([t.budget.header, t.comparison.header, t.deviation.header]).toEqual([
      "Budget 2025",
      "Prognos helår 2025",
      "Avvikelse",
    ]);
  });

  test("a sheet whose only cell is blank is empty", () => {
    const d = detectTable({ sheet: "Blad1", cells: [[{ v: "" }]] });
    expect(d).toMatchObject({ ok: false, reason: "empty" });
  });
});

describe("odd sheets the fuzzer found", () => {
  test("a budget header that joins the header row above it is no budget column, and no table is claimed", () => {
    const r = detectTable(
      gridOf([
        ["Belopp i tkr", "Prognos 2025", "Avvikelse"],
        ["Verksamhetens intäkter", "Budget 2025", "", 0],
        ["Verksamhetens intäkter", 0, 0, 0],
      ]),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe("no-header");
  });

  test("a column headed as figures is never the label column, so no label is written over", () => {
    const grid = gridOf([
      [null, "Prognos 2025", "Avvikelse", "Belopp i tkr", "Budget 2025"],
      ["Verksamhetens intäkter"],
      [0, null, "Verksamhetens intäkter"],
    ]);
    const r = mustCheck(grid);
    expect(r.report.columns.label).toBe("A");
    expect(r.plan.writes.map((w) => w.cell)).not.toContain("C3");
  });

  test("a proposed deviation column is empty down to the table's end, not only on its lines", () => {
    const grid = gridOf([
      [null, "Not", "Budget 2025", "Utfall 2024"],
      ["−4 000", null, null, null, { v: 0, z: "mm-dd-yy" }],
      ["Verksamhetens intäkter", null, 100, 90],
    ]);
    const r = mustCheck(grid);
    expect(r.report.columns.deviation).toBe("F");
    const again = mustCheck(applyPlanToGrid(grid, r.plan));
    expect(again.plan.writes).toEqual([]);
  });

  test("a deviation written into a cell formatted as a date goes back to General, so it reads as an amount", () => {
    const grid = gridOf([
      ["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Verksamhetens intäkter", 100, 90, { v: 45800, z: "yyyy-mm-dd" }],
    ]);
    const r = mustCheck(grid);
    expect(r.plan.writes).toEqual([expect.objectContaining({ cell: "D2", value: -10, numberFormat: "General" })]);
    expect(mustCheck(applyPlanToGrid(grid, r.plan)).plan.writes).toEqual([]);
  });
});
