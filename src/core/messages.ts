import type { NoTable } from "./detect";
import type { TemplateProblem } from "./templates";
import type { ConventionEvidence } from "./convention";
import type { Convention, FindingCode, Lang } from "./types";

/** The text of each finding, in Swedish and English. Amounts arrive formatted. */
type Params = Record<string, string | number>;
type Texts = Record<FindingCode, (p: Params) => string>;

const sv: Texts = {
  "total-mismatch": (p) =>
    `${p.line}: ${p.column} är ${p.entered} men delarna summerar till ${p.computed} (skillnad ${p.diff}).`,
  "rounding-difference": (p) =>
    `${p.line}: ${p.column} är ${p.entered}, ${p.rule ?? "delarna"} ger ${p.computed}; skillnaden ${p.diff} förklaras av avrundning.`,
  "deviation-mismatch": (p) =>
    p.reversed
      ? `Kolumnen ${p.line} räknar avvikelsen med omvänt tecken på varje rad; den ska vara ${p.rule}, så att en negativ avvikelse är ogynnsam.`
      : `${p.line}: avvikelsen är ${p.entered} men ska vara ${p.computed} (${p.rule}).`,
  "sum-range-incomplete": (p) => `${p.line}: formeln =${p.formula} ${p.problem}.`,
  "text-number": (p) => `${p.line}: ${p.column} ”${p.text}” är lagrad som text; talet ${p.value} används.`,
  "not-a-number": (p) => `${p.line}: ${p.column} ”${p.text}” är inget belopp.`,
  "missing-value": (p) =>
    `${p.line}: ${p.present} finns men ${p.missing} saknas${p.zero ? "; raden räknas som obudgeterad, med budget 0" : ""}.`,
  "formula-error": (p) => `${p.line}: ${p.column} visar felet ${p.error}.`,
  sign: (p) => `${p.line}: ${p.column} ${p.value} har fel tecken: ${p.expected}.`,
  "unknown-line": (p) =>
    p.duplicateRow
      ? `Raden ”${p.line}” finns redan på rad ${p.duplicateRow}; den ingår inte i någon summa.`
      : p.sum
        ? `Raden ”${p.line}” finns inte i mallen ${p.template}; den står bland delarna till ${p.sum} och räknas in där.`
        : `Raden ”${p.line}” finns inte i mallen ${p.template}; den får en avvikelse men ingår inte i någon summa.`,
  "not-balanced": (p) => `${p.line}: ${p.column} är ${p.value}, ett underskott. Budgeten är inte i balans.`,
  "second-table": (p) => `Ytterligare en tabell börjar på rad ${p.row}; den kontrolleras inte.`,
  uncalculated: (p) =>
    `${p.line}: ${p.column} är formeln =${p.formula} utan beräknat värde; öppna och spara arbetsboken i Excel så att den räknas.`,
  "sum-reading": (p) =>
    `${p.line}: summan kan avse flera block av rader; den räknas som ${p.rows}, där beloppen går ihop, inte som ${p.other}.`,
};

const en: Texts = {
  "total-mismatch": (p) =>
    `${p.line}: ${p.column} is ${p.entered} but its parts add up to ${p.computed} (difference ${p.diff}).`,
  "rounding-difference": (p) =>
    `${p.line}: ${p.column} is ${p.entered}, ${p.rule ? `${p.rule} gives` : "its parts give"} ${p.computed}; the difference ${p.diff} is explained by rounding.`,
  "deviation-mismatch": (p) =>
    p.reversed
      ? `The column ${p.line} reckons the deviation with the opposite sign on every line; it should be ${p.rule}, so that a negative deviation is unfavourable.`
      : `${p.line}: the deviation is ${p.entered} but should be ${p.computed} (${p.rule}).`,
  "sum-range-incomplete": (p) => `${p.line}: the formula =${p.formula} ${p.problem}.`,
  "text-number": (p) => `${p.line}: ${p.column} "${p.text}" is stored as text; the number ${p.value} is used.`,
  "not-a-number": (p) => `${p.line}: ${p.column} "${p.text}" is not an amount.`,
  "missing-value": (p) =>
    `${p.line}: ${p.present} is there but ${p.missing} is missing${p.zero ? "; the line is taken as unbudgeted, with a budget of 0" : ""}.`,
  "formula-error": (p) => `${p.line}: ${p.column} shows the error ${p.error}.`,
  sign: (p) => `${p.line}: ${p.column} ${p.value} has the wrong sign: ${p.expected}.`,
  "unknown-line": (p) =>
    p.duplicateRow
      ? `The line "${p.line}" already appears on row ${p.duplicateRow}; it is part of no sum.`
      : p.sum
        ? `The line "${p.line}" is not in the template ${p.template}; it stands among the parts of ${p.sum} and is counted there.`
        : `The line "${p.line}" is not in the template ${p.template}; it gets a deviation but is part of no sum.`,
  "not-balanced": (p) => `${p.line}: ${p.column} is ${p.value}, a deficit. The budget does not balance.`,
  "second-table": (p) => `Another table starts on row ${p.row}; it is not checked.`,
  uncalculated: (p) =>
    `${p.line}: ${p.column} is the formula =${p.formula} without a computed value; open and save the workbook in Excel so that it is calculated.`,
  "sum-reading": (p) =>
    `${p.line}: the total could close more than one block of lines; it is taken as ${p.rows}, where the figures add up, not as ${p.other}.`,
};

