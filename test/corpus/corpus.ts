/**
 * A corpus of malformed and hostile inputs for `prognoskoll check` and for the add-in's adapter.
 *
 * makeCorpus(dir) writes every input into `dir` and says, per input, what the command must do
 * with it: its exit status and a piece of the message it must print. Inputs that are sheets
 * (rather than broken files) also carry their rows, so that the same case can be put into the
 * in-memory Excel and go through the adapter.
 *
 * The zip archives are written here, byte by byte (node:zlib deflates), so that a hostile archive
 * can say what a well-behaved writer never would: a size that is not true, an entry named
 * ../../evil, a part that unpacks to gigabytes. Run on its own, with a folder, it writes the corpus
 * there and prints one line per input:
 *
 *   npx esbuild test/corpus/corpus.ts --bundle --platform=node --packages=external --outfile=/tmp/corpus.js
 *   node /tmp/corpus.js /tmp/corpus
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import { columnName } from "../../src/core";

// ---------------------------------------------------------------------------------------------
// What an entry is.

export type Scalar = string | number | boolean;

/** A cell written in full: a constant, a formula with its last value, an error, a number format. */
export interface CellSpec {
  /** The constant, or the formula's last computed value. */
  value?: Scalar | null;
  /** The formula, without "=". */
  formula?: string;
  /** An error value, like "#REF!". */
  error?: string;
  numberFormat?: string;
  /** The text of the cell's <v> element as the file holds it, for values a spreadsheet cannot hold. */
  raw?: string;
}

export type Cell = Scalar | null | CellSpec;

/** A sheet as a spreadsheet shows it: rows of cells from A1, merged areas like "A1:D1". */
export interface CorpusGrid {
  sheet: string;
  rows: Cell[][];
  merges?: string[];
}

/**
 * What the add-in's adapter makes of a grid: the plan written; no table (a message, nothing
 * written); or one of the adapter's documented refusals (HostRefusal), nothing written.
 */
export type AdapterOutcome = "written" | "no-table" | "refused:merged";

export interface CorpusEntry {
  /** A short name, also the stem of the file name. */
  name: string;
  /** Where the input is. */
  file: string;
  description: string;
  /** The exit status `prognoskoll check` must end with (0 no errors, 1 errors, 2 not checked). */
  status: 0 | 1 | 2;
  /** What the message must contain (Swedish, the default language). */
  message: RegExp | string;
  /** The same in English (--lang en), for the entries that are run in English too. */
  messageEn?: RegExp | string;
  /** The sheet itself, when the input is a sheet rather than a broken file. */
  grid?: CorpusGrid;
  /** What the adapter should do with the grid, or the outcomes it may choose from (default: "written" when status < 2, else "no-table"). */
  adapter?: AdapterOutcome | AdapterOutcome[];
  /** Whether --write leaves a checked copy (default: status < 2). */
  copy?: boolean;
  /** Text that must never appear in the output (the content of a file an entity points at). */
  mustNotPrint?: RegExp;
  /** The command refuses the input as bad usage: the message goes to stderr, and --json prints nothing. */
  usage?: boolean;
  /** Bounds of its own for one run of the command with --write (processor time in ms, peak memory), where the common ones are too tight (stated with the reason). */
  limits?: { ms: number; rssMB: number; why: string };
}

/**
 * Text that comes from the JavaScript engine or a library's internals, never from the product: no
 * message, in any language, may contain it.
 */
export const ENGINE_TEXT =
  /Cannot (read|set) propert|is not a function|is not defined|is not iterable|(of|is) (undefined|null)\b|\(reading '|Maximum call stack|Invalid (string|array) length|maximum size exceeded|\bBug :|\(\?\)|node:internal|^\s+at /m;

/** The entries to run, from PROGNOSKOLL_CORPUS_ONLY (names separated by commas), or all. */
export function selected(entries: CorpusEntry[]): CorpusEntry[] {
  const only = process.env.PROGNOSKOLL_CORPUS_ONLY?.split(",").filter(Boolean);
  return only ? entries.filter((e) => only.includes(e.name)) : entries;
}

// ---------------------------------------------------------------------------------------------
// Zip archives.

/** Compressed bytes with the size and CRC of what they unpack to. */
interface Packed {
  bytes: Buffer;
  size: number;
  crc: number;
}

interface ZipPart {
  name: string;
  data?: Buffer | string;
  /** Stored rather than deflated. */
  store?: boolean;
  /** Already deflated (raw deflate). */
  packed?: Packed;
  /** The uncompressed size the headers claim, when it is not the true one. */
  claimedSize?: number;
}

// 2025-05-31 12:00, in the zip format's MS-DOS form.
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2025 - 1980) << 9) | (5 << 5) | 31;

function pack(data: Buffer): Packed {
  return { bytes: zlib.deflateRawSync(data), size: data.length, crc: zlib.crc32(data) };
}

/**
 * Deflated bytes that unpack to prefix + unit × times + suffix, made without ever holding the
 * whole: each piece is deflated on its own up to a full flush (byte-aligned, no back-references
 * across pieces), so that the unit's bytes can be repeated.
 */
function packRepeated(prefix: string, unit: Buffer, times: number, suffix: string): Packed {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const head = Buffer.from(prefix);
  const tail = Buffer.from(suffix);
  const body = zlib.deflateRawSync(unit, flush);
  const pieces = [zlib.deflateRawSync(head, flush)];
  for (let i = 0; i < times; i++) pieces.push(body);
  pieces.push(zlib.deflateRawSync(tail));
  let crc = zlib.crc32(head);
  for (let i = 0; i < times; i++) crc = zlib.crc32(unit, crc);
  crc = zlib.crc32(tail, crc);
  return { bytes: Buffer.concat(pieces), size: head.length + unit.length * times + tail.length, crc };
}

