import fc from "fast-check";
import {
  applyPlanToGrid,
  checkGrid,
  formatAmount,
  MAX_AMOUNT,
  parseAmount,
  type CheckGridOptions,
  type Convention,
  type Grid,
  type GridCell,
  type Report,
} from "../../src/core";
import { COMMITTEE_LABELS, mustCheck } from "../helpers/grids";

const NBSP = "\u00a0";
const MINUS = "\u2212";
const RUNS = { numRuns: 300 };

/** Rounds to two decimals, without ever giving negative zero. */
function round2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? 0 : r;
}

function hasAtMostTwoDecimals(x: number): boolean {
  return Math.round(x * 100) / 100 === x;
}

/** Amounts in hundredths with 0, 1 or 2 decimals, strictly within ±MAX_AMOUNT units. */
const LIMIT = MAX_AMOUNT * 100 - 1;
const centsArb = fc.oneof(
  fc.integer({ min: -LIMIT, max: LIMIT }),
  fc.integer({ min: -(LIMIT - 99) / 100, max: (LIMIT - 99) / 100 }).map((u) => u * 100),
  fc.integer({ min: -(LIMIT - 9) / 10, max: (LIMIT - 9) / 10 }).map((t) => t * 10),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, 1, -1, 5, -50, 99, 100, -100, 100000, -400000, LIMIT, -LIMIT),
);

const SIGNS: [string, string][] = [
  ["hyphen", "-"],
  ["minus sign", MINUS],
  ["en dash", "\u2013"],
  ["en dash + space", "\u2013 "],
];
const SPACES: [string, string][] = [
  ["space", " "],
  ["no-break space", NBSP],
  ["thin space", "\u2009"],
  ["narrow no-break space", "\u202f"],
];

