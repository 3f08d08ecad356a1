import type { CheckGridOptions, Finding, FindingCode, GridCell, Severity } from "../../src/core";
import { committeeGrid, gridOf, mustCheck, REFERENCE } from "../helpers/grids";

type Value = string | number | null | GridCell;

/** Writes amounts in expected messages as formatAmount does: a no-break space between digit groups. */
function nb(text: string): string {
  return text.replace(/(\d) (?=\d{3}(?!\d))/g, "$1\u00a0");
}
type Rows = Value[][];

/** The reference table, filled and correct: header on sheet row 4, Verksamhetens intäkter on row 5. */
function filledRows(): Rows {
  return REFERENCE.map(([label, b, f, d]) => [label, b, f, d]);
}

const COL = { A: 0, B: 1, C: 2, D: 3 } as const;

/** Sets a cell of the line with this label (first match). */
function set(rows: Rows, label: string, col: keyof typeof COL, value: Value): void {
  const row = rows.find((r) => r[0] === label);
  if (!row) throw new Error(`no row "${label}"`);
  row[COL[col]] = value;
}

/** Inserts a row right after the line with this label. */
function insertAfter(rows: Rows, label: string, row: Value[]): void {
  const i = rows.findIndex((r) => r[0] === label);
  if (i < 0) throw new Error(`no row "${label}"`);
  rows.splice(i + 1, 0, row);
}

function findingsOf(edit: (rows: Rows) => void, options: CheckGridOptions = {}): Finding[] {
  const rows = filledRows();
  edit(rows);
  const { report } = mustCheck(committeeGrid(rows), options);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  expect(report.counts).toEqual(counts);
  return report.findings;
}

test("the filled reference table has no findings", () => {
  expect(findingsOf(() => {})).toEqual([]);
});

interface Case {
  name: string;
  code: FindingCode;
  severity: Severity;
  cell: string;
  /** Text the message must contain (the line label, at least). */
  mentions: string[];
  /** The exact message, where it is worth pinning down. */
  message?: string;
  trigger: (rows: Rows) => void;
  /** A near-identical sheet that must not give this finding. */
  near: (rows: Rows) => void;
  options?: CheckGridOptions;
}

const KOSTNADER = "Verksamhetens kostnader";
const KOP = "Köp av tjänster";