/** A zip archive of the parts, in order. */
function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, "utf8");
    const raw = typeof p.data === "string" ? Buffer.from(p.data, "utf8") : p.data;
    const stored = p.store === true && raw !== undefined;
    const packed: Packed = p.packed ?? (stored ? { bytes: raw, size: raw.length, crc: zlib.crc32(raw) } : pack(raw!));
    const size = p.claimedSize ?? packed.size;
    const utf8 = /[^\x20-\x7e]/.test(p.name) ? 0x0800 : 0;
    const method = stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(utf8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(packed.crc >>> 0, 14);
    local.writeUInt32LE(packed.bytes.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(utf8, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(packed.crc >>> 0, 16);
    entry.writeUInt32LE(packed.bytes.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    locals.push(local, name, packed.bytes);
    offset += local.length + name.length + packed.bytes.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ---------------------------------------------------------------------------------------------
// Workbooks, written as the XML parts a spreadsheet program writes.

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "application/vnd.openxmlformats-officedocument";
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Escapes text for XML content and attributes; every other character is written as it is. */
/**
 * Escapes text for XML content and attributes. Control characters XML cannot hold are written as
 * Excel writes them (_x001B_); a carriage return as a character reference (&#13;), which XML keeps.
 */
function esc(s: string): string {
  return s
    .replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!)
    .replace(/\r/g, "&#13;")
    .replace(
      // Everything below space but tab, line feed and carriage return.
      /[^\t\n\r -\uffff]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
    );
}

interface BookSpec {
  sheets: CorpusGrid[];
  /** Text cells as inline strings rather than shared strings. */
  inlineStrings?: boolean;
  /** The shared strings part, instead of one made from the cells' texts (which are then indexes). */
  sharedStringsXml?: string;
  /** Leave out the styles part. */
  noStyles?: boolean;
  /** Where sheet i is stored (default xl/worksheets/sheet{i+1}.xml). */
  sheetPath?: (i: number) => string;
  /** Parts added to the archive, after the workbook's. */
  extraParts?: ZipPart[];
  /** Changes to a part's text, by part name. */
  patch?: Record<string, (xml: string) => string>;
  /** A macro workbook (.xlsm). */
  macro?: boolean;
}

/** The parts of a workbook made from the spec, ready to be zipped. */
function bookParts(spec: BookSpec): ZipPart[] {
  const strings = new Map<string, number>();
  const stringIndex = (s: string): number => {
    let i = strings.get(s);
    if (i === undefined) {
      i = strings.size;
      strings.set(s, i);
    }
    return i;
  };
  const formats = new Map<string, number>();
  const styleOf = (z: string | undefined): string => {
    if (z === undefined) return "";
    let i = formats.get(z);
    if (i === undefined) {
      i = formats.size;
      formats.set(z, i);
    }
    return ` s="${i + 1}"`;
  };
  const cellXml = (ref: string, cell: Cell): string => {
    if (cell === null || cell === "") return "";
    const c: CellSpec = typeof cell === "object" ? cell : { value: cell };
    const s = styleOf(c.numberFormat);
    const f = c.formula !== undefined ? `<f>${esc(c.formula)}</f>` : "";
    if (c.raw !== undefined) return `<c r="${ref}"${s}>${f}<v>${c.raw}</v></c>`;
    if (c.error !== undefined) return `<c r="${ref}"${s} t="e">${f}<v>${esc(c.error)}</v></c>`;
    const v = c.value;
    if (v === undefined || v === null) return `<c r="${ref}"${s}>${f}</c>`;
    if (typeof v === "number") return `<c r="${ref}"${s}>${f}<v>${v}</v></c>`;
    if (typeof v === "boolean") return `<c r="${ref}"${s} t="b">${f}<v>${v ? 1 : 0}</v></c>`;
    if (f) return `<c r="${ref}"${s} t="str">${f}<v>${esc(v)}</v></c>`;
    if (spec.inlineStrings) return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
    return `<c r="${ref}"${s} t="s"><v>${stringIndex(v)}</v></c>`;
  };
  const sheetPath = spec.sheetPath ?? ((i: number) => `xl/worksheets/sheet${i + 1}.xml`);
  const sheetParts: ZipPart[] = spec.sheets.map((sheet, i) => {
    const rows: string[] = [];
    sheet.rows.forEach((row, r) => {
      const cells = row.map((cell, c) => cellXml(`${columnName(c)}${r + 1}`, cell)).join("");
      if (cells) rows.push(`<row r="${r + 1}">${cells}</row>`);
    });
    const merges = sheet.merges?.length
      ? `<mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<mergeCell ref="${m}"/>`).join("")}</mergeCells>`
      : "";
    const xml =
      `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetViews><sheetView workbookViewId="0"${i === 0 ? ' tabSelected="1"' : ""}/></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/><sheetData>${rows.join("")}</sheetData>${merges}` +
      `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
    return { name: sheetPath(i), data: xml };
  });
  const sheetsXml = spec.sheets
    .map((s, i) => `<sheet name="${esc(s.sheet)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join("");
  const n = spec.sheets.length;
  const workbook =
    `${XML_DECL}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>` +
    `<sheets>${sheetsXml}</sheets><calcPr calcId="191029"/></workbook>`;
  const rels =
    `${XML_DECL}<Relationships xmlns="${NS_PKG}">` +
    spec.sheets
      .map((_, i) => {
        const target = sheetPath(i).replace(/^xl\//, "");
        return `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="${target}"/>`;
      })
      .join("") +
    (spec.noStyles ? "" : `<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`) +
    `<Relationship Id="rId${n + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const sst =
    spec.sharedStringsXml ??
    `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${strings.size}" uniqueCount="${strings.size}">` +
      [...strings.keys()].map((t) => `<si><t xml:space="preserve">${esc(t)}</t></si>`).join("") +
      "</sst>";
  const numFmts = [...formats.keys()].map((z, i) => `<numFmt numFmtId="${164 + i}" formatCode="${esc(z)}"/>`).join("");
  const xfs = [...formats.keys()]
    .map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`)
    .join("");
  const styles =
    `${XML_DECL}<styleSheet xmlns="${NS_MAIN}">` +
    (formats.size > 0 ? `<numFmts count="${formats.size}">${numFmts}</numFmts>` : "") +
    `<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
    `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
    `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="${formats.size + 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>${xfs}</cellXfs>` +
    `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
  const main = spec.macro ? `${CT}.spreadsheetml.sheet.macroEnabled.main+xml` : `${CT}.spreadsheetml.sheet.main+xml`;
  const types =
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    (spec.macro ? `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>` : "") +
    `<Override PartName="/xl/workbook.xml" ContentType="${main}"/>` +
    spec.sheets
      .map((_, i) => `<Override PartName="/${sheetPath(i)}" ContentType="${CT}.spreadsheetml.worksheet+xml"/>`)
      .join("") +
    (spec.noStyles ? "" : `<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/>`) +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.spreadsheetml.sharedStrings+xml"/></Types>`;
  const root =
    `${XML_DECL}<Relationships xmlns="${NS_PKG}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const parts: ZipPart[] = [
    { name: "[Content_Types].xml", data: types },
    { name: "_rels/.rels", data: root },
    { name: "xl/workbook.xml", data: workbook },
    { name: "xl/_rels/workbook.xml.rels", data: rels },
    ...sheetParts,
    ...(spec.noStyles ? [] : [{ name: "xl/styles.xml", data: styles }]),
    { name: "xl/sharedStrings.xml", data: sst },
    ...(spec.extraParts ?? []),
  ];
  for (const p of parts) {
    const change = spec.patch?.[p.name];
    if (change) p.data = change(String(p.data));
  }
  return parts;
}

const book = (spec: BookSpec): Buffer => zip(bookParts(spec));

/** A workbook of one sheet. */
const oneSheet = (grid: CorpusGrid, more: Omit<BookSpec, "sheets"> = {}): Buffer => book({ sheets: [grid], ...more });

// ---------------------------------------------------------------------------------------------
// OLE2 compound files (CFB), as old .xls workbooks and password-protected workbooks are stored.

/**
 * A compound file of 512-byte sectors holding these streams (each 4 096 bytes or more, so that
 * they live in regular sectors): header, one FAT sector, one directory sector, then the streams.
 */
function compoundFile(streams: { name: string; data: Buffer }[]): Buffer {
  const SECTOR = 512;
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const FAT_SECTOR = 0xfffffffd;
  const padded = streams.map((s) => Buffer.concat([s.data, Buffer.alloc((-s.data.length & (SECTOR - 1)) >>> 0)]));
  // Sector 0: the FAT; sector 1: the directory; then the streams, one run each.
  const fat = new Array<number>(SECTOR / 4).fill(FREE);
  fat[0] = FAT_SECTOR;
  fat[1] = END;
  const starts: number[] = [];
  let next = 2;
  for (const p of padded) {
    const count = p.length / SECTOR;
    starts.push(next);
    for (let k = 0; k < count; k++) fat[next + k] = k === count - 1 ? END : next + k + 1;
    next += count;
  }
  if (next > SECTOR / 4) throw new Error("the streams do not fit one FAT sector");
  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 24); // minor version
  header.writeUInt16LE(0x0003, 26); // major version 3 (512-byte sectors)
  header.writeUInt16LE(0xfffe, 28); // little-endian
  header.writeUInt16LE(9, 30); // sector shift: 2^9
  header.writeUInt16LE(6, 32); // mini sector shift: 2^6
  header.writeUInt32LE(1, 44); // FAT sectors
  header.writeUInt32LE(1, 48); // first directory sector
  header.writeUInt32LE(4096, 56); // mini stream cutoff
  header.writeUInt32LE(END, 60); // first mini FAT sector: none
  header.writeUInt32LE(0, 64);
  header.writeUInt32LE(END, 68); // first DIFAT sector: none
  header.writeUInt32LE(0, 72);
  header.writeUInt32LE(0, 76); // DIFAT[0]: the FAT is sector 0
  for (let k = 1; k < 109; k++) header.writeUInt32LE(FREE, 76 + 4 * k);
  const fatSector = Buffer.alloc(SECTOR);
  fat.forEach((v, k) => fatSector.writeUInt32LE(v >>> 0, 4 * k));
  // Directory: the root, then the streams as a chain of right siblings.
  const directory = Buffer.alloc(SECTOR);
  const dirEntry = (
    i: number,
    name: string,
    type: number,
    child: number,
    right: number,
    start: number,
    size: number,
  ) => {
    const at = i * 128;
    const n = Buffer.from(`${name}\0`, "utf16le");
    n.copy(directory, at);
    directory.writeUInt16LE(n.length, at + 64);
    directory.writeUInt8(type, at + 66);
    directory.writeUInt8(1, at + 67); // black
    directory.writeUInt32LE(FREE, at + 68); // left sibling
    directory.writeUInt32LE(right >>> 0, at + 72);
    directory.writeUInt32LE(child >>> 0, at + 76);
    directory.writeUInt32LE(start >>> 0, at + 116);
    directory.writeUInt32LE(size, at + 120);
  };
  if (streams.length > 3) throw new Error("the streams do not fit one directory sector");
  dirEntry(0, "Root Entry", 5, streams.length > 0 ? 1 : FREE, FREE, END, 0);
  streams.forEach((s, i) =>
    dirEntry(i + 1, s.name, 2, FREE, i + 1 < streams.length ? i + 2 : FREE, starts[i], s.data.length),
  );
  for (let i = streams.length + 1; i < 4; i++) {
    directory.writeUInt32LE(FREE, i * 128 + 68);
    directory.writeUInt32LE(FREE, i * 128 + 72);
    directory.writeUInt32LE(FREE, i * 128 + 76);
  }
  return Buffer.concat([header, fatSector, directory, ...padded]);
}

/** A BIFF8 workbook stream's first record (BOF, workbook globals), padded to 4 096 bytes. */
function biffWorkbookStream(): Buffer {
  const bof = Buffer.alloc(20);
  bof.writeUInt16LE(0x0809, 0); // BOF
  bof.writeUInt16LE(16, 2);
  bof.writeUInt16LE(0x0600, 4); // BIFF8
  bof.writeUInt16LE(0x0005, 6); // workbook globals
  bof.writeUInt16LE(0x2775, 8); // build
  bof.writeUInt16LE(0x07cd, 10); // year
  const eof = Buffer.from([0x0a, 0x00, 0x00, 0x00]);
  return Buffer.concat([bof, eof, Buffer.alloc(4096 - bof.length - eof.length)]);
}

/** Loads a package of the project: beside this file, or (bundled into another folder) from the working folder. */
function loadPackage<T>(name: string): T {
  for (const base of [__filename, path.join(process.cwd(), "index.js")]) {
    try {
      return createRequire(base)(name) as T;
    } catch {
      // try the next place
    }
  }
  throw new Error(`cannot load ${name}: run from the repository`);
}

/** The workbook's bytes encrypted with a password, as Excel stores them (agile encryption in a compound file). */
function encrypt(workbook: Buffer, password: string): Buffer {
  const office = loadPackage<{ encrypt(data: Buffer, options: { password: string }): Buffer }>("officecrypto-tool");
  return office.encrypt(workbook, { password });
}

// ---------------------------------------------------------------------------------------------
// The sheets.

const SHEET = "Uppföljning";
const HEADER: Cell[] = ["Belopp i tkr", "Budget 2025", "Prognos helår\n2025", "Avv. prognos/\nbudget 2025"];
/** The reference report's lines: label, budget, forecast (Socialnämnden, May 2025, tkr, costs negative). */
const LINES: [string, number, number][] = [
  ["Verksamhetens intäkter", 32336, 35336],
  ["Personalkostnader", -161198, -160198],
  ["Lokalhyror", -17111, -17111],
  ["Köp av tjänster", -63743, -67743],
  ["Övriga kostnader", -46587, -46587],
  ["Verksamhetens kostnader", -288639, -291639],
  ["Verksamhetens nettokostnader", -256303, -256303],
  ["Kommunbidrag", 256303, 256303],
  ["Finansnetto", 0, 0],
  ["Årets resultat", 0, 0],
];
const SUMS = new Set(["Verksamhetens kostnader", "Verksamhetens nettokostnader", "Årets resultat"]);
const TITLE: Cell[][] = [["Socialnämnden"], ["Uppföljning per maj 2025"], []];

/** The reference table's lines as an economist receives them: sum lines and deviations empty. */
function lineRows(figure: (label: string, which: 0 | 1, amount: number) => Cell = (_l, _w, x) => x): Cell[][] {
  return LINES.map(([label, b, f]) =>
    SUMS.has(label) ? [label, null, null, null] : [label, figure(label, 0, b), figure(label, 1, f), null],
  );
}

/** The reference sheet: title rows, the header on row 4, the lines on rows 5–14. */
function reference(lines: Cell[][] = lineRows(), header: Cell[] = HEADER): Cell[][] {
  return [...TITLE, header, ...lines];
}

const grid = (rows: Cell[][], more: Partial<CorpusGrid> = {}): CorpusGrid => ({ sheet: SHEET, rows, ...more });

// ---------------------------------------------------------------------------------------------
// The corpus.

/** What an entry is before it is written: how to make its file, or its folder or link. */
interface Draft extends Omit<CorpusEntry, "file"> {
  /** The file name (default NAME.xlsx). */
  fileName?: string;
  /** Writes the input at `file`. */
  make: (file: string, dir: string) => void;
}

const bytes =
  (b: Buffer | (() => Buffer)) =>
  (file: string): void =>
    fs.writeFileSync(file, typeof b === "function" ? b() : b);

/** A sheet entry: the file is the grid's workbook (in the form `book` asks for). */
function sheetDraft(d: Omit<Draft, "make" | "grid"> & { grid: CorpusGrid; book?: Omit<BookSpec, "sheets"> }): Draft {
  return {
    ...d,
    make: bytes(() => oneSheet(d.grid, d.book)),
  };
}

const ERRORS = ["#REF!", "#DIV/0!", "#N/A", "#VALUE!"];
const MiB = 1024 * 1024;

function drafts(): Draft[] {
  const referenceBook = (): Buffer => oneSheet(grid(reference()));
  const list: Draft[] = [];

  // --- Files that are no workbook at all.
  list.push({
    name: "tom-fil",
    description: "an empty file",
    status: 2,
    message: "filen är tom",
    messageEn: "the file is empty",
    make: bytes(Buffer.alloc(0)),
  });
  list.push({
    name: "inte-zip",
    description: "plain text with an .xlsx name",
    status: 2,
    message: "inte en .xlsx-fil (inget zip-arkiv)",
    messageEn: "not an .xlsx file (not a zip archive)",
    make: bytes(Buffer.from("Budget;Prognos\n-63743;-67743\n", "utf8")),
  });
  list.push({
    name: "zip-signatur-skrap",
    description: "a zip signature followed by random-looking bytes",
    status: 2,
    message: "filen är skadad",
    make: bytes(
      Buffer.concat([
        Buffer.from([0x50, 0x4b, 0x03, 0x04]),
        Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 251)),
      ]),
    ),
  });
  list.push({
    name: "avkortad-zip",
    description: "the first 60 % of a good workbook",
    status: 2,
    message: /filen är skadad: zip-arkivet går inte att läsa/,
    messageEn: /the file is damaged/,
    make: bytes(() => {
      const whole = referenceBook();
      return whole.subarray(0, Math.floor(whole.length * 0.6));
    }),
  });
  list.push({
    name: "skadad-deflate",
    description: "a whole zip directory, but the sheet's compressed bytes are garbage",
    status: 2,
    message: /filen är skadad|går inte att läsa/,
    make: bytes(() =>
      zip(
        bookParts({ sheets: [grid(reference())] }).map((p) =>
          p.name === "xl/worksheets/sheet1.xml"
            ? {
                ...p,
                packed: {
                  bytes: Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 131 + 7) % 256)),
                  size: 5000,
                  crc: 0,
                },
              }
            : p,
        ),
      ),
    ),
  });
  list.push({
    name: "krypterad",
    description: "the reference workbook protected with a password, as Excel encrypts it (agile encryption in OLE2)",
    status: 2,
    message: "arbetsboken är lösenordsskyddad (krypterad)",
    messageEn: "the workbook is password-protected",
    make: bytes(() => encrypt(referenceBook(), "hemligt")),
  });
  list.push({
    name: "gammal-xls",
    description: "an Excel 97–2003 workbook (OLE2 compound file with a BIFF8 Workbook stream) renamed .xlsx",
    status: 2,
    message: "detta är en gammal .xls-arbetsbok",
    messageEn: "this is an old .xls workbook",
    make: bytes(() => compoundFile([{ name: "Workbook", data: biffWorkbookStream() }])),
  });
  list.push({
    name: "zip-utan-arbetsbok",
    description: "a zip archive of a text file",
    status: 2,
    message: "inte en Excel-arbetsbok",
    messageEn: "not an Excel workbook",
    make: bytes(() => zip([{ name: "hej.txt", data: "hej" }])),
  });
  list.push({
    name: "docx",
    description: "a Word document (a zip of word/document.xml) renamed .xlsx",
    status: 2,
    message: "inte en Excel-arbetsbok",
    make: bytes(() =>
      zip([
        {
          name: "[Content_Types].xml",
          data: `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="${CT}.wordprocessingml.document.main+xml"/></Types>`,
        },
        {
          name: "word/document.xml",
          data: `${XML_DECL}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Budget</w:t></w:r></w:p></w:body></w:document>`,
        },
      ]),
    ),
  });
  list.push({
    name: "inga-blad",
    description: "a workbook whose sheet list is empty",
    status: 2,
    message: "arbetsboken har inga blad",
    messageEn: "the workbook has no sheets",
    make: bytes(() =>
      book({ sheets: [], patch: { "xl/workbook.xml": (x) => x.replace("<sheets></sheets>", "<sheets/>") } }),
    ),
  });
  list.push({
    name: "omdopt-bladdel",
    description: "the sheet stored as xl/worksheets/blad1.xml (parts named by another program)",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() => book({ sheets: [grid(reference())], sheetPath: () => "xl/worksheets/blad1.xml" })),
  });
  list.push({
    name: "trasig-xml",
    description: "a sheet part that is not well-formed XML (an element never closed)",
    status: 2,
    message: /går inte att läsa/,
    make: bytes(() =>
      book({
        sheets: [grid(reference())],
        patch: {
          "xl/worksheets/sheet1.xml": (x) => x.replace("</sheetData>", '<row r="20"><c r="A20"><v>1</c></sheetData>'),
        },
      }),
    ),
  });

  // --- Archives built to exhaust the machine.
  list.push({
    name: "zip-bomb",
    description: "a part of 1.5 GB of zeros deflated to about 1.5 MB, with true sizes in the headers",
    status: 2,
    message: /packas upp till 1610612736 byte .*zip-bomb/,
    messageEn: /unpacks to 1610612736 bytes .*zip bomb/,
    make: bytes(() =>
      zip([
        ...bookParts({ sheets: [grid(reference())] }),
        { name: "xl/media/image1.png", packed: packRepeated("", Buffer.alloc(MiB), 1536, "") },
      ]),
    ),
  });
  list.push({
    name: "zip-bomb-ljuger",
    description: "the sheet part unpacks to 1.5 GB of spaces, but the headers claim 60 kB (the limits read the claim)",
    status: 2,
    message: /zip-bomb|filen är skadad/,
    make: bytes(() =>
      zip(
        bookParts({ sheets: [grid(reference())] }).map((p) => {
          if (p.name !== "xl/worksheets/sheet1.xml") return p;
          const xml = String(p.data);
          const at = xml.indexOf("</sheetData>");
          return {
            ...p,
            packed: packRepeated(xml.slice(0, at), Buffer.alloc(MiB, 0x20), 1536, xml.slice(at)),
            claimedSize: 60_000,
          };
        }),
      ),
    ),
  });
  list.push({
    name: "for-stor-totalt",
    description: "120 parts of 9.5 MB each (each under the ratio test's exemption), 1.2 GB in all",
    status: 2,
    message: /packas upp till 1195 MB, mer än gränsen 1000 MB/,
    messageEn: /unpacks to 1195 MB, more than the limit of 1000 MB/,
    make: bytes(() => {
      const filler = packRepeated("", Buffer.alloc(MiB / 2), 19, "");
      return zip([
        ...bookParts({ sheets: [grid(reference())] }),
        ...Array.from({ length: 120 }, (_, i) => ({ name: `xl/media/image${i + 1}.bin`, packed: filler })),
      ]);
    }),
  });
  list.push({
    name: "stora-delad-text",
    description: "a shared strings part of 50 MB (100 000 distinct texts of 500 characters) behind the reference sheet",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() => {
      const rows = reference();
      const texts = new Set<string>();
      for (const row of rows) for (const c of row) if (typeof c === "string") texts.add(c);
      const own = [...texts];
      const filler: string[] = [];
      for (let i = 0; i < 100_000; i++) filler.push(`Rad ${i} `.padEnd(500, "abcdefghij"));
      const all = [...own, ...filler];
      const sst =
        `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${all.length}" uniqueCount="${all.length}">` +
        all.map((t) => `<si><t xml:space="preserve">${esc(t)}</t></si>`).join("") +
        "</sst>";
      // The sheet's own texts come first, in the order the sheet first uses them, as bookParts numbers them.
      return zip(bookParts({ sheets: [grid(rows)], sharedStringsXml: sst }));
    }),
  });

  // --- XML that tries to reach outside.
  const laughs =
    '<!DOCTYPE sst [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, i) => {
      const prev = i === 0 ? "lol" : `lol${i}`;
      return `<!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`;
    }).join("") +
    "]>";
  list.push({
    name: "miljard-skratt",
    description: "shared strings with nested entities that would expand to 3 GB (billion laughs)",
    status: 2,
    message: /går inte att läsa/,
    make: bytes(() =>
      book({
        sheets: [grid(reference())],
        patch: {
          "xl/sharedStrings.xml": (x) =>
            x.replace("<sst ", `${laughs}<sst `).replace('<t xml:space="preserve">Socialnämnden</t>', "<t>&lol9;</t>"),
        },
      }),
    ),
  });
  list.push({
    name: "xxe-passwd",
    description: "shared strings with an external entity pointing at /etc/passwd, used as a title",
    status: 2,
    message: /går inte att läsa/,
    mustNotPrint: /root:|\/bin\/(ba)?sh|nologin/,
    make: bytes(() =>
      book({
        sheets: [grid(reference())],
        patch: {
          "xl/sharedStrings.xml": (x) =>
            x
              .replace("<sst ", '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst ')
              .replace('<t xml:space="preserve">Socialnämnden</t>', "<t>&xxe;</t>"),
        },
      }),
    ),
  });
  list.push({
    name: "sokvag-utanfor",
    description: "the reference workbook plus zip entries named ../../evil.txt, /tmp/evil.txt and ..\\..\\evil.txt",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() =>
      zip([
        ...bookParts({ sheets: [grid(reference())] }),
        { name: "../../prognoskoll-evil.txt", data: "ond" },
        { name: "/tmp/prognoskoll-evil.txt", data: "ond" },
        { name: "..\\..\\prognoskoll-evil.txt", data: "ond" },
      ]),
    ),
  });

  // --- Sheets too large or too wide.
  list.push({
    name: "tusen-blad",
    description: "1 000 sheets; only the last holds the budget table",
    status: 0,
    message: /blad "Blad 1000"/,
    make: bytes(() =>
      book({
        sheets: Array.from({ length: 1000 }, (_, i) =>
          i < 999
            ? { sheet: `Blad ${i + 1}`, rows: [[`Anteckningar ${i + 1}`], ["Inga siffror här."]] }
            : { sheet: "Blad 1000", rows: reference() },
        ),
      }),
    ),
  });
  const manyRows = (): Cell[][] => {
    const rows: Cell[][] = [["Konto", "Budget", "Prognos"]];
    for (let i = 1; i <= 200_000; i++) {
      const budget = -(1000 + (i % 997));
      rows.push([`Konto ${i}`, budget, budget - (i % 7 === 0 ? 10 : 0)]);
    }
    return rows;
  };
  list.push({
    name: "200000-rader",
    description: "200 000 account lines below a header",
    status: 0,
    message: "Klar att skicka in",
    // Read, written and kept for undo in parts, each within Excel on the web's 5 MB per request.
    adapter: "written",
    grid: grid(manyRows(), { sheet: "Konton" }),
    make: bytes(() => oneSheet(grid(manyRows(), { sheet: "Konton" }))),
  });
  const wide = (): Cell[][] =>
    reference(lineRows(), [...HEADER, ...Array.from({ length: 16_384 - HEADER.length }, (_, c) => `Not ${c + 1}`)]);
  list.push(
    sheetDraft({
      name: "16384-kolumner",
      description: "the reference table with a header row that runs through every column, A to XFD",
      status: 0,
      message: "Klar att skicka in",
      grid: grid(wide()),
    }),
  );
  list.push({
    name: "bortom-xfd",
    description: "cells at XFE1, A1048577 and ZZZZ5 (beyond the last column and row)",
    status: 2,
    message: /filen är skadad|går inte att läsa/,
    make: bytes(() =>
      oneSheet(grid(reference()), {
        patch: {
          "xl/worksheets/sheet1.xml": (x) =>
            x
              .replace("</row>", '<c r="XFE1"><v>1</v></c></row>')
              .replace("</sheetData>", '<row r="1048577"><c r="A1048577"><v>2</v></c></row></sheetData>')
              .replace('<row r="5">', '<row r="5"><c r="ZZZZ5"><v>3</v></c>'),
        },
      }),
    ),
  });
  /** The reference sheet with rows added to its XML: before the first row, or after the last. */
  const withRows = (before: string, after: string): Buffer =>
    oneSheet(grid(reference()), {
      patch: {
        "xl/worksheets/sheet1.xml": (x) =>
          x.replace("<sheetData>", `<sheetData>${before}`).replace("</sheetData>", `${after}</sheetData>`),
      },
    });
  list.push({
    name: "rad-minus-ett",
    description: "a row numbered -1 (cell A-1) before the reference table",
    status: 2,
    message: /filen är skadad|går inte att läsa/,
    make: bytes(() => withRows('<row r="-1"><c r="A-1"><v>1</v></c></row>', "")),
  });
  list.push({
    name: "rad-noll",
    description: "a row numbered 0 (cell A0) before the reference table",
    status: 2,
    message: /Kopian skrevs inte|filen är skadad|går inte att läsa/,
    make: bytes(() => withRows('<row r="0"><c r="A0"><v>1</v></c></row>', "")),
  });
  list.push({
    name: "rad-50-miljoner",
    description: "a number in A50000000, far below the last row a sheet can have (1 048 576)",
    status: 2,
    message: /filen är skadad|går inte att läsa/,
    make: bytes(() => withRows("", '<row r="50000000"><c r="A50000000"><v>1</v></c></row>')),
  });
  list.push({
    name: "rad-4294967294",
    description: "a number in row 4 294 967 294, the largest index a JavaScript array has",
    status: 2,
    message: /filen är skadad|går inte att läsa/,
    make: bytes(() => withRows("", '<row r="4294967294"><c r="A4294967294"><v>1</v></c></row>')),
  });
  list.push({
    name: "cell-xfd1048576",
    description: "the reference table and a number in the very last cell, XFD1048576",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() => withRows("", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
  });

  // --- Sheets with no table.
  list.push(
    sheetDraft({
      name: "tomt-blad",
      description: "a workbook whose only sheet is empty",
      status: 2,
      message: "bladet är tomt",
      messageEn: "the sheet is empty",
      grid: grid([]),
    }),
  );
  list.push(
    sheetDraft({
      name: "bara-titel",
      description: "a sheet with only a title",
      status: 2,
      message: "ingen rubrikrad anger både en budgetkolumn",
      messageEn: "no header row names both a budget column",
      grid: grid([["Socialnämnden – uppföljning per maj 2025"]]),
    }),
  );
  list.push(
    sheetDraft({
      name: "bara-rubrikrad",
      description: "the title and the header row, no lines",
      status: 2,
      message: "ingen budgettabell hittades",
      messageEn: "no budget table found",
      grid: grid(reference([])),
    }),
  );
  list.push(
    sheetDraft({
      name: "fel-i-varje-cell",
      description: "every cell of the sheet, title, header and labels too, holds #REF!, #DIV/0!, #N/A or #VALUE!",
      status: 2,
      message: "ingen budgettabell hittades",
      grid: grid(reference().map((row, r) => [0, 1, 2, 3].map((c) => ({ error: ERRORS[(r + c) % 4] }))) as Cell[][]),
    }),
  );

  // --- Sheets with something wrong in the table.
  list.push(
    sheetDraft({
      name: "kontroll-referens",
      description: "the reference sheet as an economist receives it (a control: nothing hostile)",
      status: 0,
      message: "Klar att skicka in",
      messageEn: "Ready to submit",
      grid: grid(reference()),
    }),
  );
  list.push(
    sheetDraft({
      name: "formelfel-i-belopp",
      description: "every figure cell (budget, forecast, deviation) holds #REF!, #DIV/0!, #N/A or #VALUE!",
      status: 1,
      message: /visar felet #(REF!|DIV\/0!|N\/A|VALUE!)/,
      messageEn: /shows the error #/,
      grid: grid(
        reference(
          LINES.map(([label], r) => [label, ...[0, 1, 2].map((c) => ({ error: ERRORS[(r + c) % 4] }))]) as Cell[][],
        ),
      ),
    }),
  );
  list.push(
    sheetDraft({
      name: "formelfel-med-formler",
      description: 'figure cells are formulas whose last values are errors (=1/0, =NA(), =#REF!+1, ="x"*1)',
      status: 1,
      message: /visar felet/,
      grid: grid(
        reference(
          lineRows((label, which, x) => {
            const i = LINES.findIndex(([l]) => l === label);
            const k = (i + which) % 4;
            return k === 3 ? x : { formula: ["1/0", "NA()", "#REF!+1"][k], error: ["#DIV/0!", "#N/A", "#REF!"][k] };
          }),
        ),
      ),
    }),
  );
  const arabic: Record<string, string> = {
    "Verksamhetens intäkter": "إيرادات النشاط",
    Personalkostnader: "تكاليف الموظفين 👩‍⚕️👨‍🍳",
    Lokalhyror: "🏠 إيجارات المباني",
    "Köp av tjänster": "شراء الخدمات 🤝🏽",
    "Övriga kostnader": "تكاليف أخرى",
  };
  list.push(
    sheetDraft({
      name: "arabiska-och-emoji",
      description: "the input lines' labels in Arabic with emoji (right-to-left text, joiners, skin tones)",
      status: 0,
      message: /finns inte i mallen/,
      messageEn: /is not in the template/,
      grid: grid(reference(lineRows().map((row) => [arabic[row[0] as string] ?? row[0], ...row.slice(1)]))),
    }),
  );
  list.push(
    sheetDraft({
      name: "emoji-i-rubriker",
      description: "header texts and the title made of emoji only",
      status: 2,
      message: "ingen budgettabell hittades",
      grid: grid([["📊📈"], [], [], ["💰", "📅", "🔮", "➖"], ...lineRows()]),
    }),
  );
  list.push(
    sheetDraft({
      name: "dubbla-rader",
      description: "Köp av tjänster twice, and Personalkostnader twice with other figures",
      status: 0,
      message: /finns redan på rad/,
      messageEn: /already appears on row/,
      grid: grid(
        reference([
          ...lineRows().slice(0, 4),
          ["Köp av tjänster", -63743, -67743, null],
          ["Personalkostnader", -1000, -2000, null],
          ...lineRows().slice(4),
        ]),
      ),
    }),
  );
  list.push(
    sheetDraft({
      name: "tva-tabeller",
      description: "the reference table and, below it, a second table with its own header",
      status: 0,
      message: "Ytterligare en tabell börjar på rad 16",
      messageEn: "Another table starts on row 16",
      grid: grid([
        ...reference(),
        [],
        ["Investeringar", "Budget 2025", "Prognos helår 2025", "Avvikelse"],
        ["Förskola Solen", -12000, -14500, null],
        ["Gruppboende", -8000, -7000, null],
      ]),
    }),
  );
  list.push(
    sheetDraft({
      name: "datum-som-belopp",
      description: "dates (serial numbers with a date format) where the budget and forecast belong",
      status: 1,
      message: /är inget belopp/,
      grid: grid(reference(lineRows((_l, which) => ({ value: 45808 + which, numberFormat: "yyyy-mm-dd" })))),
    }),
  );
  list.push(
    sheetDraft({
      name: "datum-som-text",
      description: 'dates typed as text ("2025-05-31", "31 maj 2025") where the figures belong',
      status: 1,
      message: /”2025-05-31” är inget belopp/,
      grid: grid(reference(lineRows((_l, which) => (which === 0 ? "2025-05-31" : "31 maj 2025")))),
    }),
  );
  const texts = ["1e308", "NaN", "Infinity", "-0", "-Infinity", "0x10", "1e-308", "١٢٣"];
  list.push(
    sheetDraft({
      name: "tal-som-text",
      description:
        'figures typed as text: "1e308", "NaN", "Infinity", "-0", "-Infinity", "0x10", "1e-308", Arabic digits',
      status: 1,
      message: /”NaN” är inget belopp/,
      messageEn: /"NaN" is not an amount/,
      grid: grid(
        reference(
          lineRows((label, which) => {
            const i = LINES.findIndex(([l]) => l === label);
            return texts[(2 * i + which) % texts.length];
          }),
        ),
      ),
    }),
  );
  const extremes = [1e308, -1e308, 5e-324, -0, 1e13 + 1, -Number.MAX_VALUE, 2 ** 53 + 1, 0.1];
  list.push(
    sheetDraft({
      name: "extrema-tal",
      description: "figures stored as numbers: 1e308, -1e308, 5e-324, -0, 1e13 + 1, -MAX_VALUE, 2^53 + 1, 0.1",
      status: 1,
      message: /är inget belopp/,
      grid: grid(
        reference(
          lineRows((label, which) => {
            const i = LINES.findIndex(([l]) => l === label);
            return extremes[(2 * i + which) % extremes.length];
          }),
        ),
      ),
    }),
  );
  list.push({
    name: "nan-i-xml",
    description: "<v> elements holding NaN, Infinity, -Infinity, 1e400, 0x1F, an empty text, spaces and 1,5",
    // The figures that are no amounts are errors; the copy is written, those cells as they were.
    status: 1,
    message: /”NaN” är inget belopp/,
    make: bytes(() => {
      const raws = ["NaN", "Infinity", "-Infinity", "1e400", "0x1F", "", "  ", "1,5"];
      return oneSheet(
        grid(
          reference(
            lineRows((label, which) => {
              const i = LINES.findIndex(([l]) => l === label);
              return { raw: raws[(2 * i + which) % raws.length] };
            }),
          ),
        ),
      );
    }),
  });
  list.push(
    sheetDraft({
      name: "sammanfogat-over-tabellen",
      description: "merged cells across the table: the title over A1:D1, each sum line's label over A:B, D5:D14 as one",
      status: 2,
      message: /sammanfogade/,
      adapter: "refused:merged",
      grid: grid(reference(), { merges: ["A1:D1", "A10:B10", "A11:B11", "A14:B14", "D5:D14"] }),
    }),
  );
  list.push(
    sheetDraft({
      name: "sammanfogat-hela-bladet",
      description: "one merged area from A1 to XFD1048576 (the whole sheet) with the title in A1",
      status: 2,
      message: /ingen budgettabell hittades|sammanfogade/,
      adapter: ["no-table", "refused:merged"],
      grid: grid(reference(), { merges: ["A1:XFD1048576"] }),
    }),
  );
  list.push(
    sheetDraft({
      name: "cirkular-summa",
      description: "Verksamhetens kostnader =SUM(B6:B10), which takes in itself (Excel shows 0 and warns of a circle)",
      status: 1,
      message: /SUM\(B6:B10\)/,
      grid: grid(
        reference(
          lineRows().map((row) =>
            row[0] === "Verksamhetens kostnader"
              ? [row[0], { formula: "SUM(B6:B10)", value: 0 }, { formula: "SUM(C6:C10)", value: 0 }, null]
              : row,
          ),
        ),
      ),
    }),
  );
  const longFormula = (col: string): string => {
    let f = `SUM(${col}6:${col}9)`;
    while (f.length < 8000) f += "+0";
    return f.slice(0, 8000);
  };
  list.push(
    sheetDraft({
      name: "formel-8000-tecken",
      description: "Verksamhetens kostnader as a formula of 8 000 characters (SUM(B6:B9)+0+0+…)",
      status: 0,
      message: "Klar att skicka in",
      grid: grid(
        reference(
          lineRows().map((row) =>
            row[0] === "Verksamhetens kostnader"
              ? [
                  row[0],
                  { formula: longFormula("B"), value: -288639 },
                  { formula: longFormula("C"), value: -291639 },
                  null,
                ]
              : row,
          ),
        ),
      ),
    }),
  );
  list.push(
    sheetDraft({
      name: "etikett-32767-tecken",
      description: "a line whose label is 32 767 characters long (Excel's limit)",
      status: 0,
      message: /finns inte i mallen/,
      grid: grid(
        reference([
          ...lineRows().slice(0, 5),
          [`Köp av konsulttjänster ${"x".repeat(32_767 - 23)}`, -1000, -1000, null],
          ...lineRows().slice(5),
        ]),
      ),
    }),
  );
  const control = (s: string, k: number): string =>
    [
      `\u0007${s}`,
      `\u001b[31m${s}`,
      `${s}\rÖVERSKRIVEN`,
      s.replace(" ", "\t"),
      `\u009b31m${s}`,
      `\u202e${s}`,
      `${s}\u0000`,
    ][k % 7];
  list.push(
    sheetDraft({
      name: "styrtecken-i-etiketter",
      description:
        "labels with BEL, ESC [31m and NUL (stored as Excel stores them: _x001B_), a carriage return, a tab, the C1 control CSI, a right-to-left override",
      status: 0,
      message: /Summering/,
      grid: grid(reference(lineRows().map((row, i) => [control(String(row[0]), i), ...row.slice(1)]))),
    }),
  );
  const hugeFormat = `#,##0;[Red]-#,##0;0;"${"x".repeat(60_000)}"`;
  list.push(
    sheetDraft({
      name: "enorm-talformat",
      description: "every figure formatted with a number format string of 60 000 characters",
      status: 0,
      message: "Klar att skicka in",
      grid: grid(reference(lineRows((_l, _w, x) => ({ value: x, numberFormat: hugeFormat })))),
    }),
  );
  list.push(
    sheetDraft({
      name: "bladnamn-med-citat",
      description: 'the sheet named Nämndens "budget" för maj\'25 (double and single quotes)',
      status: 0,
      message: /blad "Nämndens "budget" för maj'25"/,
      grid: grid(reference(), { sheet: 'Nämndens "budget" för maj\'25' }),
    }),
  );
  list.push(
    sheetDraft({
      name: "oberaknade-formler",
      description: "sum lines as formulas with no computed value (saved by a program that does not calculate)",
      status: 1,
      message: /utan beräknat värde/,
      grid: grid(
        reference(
          lineRows().map((row) =>
            row[0] === "Verksamhetens kostnader"
              ? [row[0], { formula: "SUM(B6:B9)" }, { formula: "SUM(C6:C9)" }, null]
              : row,
          ),
        ),
      ),
    }),
  );
  list.push(
    sheetDraft({
      name: "sanningsvarden",
      description: "TRUE and FALSE where the figures belong",
      status: 1,
      message: /är inget belopp/,
      grid: grid(reference(lineRows((_l, which) => which === 0))),
    }),
  );
  list.push(
    sheetDraft({
      name: "inline-strangar",
      description: 'every text stored inline in the sheet (t="inlineStr"), as some programs write',
      status: 0,
      message: "Klar att skicka in",
      grid: grid(reference()),
      book: { inlineStrings: true },
    }),
  );
  list.push({
    name: "celler-utan-adress",
    description: "cells and rows without r attributes (allowed by the format: they follow each other)",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() =>
      oneSheet(grid(reference()), {
        patch: {
          "xl/worksheets/sheet1.xml": (x) => x.replace(/ r="[A-Z]+\d+"/g, "").replace(/<row r="\d+">/g, "<row>"),
        },
      }),
    ),
  });
  list.push({
    name: "delad-text-utanfor",
    description: "shared string indexes past the end of the list (99999, -1) for two labels",
    status: 2,
    message: /går inte att läsa: xl\/worksheets\/sheet1\.xml: cell A6 refers to shared text 99999/,
    make: bytes(() =>
      oneSheet(grid(reference()), {
        patch: {
          "xl/worksheets/sheet1.xml": (x) =>
            x.replace(/(<c r="A6" t="s"><v>)\d+/, "$199999").replace(/(<c r="A7" t="s"><v>)\d+/, "$1-1"),
        },
      }),
    ),
  });
  list.push({
    name: "okomprimerad",
    description: "the reference workbook with every part stored, not deflated (zip method 0)",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() => zip(bookParts({ sheets: [grid(reference())] }).map((p) => ({ ...p, store: true })))),
  });
  list.push({
    name: "utan-formatdel",
    description: "a workbook without a styles part",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() => oneSheet(grid(reference()), { noStyles: true })),
  });
  list.push({
    name: "utf16-blad",
    description: "the sheet part encoded as UTF-16 with a byte order mark (allowed by XML)",
    status: 2,
    message: /går inte att läsa/,
    make: bytes(() =>
      zip(
        bookParts({ sheets: [grid(reference())] }).map((p) =>
          p.name === "xl/worksheets/sheet1.xml"
            ? {
                ...p,
                data: Buffer.concat([
                  Buffer.from([0xff, 0xfe]),
                  Buffer.from(String(p.data).replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le"),
                ]),
              }
            : p,
        ),
      ),
    ),
  });
  list.push({
    name: "djup-nastling",
    description: "an extLst in the sheet nested 50 000 elements deep",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() =>
      oneSheet(grid(reference()), {
        patch: {
          "xl/worksheets/sheet1.xml": (x) =>
            x.replace(
              "</worksheet>",
              `<extLst><ext uri="{00000000-0000-0000-0000-000000000000}">${'<x:a xmlns:x="urn:x">'.repeat(50_000)}${"</x:a>".repeat(50_000)}</ext></extLst></worksheet>`,
            ),
        },
      }),
    ),
  });
  list.push({
    name: "makro",
    description: "a macro workbook (.xlsm) with a vbaProject.bin part",
    fileName: "makro.xlsm",
    status: 0,
    message: "Klar att skicka in",
    make: bytes(() =>
      oneSheet(grid(reference()), {
        macro: true,
        extraParts: [{ name: "xl/vbaProject.bin", data: compoundFile([{ name: "VBA", data: Buffer.alloc(4096, 1) }]) }],
      }),
    ),
  });
  list.push({
    name: "dubbla-zip-poster",
    description:
      "two zip entries named xl/worksheets/sheet1.xml: the reference sheet, then one whose Verksamhetens kostnader is typed 1 (which one a program reads is anyone's guess)",
    status: 2,
    message: /filen är skadad|går inte att läsa/,
    make: bytes(() => {
      const good = bookParts({ sheets: [grid(reference())] });
      const other = bookParts({
        sheets: [grid(reference(lineRows().map((r) => (r[0] === "Verksamhetens kostnader" ? [r[0], 1, 1, null] : r))))],
      });
      // The second entry's texts are the first's (the same labels in the same order).
      return zip([...good, other.find((p) => p.name === "xl/worksheets/sheet1.xml")!]);
    }),
  });

  // --- Things in the file system that are no regular file.
  list.push({
    name: "mapp",
    fileName: "mapp.xlsx",
    description: "a folder named mapp.xlsx, empty",
    status: 2,
    message: /inga \.xlsx-filer i/,
    usage: true,
    make: (file) => fs.mkdirSync(file),
  });
  list.push({
    name: "bruten-lank",
    description: "a symbolic link to a file that does not exist",
    status: 2,
    message: "filen finns inte",
    messageEn: "no such file",
    make: (file) => fs.symlinkSync("finns-inte.xlsx", file),
  });
  list.push({
    name: "lank-slinga",
    description: "a symbolic link to itself",
    status: 2,
    message: /filen går inte att läsa \(ELOOP\)/,
    make: (file) => fs.symlinkSync(path.basename(file), file),
  });
  list.push({
    name: "namngiven-pipe",
    description: "a named pipe (FIFO) with an .xlsx name, which no program writes to",
    status: 2,
    message: /inte en vanlig fil/,
    make: (file) => {
      const r = spawnSync("mkfifo", [file]);
      if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
    },
  });
  return list;
}

