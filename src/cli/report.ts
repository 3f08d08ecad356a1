/**
 * The summary report of a batch (`--report FILE.csv` or `FILE.html`): one row per workbook, flag
 * and finding, for a finance department to open in Excel or a browser.
 *
 * Everything in it that came from a workbook (file and sheet names, labels, messages quoting
 * them) is neutralised: a text that a spreadsheet would take for a formula (starting with =, +,
 * -, @, a tab or a line break) gets a leading apostrophe, and HTML is escaped, so that opening the
 * report runs nothing.
 */
import path from "node:path";
import { formatAmount, readiness, type Lang, toCents } from "../core";
import type { FileResult } from "./check-file";

export type ReportCell = string | number | null;
export type ReportFormat = "csv" | "html";

const HEAD = {
  sv: ["Fil", "Blad", "Cell", "Post", "Typ", "Kod", "Avvikelse", "Enhet", "Procent av budget", "Meddelande"],
  en: ["File", "Sheet", "Cell", "Line", "Kind", "Code", "Deviation", "Unit", "Percent of budget", "Message"],
};
const KIND = {
  sv: { flag: "flagga", error: "fel", warning: "varning", info: "info", failed: "ej kontrollerad" },
  en: { flag: "flag", error: "error", warning: "warning", info: "info", failed: "not checked" },
};
const STATUS = {
  sv: {
    ready: "Klar att skicka in",
    notReady: "Inte klar att skicka in",
    pending: "Inte klar att skicka in förrän cellerna är skrivna",
    kind: "status",
  },
  en: {
    ready: "Ready to submit",
    notReady: "Not ready to submit",
    pending: "Not ready to submit until the cells are written",
    kind: "status",
  },
};

/** The report's format, from the file name; null when it is neither .csv nor .html. */
export function reportFormat(file: string): ReportFormat | null {
  const ext = path.extname(file).toLowerCase();
  return ext === ".csv" ? "csv" : ext === ".html" || ext === ".htm" ? "html" : null;
}

/** A workbook's rows of the report. */
export function reportRows(r: FileResult, lang: Lang): ReportCell[][] {
  const k = KIND[lang];
  const file = r.file;
  if (!r.report) return [[file, null, null, null, k.failed, null, null, null, null, r.error ?? ""]];
  const rep = r.report;
  const c = rep.counts;
  const status = STATUS[lang];
  const counts =
    lang === "sv"
      ? `${c.error} fel, ${c.warning} varningar, ${rep.flags.length} flaggade rader`
      : `${c.error} errors, ${c.warning} warnings, ${rep.flags.length} flagged lines`;
  const rows: ReportCell[][] = [
    [
      file,
      rep.sheet,
      null,
      null,
      status.kind,
      null,
      null,
      rep.unit,
      null,
      `${{ errors: status.notReady, pending: status.pending, ready: status.ready }[readiness(rep, r.plan ?? { writes: [], highlights: [] }, r.written !== undefined)]}: ${counts}`,
    ],
  ];
  for (const f of rep.flags)
    rows.push([file, rep.sheet, f.cell, f.label, k.flag, null, f.deviation, rep.unit, round1(f.percent), null]);
  for (const f of rep.findings)
    rows.push([file, rep.sheet, f.cell, null, k[f.severity], f.code, null, null, null, f.message]);
  if (r.writeError) rows.push([file, rep.sheet, null, null, k.error, "write", null, null, null, r.writeError]);
  return rows;
}

/** The column of the percentage. */
const PERCENT = 8;

const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

/** A text that a spreadsheet would not take for a formula. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text;
}

/** An amount as Swedish Excel reads a number: decimal comma, no grouping, a hyphen-minus. */
function csvNumber(n: number, lang: Lang): string {
  const s = String(Math.round(n * 100) / 100);
  return lang === "sv" ? s.replace(".", ",") : s;
}

/** CSV as Excel opens it by double-click: UTF-8 with a byte order mark, ";" in Swedish (where "," is the decimal sign). */
export function toCsv(rows: ReportCell[][], lang: Lang): string {
  const sep = lang === "sv" ? ";" : ",";
  const cell = (c: ReportCell): string => {
    if (c === null) return "";
    if (typeof c === "number") return csvNumber(c, lang);
    const t = neutralise(c);
    return t.includes(sep) || /["\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return "\ufeff" + [HEAD[lang], ...rows].map((r) => r.map(cell).join(sep)).join("\r\n") + "\r\n";
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A self-contained page: no script, no request, a policy that allows neither. */
export function toHtml(rows: ReportCell[][], lang: Lang, generated: Date): string {
  const title = lang === "sv" ? "Prognoskoll – kontroll av uppföljningar" : "Prognoskoll – follow-up check";
  const cell = (c: ReportCell, k: number): string => {
    if (c === null) return "<td></td>";
    if (typeof c === "number") {
      // As the terminal shows them: an amount with the decimals it has, a percentage with one.
      const locale = lang === "en" ? "en-GB" : "sv-SE";
      const text =
        k === PERCENT ? `${formatAmount(toCents(c), 1, locale)} %` : formatAmount(toCents(c), undefined, locale);
      return `<td class="n">${escapeHtml(text)}</td>`;
    }
    return `<td>${escapeHtml(neutralise(c))}</td>`;
  };
  const body = rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("\n");
  return [
    "<!doctype html>",
    `<html lang="${lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}" +
      "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}</style>",
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(generated.toISOString().slice(0, 16).replace("T", " "))} UTC</p>`,
    "<table>",
    `<thead><tr>${HEAD[lang].map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    "</table>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
