/**
 * The .xlsx host's one XML reader: a pull scanner. Worksheets and shared strings are the bulk of
 * a workbook's XML (a few tags per cell, hundreds of thousands of cells), and reading them is most
 * of the time `check` spends: this scanner hands out one token at a time and makes no object per
 * tag or attribute, where an event parser builds both for every tag. It also says where each tag
 * starts and ends, which is what patching a part in place needs. test/cli/scanner.test.ts
 * compares it with a conforming parser.
 *
 * It reads well-formed XML 1.0 and refuses what is not: unbalanced tags, a second root, text
 * outside the root, an unknown entity, an attribute without a quoted value. It refuses every
 * document type declaration (no worksheet has one; a DTD is how entity bombs are built).
 * Names are not resolved against namespaces: `name` is a tag's local name, the part after
 * any prefix, and attributes are looked up by their name as written.
 */
import { WorkbookError } from "./errors";

/** What `next()` found. */
export const OPEN = 1;
export const CLOSE = 2;
export const TEXT = 3;
export const END = 4;
export type Token = typeof OPEN | typeof CLOSE | typeof TEXT | typeof END;

const PREDEFINED = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/** A character XML 1.0 allows. */
const isXmlChar = (c: number): boolean =>
  c === 9 ||
  c === 10 ||
  c === 13 ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

/** XML read one token at a time: what the worksheet and shared strings readers consume. */
export interface Tokens {
  /** The next token: an element opened or closed, a run of text, or the end of the part. */
  next(): Token;
  /** The local name of the tag just opened or closed. */
  readonly name: string;
  /** The text just read. */
  readonly text: string;
  /** The value of an attribute of the tag just opened, by its name as written, or undefined. */
  attr(name: string): string | undefined;
  /** Stops the reading with a clear error naming the part. */
  fail(what: string): never;
}

export class XmlScanner implements Tokens {
  /** The local name of the tag just opened or closed. */
  name = "";
  /** Its name as written, with any prefix. */
  qname = "";
  /**
   * Where the tag just opened or closed starts ("<") and where it ends (after ">"). The close of
   * a self-closing tag has the open tag's span, and `selfClosing` is set for both its tokens.
   */
  start = 0;
  end = 0;
  selfClosing = false;
  /** The text just read, its entities decoded and line ends made "\n". */
  text = "";
  private pos = 0;
  /** Qualified names of the open elements, and their local names. */
  private readonly open: string[] = [];
  private readonly locals: string[] = [];
  private rootSeen = false;
  /** Set after a self-closing tag: the next token is its close. */
  private closePending = false;
  /**
   * The attributes of the tag just opened, four numbers each: where its name starts and ends,
   * where its value starts and ends; and whether a value needs decoding (an entity, white space).
   */
  private attrs = new Int32Array(64);
  private attrCount = 0;
  private attrPlain = true;
  /** Where the next "<" is, when known: the scan of a tag finds it. */
  private nextLt = -1;

