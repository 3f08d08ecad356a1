import {
  conventionEvidenceText,
  conventionName,
  formatAmount,
  readiness,
  rowList,
  toCents,
  type Lang,
  type Report,
} from "../core";
import type { FileResult } from "./check-file";

/** The `--json` form of one workbook's result. */
export function jsonOf(r: FileResult): Record<string, unknown> {
  if (!r.report) return { file: r.file, error: r.error ?? "not checked" };
  const rep = r.report;
  const out: Record<string, unknown> = {
    file: r.file,
    sheet: rep.sheet,
    unit: rep.unit,
    convention: rep.convention,
    conventionDetected: rep.conventionDetected,
    conventionEvidence: rep.conventionEvidence,
    template: rep.template?.id ?? null,
    columns: rep.columns,
    headers: rep.headers,
    deviationProposed: rep.deviationProposed,
    comparisonKind: rep.comparisonKind,
    lines: rep.lines.map((l) => {
      const line: Record<string, unknown> = {
        label: l.label,
        row: l.row,
        kind: l.kind,
        nature: l.nature,
        budget: l.budget,
        comparison: l.comparison,
        deviation: l.deviation,
      };
      if (l.kind === "sum") line.parts = l.parts;
      if (l.itemises !== null) line.itemises = l.itemises;
      return line;
    }),
    flags: rep.flags.map((f) => ({ label: f.label, cell: f.cell, deviation: f.deviation, percent: f.percent })),
    findings: rep.findings,
    counts: rep.counts,
    changes: (r.plan?.writes ?? []).map((w) => ({
      cell: w.cell,
      before: w.before.formula !== undefined ? `=${w.before.formula}` : w.before.value,
      after: w.formula !== undefined ? `=${w.formula}` : w.value,
      reason: w.reason,
    })),
  };
  if (r.written) out.written = r.written;
  if (r.writeError) out.writeError = r.writeError;
  return out;
}

const T = {
  sv: {
    sheet: "blad",
    template: "mall",
    unit: "belopp i",
    unknownUnit: "enhet okänd",
    columns: "Kolumner",
    labels: "poster",
    budget: "budget",
    forecast: "prognos",
    outcome: "utfall",
    deviation: "avvikelse",
    proposed: "saknas; föreslås i kolumn",
    convention: "Teckenkonvention",
    noTemplate: "ingen mall: raderna läses efter sina ord, summor och formler",
    basis: "grund",
    parts: "Delar",
    of: "varav i",
    other: "Andra jämförelsekolumner",
    row: "Rad",
    line: "Post",
    flags: "Negativa avvikelser",
    none: "inga",
    findings: "Fynd",
    error: "fel",
    warning: "varning",
    info: "info",
    summary: "Summering",
    errors: "fel",
    warnings: "varningar",
    infos: "info",
    flagged: "flaggade rader",
    toWrite: "celler att skriva",
    runWrite: "skriv med --write",
    wrote: "Skrev",
    cells: "celler",
    failed: "Kunde inte kontrolleras",
    notWritten: "Kopian skrevs inte",
    ready: "Klar att skicka in",
    notReady: "Inte klar att skicka in",
    pendingNotReady: "Inte klar att skicka in förrän cellerna är skrivna",
    copyReady: "Klar att skicka in: kopian",
  },
  en: {
    sheet: "sheet",
    template: "template",
    unit: "amounts in",
    unknownUnit: "unit unknown",
    columns: "Columns",
    labels: "lines",
    budget: "budget",
    forecast: "forecast",
    outcome: "outcome",
    deviation: "deviation",
    proposed: "missing; proposed in column",
    convention: "Sign convention",
    noTemplate: "no template: lines read by their words, sums and formulas",
    basis: "basis",
    parts: "Parts",
    of: "itemises",
    other: "Other comparison columns",
    row: "Row",
    line: "Line",
    flags: "Negative deviations",
    none: "none",
    findings: "Findings",
    error: "error",
    warning: "warning",
    info: "info",
    summary: "Summary",
    errors: "errors",
    warnings: "warnings",
    infos: "info",
    flagged: "flagged lines",
    toWrite: "cells to write",
    runWrite: "write them with --write",
    wrote: "Wrote",
    cells: "cells",
    failed: "Could not be checked",
    notWritten: "The copy was not written",
    ready: "Ready to submit",
    notReady: "Not ready to submit",
    pendingNotReady: "Not ready to submit until the cells are written",
    copyReady: "Ready to submit: the copy",
  },
} as const;

const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
/** A label on one line of the table: a line break typed in its cell (Alt+Enter) shows as a space. */
const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, " ");
const padStart = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s);

