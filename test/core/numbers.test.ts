import { decimalsOf, formatAmount, fromCents, MAX_AMOUNT, parseAmount, toCents } from "../../src/core";

const NBSP = "\u00a0";
const THIN = "\u2009";
const NNBSP = "\u202f";
const MINUS = "\u2212";
const EN_DASH = "\u2013";

type Expected = number | "not-a-number" | "too-large";

/** [text, expected cents or failure reason]. */
const CASES: [string, Expected][] = [
  // Plain integers and thousands separators.
  ["0", 0],
  ["7", 700],
  ["1234", 123400],
  ["1 234", 123400],
  [`1${NBSP}234`, 123400],
  [`1${THIN}234`, 123400],
  [`1${NNBSP}234`, 123400],
  [`161${NBSP}198`, 16119800],
  [`1${NNBSP}234${NNBSP}567`, 123456700],
  [`1 234${NBSP}567`, 123456700],
  ["256 303", 25630300],
  // Comma (and point) decimals.
  ["0,5", 50],
  ["0,05", 5],
  ["3 000,50", 300050],
  [`1${NBSP}234${NBSP}567,89`, 123456789],
  ["12,3", 1230],
  ["1.5", 150],
  // Minus signs: hyphen, U+2212, en dash, each with and without a space after.
  ["-4 000", -400000],
  ["- 4 000", -400000],
  [`${MINUS}4${NBSP}000`, -400000],
  [`${MINUS} 4 000`, -400000],
  [`${EN_DASH}3 000`, -300000],
  [`${EN_DASH} 3 000,50`, -300050],
  [`${EN_DASH}${NBSP}3${NBSP}000`, -300000],
  [`-161${NBSP}198`, -16119800],
  ["-0,5", -50],
  // Plus.
  ["+12", 1200],
  ["+ 12", 1200],
  ["+1 000,25", 100025],
  // A lone dash is the typographic zero.
  ["-", 0],
  [MINUS, 0],
  [EN_DASH, 0],
  [" - ", 0],
  [`${NBSP}${EN_DASH}${NBSP}`, 0],
  // Parentheses are a negative amount.
  ["(1 234)", -123400],
  ["( 500 )", -50000],
  ["(3 000,50)", -300050],
  // Zero never becomes negative.
  ["-0", 0],
  ["-0,00", 0],
  [`${MINUS}0`, 0],
  // Surrounding spaces of every kind.
  [`${NBSP}1 234${NBSP}`, 123400],
  [`${NNBSP} -5 ${THIN}`, -500],
  ["\t42\n", 4200],
  // Leading zeros do not count as digits.
  ["00000000000000001", 100],
  // Rounding on the third decimal and beyond: half away from zero.
  ["0,124", 12],
  ["0,125", 13],
  ["0,1249", 12],
  ["0,995", 100],
  ["1,2345", 123],
  ["-0,125", -13],
  ["-0,005", -1],
  ["-0,004", 0],
  ["2,675", 268],
  ["1,005", 101],
  // The largest amounts: 13 integer digits.
  ["9999999999999", 999999999999900],
  ["9 999 999 999 999,99", 999999999999999],
  ["-9 999 999 999 999,99", -999999999999999],
  ["9999999999999,995", 1000000000000000],
  // Up to 10^13 exactly, as toCents takes it; beyond, too large.
  ["10000000000000", 1000000000000000],
  ["10 000 000 000 000", 1000000000000000],
  ["10 000 000 000 000,01", "too-large"],
  ["-10 000 000 000 001", "too-large"],
  ["-12 345 678 901 234,5", "too-large"],
  ["123456789012345678901234567890", "too-large"],
  // Not amounts.
  ["", "not-a-number"],
  ["   ", "not-a-number"],
  [NBSP, "not-a-number"],
  ["abc", "not-a-number"],
  ["n/a", "not-a-number"],
  ["12 34", "not-a-number"],
  ["1234 567", "not-a-number"],
  ["1 2345", "not-a-number"],
  ["1,234.5", "not-a-number"],
  ["1e5", "not-a-number"],
  ["Infinity", "not-a-number"],
  ["NaN", "not-a-number"],
  ["0x10", "not-a-number"],
  ["--5", "not-a-number"],
  ["+-5", "not-a-number"],
  ["5-", "not-a-number"],
  [",5", "not-a-number"],
  ["5,", "not-a-number"],
  ["4 000 kr", "not-a-number"],
  ["tkr", "not-a-number"],
  ["#REF!", "not-a-number"],
  ["()", "not-a-number"],
  ["\uff11\uff12\uff13", "not-a-number"],
  ["\u0661\u0662", "not-a-number"],
];

describe("parseAmount", () => {
  test.each(CASES)("%j", (text, expected) => {
    const parsed = parseAmount(text);
    if (typeof expected === "number") {
      expect(parsed).toEqual({ ok: true, cents: expected });
      if (parsed.ok) expect(Object.is(parsed.cents, -0)).toBe(false);
    } else {
      expect(parsed).toEqual({ ok: false, reason: expected });
    }
  });
});

