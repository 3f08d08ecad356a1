/**
 * The styles part of a copy: cell styles are only appended, never changed, so every cell that
 * is not written keeps exactly the look it had. A written cell gets a copy of its own style with
 * the number format the plan asks for, the flag (light red fill, dark red text), or both.
 */
import { BUILT_IN_FORMATS } from "./read";
import { escapeAttr, openTag, prefixOf, XmlScanner, END, OPEN, TEXT } from "./xml";

/** The fill and text colour of Excel's "light red fill with dark red text", as ARGB. */
export const FLAG_FILL_ARGB = "FFFFC7CE";
export const FLAG_FONT_ARGB = "FF9C0006";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/** A styles part for a workbook that has none: what Excel itself starts from. */
export const DEFAULT_STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}">` +
  `<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `</styleSheet>`;

/** The children of styleSheet, in the order the schema gives them. */
const ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"];

/** An element as written: its open tag's name and raw attributes, and what lies inside it. */
interface Element {
  qname: string;
  attrs: [string, string][];
  /** The raw XML between its open and close tags; null for a self-closing element. */
  inner: string | null;
  /** Spans (within `inner`) of its child elements named color, for fonts. */
  colors: [number, number][];
}

interface Collection {
  /** Where its open tag starts and ends, and where its close tag starts (-1 when self-closing). */
  start: number;
  openEnd: number;
  closeStart: number;
  qname: string;
  attrs: [string, string][];
  items: Element[];
  added: string[];
}

function serialize(e: Element): string {
  return e.inner === null
    ? openTag(e.qname, e.attrs, true)
    : `${openTag(e.qname, e.attrs, false)}${e.inner}</${e.qname}>`;
}

function setAttr(attrs: [string, string][], name: string, value: string): [string, string][] {
  const out = attrs.filter(([k]) => k !== name);
  out.push([name, value]);
  return out;
}

/** The styles part, read once; new styles are appended to it. */
export class StyleBook {
  private readonly xml: string;
  private readonly prefix: string;
  private readonly collections = new Map<string, Collection>();
  /** Where the styleSheet element closes. */
  private readonly rootClose: number;
  private readonly customFormats = new Map<string, number>();
  private nextFormatId = 164;
  private readonly memo = new Map<string, number>();
  private flagFillId = -1;
  private readonly flagFonts = new Map<number, number>();

  constructor(
    xml: string | null,
    private readonly part: string,
  ) {
    this.xml = xml ?? DEFAULT_STYLES;
    const scan = new XmlScanner(this.xml, part);
    let depth = 0;
    let rootClose = -1;
    let rootQname = "";
    let current: Collection | null = null;
    let item: { qname: string; attrs: [string, string][]; start: number; colors: [number, number][] } | null = null;
    let colorStart = -1;
    for (let token = scan.next(); token !== END; token = scan.next()) {
      if (token === TEXT) continue;
      if (token === OPEN) {
        depth++;
        const qname = scan.qname;
        if (depth === 1) rootQname = qname;
        else if (depth === 2) {
          current = {
            start: scan.start,
            openEnd: scan.end,
            closeStart: -1,
            qname,
            attrs: scan.rawAttributes(),
            items: [],
            added: [],
          };
          if (!this.collections.has(scan.name)) this.collections.set(scan.name, current);
        } else if (depth === 3 && current) {
          item = { qname, attrs: scan.rawAttributes(), start: scan.end, colors: [] };
          if (scan.name === "numFmt") {
            const id = Number(scan.attr("numFmtId"));
            const code = scan.attr("formatCode") ?? "";
            if (!this.customFormats.has(code)) this.customFormats.set(code, id);
            if (id >= this.nextFormatId) this.nextFormatId = id + 1;
          }
          if (scan.selfClosing) {
            current.items.push({ qname, attrs: item.attrs, inner: null, colors: [] });
            item = null;
          }
        } else if (depth === 4 && item && scan.name === "color") {
          colorStart = scan.start - item.start;
        }
      } else {
        if (depth === 4 && item && scan.name === "color" && colorStart >= 0) {
          item.colors.push([colorStart, scan.end - item.start]);
          colorStart = -1;
        } else if (depth === 3 && current && item) {
          current.items.push({
            qname: item.qname,
            attrs: item.attrs,
            inner: this.xml.slice(item.start, scan.start),
            colors: item.colors,
          });
          item = null;
        } else if (depth === 2 && current) {
          current.closeStart = scan.selfClosing ? -1 : scan.start;
          current = null;
        } else if (depth === 1) rootClose = scan.start;
        depth--;
      }
    }
    this.rootClose = rootClose;
    this.prefix = prefixOf(rootQname);
  }

  /** Whether anything was appended. */
  get changed(): boolean {
    for (const c of this.collections.values()) if (c.added.length > 0) return true;
    return false;
  }

  private collection(name: string): Collection {
    let c = this.collections.get(name);
    if (!c) {
      c = { start: -1, openEnd: -1, closeStart: -1, qname: this.prefix + name, attrs: [], items: [], added: [] };
      this.collections.set(name, c);
    }
    return c;
  }

  private count(name: string): number {
    const c = this.collection(name);
    return c.items.length + c.added.length;
  }

  /** The number format id of a format code, appending a custom format when none has it. */
  private formatId(code: string): number {
    if (code === "General") return 0;
    const custom = this.customFormats.get(code);
    if (custom !== undefined) return custom;
    for (const [id, builtIn] of Object.entries(BUILT_IN_FORMATS)) if (builtIn === code && id !== "0") return Number(id);
    const id = this.nextFormatId++;
    this.customFormats.set(code, id);
    this.collection("numFmts").added.push(`<${this.prefix}numFmt numFmtId="${id}" formatCode="${escapeAttr(code)}"/>`);
    return id;
  }

  private flagFill(): number {
    if (this.flagFillId >= 0) return this.flagFillId;
    const fills = this.collection("fills");
    const p = this.prefix;
    // Fills 0 and 1 are reserved (none, gray125): a part without them gets them first.
    const reserved = [
      `<${p}fill><${p}patternFill patternType="none"/></${p}fill>`,
      `<${p}fill><${p}patternFill patternType="gray125"/></${p}fill>`,
    ];
    while (this.count("fills") < 2) fills.added.push(reserved[this.count("fills")]);
    fills.added.push(
      `<${p}fill><${p}patternFill patternType="solid"><${p}fgColor rgb="${FLAG_FILL_ARGB}"/><${p}bgColor indexed="64"/></${p}patternFill></${p}fill>`,
    );
    this.flagFillId = this.count("fills") - 1;
    return this.flagFillId;
  }

  /** A copy of font `id` in the flag's text colour. */
  private flagFont(id: number): number {
    const known = this.flagFonts.get(id);
    if (known !== undefined) return known;
    const fonts = this.collection("fonts");
    const p = this.prefix;
    const color = `<${p}color rgb="${FLAG_FONT_ARGB}"/>`;
    const base = fonts.items[id] ?? fonts.items[0];
    let font: string;
    if (!base) {
      fonts.added.push(`<${p}font><${p}sz val="11"/><${p}name val="Calibri"/></${p}font>`);
      font = `<${p}font>${color}<${p}sz val="11"/><${p}name val="Calibri"/></${p}font>`;
    } else {
      let inner = base.inner ?? "";
      for (let k = base.colors.length - 1; k >= 0; k--) {
        const [from, to] = base.colors[k];
        inner = inner.slice(0, from) + inner.slice(to);
      }
      // A font's children may come in any order.
      font = serialize({ ...base, inner: color + inner, colors: [] });
    }
    fonts.added.push(font);
    const index = this.count("fonts") - 1;
    this.flagFonts.set(id, index);
    return index;
  }

  /**
   * The style a written cell gets: its own style `s`, with the number format `format` (a code;
   * undefined keeps the style's own) and, when `flag`, the flag's fill and text colour.
   */
  styleFor(s: number, format: string | undefined, flag: boolean): number {
    if (format === undefined && !flag) return s;
    const key = `${s}\u0000${format ?? ""}\u0000${flag ? 1 : 0}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const xfs = this.collection("cellXfs");
    const p = this.prefix;
    const fallback: Element = {
      qname: `${p}xf`,
      attrs: [
        ["numFmtId", "0"],
        ["fontId", "0"],
        ["fillId", "0"],
        ["borderId", "0"],
        ["xfId", "0"],
      ],
      inner: null,
      colors: [],
    };
    if (xfs.items.length === 0 && xfs.added.length === 0) xfs.added.push(serialize(fallback));
    const base = xfs.items[s] ?? xfs.items[0] ?? fallback;
    let attrs = base.attrs;
    if (format !== undefined) {
      attrs = setAttr(attrs, "numFmtId", String(this.formatId(format)));
      attrs = setAttr(attrs, "applyNumberFormat", "1");
    }
    if (flag) {
      const fontId = Number(attrs.find(([k]) => k === "fontId")?.[1] ?? 0);
      attrs = setAttr(attrs, "fillId", String(this.flagFill()));
      attrs = setAttr(attrs, "applyFill", "1");
      attrs = setAttr(attrs, "fontId", String(this.flagFont(fontId)));
      attrs = setAttr(attrs, "applyFont", "1");
    }
    xfs.added.push(serialize({ ...base, attrs }));
    const index = this.count("cellXfs") - 1;
    this.memo.set(key, index);
    return index;
  }

  /** The styles part with what was appended, or null when nothing was. */
  output(): string | null {
    if (!this.changed) return null;
    const x = this.xml;
    const edits: { at: number; to: number; text: string }[] = [];
    for (const name of ORDER) {
      const c = this.collections.get(name);
      if (!c || c.added.length === 0) continue;
      const attrs = setAttr(c.attrs, "count", String(c.items.length + c.added.length));
      const body = c.added.join("");
      if (c.start < 0) {
        // A collection the part lacks goes before the first of its later siblings that it has.
        const later = ORDER.slice(ORDER.indexOf(name) + 1)
          .map((n) => this.collections.get(n))
          .filter((d): d is Collection => d !== undefined && d.start >= 0)
          .map((d) => d.start);
        const at = later.length > 0 ? Math.min(...later) : this.rootClose;
        edits.push({ at, to: at, text: `${openTag(c.qname, attrs, false)}${body}</${c.qname}>` });
      } else if (c.closeStart < 0) {
        edits.push({ at: c.start, to: c.openEnd, text: `${openTag(c.qname, attrs, false)}${body}</${c.qname}>` });
      } else {
        edits.push({ at: c.start, to: c.openEnd, text: openTag(c.qname, attrs, false) });
        edits.push({ at: c.closeStart, to: c.closeStart, text: body });
      }
    }
    edits.sort((a, b) => a.at - b.at || a.to - b.to);
    let out = "";
    let from = 0;
    for (const e of edits) {
      out += x.slice(from, e.at) + e.text;
      from = e.to;
    }
    return out + x.slice(from);
  }
}
