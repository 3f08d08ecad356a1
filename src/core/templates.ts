import { templateMessage } from "./messages";
import type { Lang, Nature } from "./types";

/**
 * A report template: the lines a budget table may have, how the sum lines are made of their parts,
 * and the label variants each line goes by. Sums are plain additions of signed amounts (revenue
 * positive, costs negative); a costs-positive sheet is turned into signed amounts before summing.
 */
export interface TemplateLine {
  id: string;
  /** The label as the template writes it. */
  label: string;
  /** English name, for English output. */
  labelEn?: string;
  nature: Nature;
  /** Other ways sheets write the label (case, numbering and a "Summa" prefix are ignored anyway). */
  aliases?: string[];
  /** For a sum line: the ids of its parts. */
  sum?: string[];
}

export interface Template {
  id: string;
  name: string;
  lines: TemplateLine[];
  /** The line whose forecast must not fall below zero (the budget must balance). */
  balanceLine?: string;
}

/** The committee (nämnd) follow-up of the reference report: costs per kind, net cost, allocation, result. */
export const COMMITTEE: Template = {
  id: "namnd",
  name: "Nämndens driftredovisning",
  balanceLine: "aretsResultat",
  lines: [
    {
      id: "intakter",
      label: "Verksamhetens intäkter",
      labelEn: "Operating revenue",
      nature: "revenue",
      aliases: ["Verksamhetens intäkt", "Intäkter", "Intäkt", "Summa intäkter", "Verksamhetsintäkter"],
    },
    {
      id: "personal",
      label: "Personalkostnader",
      labelEn: "Personnel costs",
      nature: "cost",
      aliases: ["Personalkostnad", "Personal", "Lönekostnader", "Personalkostnader inkl. PO"],
    },
    {
      id: "lokalhyror",
      label: "Lokalhyror",
      labelEn: "Premises rent",
      nature: "cost",
      aliases: ["Lokalhyra", "Lokalkostnader", "Lokalkostnad", "Lokaler", "Hyror", "Lokal- och markhyror"],
    },
    {
      id: "kopAvTjanster",
      label: "Köp av tjänster",
      labelEn: "Purchased services",
      nature: "cost",
      aliases: ["Köp av tjänst", "Köpta tjänster", "Köp av verksamhet", "Köp av huvudverksamhet"],
    },
    {
      id: "ovrigaKostnader",
      label: "Övriga kostnader",
      labelEn: "Other costs",
      nature: "cost",
      aliases: ["Övrig kostnad", "Övriga verksamhetskostnader", "Övriga driftkostnader"],
    },
    {
      id: "kapitalkostnader",
      label: "Kapitalkostnader",
      labelEn: "Capital costs",
      nature: "cost",
      aliases: ["Kapitalkostnad", "Kapitaltjänstkostnader", "Kapitaltjänst"],
    },
    {
      id: "kostnader",
      label: "Verksamhetens kostnader",
      labelEn: "Operating costs",
      nature: "cost",
      aliases: ["Verksamhetens kostnad", "Kostnader", "Summa kostnader", "Totala kostnader", "Verksamhetskostnader"],
      sum: ["personal", "lokalhyror", "kopAvTjanster", "ovrigaKostnader", "kapitalkostnader"],
    },
    {
      id: "nettokostnader",
      label: "Verksamhetens nettokostnader",
      labelEn: "Net operating cost",
      nature: "cost",
      aliases: ["Verksamhetens nettokostnad", "Nettokostnader", "Nettokostnad", "Summa nettokostnader"],
      sum: ["intakter", "kostnader"],
    },
    {
      id: "kommunbidrag",
      label: "Kommunbidrag",
      labelEn: "Municipal allocation",
      nature: "revenue",
      aliases: ["Kommunbidrag/budgetram", "Budgetram", "Kommunbidrag, ram", "Ramtilldelning"],
    },
    {
      id: "finansnetto",
      label: "Finansnetto",
      labelEn: "Net financial items",
      nature: "result",
      aliases: ["Finansiella poster", "Finansiella poster netto"],
    },
    {
      id: "aretsResultat",
      label: "Årets resultat",
      labelEn: "Result for the year",
      nature: "result",
      aliases: ["Resultat", "Periodens resultat", "Nämndens resultat"],
      sum: ["nettokostnader", "kommunbidrag", "finansnetto"],
    },
  ],
};

/**
 * The municipality's income statement (resultaträkning) of the annual report, with the lines of
 * older statements (jämförelsestörande poster, resultat före extraordinära poster, extraordinära
 * intäkter and kostnader) and the ones that take two lines together (skatter och generella
 * bidrag, finansnetto).
 */