export function message(lang: Lang, code: FindingCode, params: Params): string {
  return (lang === "en" ? en : sv)[code](params);
}

/** Words that messages and reports put together. */
export const WORDS = {
  sv: {
    budget: "budget",
    forecast: "prognos",
    outcome: "utfall",
    deviation: "avvikelse",
    costNegative: "kostnader anges negativa i det här bladet",
    costPositive: "kostnader anges positiva i det här bladet",
    revenuePositive: "intäkter anges positiva i det här bladet",
    revenueNegative: "intäkter anges negativa i det här bladet",
    forRevenue: "för intäkter och resultat",
    forCosts: "för kostnader",
    ruleForecast: "prognos − budget",
    ruleBudget: "budget − prognos",
    ruleOutcome: "utfall − budget",
    ruleBudgetOutcome: "budget − utfall",
    leavesOut: "utelämnar",
    includes: "tar med",
    notPart: "som inte är en del av summan",
    wrongSign: "med fel tecken",
    row: "rad",
  },
  en: {
    budget: "budget",
    forecast: "forecast",
    outcome: "outcome",
    deviation: "deviation",
    costNegative: "costs are entered negative in this sheet",
    costPositive: "costs are entered positive in this sheet",
    revenuePositive: "revenue is entered positive in this sheet",
    revenueNegative: "revenue is entered negative in this sheet",
    forRevenue: "for revenue and results",
    forCosts: "for costs",
    ruleForecast: "forecast − budget",
    ruleBudget: "budget − forecast",
    ruleOutcome: "outcome − budget",
    ruleBudgetOutcome: "budget − outcome",
    leavesOut: "leaves out",
    includes: "includes",
    notPart: "which is not one of its parts",
    wrongSign: "with the wrong sign",
    row: "row",
  },
} as const;

const NO_TABLE: Record<Lang, Record<NoTable, string>> = {
  sv: {
    empty: "bladet är tomt",
    "no-header": "ingen rubrikrad anger både en budgetkolumn och en prognos- eller utfallskolumn",
    "no-labels": "det finns ingen kolumn med radrubriker till vänster om budgetkolumnen",
    "no-template": "den angivna mallen finns inte",
    "no-lines": "tabellen har en rubrikrad men inga rader med belopp",
  },
  en: {
    empty: "the sheet is empty",
    "no-header": "no header row names both a budget column and a forecast or outcome column",
    "no-labels": "no column of row labels left of the budget column",
    "no-template": "the template asked for does not exist",
    "no-lines": "the table has a header but no lines with figures",
  },
};

/** Why a sheet has no budget table, in plain words. */
export function noTableMessage(lang: Lang, problem: NoTable): string {
  return NO_TABLE[lang][problem];
}