describe("formatting then parsing gives the amount back", () => {
  test.each(
    SIGNS.flatMap(([signName, sign]) => SPACES.map(([spaceName, space]) => [signName, spaceName, sign, space])),
  )("with %s and %s", (_signName, _spaceName, sign, space) => {
    fc.assert(
      fc.property(centsArb, fc.constantFrom<number | undefined>(undefined, 2), (cents, decimals) => {
        const formatted = formatAmount(cents, decimals);
        // formatAmount's own output only uses U+2212 and U+00A0.
        expect(/^\u2212?\d{1,3}(\u00a0\d{3})*(,\d{1,2})?$/.test(formatted)).toBe(true);
        const text = formatted.split(MINUS).join(sign).split(NBSP).join(space);
        expect(parseAmount(text)).toEqual({ ok: true, cents });
      }),
      RUNS,
    );
  });

  test("a positive amount with a leading plus, and a negative one in parentheses", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LIMIT }), (cents) => {
        const formatted = formatAmount(cents);
        expect(parseAmount("+" + formatted)).toEqual({ ok: true, cents });
        expect(parseAmount(`(${formatted})`)).toEqual({ ok: true, cents: -cents });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A committee sheet with random figures, and a model of what the checker must make of it.

/** Indexes into COMMITTEE_LABELS. */
const INTAKTER = 0;
const COSTS = [1, 2, 3, 4];
const KOSTNADER = 5;
const NETTO = 6;
const KOMMUNBIDRAG = 7;
const FINANSNETTO = 8;
const RESULTAT = 9;
const SUMS = new Set([KOSTNADER, NETTO, RESULTAT]);
const COST_LINES = new Set([...COSTS, KOSTNADER, NETTO]);
const INPUTS = [INTAKTER, ...COSTS, KOMMUNBIDRAG, FINANSNETTO];

interface Sheet {
  /** Entered budget and comparison in hundredths, per line (sum lines: ignored). */
  budget: number[];
  comparison: number[];
  /** Which input figures are entered as Swedish text rather than numbers. */
  asText: boolean[];
  /** What the sum lines and deviation cells hold before checking. */
  stale: (number | null)[];
  deviationColumn: boolean;
  origin: { row: number; col: number } | undefined;
}

/** Magnitudes up to a thousand million units, two decimals. */
const MAGNITUDE = 100_000_000_000;

function sheetArb(convention: Convention, decimals: 0 | 2 = 2): fc.Arbitrary<Sheet> {
  const step = decimals === 0 ? 100 : 1;
  const any = fc.integer({ min: -MAGNITUDE / step, max: MAGNITUDE / step }).map((x) => x * step);
  const positive = fc.integer({ min: 1, max: MAGNITUDE / step }).map((x) => x * step);
  // Revenue positive; costs with the convention's sign (never zero, so the convention shows); result lines any sign.
  const lineArb = (i: number): fc.Arbitrary<number> =>
    i === FINANSNETTO ? any : COSTS.includes(i) ? positive.map((x) => (convention === "result" ? -x : x)) : positive;
  const figures = fc.tuple(...COMMITTEE_LABELS.map((_, i) => lineArb(i)));
  return fc.record({
    budget: figures,
    comparison: figures,
    asText: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    stale: fc.array(
      fc.option(
        any.map((x) => x / 100),
        { nil: null },
      ),
      { minLength: 40, maxLength: 40 },
    ),
    deviationColumn: fc.boolean(),
    origin: fc.constantFrom<{ row: number; col: number } | undefined>(
      undefined,
      { row: 0, col: 0 },
      { row: 6, col: 2 },
    ),
  });
}

function cellFor(cents: number, asText: boolean): GridCell {
  return asText ? { v: formatAmount(cents) } : { v: cents / 100, z: "# ##0,00" };
}

/** In kronor, whose hundredths (öre) are exact amounts: in tkr or mnkr they are rounded, and rounding may explain a hundredth. */
function sheetGrid(s: Sheet): Grid {
  const header: (GridCell | null)[] = [{ v: "Belopp i kronor" }, { v: "Budget 2025" }, { v: "Prognos helår 2025" }];
  if (s.deviationColumn) header.push({ v: "Avvikelse" });
  const rows: (GridCell | null)[][] = COMMITTEE_LABELS.map((label, i) => {
    const stale = (k: number): GridCell | null => {
      const v = s.stale[i * 4 + k];
      return v === null ? null : { v };
    };
    const row: (GridCell | null)[] = [{ v: label }];
    if (SUMS.has(i)) row.push(stale(0), stale(1));
    else row.push(cellFor(s.budget[i], s.asText[i]), cellFor(s.comparison[i], s.asText[(i + 3) % 10]));
    if (s.deviationColumn) row.push(stale(2));
    return row;
  });
  return { sheet: "Nämnd", cells: [[{ v: "Socialnämnden" }], [], header, ...rows], origin: s.origin };
}

/**
 * Whether every stale figure is further from the right one than rounding could explain: a figure
 * printed within rounding of its parts is kept as printed (recompute.ts), so the model below, which
 * replaces every stale figure, holds only for these sheets.
 */
function staleBeyondRounding(s: Sheet, convention: Convention): boolean {
  const m = model(s, convention);
  const right = [m.budget, m.comparison, m.deviation];
  return s.stale.every((v, at) => {
    const k = at % 4;
    if (v === null || k === 3) return true;
    return Math.abs(Math.round(v * 100) - right[k][Math.floor(at / 4)]) > 500;
  });
}

/** What every line must be, in hundredths as the sheet shows it. */
function model(s: Sheet, convention: Convention): { budget: number[]; comparison: number[]; deviation: number[] } {
  const signOf = (i: number): number => (convention === "presentation" && COST_LINES.has(i) ? -1 : 1);
  const signed = (figs: number[]): number[] => {
    const v = figs.map((x, i) => (SUMS.has(i) ? 0 : signOf(i) * x));
    v[KOSTNADER] = COSTS.reduce((a, i) => a + v[i], 0);
    v[NETTO] = v[INTAKTER] + v[KOSTNADER];
    v[RESULTAT] = v[NETTO] + v[KOMMUNBIDRAG] + v[FINANSNETTO];
    return v;
  };
  const b = signed(s.budget);
  const c = signed(s.comparison);
  return {
    budget: b.map((x, i) => signOf(i) * x + 0),
    comparison: c.map((x, i) => signOf(i) * x + 0),
    deviation: c.map((x, i) => x - b[i] + 0),
  };
}

function recomputed(report: Report): [number | null, number | null, number | null][] {
  return report.lines.map((l) => [l.budget, l.comparison, l.deviation]);
}

/**
 * A total of costs printed as a round −1 000 000 000 over parts that add up to −999 999 999,50:
 * within rounding, so kept as printed, and its deviation must be what its own figures show.
 */
const ROUND_TOTAL: Sheet = {
  budget: [1, -1, -99999999909, -12, -28, 1, 1, 1, 0, 1],
  comparison: [1, -1, -1, -1, -1, 1, 1, 1, 0, 1],
  asText: Array(10).fill(false),
  stale: Array.from({ length: 40 }, (_, at) => (at === KOSTNADER * 4 ? -1000000000 : null)),
  deviationColumn: false,
  origin: undefined,
};

describe("recomputation is exact", () => {
  test.each<Convention>(["result", "presentation"])(
    "deviation is exactly comparison − budget (or budget − comparison for costs entered positive): %s",
    (convention) => {
      fc.assert(
        fc.property(sheetArb(convention), (s) => {
          const { report } = mustCheck(sheetGrid(s));
          expect(report.convention).toBe(convention);
          expect(report.conventionDetected).toBe(true);
          expect(report.lines.map((l) => l.label)).toEqual(COMMITTEE_LABELS);
          for (let i = 0; i < report.lines.length; i++) {
            const l = report.lines[i];
            const b = l.budget!;
            const c = l.comparison!;
            const d = l.deviation!;
            const costPositive = convention === "presentation" && COST_LINES.has(i);
            expect(d).toBe(costPositive ? round2(b - c) : round2(c - b));
            for (const x of [b, c, d]) {
              expect(typeof x).toBe("number");
              expect(hasAtMostTwoDecimals(x)).toBe(true);
              expect(Object.is(x, -0)).toBe(false);
            }
          }
        }),
        { ...RUNS, examples: convention === "result" ? [[ROUND_TOTAL]] : [] },
      );
    },
  );

  test.each<Convention>(["result", "presentation"])("sums equal their parts exactly: %s", (convention) => {
    fc.assert(
      fc.property(sheetArb(convention), (s) => {
        fc.pre(staleBeyondRounding(s, convention));
        const { report } = mustCheck(sheetGrid(s));
        const m = model(s, convention);
        expect(recomputed(report)).toEqual(
          m.budget.map((b, i) => [b / 100, m.comparison[i] / 100, m.deviation[i] / 100]),
        );
        // Input figures are taken as entered, whether number or text.
        for (const i of INPUTS) {
          expect(report.lines[i].budget).toBe(s.budget[i] / 100);
          expect(report.lines[i].comparison).toBe(s.comparison[i] / 100);
        }
      }),
      RUNS,
    );
  });

  test("sums of whole amounts with two decimals never show a floating-point artefact", () => {
    // Parts chosen so that adding the plain numbers in floating point goes wrong.
    const parts = [0.1, 0.2, 0.7, 1.1, 2.2, 3.3];
    expect(parts.reduce((a, x) => a + x, 0)).not.toBe(7.6);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...parts), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(...parts),
        (costs, revenue) => {
          const costCents = costs.map((x) => Math.round(x * 100));
          const revenueCents = Math.round(revenue * 100);
          const figures = [revenueCents, ...costCents.map((x) => -x), 0, 0, 0, 0, 0];
          const s: Sheet = {
            budget: figures,
            comparison: figures,
            asText: new Array(10).fill(false),
            stale: new Array(40).fill(null),
            deviationColumn: true,
            origin: undefined,
          };
          const { report } = mustCheck(sheetGrid(s), { convention: "result" });
          const total = costCents.reduce((a, x) => a + x, 0);
          expect(report.lines[KOSTNADER].budget).toBe(-total / 100);
          expect(report.lines[NETTO].budget).toBe((revenueCents - total) / 100);
          expect(report.lines[KOSTNADER].deviation).toBe(0);
        },
      ),
      RUNS,
    );
  });
});