const CASES: Case[] = [
  {
    name: "a sum line off by 5 against 4 whole-tkr parts",
    code: "total-mismatch",
    severity: "error",
    cell: "B10",
    mentions: [KOSTNADER],
    message: "Verksamhetens kostnader: budget är −288 634 men delarna summerar till −288 639 (skillnad 5).",
    trigger: (r) => set(r, KOSTNADER, "B", -288634),
    near: (r) => set(r, KOSTNADER, "B", -288638),
  },
  {
    name: "a sum line off by 1 against 4 whole-tkr parts",
    code: "rounding-difference",
    severity: "info",
    cell: "C10",
    mentions: [KOSTNADER, "avrundning"],
    message:
      "Verksamhetens kostnader: prognos är −291 640, delarna ger −291 639; skillnaden −1 förklaras av avrundning.",
    trigger: (r) => set(r, KOSTNADER, "C", -291640),
    near: (r) => set(r, KOSTNADER, "C", -291639),
  },
  {
    name: "an entered deviation that is not forecast − budget",
    code: "deviation-mismatch",
    severity: "error",
    cell: "D8",
    mentions: [KOP],
    message: "Köp av tjänster: avvikelsen är 4 000 men ska vara −4 000 (prognos − budget).",
    trigger: (r) => set(r, KOP, "D", 4000),
    near: (r) => set(r, KOP, "D", -4000),
  },
  {
    name: "a SUM formula that leaves out Köp av tjänster",
    code: "sum-range-incomplete",
    severity: "error",
    cell: "B10",
    mentions: [KOSTNADER, KOP],
    message: "Verksamhetens kostnader: formeln =SUM(B6:B7)+B9 utelämnar rad 8 (Köp av tjänster).",
    trigger: (r) => set(r, KOSTNADER, "B", { v: -161198 - 17111 - 46587, f: "SUM(B6:B7)+B9" }),
    near: (r) => set(r, KOSTNADER, "B", { v: -288639, f: "SUM(B6:B7)+B8+B9" }),
  },
  {
    name: "a SUM range that misses a row inserted among its parts",
    code: "sum-range-incomplete",
    severity: "error",
    cell: "B11",
    mentions: [KOSTNADER, "utelämnar rad 10 (Representation)"],
    trigger: (r) => {
      insertAfter(r, "Övriga kostnader", ["Representation", -500, -500, 0]);
      set(r, KOSTNADER, "B", { v: -288639, f: "SUM(B6:B9)" });
    },
    near: (r) => {
      insertAfter(r, "Övriga kostnader", ["Representation", -500, -500, 0]);
      set(r, KOSTNADER, "B", { v: -289139, f: "SUM(B6:B10)" });
    },
  },
  {
    name: "a SUM range that takes in a line that is not one of its parts",
    code: "sum-range-incomplete",
    severity: "error",
    cell: "B10",
    mentions: [KOSTNADER, "rad 5 (Verksamhetens intäkter)", "inte är en del av summan"],
    trigger: (r) => set(r, KOSTNADER, "B", { v: -256303, f: "SUM(B5:B9)" }),
    near: (r) => set(r, KOSTNADER, "B", { v: -288639, f: "SUM(B6:B9)" }),
  },
  {
    name: "a sum formula that subtracts a part",
    code: "sum-range-incomplete",
    severity: "error",
    cell: "B11",
    mentions: ["Verksamhetens nettokostnader", "med fel tecken"],
    message: "Verksamhetens nettokostnader: formeln =B5-B10 tar med rad 10 (Verksamhetens kostnader) med fel tecken.",
    trigger: (r) => set(r, "Verksamhetens nettokostnader", "B", { v: 32336 + 288639, f: "B5-B10" }),
    near: (r) => set(r, "Verksamhetens nettokostnader", "B", { v: -256303, f: "B5+B10" }),
  },
  {
    name: "a deviation SUM that leaves out a part's deviation",
    code: "sum-range-incomplete",
    severity: "error",
    cell: "D10",
    mentions: [KOSTNADER, "Övriga kostnader"],
    trigger: (r) => set(r, KOSTNADER, "D", { v: -3000, f: "SUM(D6:D8)" }),
    near: (r) => set(r, KOSTNADER, "D", { v: -3000, f: "C10-B10" }),
  },
  {
    name: "a figure stored as text",
    code: "text-number",
    severity: "warning",
    cell: "C8",
    mentions: [KOP],
    message: "Köp av tjänster: prognos ”−67 743” är lagrad som text; talet −67 743 används.",
    trigger: (r) => set(r, KOP, "C", "\u221267\u00a0743"),
    near: (r) => set(r, KOP, "C", -67743),
  },
  {
    name: "text that is no amount",
    code: "not-a-number",
    severity: "error",
    cell: "C8",
    mentions: [KOP, "”ca 68"],
    message: "Köp av tjänster: prognos ”ca 68 000” är inget belopp.",
    trigger: (r) => set(r, KOP, "C", "ca 68\u00a0000"),
    near: (r) => set(r, KOP, "C", "-67 743"),
  },
  {
    name: "a number formatted as a date",
    code: "not-a-number",
    severity: "error",
    cell: "B8",
    mentions: [KOP],
    trigger: (r) => set(r, KOP, "B", { v: -63743, z: "yyyy-mm-dd" }),
    near: (r) => set(r, KOP, "B", { v: -63743, z: "# ##0" }),
  },
  {
    name: "a logical value",
    code: "not-a-number",
    severity: "error",
    cell: "B8",
    mentions: [KOP],
    trigger: (r) => set(r, KOP, "B", { v: true }),
    near: (r) => set(r, KOP, "B", -63743),
  },
  {
    name: "a budget without a forecast",
    code: "missing-value",
    severity: "error",
    cell: "C8",
    mentions: [KOP],
    message: "Köp av tjänster: budget finns men prognos saknas.",
    trigger: (r) => set(r, KOP, "C", null),
    near: (r) => {
      set(r, KOP, "C", null);
      set(r, KOP, "B", null);
    },
  },
  {
    name: "a forecast without a budget (an unbudgeted line: its budget is zero)",
    code: "missing-value",
    severity: "warning",
    cell: "B8",
    mentions: [KOP],
    message: "Köp av tjänster: prognos finns men budget saknas; raden räknas som obudgeterad, med budget 0.",
    trigger: (r) => set(r, KOP, "B", null),
    near: (r) => set(r, KOP, "B", 0),
  },
  {
    name: "an error value",
    code: "formula-error",
    severity: "error",
    cell: "C8",
    mentions: [KOP, "#REF!"],
    message: "Köp av tjänster: prognos visar felet #REF!.",
    trigger: (r) => set(r, KOP, "C", { v: { error: "#REF!" }, f: "Blad2!C8" }),
    near: (r) => set(r, KOP, "C", { v: -67743, f: "Blad2!C8" }),
  },
  {
    name: "a cost entered positive in a costs-negative sheet",
    code: "sign",
    severity: "warning",
    cell: "B7",
    mentions: ["Lokalhyror"],
    message: "Lokalhyror: budget 17 111 har fel tecken: kostnader anges negativa i det här bladet.",
    trigger: (r) => set(r, "Lokalhyror", "B", 17111),
    near: (r) => set(r, "Lokalhyror", "B", -17111),
  },
  {
    name: "revenue entered negative",
    code: "sign",
    severity: "warning",
    cell: "C5",
    mentions: ["Verksamhetens intäkter", "intäkter anges positiva i det här bladet"],
    trigger: (r) => set(r, "Verksamhetens intäkter", "C", -35336),
    near: (r) => set(r, "Verksamhetens intäkter", "C", 35336),
  },
  {
    name: "a line the template does not have, among a sum's parts",
    code: "unknown-line",
    severity: "warning",
    cell: "A10",
    mentions: ["Representation", "Nämndens driftredovisning"],
    message:
      "Raden ”Representation” finns inte i mallen Nämndens driftredovisning; den står bland delarna till Verksamhetens kostnader och räknas in där.",
    trigger: (r) => insertAfter(r, "Övriga kostnader", ["Representation", -500, -500, 0]),
    near: (r) => insertAfter(r, "Övriga kostnader", ["Varav representation", -500, -500, 0]),
  },
  {
    name: "a line the template does not have, outside every sum",
    code: "unknown-line",
    severity: "warning",
    cell: "A15",
    mentions: ["Budgeterat resultat"],
    message:
      "Raden ”Budgeterat resultat” finns inte i mallen Nämndens driftredovisning; den får en avvikelse men ingår inte i någon summa.",
    trigger: (r) => insertAfter(r, "Årets resultat", ["Budgeterat resultat", 0, 0, 0]),
    near: (r) => insertAfter(r, "Årets resultat", ["varav budgeterat resultat", 0, 0, 0]),
  },
  {
    name: "a template line that appears twice",
    code: "unknown-line",
    severity: "warning",
    cell: "A10",
    mentions: ["Lokalhyror", "rad 7"],
    message: "Raden ”Lokalhyror” finns redan på rad 7; den ingår inte i någon summa.",
    trigger: (r) => insertAfter(r, "Övriga kostnader", ["Lokalhyror", -500, -500, 0]),
    near: (r) => insertAfter(r, "Övriga kostnader", ["varav lokalhyror", -500, -500, 0]),
  },
  {
    name: "a forecast deficit",
    code: "not-balanced",
    severity: "warning",
    cell: "C14",
    mentions: ["Årets resultat", "−303"],
    message: "Årets resultat: prognos är −303, ett underskott. Budgeten är inte i balans.",
    trigger: (r) => {
      set(r, "Kommunbidrag", "C", 256000);
      set(r, "Kommunbidrag", "D", -303);
      set(r, "Årets resultat", "C", -303);
      set(r, "Årets resultat", "D", -303);
    },
    near: (r) => {
      set(r, "Kommunbidrag", "C", 256606);
      set(r, "Kommunbidrag", "D", 303);
      set(r, "Årets resultat", "C", 303);
      set(r, "Årets resultat", "D", 303);
    },
  },
  {
    name: "a second table below",
    code: "second-table",
    severity: "info",
    cell: "A16",
    mentions: ["rad 16"],
    message: "Ytterligare en tabell börjar på rad 16; den kontrolleras inte.",
    trigger: (r) => r.push([], ["Investeringar", "Budget 2025", "Prognos 2025"], ["Inventarier", -500, -450]),
    near: (r) => r.push([], ["Kommentar: prognosen bygger på utfallet till och med maj."]),
  },
];