  constructor(
    private readonly xml: string,
    private readonly part: string,
  ) {
    if (xml.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** Stops the reading with a clear error naming the part. */
  fail(what: string): never {
    throw new WorkbookError("unreadable", { detail: `${this.part}: ${what}` });
  }

  /** The next token: an element opened or closed, a run of text, or the end of the part. */
  next(): Token {
    const x = this.xml;
    if (this.closePending) {
      this.closePending = false;
      this.selfClosing = true;
      this.qname = this.open.pop()!;
      this.name = this.locals.pop()!;
      return CLOSE;
    }
    for (;;) {
      const start = this.pos;
      if (start >= x.length) {
        if (this.open.length > 0) this.fail(`the part ends inside <${this.open[this.open.length - 1]}>`);
        if (!this.rootSeen) this.fail("no element");
        return END;
      }
      const lt = this.nextLt >= start ? this.nextLt : x.indexOf("<", start);
      if (lt !== start) {
        const end = lt < 0 ? x.length : lt;
        this.pos = end;
        if (this.open.length === 0) {
          for (let i = start; i < end; i++) if (!isSpace(x.charCodeAt(i))) this.fail("text outside the root element");
          continue;
        }
        this.text = this.decode(x.slice(start, end));
        return TEXT;
      }
      const c = x.charCodeAt(lt + 1);
      if (c === 47) return this.closeTag(lt);
      if (c === 33) {
        if (x.startsWith("<!--", lt)) {
          const e = x.indexOf("-->", lt + 4);
          if (e < 0) this.fail("a comment that does not end");
          this.pos = e + 3;
          continue;
        }
        if (x.startsWith("<![CDATA[", lt)) {
          if (this.open.length === 0) this.fail("CDATA outside the root element");
          const e = x.indexOf("]]>", lt + 9);
          if (e < 0) this.fail("a CDATA section that does not end");
          this.pos = e + 3;
          const raw = x.slice(lt + 9, e);
          this.text = raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
          return TEXT;
        }
        this.fail("a document type declaration");
      }
      if (c === 63) {
        const e = x.indexOf("?>", lt + 2);
        if (e < 0) this.fail("a processing instruction that does not end");
        this.pos = e + 2;
        continue;
      }
      return this.openTag(lt);
    }
  }

  /**
   * The value of a namespaced attribute of the tag just opened, by its local name: "id" finds
   * r:id whatever the prefix. Unprefixed attributes are not matched.
   */
  attrNs(local: string): string | undefined {
    const x = this.xml;
    const a = this.attrs;
    for (let k = 0; k < this.attrCount * 4; k += 4) {
      const colon = x.lastIndexOf(":", a[k + 1] - 1);
      if (colon < a[k] || a[k + 1] - colon - 1 !== local.length || !x.startsWith(local, colon + 1)) continue;
      return this.attr(x.slice(a[k], a[k + 1]));
    }
    return undefined;
  }

  /** The attributes of the tag just opened, as written: name and raw value (entities not decoded). */
  rawAttributes(): [string, string][] {
    const x = this.xml;
    const a = this.attrs;
    const out: [string, string][] = [];
    for (let k = 0; k < this.attrCount * 4; k += 4) out.push([x.slice(a[k], a[k + 1]), x.slice(a[k + 2], a[k + 3])]);
    return out;
  }

  /** The value of an attribute of the tag just opened, by its name as written, or undefined. */
  attr(name: string): string | undefined {
    const x = this.xml;
    const a = this.attrs;
    for (let k = 0; k < this.attrCount * 4; k += 4) {
      if (a[k + 1] - a[k] !== name.length || !x.startsWith(name, a[k])) continue;
      const raw = x.slice(a[k + 2], a[k + 3]);
      if (this.attrPlain) return raw;
      // White space written in a value reads as spaces; written as a reference, it stays.
      return this.decode(/[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, " ") : raw);
    }
    return undefined;
  }

  private openTag(lt: number): Token {
    const x = this.xml;
    let i = lt + 1;
    while (i < x.length) {
      const c = x.charCodeAt(i);
      if (isSpace(c) || c === 62 || c === 47) break;
      if (c === 60 || c === 61 || c === 34 || c === 39) this.fail(`a malformed tag at character ${lt}`);
      i++;
    }
    if (i === lt + 1) this.fail(`a malformed tag at character ${lt}`);
    if (this.open.length === 0 && this.rootSeen) this.fail("a second root element");
    const qname = x.slice(lt + 1, i);
    // No "<" may come before the tag's end: not in a name, not in a value.
    const nextLt = x.indexOf("<", i);
    this.nextLt = nextLt;
    this.attrCount = 0;
    this.attrPlain = true;
    // The attributes: name = "value" or 'value', each after white space.
    for (;;) {
      const before = i;
      while (isSpace(x.charCodeAt(i))) i++;
      if (i >= x.length) this.fail(`<${qname}> does not end`);
      const c = x.charCodeAt(i);
      if (c === 62 || (c === 47 && x.charCodeAt(i + 1) === 62)) {
        if (nextLt >= 0 && nextLt < i) this.fail(`<${qname}> has "<" in an attribute value`);
        this.pos = c === 62 ? i + 1 : i + 2;
        this.closePending = c === 47;
        this.selfClosing = this.closePending;
        this.start = lt;
        this.end = this.pos;
        break;
      }
      if (i === before) this.fail(`<${qname}> has no space before an attribute`);
      const nameStart = i;
      while (i < x.length) {
        const d = x.charCodeAt(i);
        if (d === 61 || isSpace(d) || d === 62 || d === 47 || d === 60 || d === 34 || d === 39) break;
        i++;
      }
      if (i === nameStart) this.fail(`<${qname}> has a malformed attribute`);
      const nameEnd = i;
      while (isSpace(x.charCodeAt(i))) i++;
      if (x.charCodeAt(i) !== 61) this.fail(`<${qname}> has an attribute without a value`);
      i++;
      while (isSpace(x.charCodeAt(i))) i++;
      const q = x.charCodeAt(i);
      if (q !== 34 && q !== 39) this.fail(`<${qname}> has an attribute value without quotes`);
      const valueStart = i + 1;
      for (i = valueStart; i < x.length; i++) {
        const d = x.charCodeAt(i);
        if (d === q) break;
        if (d === 38 || d === 9 || d === 10 || d === 13) this.attrPlain = false;
      }
      if (i >= x.length) this.fail(`<${qname}> does not end`);
      if (this.attrCount * 4 === this.attrs.length) {
        const more = new Int32Array(this.attrs.length * 2);
        more.set(this.attrs);
        this.attrs = more;
      }
      const k = this.attrCount++ * 4;
      this.attrs[k] = nameStart;
      this.attrs[k + 1] = nameEnd;
      this.attrs[k + 2] = valueStart;
      this.attrs[k + 3] = i;
      i++;
    }
    this.rootSeen = true;
    const colon = qname.indexOf(":");
    this.name = colon < 0 ? qname : qname.slice(colon + 1);
    this.qname = qname;
    this.open.push(qname);
    this.locals.push(this.name);
    return OPEN;
  }

  private closeTag(lt: number): Token {
    const x = this.xml;
    const gt = x.indexOf(">", lt + 2);
    if (gt < 0) this.fail("a closing tag that does not end");
    const top = this.open.length - 1;
    if (top < 0) this.fail(`a closing tag with nothing open, at character ${lt}`);
    const qname = this.open[top];
    let e = lt + 2 + qname.length;
    if (!x.startsWith(qname, lt + 2)) this.fail(`<${qname}> is closed by another tag`);
    while (e < gt && isSpace(x.charCodeAt(e))) e++;
    if (e !== gt) this.fail(`<${qname}> is closed by another tag`);
    this.pos = gt + 1;
    this.start = lt;
    this.end = gt + 1;
    this.selfClosing = false;
    this.qname = qname;
    this.open.pop();
    this.name = this.locals.pop()!;
    return CLOSE;
  }

  /** Text as it reads: entities and character references decoded, line ends made "\n". */
  private decode(raw: string): string {
    let s = raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
    let amp = s.indexOf("&");
    if (amp < 0) return s;
    let out = "";
    let from = 0;
    while (amp >= 0) {
      const semi = s.indexOf(";", amp + 1);
      if (semi < 0) this.fail("an entity without its ;");
      const entity = s.slice(amp + 1, semi);
      let ch: string | undefined;
      if (entity.charCodeAt(0) === 35) {
        const hex = entity.charCodeAt(1) === 120;
        const digits = entity.slice(hex ? 2 : 1);
        const code = (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
        if (isXmlChar(code)) ch = String.fromCodePoint(code);
      } else ch = PREDEFINED.get(entity);
      if (ch === undefined) this.fail(`an unknown entity &${entity.slice(0, 20)};`);
      out += s.slice(from, amp) + ch;
      from = semi + 1;
      amp = s.indexOf("&", from);
    }
    s = out + s.slice(from);
    return s;
  }
}

// Writing: what patching a part needs to write elements of its own.

/** Text as XML content. */
export const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Text as an attribute value in double quotes (line ends and tabs kept as written). */
export const escapeAttr = (s: string): string =>
  escapeText(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");

/** An open tag from attributes as written (raw values, as rawAttributes gives them). */
export function openTag(qname: string, attrs: [string, string][], selfClosing: boolean): string {
  const a = attrs.map(([k, v]) => ` ${k}="${v.replace(/"/g, "&quot;")}"`).join("");
  return `<${qname}${a}${selfClosing ? "/>" : ">"}`;
}

/** The prefix of a name as written, with its colon ("x:" of "x:row"), or "". */
export function prefixOf(qname: string): string {
  const colon = qname.indexOf(":");
  return colon < 0 ? "" : qname.slice(0, colon + 1);
}