const TEMPLATE: Record<Lang, Record<TemplateProblem, (p: Record<string, string>) => string>> = {
  sv: {
    "duplicate-id": (p) => `radens id "${p.id}" förekommer två gånger`,
    "shared-label": (p) => `rubriken "${p.label}" hör till både "${p.a}" och "${p.b}"`,
    "missing-part": (p) => `raden "${p.id}" summerar "${p.part}", som mallen saknar`,
    circle: (p) => `summaraderna hänvisar till varandra i en cirkel: ${p.path}`,
    "balance-line": (p) => `balanceLine "${p.id}" är ingen rad i mallen`,
    "not-object": () => "en mall är ett JSON-objekt",
    text: (p) => `${p.field} ska vara en text som inte är tom`,
    lines: () => `"lines" ska vara en lista som inte är tom`,
    "line-object": (p) => `${p.field} ska vara ett objekt`,
    nature: (p) => `${p.field} ska vara "revenue", "cost" eller "result"`,
    strings: (p) => `${p.field} ska vara en lista av texter`,
  },
  en: {
    "duplicate-id": (p) => `line id "${p.id}" appears twice`,
    "shared-label": (p) => `label "${p.label}" belongs to both "${p.a}" and "${p.b}"`,
    "missing-part": (p) => `line "${p.id}" sums "${p.part}", which the template lacks`,
    circle: (p) => `sum lines refer to each other in a circle: ${p.path}`,
    "balance-line": (p) => `balanceLine "${p.id}" is not a line of the template`,
    "not-object": () => "a template is a JSON object",
    text: (p) => `${p.field} must be a non-empty string`,
    lines: () => `"lines" must be a non-empty array`,
    "line-object": (p) => `${p.field} must be an object`,
    nature: (p) => `${p.field} must be "revenue", "cost" or "result"`,
    strings: (p) => `${p.field} must be an array of strings`,
  },
};

/** What is wrong with a template, in plain words. */
export function templateMessage(lang: Lang, problem: TemplateProblem, params: Record<string, string>): string {
  return TEMPLATE[lang][problem](params);
}

const CONVENTION_NAMES: Record<Lang, Record<Convention, string>> = {
  sv: {
    result: "resultatform (intäkter +, kostnader −; avvikelse = prognos − budget)",
    ledger: "huvudboksform (kostnader +, intäkter −; avvikelse = budget − prognos)",
    presentation:
      "redovisningsform (allt positivt; avvikelse = budget − prognos för kostnader, prognos − budget för intäkter)",
  },
  en: {
    result: "result form (revenue +, costs −; deviation = forecast − budget)",
    ledger: "ledger form (costs +, revenue −; deviation = budget − forecast)",
    presentation:
      "presentation form (all positive; deviation = budget − forecast for costs, forecast − budget for revenue)",
  },
};

/** A sign convention in plain words: its signs and how the deviation is reckoned. */
export function conventionName(lang: Lang, convention: Convention): string {
  return CONVENTION_NAMES[lang][convention];
}

/** What the convention rests on, in plain words. */
export function conventionEvidenceText(lang: Lang, e: ConventionEvidence): string {
  const sv = lang === "sv";
  let text: string;
  switch (e.basis) {
    case "given":
      text = sv ? "vald av användaren" : "chosen by the user";
      break;
    case "line-signs":
      text = sv
        ? `tecknen på ${e.agree} belopp på rader av känt slag${e.disagree ? `; ${e.disagree} har motsatt tecken` : ""}`
        : `the signs of ${e.agree} figures on lines of known kind${e.disagree ? `; ${e.disagree} have the opposite sign` : ""}`;
      break;
    case "deviation-column":
      text = sv
        ? `avvikelsekolumnen stämmer med den på ${e.agree} rader${e.disagree ? ` (inte på ${e.disagree})` : ""}`
        : `the deviation column agrees with it on ${e.agree} lines${e.disagree ? ` (not on ${e.disagree})` : ""}`;
      break;
    case "header-words":
      text = sv ? `ordet "${e.words}" i rubrikerna` : `the word "${e.words}" in the headers`;
      break;
    default:
      text = sv
        ? "antagen: bladet visar inte vilken konvention det följer"
        : "assumed: the sheet does not show which convention it follows";
  }
  if (e.alike.length > 0 && e.basis !== "given") {
    const others = e.alike.map((c) => (sv ? SV_SHORT[c] : c)).join(", ");
    text += sv
      ? `; ${others} räknar varje rad i bladet likadant`
      : `; ${others} would reckon every line of this sheet alike`;
  }
  return text;
}

const SV_SHORT: Record<Convention, string> = {
  result: "resultatform",
  ledger: "huvudboksform",
  presentation: "redovisningsform",
};

/** Sheet rows as runs: "5–9, 12". */
export function rowList(rows: readonly number[]): string {
  const sorted = [...rows].sort((a, b) => a - b);
  const out: string[] = [];
  for (let k = 0; k < sorted.length;) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
    out.push(end > k ? `${sorted[k]}–${sorted[end]}` : String(sorted[k]));
    k = end + 1;
  }
  return out.join(", ");
}