/**
 * Text for a terminal: control characters a workbook may carry (an escape sequence in a label
 * could retitle or repaint the terminal) are shown as "?" instead; line breaks stay.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "?");
}

/** The terminal form of one workbook's result. */
export function humanOf(r: FileResult, lang: Lang): string {
  const t = T[lang];
  const locale = lang === "en" ? "en-GB" : "sv-SE";
  const out: string[] = [];
  if (!r.report) {
    out.push(`${r.file}: ${t.failed}: ${r.error}`);
    return out.join("\n");
  }
  const rep = r.report;
  const amount = (x: number | null): string => (x === null ? "–" : formatAmount(toCents(x), undefined, locale));
  const comparisonWord = rep.comparisonKind === "forecast" ? t.forecast : t.outcome;
  out.push(
    `${r.file} — ${t.sheet} "${rep.sheet}", ${rep.template ? `${t.template} ${rep.template.name}` : t.noTemplate}, ${rep.unit ? `${t.unit} ${rep.unit}` : t.unknownUnit}`,
  );
  const dev = rep.deviationProposed
    ? `${t.deviation} ${t.proposed} ${rep.columns.deviation}`
    : `${t.deviation} ${rep.columns.deviation} "${rep.headers.deviation}"`;
  out.push(
    `${t.columns}: ${t.labels} ${rep.columns.label}, ${t.budget} ${rep.columns.budget} "${rep.headers.budget}", ${comparisonWord} ${rep.columns.comparison} "${rep.headers.comparison}", ${dev}`,
  );
  if (rep.otherComparisons.length > 0) {
    out.push(`${t.other}: ${rep.otherComparisons.map((c) => `${c.column} "${c.header}"`).join(", ")}`);
  }
  out.push(
    `${t.convention}: ${conventionName(lang, rep.convention)}; ${t.basis}: ${conventionEvidenceText(lang, rep.conventionEvidence)}`,
  );
  out.push("");
  const rows = rep.lines.map((l) => [
    l.flagged ? "!" : " ",
    String(l.row),
    oneLine(l.label),
    amount(l.budget),
    amount(l.comparison),
    amount(l.deviation),
    l.kind === "sum" ? `Σ ${rowList(l.parts)}` : l.itemises !== null ? `${t.of} ${l.itemises}` : "",
  ]);
  const cap = (w: string): string => w.charAt(0).toLocaleUpperCase(locale) + w.slice(1);
  const head = [" ", t.row, t.line, cap(t.budget), cap(comparisonWord), cap(t.deviation), t.parts];
  const widths = head.map((h, i) => rows.reduce((w, row) => Math.max(w, row[i].length), h.length));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 2 || i === 0 || i === 6 ? pad(c, widths[i]) : padStart(c, widths[i])))
      .join("  ")
      .trimEnd();
  out.push(line(head));
  for (const row of rows) out.push(line(row));
  out.push("");
  out.push(`${t.flags}:${rep.flags.length === 0 ? ` ${t.none}` : ""}`);
  const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  for (const f of rep.flags) {
    const pct = f.percent === null ? "" : ` (${percent.format(f.percent)} %)`;
    out.push(`  ${pad(f.cell, 6)} ${pad(oneLine(f.label), widths[2])}  ${amount(f.deviation)}${pct}`);
  }
  if (rep.findings.length > 0) {
    out.push("");
    out.push(`${t.findings}:`);
    const order = { error: 0, warning: 1, info: 2 };
    const sorted = [...rep.findings].sort((a, b) => order[a.severity] - order[b.severity]);
    for (const f of sorted) out.push(`  ${pad(t[f.severity], 8)} ${pad(f.cell, 6)} ${f.message}  [${f.code}]`);
  }
  out.push("");
  const writes = r.plan?.writes.length ?? 0;
  out.push(
    `${t.summary}: ${rep.counts.error} ${t.errors}, ${rep.counts.warning} ${t.warnings}, ${rep.counts.info} ${t.infos}; ${rep.flags.length} ${t.flagged}; ${writes} ${t.toWrite}${writes > 0 && !r.written && !r.writeError ? ` (${t.runWrite})` : ""}. ${readinessText(t, rep, r)}.`,
  );
  if (r.written) out.push(`${t.wrote} ${r.written} (${writes} ${t.cells}).`);
  if (r.writeError) out.push(`${t.notWritten}: ${r.writeError}`);
  return out.join("\n");
}

/** The summary's last word: the same readiness as the pane's, with the copy counted when it was written. */
function readinessText(
  t: Record<"notReady" | "pendingNotReady" | "copyReady" | "ready", string>,
  rep: Report,
  r: FileResult,
): string {
  const state = readiness(rep, r.plan ?? { writes: [], highlights: [] }, r.written !== undefined);
  if (state === "errors") return t.notReady;
  if (state === "pending") return t.pendingNotReady;
  return r.written !== undefined && (r.plan?.writes.length ?? 0) > 0 ? t.copyReady : t.ready;
}
