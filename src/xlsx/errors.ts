import { LocalizedError, type Params } from "./localized";

/** Why a file could not be checked or written, in Swedish and English. */

const sv = {
  "empty-file": () => "filen är tom",
  "not-zip": () => "inte en .xlsx-fil (inget zip-arkiv)",
  "damaged-zip": () => "filen är skadad: zip-arkivet går inte att läsa (avkortad fil?)",
  "not-workbook": () => "inte en Excel-arbetsbok (zip-arkivet har ingen arbetsboksdel)",
  encrypted: () => "arbetsboken är lösenordsskyddad (krypterad); spara en kopia utan lösenord och kontrollera den",
  legacy: () => "detta är en gammal .xls-arbetsbok (Excel 97–2003); spara den som .xlsx",
  "zip-bomb": (p: Params) => `delen ${p.part} packas upp till ${p.size} byte från ${p.packed} (en zip-bomb?)`,
  "too-large": (p: Params) => `arbetsboken packas upp till ${p.mb} MB, mer än gränsen ${p.limit} MB`,
  "no-sheets": () => "arbetsboken har inga blad",
  "no-worksheets": () => "arbetsboken har inga kalkylblad, bara diagramblad",
  "sheet-part": (p: Params) =>
    `bladet "${p.name}" ska finnas i delen ${p.target}, men arkivet saknar den (skadad fil?)`,
  "array-formula": (p: Params) =>
    `inget skrevs: ${p.cell} ingår i en matrisformel över flera celler, som bara kan ändras som helhet; skriv i Excel`,
  unreadable: (p: Params) => `arbetsboken går inte att läsa: ${p.detail}`,
  "no-sheet": (p: Params) => `det finns inget blad som heter "${p.name}" (bladen är: ${p.names})`,
  "no-file": () => "filen finns inte",
  "cannot-read": (p: Params) => `filen går inte att läsa (${p.code})`,
  "cannot-read-folder": (p: Params) => `mappen går inte att läsa (${p.code}); filerna i den kontrollerades inte`,
  overwrite: () => "kopian skulle skriva över originalet; välj en annan --out",
  "overwrite-input": (p: Params) =>
    `kopian skulle skriva över ${p.target}, som också kontrolleras i denna körning; välj en annan --out`,
  "out-taken": (p: Params) =>
    `en annan fil har redan skrivit sin kopia till ${p.target} i denna körning; välj en annan --out`,
  "no-table": (p: Params) => `ingen budgettabell hittades (${p.detail})`,
  "hidden-sheets": (p: Params) => `dolda blad kontrolleras bara när de namnges med --sheet: ${p.names}`,
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
  "not-workbook": () => "not an Excel workbook (the zip archive has no workbook part)",
  encrypted: () => "the workbook is password-protected (encrypted); save a copy without a password and check that",
  legacy: () => "this is an old .xls workbook (Excel 97–2003); save it as .xlsx",
  "zip-bomb": (p) => `the part ${p.part} unpacks to ${p.size} bytes from ${p.packed} (a zip bomb?)`,
  "too-large": (p) => `the workbook unpacks to ${p.mb} MB, more than the limit of ${p.limit} MB`,
  "no-sheets": () => "the workbook has no sheets",
  "no-worksheets": () => "the workbook has no worksheets, only chart sheets",
  "sheet-part": (p) => `sheet "${p.name}" should be in the part ${p.target}, which the archive lacks (damaged file?)`,
  "array-formula": (p) =>
    `nothing written: ${p.cell} is part of an array formula over several cells, which can only be changed as a whole; write in Excel`,
  unreadable: (p) => `the workbook cannot be read: ${p.detail}`,
  "no-sheet": (p) => `no sheet named "${p.name}" (the sheets are: ${p.names})`,
  "no-file": () => "no such file",
  "cannot-read": (p) => `cannot read the file (${p.code})`,
  "cannot-read-folder": (p) => `cannot read the folder (${p.code}); the files in it were not checked`,
  overwrite: () => "the checked copy would overwrite the original; choose another --out",
  "overwrite-input": (p) =>
    `the checked copy would overwrite ${p.target}, which this run also checks; choose another --out`,
  "out-taken": (p) => `another file has already written its copy to ${p.target} in this run; choose another --out`,
  "no-table": (p) => `no budget table found (${p.detail})`,
  "hidden-sheets": (p) => `hidden sheets are checked only when named with --sheet: ${p.names}`,
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