export const INCOME_STATEMENT: Template = {
  id: "resultatrakning",
  name: "Resultaträkning",
  balanceLine: "aretsResultat",
  lines: [
    {
      id: "intakter",
      label: "Verksamhetens intäkter",
      labelEn: "Operating revenue",
      nature: "revenue",
      aliases: ["Verksamhetens intäkt", "Intäkter"],
    },
    {
      id: "kostnader",
      label: "Verksamhetens kostnader",
      labelEn: "Operating costs",
      nature: "cost",
      aliases: ["Verksamhetens kostnad", "Kostnader"],
    },
    {
      id: "jamforelsestorande",
      label: "Jämförelsestörande poster",
      labelEn: "Items affecting comparability",
      nature: "result",
      aliases: [
        "Jämförelsestörande post",
        "Jämförelsestörande poster netto",
        "Jämförelsestörande intäkter och kostnader",
      ],
    },
    {
      id: "avskrivningar",
      label: "Avskrivningar",
      labelEn: "Depreciation",
      nature: "cost",
      aliases: ["Avskrivning", "Avskrivningar och nedskrivningar", "Av- och nedskrivningar"],
    },
    {
      id: "nettokostnader",
      label: "Verksamhetens nettokostnader",
      labelEn: "Net operating cost",
      nature: "cost",
      aliases: ["Verksamhetens nettokostnad", "Nettokostnader", "Nettokostnad"],
      sum: ["intakter", "kostnader", "jamforelsestorande", "avskrivningar"],
    },
    {
      id: "skatteintakter",
      label: "Skatteintäkter",
      labelEn: "Tax revenue",
      nature: "revenue",
      aliases: ["Skatteintäkt", "Kommunalskatt"],
    },
    {
      id: "statsbidrag",
      label: "Generella statsbidrag och utjämning",
      labelEn: "General government grants and equalisation",
      nature: "revenue",
      aliases: [
        "Generella statsbidrag och utjämningsbidrag",
        "Generella statsbidrag",
        "Statsbidrag och utjämning",
        "Generellt statsbidrag och utjämning",
      ],
    },
    {
      id: "skatterOchBidrag",
      label: "Skatter och generella bidrag",
      labelEn: "Taxes and general grants",
      nature: "revenue",
      aliases: [
        "Skatteintäkter och generella statsbidrag",
        "Skatteintäkter och statsbidrag",
        "Skatteintäkter, generella statsbidrag och utjämning",
        "Skatter och generella statsbidrag",
        "Skatter och bidrag",
      ],
      sum: ["skatteintakter", "statsbidrag"],
    },
    {
      id: "verksamhetensResultat",
      label: "Verksamhetens resultat",
      labelEn: "Operating result",
      nature: "result",
      aliases: ["Verksamhetsresultat"],
      sum: ["nettokostnader", "skatterOchBidrag"],
    },
    {
      id: "finansiellaIntakter",
      label: "Finansiella intäkter",
      labelEn: "Financial income",
      nature: "revenue",
      aliases: ["Finansiell intäkt", "Finansiella intäkt"],
    },
    {
      id: "finansiellaKostnader",
      label: "Finansiella kostnader",
      labelEn: "Financial expenses",
      nature: "cost",
      aliases: ["Finansiell kostnad", "Finansiella kostnad"],
    },
    {
      id: "finansnetto",
      label: "Finansnetto",
      labelEn: "Net financial items",
      nature: "result",
      aliases: ["Finansiella poster", "Finansiella poster netto", "Finansiella poster, netto"],
      sum: ["finansiellaIntakter", "finansiellaKostnader"],
    },
    {
      id: "resultatEfterFinansiellaPoster",
      label: "Resultat efter finansiella poster",
      labelEn: "Result after financial items",
      nature: "result",
      aliases: [
        "Resultat efter finansiell post",
        "Resultat efter finansnetto",
        "Resultat före extraordinära poster",
        "Resultat före extraordinär post",
        "Resultat före extraordinära intäkter och kostnader",
      ],
      sum: ["verksamhetensResultat", "finansnetto"],
    },
    {
      id: "extraordinaraIntakter",
      label: "Extraordinära intäkter",
      labelEn: "Extraordinary income",
      nature: "revenue",
      aliases: ["Extraordinär intäkt"],
    },
    {
      id: "extraordinaraKostnader",
      label: "Extraordinära kostnader",
      labelEn: "Extraordinary expenses",
      nature: "cost",
      aliases: ["Extraordinär kostnad"],
    },
    {
      id: "extraordinaraPoster",
      label: "Extraordinära poster",
      labelEn: "Extraordinary items",
      nature: "result",
      aliases: [
        "Extraordinär post",
        "Extraordinära intäkter och kostnader",
        "Extraordinära poster netto",
        "Extraordinära poster (netto)",
      ],
      sum: ["extraordinaraIntakter", "extraordinaraKostnader"],
    },
    {
      id: "aretsResultat",
      label: "Årets resultat",
      labelEn: "Result for the year",
      nature: "result",
      aliases: ["Resultat", "Årets resultat enligt resultaträkningen", "Årets resultat enligt resultaträkning"],
      sum: ["resultatEfterFinansiellaPoster", "extraordinaraPoster"],
    },
    // The balance requirement's reconciliation (balanskravsutredning) below the statement.
    {
      id: "balanskravsjusteringar",
      label: "Balanskravsjusteringar",
      labelEn: "Adjustments for the balance requirement",
      nature: "result",
      aliases: [
        "Justeringar för balanskravet",
        "Avgår realisationsvinster",
        "Reducering av samtliga realisationsvinster",
      ],
    },
    {
      id: "resultatEfterBalanskravsjusteringar",
      label: "Årets resultat efter balanskravsjusteringar",
      labelEn: "Result after the balance requirement's adjustments",
      nature: "result",
      aliases: ["Resultat efter balanskravsjusteringar"],
      sum: ["aretsResultat", "balanskravsjusteringar"],
    },
    {
      id: "resultatutjamningsreserv",
      label: "Reservering av medel till resultatutjämningsreserv",
      labelEn: "Transfer to the result equalisation reserve",
      nature: "result",
      aliases: [
        "Reservering av medel till RUR",
        "Medel till resultatutjämningsreserv",
        "Användning av medel från resultatutjämningsreserv",
        "Användning av medel från RUR",
      ],
    },
    {
      id: "balanskravsresultat",
      label: "Balanskravsresultat",
      labelEn: "Result under the balance requirement",
      nature: "result",
      aliases: ["Årets balanskravsresultat", "Balanskravsresultat efter RUR"],
      sum: ["resultatEfterBalanskravsjusteringar", "resultatutjamningsreserv"],
    },
  ],
};

