import type { Lang } from "../core";

type ComparisonKind = "forecast" | "outcome";

/** Counts as each language writes them ("60 016", "60,016"). */
const sv = (n: number): string => new Intl.NumberFormat("sv-SE").format(n);
const en = (n: number): string => new Intl.NumberFormat("en-GB").format(n);

/** The pane's words, Swedish first. */
export const STRINGS = {
  sv: {
    title: "Prognoskoll",
    check: "Kontrollera",
    write: "Skriv till arbetsboken",
    undo: "Ångra",
    checking: "Kontrollerar …",
    writing: "Skriver …",
    ready: "Klar att skicka in",
    pending: (n: number) =>
      `Skriv ${n === 1 ? "1 ändring" : `${sv(n)} ändringar`} till arbetsboken, sedan är bladet klart`,
    errors: (n: number) => (n === 1 ? "1 fel återstår" : `${sv(n)} fel återstår`),
    warnings: (n: number) => (n === 1 ? "1 varning" : `${sv(n)} varningar`),
    notChecked: "Tryck på Kontrollera för att granska bladet.",
    table: (sheet: string, template: string | null, unit: string | null) =>
      `Blad ${sheet}, ${template ? `mall ${template}` : "ingen mall (raderna läses efter sina ord och summor)"}${unit ? `, belopp i ${unit}` : ""}`,
    columns: (budget: string, comparison: string, deviation: string, proposed: boolean, kind: ComparisonKind) =>
      `Budget ${budget}, ${{ forecast: "prognos", outcome: "utfall" }[kind]} ${comparison}, avvikelse ${deviation}${proposed ? " (ny kolumn)" : ""}`,
    columnName: { budget: "Budget", forecast: "Prognos", outcome: "Utfall", deviation: "Avvikelse", header: "Rubrik" },
    convention: "Teckenkonvention",
    conventionBasis: "Grund",
    conventionAuto: "Avgör ur bladet",
    conventionShort: { result: "resultatform", ledger: "huvudboksform", presentation: "redovisningsform" },
    sums: (n: number) => (n === 1 ? "1 summarad" : `${sv(n)} summarader`),
    sumOf: (rows: string) => `summa av ${rows}`,
    itemises: (row: number) => `varav-rad till rad ${row}`,
    flags: "Negativa avvikelser",
    noFlags: "Inga negativa avvikelser.",
    noFlagsBeyond: (limits: string, hidden: number) =>
      `Inga avvikelser under ${limits}. ${hidden === 1 ? "1 mindre negativ avvikelse visas inte" : `${hidden} mindre negativa avvikelser visas inte`}.`,
    percentOfBudget: (p: string) => `${p} av budget`,
    or: "eller",
    findings: "Anmärkningar",
    changes: (n: number, kept: number) =>
      `${n === 1 ? "1 ändring" : `${sv(n)} ändringar`}${kept > 0 ? `, varav ${sv(kept)} skrivs bara med kryss` : " att skriva"}`,
    skipChanges: "Hoppa förbi listan över ändringar",
    becomes: "blir",
    noChanges: "Inget att skriva: avvikelser och summor stämmer.",
    replace: (n: number) => `Ersätt också ${sv(n)} inskrivna värden eller formler som är fel`,
    empty: "tom",
    written: (n: number) => (n === 1 ? "1 cell skrevs." : `${sv(n)} celler skrevs.`),
    undone: (n: number) => (n === 1 ? "1 cell återställdes." : `${sv(n)} celler återställdes.`),
    nothingToUndo: "Det finns inget att ångra.",
    undoElsewhere: (when: string) =>
      `Den senaste skrivningen gjordes från en annan dator (${when}). Vill du ångra den ändå?`,
    undoAnyway: "Ångra ändå",
    cancel: "Avbryt",
    severity: { error: "Fel", warning: "Varning", info: "Info" },
    goTo: (cell: string) => `Gå till ${cell}`,
    more: (n: number) => `… och ${sv(n)} till`,
    notReplaced: "skrivs inte utan kryss",
    removeFlags: "Ta bort färgmarkeringarna i bladet",
    unflagged: "Färgmarkeringarna av negativa avvikelser är borttagna.",
    noFlagsToRemove: "Bladet har inga färgmarkeringar att ta bort.",
    settings: "Inställningar för arbetsboken",
    useSelection: "Använd markeringen som tabell",
    findTable: "Hitta tabellen själv",
    chosenTable: (address: string) => `Tabellen är den du markerade: ${address}.`,
    thresholdAmount: (unit: string | null) => `Flagga avvikelser från (belopp i ${unit ?? "bladets enhet"})`,
    notANumber: "Skriv ett tal, 0 eller större (eller lämna tomt).",
    selectTable: "Markera hela tabellen, från rubrikraden till sista raden, med etiketter och belopp, och tryck igen.",
    selectionNoTable: (why: string) => `Markeringen sparades inte: ${why}`,
    thresholdPercent: "och från (% av budget)",
    formulas: "Skriv formler i stället för värden",
  },
  en: {
    title: "Prognoskoll",
    check: "Check",
    write: "Write to workbook",
    undo: "Undo",
    checking: "Checking …",
    writing: "Writing …",
    ready: "Ready to submit",
    pending: (n: number) =>
      `Write ${n === 1 ? "1 change" : `${en(n)} changes`} to the workbook, then the sheet is ready`,
    errors: (n: number) => (n === 1 ? "1 error remains" : `${en(n)} errors remain`),
    warnings: (n: number) => (n === 1 ? "1 warning" : `${en(n)} warnings`),
    notChecked: "Press Check to review the sheet.",
    table: (sheet: string, template: string | null, unit: string | null) =>
      `Sheet ${sheet}, ${template ? `template ${template}` : "no template (lines read by their words and sums)"}${unit ? `, amounts in ${unit}` : ""}`,
    columns: (budget: string, comparison: string, deviation: string, proposed: boolean, kind: ComparisonKind) =>
      `Budget ${budget}, ${{ forecast: "forecast", outcome: "outcome" }[kind]} ${comparison}, deviation ${deviation}${proposed ? " (new column)" : ""}`,
    columnName: {
      budget: "Budget",
      forecast: "Forecast",
      outcome: "Outcome",
      deviation: "Deviation",
      header: "Header",
    },
    convention: "Sign convention",
    conventionBasis: "Basis",
    conventionAuto: "Decide from the sheet",
    conventionShort: { result: "result form", ledger: "ledger form", presentation: "presentation form" },
    sums: (n: number) => (n === 1 ? "1 sum line" : `${en(n)} sum lines`),
    sumOf: (rows: string) => `sum of ${rows}`,
    itemises: (row: number) => `itemises row ${row}`,
    flags: "Negative deviations",
    noFlags: "No negative deviations.",
    noFlagsBeyond: (limits: string, hidden: number) =>
      `No deviations below ${limits}. ${hidden === 1 ? "1 smaller negative deviation is not shown" : `${hidden} smaller negative deviations are not shown`}.`,
    percentOfBudget: (p: string) => `${p} of budget`,
    or: "or",
    findings: "Remarks",
    changes: (n: number, kept: number) =>
      `${n === 1 ? "1 change" : `${en(n)} changes`}${kept > 0 ? `, ${en(kept)} of them written only when ticked` : " to write"}`,
    skipChanges: "Skip the list of changes",
    becomes: "becomes",
    noChanges: "Nothing to write: deviations and totals are right.",
    replace: (n: number) => `Also replace ${en(n)} entered values or formulas that are wrong`,
    empty: "empty",
    written: (n: number) => (n === 1 ? "1 cell written." : `${en(n)} cells written.`),
    undone: (n: number) => (n === 1 ? "1 cell restored." : `${en(n)} cells restored.`),
    nothingToUndo: "There is nothing to undo.",
    undoElsewhere: (when: string) => `The last write was made from another computer (${when}). Undo it anyway?`,
    undoAnyway: "Undo anyway",
    cancel: "Cancel",
    severity: { error: "Error", warning: "Warning", info: "Info" },
    goTo: (cell: string) => `Go to ${cell}`,
    more: (n: number) => `… and ${en(n)} more`,
    notReplaced: "not written unless ticked",
    removeFlags: "Remove the colour highlighting from the sheet",
    unflagged: "The highlighting of negative deviations is removed.",
    noFlagsToRemove: "The sheet has no highlighting to remove.",
    settings: "Settings for this workbook",
    useSelection: "Use the selection as the table",
    findTable: "Find the table by itself",
    chosenTable: (address: string) => `The table is the one you marked: ${address}.`,
    thresholdAmount: (unit: string | null) => `Flag deviations from (amount, in ${unit ?? "the sheet's unit"})`,
    notANumber: "Enter a number, 0 or more (or leave it empty).",
    selectTable:
      "Select the whole table, from the header row to the last line, with labels and amounts, and press again.",
    selectionNoTable: (why: string) => `The selection was not saved: ${why}`,
    thresholdPercent: "and from (% of budget)",
    formulas: "Write formulas rather than values",
  },
} satisfies Record<Lang, unknown>;

export type Strings = (typeof STRINGS)["sv"];

/** Swedish when Office's display language is Swedish, English otherwise. */
export function langOf(displayLanguage: string | undefined): Lang {
  return !displayLanguage || displayLanguage.toLowerCase().startsWith("sv") ? "sv" : "en";
}