describe("recomputing twice changes nothing", () => {
  const cases: [Convention, boolean, boolean][] = [];
  for (const convention of ["result", "presentation"] as Convention[]) {
    for (const formulas of [false, true]) for (const given of [false, true]) cases.push([convention, formulas, given]);
  }
  test.each(cases)("%s, formulas %p, convention given %p", (convention, formulas, given) => {
    fc.assert(
      fc.property(
        fc.constantFrom<0 | 2>(0, 2).chain((d) => sheetArb(convention, d)),
        (s) => {
          fc.pre(staleBeyondRounding(s, convention));
          const options: CheckGridOptions = { formulas, ...(given ? { convention } : {}) };
          const grid = sheetGrid(s);
          const first = mustCheck(grid, options);
          expect(first.report.convention).toBe(convention);
          const applied = applyPlanToGrid(grid, first.plan);
          const again = checkGrid(applied, options);
          expect(again.ok).toBe(true);
          if (!again.ok) return;
          expect(again.plan.writes).toEqual([]);
          expect(again.report.convention).toBe(convention);
          expect(recomputed(again.report)).toEqual(recomputed(first.report));
          expect(again.report.deviationProposed).toBe(false);
          // Only findings about the typed input figures may remain.
          const m = model(s, convention);
          const expectedCodes = new Set<string>();
          if (INPUTS.some((i) => s.asText[i] || s.asText[(i + 3) % 10])) expectedCodes.add("text-number");
          if (m.comparison[RESULTAT] < 0) expectedCodes.add("not-balanced");
          expect(new Set(again.report.findings.map((f) => f.code))).toEqual(expectedCodes);
          // The figures written are the model's.
          expect(recomputed(again.report)).toEqual(
            m.budget.map((b, i) => [b / 100, m.comparison[i] / 100, m.deviation[i] / 100]),
          );
          // A third round is as quiet as the second.
          const third = mustCheck(applyPlanToGrid(applied, again.plan), options);
          expect(third.plan.writes).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("whole amounts (no decimals) as well", () => {
    fc.assert(
      fc.property(sheetArb("result", 0), fc.boolean(), (s, formulas) => {
        fc.pre(staleBeyondRounding(s, "result"));
        const first = mustCheck(sheetGrid(s), { formulas });
        for (const l of first.report.lines) expect(Number.isInteger(l.deviation)).toBe(true);
        const again = mustCheck(applyPlanToGrid(sheetGrid(s), first.plan), { formulas });
        expect(again.plan.writes).toEqual([]);
        expect(recomputed(again.report)).toEqual(recomputed(first.report));
      }),
      { numRuns: 150 },
    );
  });
});

describe("parseAmount never throws", () => {
  const check = (text: string): void => {
    const p = parseAmount(text);
    if (p.ok) {
      expect(Number.isSafeInteger(p.cents)).toBe(true);
      expect(Math.abs(p.cents)).toBeLessThanOrEqual(MAX_AMOUNT * 100);
      expect(Object.is(p.cents, -0)).toBe(false);
    } else {
      expect(["not-a-number", "too-large"]).toContain(p.reason);
    }
  };
  test.each([
    ["default strings", fc.string({ maxLength: 60 })],
    ["code-unit strings (lone surrogates)", fc.string({ unit: "binary", maxLength: 60 })],
    ["grapheme strings", fc.string({ unit: "grapheme", maxLength: 40 })],
    [
      "strings made of amount characters",
      fc.string({
        unit: fc.constantFrom(
          "0",
          "1",
          "5",
          "9",
          " ",
          NBSP,
          "\u2009",
          "\u202f",
          ",",
          ".",
          "-",
          MINUS,
          "\u2013",
          "+",
          "(",
          ")",
        ),
        maxLength: 40,
      }),
    ],
    [
      "very long digit strings",
      fc.string({ unit: fc.constantFrom("0", "9", " ", ","), minLength: 10, maxLength: 400 }),
    ],
  ])("%s", (_name, arb) => {
    fc.assert(
      fc.property(arb, (text) => {
        expect(() => parseAmount(text)).not.toThrow();
        check(text);
      }),
      { numRuns: 1000 },
    );
  });
});