export const BUILT_IN_TEMPLATES: readonly Template[] = [COMMITTEE, INCOME_STATEMENT];

/**
 * Reduces a row label to the form templates are matched on: lower case, single spaces, without
 * numbering ("1. ", "2) ", "A. "), a "Summa"/"Totalt" prefix, a trailing note reference or colon.
 */
const PLAIN = /^[a-zåäöéü][a-zåäöéü0-9,&/-]*(?: [a-zåäöéü0-9,&/-]+)*$/;
const PREFIXED = /^(summa|totalt|total|s:a) |\snot \d{1,2}$/;

export function normalizeLabel(label: string): string {
  const lower = label.toLowerCase();
  // Most labels need nothing more than lower case.
  if (PLAIN.test(lower) && !PREFIXED.test(lower)) return lower;
  let s = lower
    .normalize("NFC")
    .replace(/[\u00a0\u2009\u202f\u2007\s]+/g, " ")
    .trim();
  s = s.replace(/^[-–—•·]\s*/, "");
  s = s.replace(/^(\d+(\.\d+)*|[a-z]|[ivx]+)[.)]\s+/, "");
  s = s.replace(/^\d+(\.\d+)+\s+/, "");
  s = s.replace(/^\d+\s+(?=\D)/, "");
  s = s.replace(/^(summa|totalt|total|s:a)\s*:?\s+/, "");
  s = s.replace(/\s*\((not|se not|note)?\s*[\d, ]+\)$/, "");
  s = s.replace(/\s+not\s+\d{1,2}$/, "");
  s = s.replace(/[\s:*.]+$/, "");
  return s;
}

/**
 * The template line a normalised label names. A trailing note number ("Skatteintäkter 3") is
 * dropped only when the label is not known with it.
 */
export function findLine(index: TemplateIndex, normalized: string): number {
  const at = index.byLabel.get(normalized);
  if (at !== undefined) return at;
  if (!/\s\d{1,2}$/.test(normalized)) return -1;
  return index.byLabel.get(normalized.replace(/\s+\d{1,2}$/, "")) ?? -1;
}

/** A "varav" (of which) line, "- varav kostnader", "därav reavinster": it itemises the line above it and is part of no sum. */
export function isItemisingLabel(label: string): boolean {
  // Most labels start with a letter other than v or d: no need to try the words.
  const first = label.charCodeAt(0) | 0x20;
  if (first >= 0x61 && first <= 0x7a && first !== 0x64 && first !== 0x76) return false;
  return /^[\s\-–—•·*]*(varav|därav)\b/i.test(label);
}

/** A template ready for lookups. Lines are referred to by their position in template.lines. */
export interface TemplateIndex {
  template: Template;
  /** Normalised label → line. */
  byLabel: Map<string, number>;
  /** Line id → line. */
  byId: Map<string, number>;
  /** The parts of each line (empty for a line that is not a sum). */
  parts: number[][];
  /** Each line's own label, normalised. */
  labels: string[];
}

