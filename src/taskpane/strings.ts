import type { Lang } from "../core";

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
    pending: (n: number) => `Skriv ${n === 1 ? "1 ändring" : `${n} ändringar`} till arbetsboken, sedan är bladet klart`,
    errors: (n: number) => (n === 1 ? "1 fel återstår" : `${n} fel återstår`),
    warnings: (n: number) => (n === 1 ? "1 varning" : `${n} varningar`),
    notChecked: "Tryck på Kontrollera för att granska bladet.",
    table: (sheet: string, template: string, unit: string | null) =>
      `Blad ${sheet}, mall ${template}${unit ? `, belopp i ${unit}` : ""}`,
    columns: (budget: string, comparison: string, deviation: string, proposed: boolean) =>
      `Budget ${budget}, jämförelse ${comparison}, avvikelse ${deviation}${proposed ? " (ny kolumn)" : ""}`,
    convention: { "costs-negative": "kostnader negativa", "costs-positive": "kostnader positiva" },
    flags: "Negativa avvikelser",
    noFlags: "Inga negativa avvikelser.",
    findings: "Fynd",
    changes: (n: number) => (n === 1 ? "1 ändring att skriva" : `${n} ändringar att skriva`),
    noChanges: "Inget att skriva: avvikelser och summor stämmer.",
    replace: (n: number) => `Ersätt också ${n} inskrivna värden eller formler som är fel`,
    empty: "tom",
    written: (n: number) => (n === 1 ? "1 cell skrevs." : `${n} celler skrevs.`),
    undone: (n: number) => (n === 1 ? "1 cell återställdes." : `${n} celler återställdes.`),
    nothingToUndo: "Det finns inget att ångra.",
    severity: { error: "Fel", warning: "Varning", info: "Info" },
    goTo: (cell: string) => `Gå till ${cell}`,
    more: (n: number) => `… och ${n} till`,
    removeFlags: "Ta bort färgmarkeringarna i bladet",
    unflagged: "Färgmarkeringarna av negativa avvikelser är borttagna.",
    noFlagsToRemove: "Bladet har inga färgmarkeringar att ta bort.",
    settings: "Inställningar för arbetsboken",
    useSelection: "Använd markeringen som tabell",
    findTable: "Hitta tabellen själv",
    chosenTable: (address: string) => `Tabellen är den du markerade: ${address}.`,
    thresholdAmount: "Flagga avvikelser från (belopp i bladets enhet)",
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
    pending: (n: number) => `Write ${n === 1 ? "1 change" : `${n} changes`} to the workbook, then the sheet is ready`,
    errors: (n: number) => (n === 1 ? "1 error remains" : `${n} errors remain`),
    warnings: (n: number) => (n === 1 ? "1 warning" : `${n} warnings`),
    notChecked: "Press Check to review the sheet.",
    table: (sheet: string, template: string, unit: string | null) =>
      `Sheet ${sheet}, template ${template}${unit ? `, amounts in ${unit}` : ""}`,
    columns: (budget: string, comparison: string, deviation: string, proposed: boolean) =>
      `Budget ${budget}, comparison ${comparison}, deviation ${deviation}${proposed ? " (new column)" : ""}`,
    convention: { "costs-negative": "costs negative", "costs-positive": "costs positive" },
    flags: "Negative deviations",
    noFlags: "No negative deviations.",
    findings: "Findings",
    changes: (n: number) => (n === 1 ? "1 change to write" : `${n} changes to write`),
    noChanges: "Nothing to write: deviations and totals are right.",
    replace: (n: number) => `Also replace ${n} entered values or formulas that are wrong`,
    empty: "empty",
    written: (n: number) => (n === 1 ? "1 cell written." : `${n} cells written.`),
    undone: (n: number) => (n === 1 ? "1 cell restored." : `${n} cells restored.`),
    nothingToUndo: "There is nothing to undo.",
    severity: { error: "Error", warning: "Warning", info: "Info" },
    goTo: (cell: string) => `Go to ${cell}`,
    more: (n: number) => `… and ${n} more`,
    removeFlags: "Remove the colour highlighting from the sheet",
    unflagged: "The highlighting of negative deviations is removed.",
    noFlagsToRemove: "The sheet has no highlighting to remove.",
    settings: "Settings for this workbook",
    useSelection: "Use the selection as the table",
    findTable: "Find the table by itself",
    chosenTable: (address: string) => `The table is the one you marked: ${address}.`,
    thresholdAmount: "Flag deviations from (amount, in the sheet's unit)",
    thresholdPercent: "and from (% of budget)",
    formulas: "Write formulas rather than values",
  },
} satisfies Record<Lang, unknown>;

export type Strings = (typeof STRINGS)["sv"];

/** Swedish when Office's display language is Swedish, English otherwise. */
export function langOf(displayLanguage: string | undefined): Lang {
  return !displayLanguage || displayLanguage.toLowerCase().startsWith("sv") ? "sv" : "en";
}
