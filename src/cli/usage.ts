import type { Lang } from "../core";
import { LocalizedError, type Params } from "../xlsx/localized";

/** The command's help and its usage messages, in Swedish and English. */
export const USAGE: Record<Lang, string> = {
  sv: `Användning: prognoskoll check [FILER eller MAPPAR...] [val]

Kontrollerar arbetsböcker med budgetuppföljning (.xlsx): hittar budgettabellen, räknar om
avvikelser och resultatrader, flaggar negativa avvikelser och validerar summorna. Utan fil
kontrolleras det medföljande exemplet.

Val:
  --write                 skriv omräknade avvikelser och summarader i en kopia (NAMN.checked.xlsx)
  --out SÖKVÄG            var kopian skrivs (en fil med arbetsbokens ändelse, eller en mapp;
                          en mapp när flera filer kontrolleras)
  --formulas              skriv Excel-formler i stället för värden
  --json                  skriv bara resultatet som JSON
  --threshold N           flagga bara negativa avvikelser på minst N (i bladets enhet)
  --threshold-percent P   flagga bara negativa avvikelser på minst P % av budgeten
  --lang sv|en            språk för meddelanden (standard sv)
  --sheet NAMN            kontrollera detta blad (standard: första synliga bladet med en
                          budgettabell; ett dolt blad kontrolleras bara när det namnges)
  --template FIL.json     en egen rapportmall, utöver de inbyggda
  --convention result|ledger|presentation
                          teckenkonventionen, i stället för att den avgörs ur bladet:
                          result: intäkter +, kostnader −, avvikelse = prognos − budget;
                          ledger: kostnader +, intäkter −, avvikelse = budget − prognos;
                          presentation: allt +, avvikelse = budget − prognos för kostnader
                          (costs-negative och costs-positive betyder result och presentation)
  --report FIL.csv|FIL.html
                          skriv en sammanställning av alla kontrollerade filer
  -h, --help              visa denna hjälp

Slutstatus: 0 inga fel (varningar tillåtna), 1 fel hittades, 2 en fil gick inte att kontrollera eller fel användning.`,
  en: `Usage: prognoskoll check [FILES or FOLDERS...] [options]

Checks budget follow-up workbooks (.xlsx): finds the budget table, recomputes deviations and
result lines, flags negative deviations and validates the totals. With no file it checks the
bundled example.

Options:
  --write                 write recomputed deviations and sum lines into a copy (NAME.checked.xlsx)
  --out PATH              where to write the copy (a file ending as the workbook does, or a
                          folder; a folder when checking several)
  --formulas              write Excel formulas rather than values
  --json                  print the result as JSON only
  --threshold N           flag only negative deviations of at least N (in the sheet's unit)
  --threshold-percent P   flag only negative deviations of at least P % of the budget
  --lang sv|en            language of messages (default sv)
  --sheet NAME            check this sheet (default: the first visible sheet with a budget
                          table; a hidden sheet is checked only when named)
  --template FILE.json    a report template of your own, besides the built-in ones
  --convention result|ledger|presentation
                          the sign convention, instead of deciding it from the sheet:
                          result: revenue +, costs −, deviation = forecast − budget;
                          ledger: costs +, revenue −, deviation = budget − forecast;
                          presentation: all +, deviation = budget − forecast for costs
                          (costs-negative and costs-positive mean result and presentation)
  --report FILE.csv|FILE.html
                          write a summary of every workbook checked
  -h, --help              show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be checked or bad usage.`,
};

const sv = {
  "unknown-option": (p: Params) => `okänt val ${p.option}`,
  "bad-option": (p: Params) => `valet ${p.option} används fel: ${p.detail}`,
  "unknown-command": (p: Params) => `okänt kommando "${p.command}"`,
  "no-command": () => "inget kommando angivet",
  number: (p: Params) => `--${p.name} tar ett tal från noll och uppåt, inte "${p.value}"`,
  lang: (p: Params) => `--lang tar sv eller en, inte "${p.value}"`,
  convention: (p: Params) => `--convention tar result, ledger eller presentation, inte "${p.value}"`,
  "write-only": () => "--out och --formulas används tillsammans med --write",
  "template-unreadable": (p: Params) => `mallen ${p.file} går inte att läsa: ${p.detail}`,
  "template-invalid": (p: Params) => `mallen ${p.file} är inte giltig: ${p.detail}`,
  "no-files": (p: Params) => `inga .xlsx-filer i ${p.where}`,
  "out-folder": () => "med flera filer måste --out vara en mapp",
  "out-kind": (p: Params) =>
    `--out ${p.out} måste sluta på ${p.ext} som arbetsboken; Excel öppnar inte en fil vars ändelse inte stämmer med innehållet`,
  "report-format": (p: Params) => `--report tar en fil som slutar på .csv eller .html, inte "${p.file}"`,
  "report-unwritable": (p: Params) => `sammanställningen ${p.file} gick inte att skriva (${p.code})`,
};

const en: typeof sv = {
  "unknown-option": (p) => `unknown option ${p.option}`,
  "bad-option": (p) => `the option ${p.option} is used wrongly: ${p.detail}`,
  "unknown-command": (p) => `unknown command "${p.command}"`,
  "no-command": () => "no command given",
  number: (p) => `--${p.name} takes a number of zero or more, not "${p.value}"`,
  lang: (p) => `--lang takes sv or en, not "${p.value}"`,
  convention: (p) => `--convention takes result, ledger or presentation, not "${p.value}"`,
  "write-only": () => "--out and --formulas go with --write",
  "template-unreadable": (p) => `cannot read the template ${p.file}: ${p.detail}`,
  "template-invalid": (p) => `the template ${p.file} is not valid: ${p.detail}`,
  "no-files": (p) => `no .xlsx files in ${p.where}`,
  "out-folder": () => "with several files, --out must be a folder",
  "out-kind": (p) =>
    `--out ${p.out} must end in ${p.ext}, as the workbook does; Excel does not open a file whose extension does not match its content`,
  "report-format": (p) => `--report takes a file ending in .csv or .html, not "${p.file}"`,
  "report-unwritable": (p) => `could not write the summary ${p.file} (${p.code})`,
};

export type UsageKey = keyof typeof sv;

/** Bad usage of the command. */
export class UsageError extends LocalizedError<UsageKey> {
  constructor(key: UsageKey, params: Params = {}) {
    super({ sv, en }, key, params);
  }
}
