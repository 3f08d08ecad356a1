/**
 * Amounts are held as whole hundredths of the sheet's unit (öre when the unit is kronor), in plain
 * numbers. Integers up to 2^53 add and subtract exactly, so no 0.1 + 0.2 artefact can appear.
 */

/** The largest amount, in units, the checker accepts (ten thousand billion). */
export const MAX_AMOUNT = 1e13;

/** Converts a number from a cell to hundredths, rounding half away from zero. NaN when out of range. */
export function toCents(value: number): number {
  const a = Math.abs(value);
  // Also false for NaN and the infinities.
  if (!(a <= MAX_AMOUNT)) return NaN;
  const x = a * 100;
  let cents = Math.round(x);
  // Near a half, the binary value may lie just below what was typed (1.005 is 1.00499999…):
  // rounding its 15 significant digits gives the typed amount.
  if (Math.abs(Math.abs(x - cents) - 0.5) < 1e-6) cents = Math.round(Number(x.toPrecision(15)));
  return value < 0 && cents !== 0 ? -cents : cents;
}

/** Converts hundredths back to a number in units: the nearest double to the decimal amount. */
export function fromCents(cents: number): number {
  const v = cents / 100;
  return v === 0 ? 0 : v;
}

/** Spaces used as thousands separators: space, no-break space, thin space, narrow no-break space. */
const SPACES = /[ \u00a0\u2009\u202f\u2007]/g;
/** Hyphen-minus, minus sign (U+2212), en dash (U+2013). */
const MINUS = /^[-\u2212\u2013]\s*/;
const DIGITS_WITH_DECIMALS = /^(\d+)(?:[,.](\d+))?$/;

export type ParsedText = { ok: true; cents: number } | { ok: false; reason: "not-a-number" | "too-large" };

/**
 * Parses an amount written as Swedish text: "1 234", "−4 000", "– 3 000,50", "-161\u00a0198", "0,5".
 * A lone dash is the typographic zero. Amounts with more than two decimals are rounded to hundredths.
 */
export function parseAmount(text: string): ParsedText {
  let s = text.trim();
  if (s === "") return { ok: false, reason: "not-a-number" };
  if (/^[-\u2212\u2013]$/.test(s)) return { ok: true, cents: 0 };
  let negative = false;
  let parens = false;
  if (s.startsWith("(") && s.endsWith(")")) {
    parens = true;
    s = s.slice(1, -1).trim();
  }
  const minus = MINUS.exec(s);
  if (minus) {
    negative = true;
    s = s.slice(minus[0].length);
  } else if (s.startsWith("+")) {
    s = s.slice(1).trimStart();
  }
  if (parens) negative = !negative;
  // Thousands separators: spaces between groups of three digits.
  if (!/^\d{1,3}([ \u00a0\u2009\u202f\u2007]\d{3})*([,.]\d+)?$/.test(s) && !DIGITS_WITH_DECIMALS.test(s)) {
    return { ok: false, reason: "not-a-number" };
  }
  s = s.replace(SPACES, "");
  const m = DIGITS_WITH_DECIMALS.exec(s);
  if (!m) return { ok: false, reason: "not-a-number" };
  const whole = m[1];
  const frac = m[2] ?? "";
  if (whole.replace(/^0+/, "").length > 14) return { ok: false, reason: "too-large" };
  let cents = Number(whole) * 100 + Number((frac + "00").slice(0, 2));
  // Round half away from zero on the third decimal and beyond.
  if (frac.length > 2 && frac.charCodeAt(2) >= 53 /* '5' */) cents += 1;
  if (Math.abs(cents) > MAX_AMOUNT * 100) return { ok: false, reason: "too-large" };
  return { ok: true, cents: negative && cents !== 0 ? -cents : cents };
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats hundredths in Swedish: "−4 000", "256 303", "0,5" (no-break space thousands separator and
 * the minus sign U+2212, as Intl gives them). With `decimals` unset, shows the decimals the amount has.
 */
export function formatAmount(cents: number, decimals?: number, locale = "sv-SE"): string {
  const d = decimals ?? decimalsOf(cents);
  const key = `${locale}|${d}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
    formatters.set(key, f);
  }
  return f.format(fromCents(cents));
}

/** The number of decimals an amount in hundredths needs (0, 1 or 2). */
export function decimalsOf(cents: number): number {
  return cents % 100 === 0 ? 0 : cents % 10 === 0 ? 1 : 2;
}