/** What is wrong with a template. */
export type TemplateProblem =
  | "duplicate-id"
  | "shared-label"
  | "missing-part"
  | "circle"
  | "balance-line"
  | "not-object"
  | "text"
  | "lines"
  | "line-object"
  | "nature"
  | "strings";

/** A template that cannot be used; `text(lang)` says why. */
export class TemplateError extends Error {
  constructor(
    readonly problem: TemplateProblem,
    readonly params: Record<string, string>,
  ) {
    super(templateMessage("en", problem, params));
  }
  text(lang: Lang): string {
    return templateMessage(lang, this.problem, this.params);
  }
}

const indexes = new WeakMap<Template, TemplateIndex>();

/** Checks a template (built in or the user's own) and indexes it by normalised label, once per template. */
export function indexTemplate(template: Template): TemplateIndex {
  let index = indexes.get(template);
  if (!index) {
    index = buildIndex(template);
    indexes.set(template, index);
  }
  return index;
}

function buildIndex(template: Template): TemplateIndex {
  const byLabel = new Map<string, number>();
  const byId = new Map<string, number>();
  const lines = template.lines;
  lines.forEach((line, k) => {
    if (byId.has(line.id)) throw new TemplateError("duplicate-id", { id: line.id });
    byId.set(line.id, k);
  });
  const parts: number[][] = lines.map((line, k) => {
    for (const l of [line.label, ...(line.aliases ?? [])]) {
      const key = normalizeLabel(l);
      const prior = byLabel.get(key);
      if (prior !== undefined && prior !== k) {
        throw new TemplateError("shared-label", { label: l, a: lines[prior].id, b: line.id });
      }
      byLabel.set(key, k);
    }
    return (line.sum ?? []).map((part) => {
      const at = byId.get(part);
      if (at === undefined) throw new TemplateError("missing-part", { id: line.id, part });
      return at;
    });
  });
  // Sum lines must not refer to each other in a circle.
  const state = new Uint8Array(lines.length);
  const path: number[] = [];
  const visit = (k: number): void => {
    if (state[k] === 2) return;
    if (state[k] === 1) {
      throw new TemplateError("circle", { path: [...path, k].map((x) => lines[x].id).join(" → ") });
    }
    state[k] = 1;
    path.push(k);
    for (const p of parts[k]) visit(p);
    path.pop();
    state[k] = 2;
  };
  for (let k = 0; k < lines.length; k++) visit(k);
  if (template.balanceLine !== undefined && !byId.has(template.balanceLine)) {
    throw new TemplateError("balance-line", { id: template.balanceLine });
  }
  return { template, byLabel, byId, parts, labels: lines.map((l) => normalizeLabel(l.label)) };
}

const NATURES: readonly string[] = ["revenue", "cost", "result"];

/**
 * Reads a user's template from parsed JSON, with a clear message for each mistake:
 * { "id", "name", "balanceLine"?, "lines": [{ "id", "label", "nature", "aliases"?, "sum"? }] }.
 */
export function templateFromJson(json: unknown): Template {
  const fail = (problem: TemplateProblem, field = ""): never => {
    throw new TemplateError(problem, { field });
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("not-object");
  const o = json as Record<string, unknown>;
  if (typeof o.id !== "string" || o.id === "") fail("text", "id");
  if (!Array.isArray(o.lines) || o.lines.length === 0) fail("lines");
  const lines = (o.lines as unknown[]).map((l, i): TemplateLine => {
    if (typeof l !== "object" || l === null) return fail("line-object", `lines[${i}]`);
    const r = l as Record<string, unknown>;
    if (typeof r.id !== "string" || r.id === "") fail("text", `lines[${i}].id`);
    if (typeof r.label !== "string" || r.label.trim() === "") fail("text", `lines[${i}].label`);
    if (typeof r.nature !== "string" || !NATURES.includes(r.nature)) fail("nature", `lines[${i}].nature`);
    const strings = (k: string): string[] | undefined => {
      const v = r[k];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) return fail("strings", `lines[${i}].${k}`);
      return v as string[];
    };
    return {
      id: r.id as string,
      label: r.label as string,
      labelEn: typeof r.labelEn === "string" ? r.labelEn : undefined,
      nature: r.nature as Nature,
      aliases: strings("aliases"),
      sum: strings("sum"),
    };
  });
  const template: Template = {
    id: o.id as string,
    name: typeof o.name === "string" ? o.name : (o.id as string),
    lines,
    balanceLine: typeof o.balanceLine === "string" ? o.balanceLine : undefined,
  };
  indexTemplate(template);
  return template;
}