/** The entry a draft describes, its file in `dir`. */
function entryOf(d: Draft, dir: string): CorpusEntry {
  const entry: Partial<Draft> = { ...d };
  delete entry.make;
  delete entry.fileName;
  return { ...(entry as Omit<Draft, "make" | "fileName">), file: path.join(dir, d.fileName ?? `${d.name}.xlsx`) };
}

/** The entries, with their files' places in `dir`, without writing anything. */
export function corpusEntries(dir: string): CorpusEntry[] {
  return drafts().map((d) => entryOf(d, dir));
}

/**
 * Writes every input into `dir` (which must exist and should be empty) and returns what the
 * command and the adapter must make of each.
 */
export function makeCorpus(dir: string): CorpusEntry[] {
  return drafts().map((d) => {
    const entry = entryOf(d, dir);
    d.make(entry.file, dir);
    return entry;
  });
}

/** One line about an input: its name, kind and size, the status expected, and what it is. */
function describe(e: CorpusEntry): string {
  const st = fs.lstatSync(e.file);
  const kind = st.isSymbolicLink()
    ? "link"
    : st.isDirectory()
      ? "folder"
      : st.isFIFO()
        ? "fifo"
        : `${st.size.toLocaleString("sv-SE")} B`;
  return `${path.basename(e.file)}\t${kind}\texit ${e.status}\t${e.description}`;
}

// Run as a script (bundled, the bundle named corpus.js): a bundle that merely includes this file does not.
if (require.main === module && /corpus\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: node corpus.js FOLDER\n");
    process.exitCode = 2;
  } else {
    fs.mkdirSync(dir, { recursive: true });
    const started = Date.now();
    try {
      const entries = makeCorpus(dir);
      for (const e of entries) process.stdout.write(describe(e) + "\n");
      process.stdout.write(`${entries.length} inputs in ${dir} (${Date.now() - started} ms)\n`);
    } catch (e) {
      process.stderr.write(`corpus: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}