describe("each finding", () => {
  test("every finding code has a case", () => {
    const codes: FindingCode[] = [
      "total-mismatch",
      "rounding-difference",
      "deviation-mismatch",
      "sum-range-incomplete",
      "text-number",
      "not-a-number",
      "missing-value",
      "formula-error",
      "sign",
      "unknown-line",
      "not-balanced",
      "second-table",
    ];
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(codes));
  });

  describe.each(CASES.map((c) => [c.code, c.name, c] as const))("%s: %s", (code, _name, c) => {
    test("is given", () => {
      const hits = findingsOf(c.trigger, c.options).filter((f) => f.code === code);
      expect(hits.map((f) => [f.severity, f.cell])).toEqual([[c.severity, c.cell]]);
      for (const m of c.mentions) expect(hits[0].message).toContain(m);
      if (c.message !== undefined) expect(hits[0].message).toBe(nb(c.message));
    });
    test("is not given for a near-identical sheet", () => {
      expect(findingsOf(c.near, c.options).filter((f) => f.code === code)).toEqual([]);
    });
  });
});

describe("precise consequences", () => {
  test("an off-by-5 total is a mismatch, and only that", () => {
    expect(findingsOf((r) => set(r, KOSTNADER, "B", -288634))).toEqual([
      {
        code: "total-mismatch",
        severity: "error",
        cell: "B10",
        message: nb("Verksamhetens kostnader: budget är −288 634 men delarna summerar till −288 639 (skillnad 5)."),
      },
    ]);
  });

  test.each([
    // [difference on a 4-part sum, expected code]: tolerance is half a unit per part.
    [1, "rounding-difference"],
    [2, "rounding-difference"],
    [-2, "rounding-difference"],
    [3, "total-mismatch"],
    [-3, "total-mismatch"],
    [5, "total-mismatch"],
  ])("a 4-part whole-tkr total off by %p gives %s", (diff, code) => {
    const f = findingsOf((r) => set(r, KOSTNADER, "B", -288639 + diff));
    expect(f.map((x) => [x.code, x.cell])).toEqual([[code, "B10"]]);
  });

  test.each([
    // [difference on an input line's deviation, expected code]: the difference of two figures
    // rounded to whole units may be one unit off the printed deviation, no more.
    [1, "rounding-difference"],
    [-1, "rounding-difference"],
    [2, "deviation-mismatch"],
    [-2, "deviation-mismatch"],
  ])("an input line's deviation off by %p gives %s", (diff, code) => {
    const f = findingsOf((r) => set(r, KOP, "D", -4000 + diff));
    expect(f.map((x) => [x.code, x.severity, x.cell])).toEqual([
      [code, code === "rounding-difference" ? "info" : "error", "D8"],
    ]);
  });

  test("with one decimal the tolerance is a twentieth per part", () => {
    const withDecimals = (diff: number): Finding[] =>
      findingsOf((r) => {
        set(r, "Personalkostnader", "B", -161198.4);
        set(r, "Personalkostnader", "D", 1000.4);
        set(r, KOSTNADER, "B", -288639.4 + diff);
        set(r, KOSTNADER, "D", -2999.6 + diff);
        set(r, "Verksamhetens nettokostnader", "B", -256303.4);
        set(r, "Verksamhetens nettokostnader", "D", 0.4);
        set(r, "Årets resultat", "B", -0.4);
        set(r, "Årets resultat", "D", 0.4);
      });
    expect(withDecimals(0)).toEqual([]);
    expect(withDecimals(0.2).map((f) => [f.code, f.cell])).toEqual([
      ["rounding-difference", "B10"],
      ["rounding-difference", "D10"],
    ]);
    expect(withDecimals(0.3).map((f) => [f.code, f.cell])).toEqual([
      ["total-mismatch", "B10"],
      ["deviation-mismatch", "D10"],
    ]);
  });

  test("the SUM range that misses the last part, as in a sheet where Köp av tjänster was inserted at the end", () => {
    const grid = gridOf([
      ["Socialnämnden"],
      ["Belopp i tkr"],
      [null, "Budget 2025", "Prognos 2025", "Avvikelse"],
      ["Verksamhetens intäkter", 32336, 35336, 3000],
      ["Personalkostnader", -161198, -160198, 1000],
      ["Lokalhyror", -17111, -17111, 0],
      ["Övriga kostnader", -46587, -46587, 0],
      ["Köp av tjänster", -63743, -67743, -4000],
      [KOSTNADER, { v: -224896, f: "SUM(B5:B7)" }, { v: -291639, f: "SUM(C5:C8)" }, -3000],
    ]);
    const { report, plan } = mustCheck(grid);
    expect(report.findings).toEqual([
      {
        code: "total-mismatch",
        severity: "error",
        cell: "B9",
        message: nb(
          "Verksamhetens kostnader: budget är −224 896 men delarna summerar till −288 639 (skillnad 63 743).",
        ),
      },
      {
        code: "sum-range-incomplete",
        severity: "error",
        cell: "B9",
        message: nb("Verksamhetens kostnader: formeln =SUM(B5:B7) utelämnar rad 8 (Köp av tjänster)."),
      },
    ]);
    expect(plan.writes.map((w) => [w.cell, w.value, w.reason])).toEqual([["B9", -288639, "wrong-formula"]]);
    const withFormulas = mustCheck(grid, { formulas: true });
    expect(withFormulas.plan.writes.map((w) => [w.cell, w.formula, w.value])).toEqual([["B9", "SUM(B5:B8)", -288639]]);
  });

  test("a blank spacer row inside a SUM range is no problem", () => {
    const rows = filledRows();
    insertAfter(rows, "Övriga kostnader", []);
    set(rows, KOSTNADER, "B", { v: -288639, f: "SUM(B6:B10)" });
    set(rows, KOSTNADER, "C", { v: -291639, f: "SUMMA(C6:C10)" });
    const { report, plan } = mustCheck(committeeGrid(rows));
    expect(report.findings).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  test("a deviation sum formula is accepted as the sum of the parts' deviations", () => {
    const f = findingsOf((r) => set(r, KOSTNADER, "D", { v: -3000, f: "D6+D7+D8+D9" }));
    expect(f).toEqual([]);
  });

  test("a cost entered negative in a costs-positive sheet", () => {
    const positive = filledRows().map((row, i) => {
      const [label, b, c, d] = row as [string, number, number, number];
      const cost = i >= 1 && i <= 6;
      return cost ? [label, -b, -c, d === 0 ? 0 : d] : [label, b, c, d];
    });
    // Costs positive: deviation of a cost is budget − forecast, i.e. the same figure as before.
    const clean = mustCheck(committeeGrid(positive));
    expect(clean.report.convention).toBe("presentation");
    expect(clean.report.findings).toEqual([]);
    positive[2][1] = -17111;
    positive[2][2] = -17111;
    const { report } = mustCheck(committeeGrid(positive));
    expect(report.convention).toBe("presentation");
    expect(report.findings.filter((f) => f.code === "sign")).toEqual([
      {
        code: "sign",
        severity: "warning",
        cell: "B7",
        message: nb("Lokalhyror: budget −17 111 har fel tecken: kostnader anges positiva i det här bladet."),
      },
      {
        code: "sign",
        severity: "warning",
        cell: "C7",
        message: nb("Lokalhyror: prognos −17 111 har fel tecken: kostnader anges positiva i det här bladet."),
      },
    ]);
  });

  test("an outcome table names the outcome and its rule", () => {
    const grid = committeeGrid(
      filledRows().map((r) => (r[0] === KOP ? [KOP, -63743, -67743, 4000] : r)),
      ["Belopp i tkr", "Budget 2025", "Utfall 2025", "Avvikelse"],
    );
    const { report } = mustCheck(grid);
    expect(report.comparisonKind).toBe("outcome");
    expect(report.findings).toEqual([
      {
        code: "deviation-mismatch",
        severity: "error",
        cell: "D8",
        message: nb("Köp av tjänster: avvikelsen är 4 000 men ska vara −4 000 (utfall − budget)."),
      },
    ]);
  });

  test("addresses follow the grid's origin", () => {
    const rows = filledRows();
    set(rows, KOP, "D", 4000);
    const grid = { ...committeeGrid(rows), origin: { row: 9, col: 2 } };
    const { report } = mustCheck(grid);
    expect(report.findings.map((f) => [f.code, f.cell])).toEqual([["deviation-mismatch", "F17"]]);
    expect(report.flags.map((f) => [f.label, f.cell, f.row])).toEqual([
      [KOP, "F17", 17],
      [KOSTNADER, "F19", 19],
    ]);
  });
});

describe("English messages", () => {
  const en = { lang: "en" as const };
  test.each<[string, (r: Rows) => void, Finding]>([
    [
      "deviation-mismatch",
      (r) => set(r, KOP, "D", 4000),
      {
        code: "deviation-mismatch",
        severity: "error",
        cell: "D8",
        message: nb("Köp av tjänster: the deviation is 4 000 but should be −4 000 (forecast − budget)."),
      },
    ],
    [
      "total-mismatch",
      (r) => set(r, KOSTNADER, "B", -288634),
      {
        code: "total-mismatch",
        severity: "error",
        cell: "B10",
        message: nb("Verksamhetens kostnader: budget is −288 634 but its parts add up to −288 639 (difference 5)."),
      },
    ],
    [
      "sum-range-incomplete",
      (r) => set(r, KOSTNADER, "B", { v: -288639, f: "SUM(B6:B7)+B9+B8+B11" }),
      {
        code: "sum-range-incomplete",
        severity: "error",
        cell: "B10",
        message: nb(
          "Verksamhetens kostnader: the formula =SUM(B6:B7)+B9+B8+B11 includes row 11 (Verksamhetens nettokostnader) which is not one of its parts.",
        ),
      },
    ],
    [
      "formula-error",
      (r) => set(r, KOP, "D", { v: { error: "#VALUE!" }, f: "C8-B8" }),
      {
        code: "formula-error",
        severity: "error",
        cell: "D8",
        message: nb("Köp av tjänster: deviation shows the error #VALUE!."),
      },
    ],
    [
      "unknown-line",
      (r) => insertAfter(r, "Årets resultat", ["Representation", -500, -500, 0]),
      {
        code: "unknown-line",
        severity: "warning",
        cell: "A15",
        message: nb(
          'The line "Representation" is not in the template Nämndens driftredovisning; it gets a deviation but is part of no sum.',
        ),
      },
    ],
  ])("%s", (_name, edit, finding) => {
    expect(findingsOf(edit, en)).toEqual([finding]);
  });
});

describe("flags", () => {
  test("unfavourable deviations are flagged, largest first, with their percent of the budget", () => {
    const { report, plan } = mustCheck(committeeGrid(filledRows()));
    expect(report.flags).toEqual([
      { label: KOP, cell: "D8", row: 8, deviation: -4000, percent: -6.3 },
      { label: KOSTNADER, cell: "D10", row: 10, deviation: -3000, percent: -1 },
    ]);
    expect(plan.highlights).toEqual([
      { cell: "D8", row: 7, col: 3 },
      { cell: "D10", row: 9, col: 3 },
    ]);
  });

  test.each([
    [{ thresholdAmount: 3000 }, [KOP, KOSTNADER]],
    [{ thresholdAmount: 3001 }, [KOP]],
    [{ thresholdAmount: 4001 }, []],
    [{ thresholdPercent: 5 }, [KOP]],
    [{ thresholdPercent: 7 }, []],
  ])("thresholds %p flag %p", (options, labels) => {
    const { report } = mustCheck(committeeGrid(filledRows()), options);
    expect(report.flags.map((f) => f.label)).toEqual(labels);
    expect(report.lines.filter((l) => l.flagged).map((l) => l.label)).toEqual(
      REFERENCE.map(([l]) => l).filter((l) => labels.includes(l)),
    );
  });
});

describe("a part without a usable figure", () => {
  test.each<[string, Value]>([
    ["#REF!", { v: { error: "#REF!" }, f: "Blad2!C8" }],
    ["missing", null],
  ])("a part that is %s does not make the plan overwrite correct totals", (_name, value) => {
    const rows = filledRows();
    set(rows, KOP, "C", value);
    const { report, plan } = mustCheck(committeeGrid(rows));
    expect(plan.writes.map((w) => w.cell)).toEqual([]);
    expect(report.findings.filter((f) => f.code === "total-mismatch" || f.code === "deviation-mismatch")).toEqual([]);
  });
});

describe("a deviation column reckoned the other way round", () => {
  test("is one finding at its header, not one per line", () => {
    const f = findingsOf((r) => {
      set(r, KOP, "D", 4000);
      set(r, "Verksamhetens intäkter", "D", -3000);
      set(r, "Personalkostnader", "D", -1000);
      set(r, KOSTNADER, "D", 3000);
    });
    expect(f.map((x) => [x.code, x.severity, x.cell])).toEqual([["deviation-mismatch", "error", "D4"]]);
    expect(f[0].message).toContain("omvänt tecken");
  });

  test("one reversed line among right ones is that line's own finding", () => {
    const f = findingsOf((r) => set(r, KOP, "D", 4000));
    expect(f.map((x) => [x.code, x.cell])).toEqual([["deviation-mismatch", "D8"]]);
  });
});
