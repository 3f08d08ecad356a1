import type { Lang } from "../core";
import { LocalizedError, type Params } from "./localized";

/** Why a file could not be checked or written, in Swedish and English. */

const sv = {
  "empty-file": () => "filen är tom",
  "not-zip": () => "inte en .xlsx-fil (inget zip-arkiv)",
  "damaged-zip": () => "filen är skadad: zip-arkivet går inte att läsa (avkortad fil?)",
  "not-workbook": () => "inte en Excel-arbetsbok (zip-arkivet saknar xl/workbook.xml)",
  encrypted: () => "arbetsboken är lösenordsskyddad (krypterad); spara en kopia utan lösenord och kontrollera den",
  legacy: () => "detta är en gammal .xls-arbetsbok (Excel 97–2003); spara den som .xlsx",
  "zip-bomb": (p: Params) => `delen ${p.part} packas upp till ${p.size} byte från ${p.packed} (en zip-bomb?)`,
  "too-large": (p: Params) => `arbetsboken packas upp till ${p.mb} MB, mer än gränsen ${p.limit} MB`,
  "no-sheets": () => "arbetsboken har inga blad",
  "sheet-part": (p: Params) =>
    `bladet "${p.name}" är lagrat som ${p.target} (ett diagramblad eller delar som ett annat program döpt om) och kan inte läsas säkert; öppna och spara arbetsboken i Excel först`,
  unreadable: (p: Params) => `arbetsboken går inte att läsa: ${p.detail}`,
  "no-sheet": (p: Params) => `det finns inget blad som heter "${p.name}" (bladen är: ${p.names})`,
  "no-file": () => "filen finns inte",
  "cannot-read": (p: Params) => `filen går inte att läsa (${p.code})`,
  overwrite: () => "kopian skulle skriva över originalet; välj en annan --out",
  "out-taken": (p: Params) =>
    `en annan fil har redan skrivit sin kopia till ${p.target} i denna körning; välj en annan --out`,
  "would-lose": (p: Params) =>
    `inget skrevs: kopian skulle inte behålla arbetsboken intakt: ${lossesText("sv", p.losses as Loss[])}`,
  "no-table": (p: Params) => `ingen budgettabell hittades (${p.detail})`,
  "cannot-write": (p: Params) => `kopian gick inte att skriva (${p.code})`,
  "not-a-file": () => "inte en vanlig fil (en mapp, en enhet eller ett rör)",
  merged: (p: Params) =>
    `inget skrevs: ${p.cells} ligger inne i sammanfogade celler, där Excel bara visar den första; dela upp sammanfogningen eller skriv i Excel`,
  "unsupported-write": () =>
    "kopian kan inte skrivas: arbetsbokens uppbyggnad stöds inte för skrivning; öppna och spara den i Excel först",
  "duplicate-part": (p: Params) => `filen är skadad: zip-arkivet har delen ${p.part} två gånger`,
};

const en: typeof sv = {
  "empty-file": () => "the file is empty",
  "not-zip": () => "not an .xlsx file (not a zip archive)",
  "damaged-zip": () => "the file is damaged: its zip archive cannot be read (truncated?)",
  "not-workbook": () => "not an Excel workbook (the zip archive has no xl/workbook.xml)",
  encrypted: () => "the workbook is password-protected (encrypted); save a copy without a password and check that",
  legacy: () => "this is an old .xls workbook (Excel 97–2003); save it as .xlsx",
  "zip-bomb": (p) => `the part ${p.part} unpacks to ${p.size} bytes from ${p.packed} (a zip bomb?)`,
  "too-large": (p) => `the workbook unpacks to ${p.mb} MB, more than the limit of ${p.limit} MB`,
  "no-sheets": () => "the workbook has no sheets",
  "sheet-part": (p) =>
    `sheet "${p.name}" is stored as ${p.target} (a chart sheet or parts renamed by another program), which cannot be read safely; open and save the workbook in Excel first`,
  unreadable: (p) => `the workbook cannot be read: ${p.detail}`,
  "no-sheet": (p) => `no sheet named "${p.name}" (the sheets are: ${p.names})`,
  "no-file": () => "no such file",
  "cannot-read": (p) => `cannot read the file (${p.code})`,
  overwrite: () => "the checked copy would overwrite the original; choose another --out",
  "out-taken": (p) => `another file has already written its copy to ${p.target} in this run; choose another --out`,
  "would-lose": (p) =>
    `nothing written: the copy would not keep the workbook intact: ${lossesText("en", p.losses as Loss[])}`,
  "no-table": (p) => `no budget table found (${p.detail})`,
  "cannot-write": (p) => `cannot write the checked copy (${p.code})`,
  "not-a-file": () => "not a regular file (a folder, a device or a pipe)",
  merged: (p) =>
    `nothing written: ${p.cells} lie inside merged cells, where Excel shows only the first; unmerge them or write in Excel`,
  "unsupported-write": () =>
    "the checked copy cannot be written: the workbook's structure is not supported for writing; open and save it in Excel first",
  "duplicate-part": (p) => `the file is damaged: its zip archive holds the part ${p.part} twice`,
};

export type ErrorKey = keyof typeof sv;

/** A file that cannot be checked or written. */
export class WorkbookError extends LocalizedError<ErrorKey> {
  constructor(key: ErrorKey, params: Params = {}) {
    super({ sv, en }, key, params);
  }
}

/** What a written copy would lose or change, for the user. */
export interface Loss {
  part: string;
  change: "lost" | "changed" | "added";
}

const WHAT: Record<Lang, [RegExp, string][]> = {
  sv: [
    [/charts\/chart/, "ett diagram"],
    [/drawings\/vmlDrawing/, "kommentarernas ritlager"],
    [/drawings\//, "en ritning"],
    [/comments|threadedComments/, "kommentarer"],
    [/media\//, "en bild"],
    [/pivot/, "en pivottabell"],
    [/tables\//, "en tabelldefinition"],
    [/definedNames/, "definierade namn"],
    [/conditionalFormatting/, "villkorsstyrd formatering"],
    [/dataValidations/, "dataverifiering"],
    [/^cols$/, "kolumnbredder"],
  ],
  en: [
    [/charts\/chart/, "a chart"],
    [/drawings\/vmlDrawing/, "the comments' drawing layer"],
    [/drawings\//, "a drawing"],
    [/comments|threadedComments/, "comments"],
    [/media\//, "an image"],
    [/pivot/, "a pivot table"],
    [/tables\//, "a table definition"],
    [/definedNames/, "defined names"],
    [/conditionalFormatting/, "conditional formatting"],
    [/dataValidations/, "data validation"],
    [/^cols$/, "column widths"],
  ],
};

const CHANGE: Record<Lang, Record<Loss["change"], string>> = {
  sv: { lost: "skulle gå förlorad", changed: "skulle ändras", added: "skulle läggas till" },
  en: { lost: "would be lost", changed: "would be changed", added: "would be added" },
};

/** The first few losses, and how many more there are. */
function lossesText(lang: Lang, losses: Loss[]): string {
  const shown = losses.slice(0, 5).map((l) => lossText(lang, l));
  if (losses.length > 5) shown.push(`+${losses.length - 5}`);
  return shown.join("; ");
}

export function lossText(lang: Lang, loss: Loss): string {
  const what = WHAT[lang].find(([re]) => re.test(loss.part))?.[1];
  return `${what ? `${what} (${loss.part})` : loss.part} ${CHANGE[lang][loss.change]}`;
}