describe("toCents", () => {
  test.each([
    [0, 0],
    [1, 100],
    [-1, -100],
    [0.1, 10],
    [0.2, 20],
    [0.3, 30],
    [1.1, 110],
    [-256303, -25630300],
    [32336.45, 3233645],
    [-0.004, 0],
    [0.005, 1],
    [-0.005, -1],
    [MAX_AMOUNT, MAX_AMOUNT * 100],
    [-MAX_AMOUNT, -MAX_AMOUNT * 100],
  ])("toCents(%p) is %p", (value, cents) => {
    const got = toCents(value);
    expect(got).toBe(cents);
    expect(Object.is(got, -0)).toBe(false);
  });

  test.each([[NaN], [Infinity], [-Infinity], [MAX_AMOUNT + 1], [-(MAX_AMOUNT + 1)], [1e300]])(
    "toCents(%p) is NaN",
    (value) => {
      expect(toCents(value)).toBeNaN();
    },
  );

  test("every two-decimal amount comes back as itself", () => {
    for (let cents = -100000; cents <= 100000; cents += 7) {
      expect(toCents(cents / 100)).toBe(cents);
      expect(fromCents(cents)).toBe(cents / 100);
    }
  });
});

describe("fromCents", () => {
  test("adding in hundredths shows no floating-point artefacts", () => {
    expect(0.1 + 0.2).not.toBe(0.3); // the artefact the cents avoid
    expect(fromCents(toCents(0.1) + toCents(0.2))).toBe(0.3);
    expect(fromCents(toCents(1.1) + toCents(2.2))).toBe(3.3);
    expect(fromCents(toCents(0.7) + toCents(0.1) + toCents(0.2))).toBe(1);
    expect(fromCents(toCents(-161198.15) + toCents(-17111.1) + toCents(-63743.05) + toCents(-46587.7))).toBe(-288640);
    let sum = 0;
    for (let k = 0; k < 1000; k++) sum += toCents(0.01);
    expect(fromCents(sum)).toBe(10);
    let floatSum = 0;
    for (let k = 0; k < 1000; k++) floatSum += 0.01;
    expect(floatSum).not.toBe(10);
  });

  test("zero is never negative zero", () => {
    expect(Object.is(fromCents(-0), 0)).toBe(true);
    expect(Object.is(fromCents(0), 0)).toBe(true);
    expect(fromCents(-1)).toBe(-0.01);
  });

  test("gives at most two decimals", () => {
    for (const cents of [1, 7, 99, 101, 333333, -333333, 999999999999999, -999999999999999]) {
      const v = fromCents(cents);
      expect(Math.round(v * 100) / 100).toBe(v);
      expect(v.toFixed(2)).toBe((cents < 0 ? "-" : "") + (Math.abs(cents) / 100).toFixed(2));
    }
  });
});

describe("formatAmount", () => {
  test.each([
    [-400000, undefined, `${MINUS}4${NBSP}000`],
    [400000, undefined, `4${NBSP}000`],
    [25630300, undefined, `256${NBSP}303`],
    [-25630300, undefined, `${MINUS}256${NBSP}303`],
    [0, undefined, "0"],
    [50, undefined, "0,5"],
    [-50, undefined, `${MINUS}0,5`],
    [5, undefined, "0,05"],
    [-1, undefined, `${MINUS}0,01`],
    [300050, undefined, `3${NBSP}000,5`],
    [300050, 2, `3${NBSP}000,50`],
    [400000, 2, `4${NBSP}000,00`],
    [123456, 0, `1${NBSP}235`],
    [999999999999999, undefined, `9${NBSP}999${NBSP}999${NBSP}999${NBSP}999,99`],
    [-999999999999999, undefined, `${MINUS}9${NBSP}999${NBSP}999${NBSP}999${NBSP}999,99`],
  ])("formatAmount(%p, %p) is %j", (cents, decimals, text) => {
    expect(formatAmount(cents, decimals)).toBe(text);
  });

  test("uses U+2212 and U+00A0, no hyphen or plain space", () => {
    const s = formatAmount(-400000);
    expect([...s].map((c) => c.codePointAt(0))).toEqual([0x2212, 0x34, 0xa0, 0x30, 0x30, 0x30]);
  });

  test("an English locale gives its own separators", () => {
    expect(formatAmount(-123456789, 2, "en-US")).toBe("-1,234,567.89");
  });
});

describe("decimalsOf", () => {
  test.each([
    [0, 0],
    [100, 0],
    [-400000, 0],
    [50, 1],
    [-50, 1],
    [110, 1],
    [5, 2],
    [-5, 2],
    [123456, 2],
  ])("decimalsOf(%p) is %p", (cents, d) => {
    expect(decimalsOf(cents)).toBe(d);
  });
});
