/**
 * The worksheet scanner: XML read token by token, and the grid read with it compared with the
 * grid the same reader makes of the same part read with saxes, on generated worksheets written
 * every way XML allows (prefixes, quotes, entities, CDATA, comments, white space).
 */
import fc from "fast-check";
import fs from "node:fs";
import path from "node:path";
import { WorkbookError } from "../../src/xlsx/errors";
import {
  sharedStringsFrom,
  sharedStringsFromXml,
  sheetGridFrom,
  sheetGridFromXml,
  workbookParts,
  type WorkbookParts,
} from "../../src/xlsx/read";
import { CLOSE, END, OPEN, TEXT, XmlScanner } from "../../src/xlsx/xml";
import { loadWorkbook } from "../../src/xlsx";
import { saxesTokens } from "../helpers/saxes-tokens";
import { tempDir, writeLarge, writeReference, writeRich } from "../helpers/workbooks";

fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20251127) });
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const PART = "xl/worksheets/sheet1.xml";

/** Every token of a part, written out: "<name", "</name", or the text. */
function tokens(xml: string, attrs: string[] = []): string[] {
  const scan: XmlScanner = new XmlScanner(xml, "part.xml");
  const out: string[] = [];
  for (let t = scan.next(); t !== END; t = scan.next()) {
    if (t === OPEN)
      out.push(
        `<${scan.name}${attrs.map((a) => (scan.attr(a) !== undefined ? ` ${a}=${scan.attr(a)}` : "")).join("")}`,
      );
    else if (t === CLOSE) out.push(`</${scan.name}`);
    else if (t === TEXT) out.push(scan.text);
  }
  return out;
}

function refusal(xml: string): string {
  try {
    tokens(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(WorkbookError);
    return (e as WorkbookError).text("en");
  }
  throw new Error(`read without complaint: ${xml}`);
}

describe("the XML scanner", () => {
  test("reads tags, attributes and text, however they are written", () => {
    const xml =
      '\ufeff<?xml version="1.0"?>\n<!-- a comment --><x:a xmlns:x="urn:x" k = \'1\'  m="2"><b/>one &amp; &lt;two&gt;' +
      '<![CDATA[<three> & four]]>&#65;&#x42;&quot;&apos;<c k="a&amp;b&#9;c"\td="e\tf\r\ng"></c ></x:a >\n<?pi end?>';
    expect(tokens(xml, ["k", "m", "d"])).toEqual([
      "<a k=1 m=2",
      "<b",
      "</b",
      "one & <two>",
      "<three> & four",
      "AB\"'",
      "<c k=a&b\tc d=e f g",
      "</c",
      "</a",
    ]);
  });

  test("makes every line end in text a line feed", () => {
    expect(tokens("<a>1\r\n2\r3\n4<![CDATA[5\r\n6]]></a>")).toEqual(["<a", "1\n2\n3\n4", "5\n6", "</a"]);
  });

  test.each([
    ["<a><b></a></b>", /<b> is closed by another tag/],
    ["<a>", /ends inside <a>/],
    ["<a></a><b/>", /second root/],
    ["text<a/>", /text outside the root/],
    ["<a>&nbsp;</a>", /unknown entity &nbsp;/],
    ["<a>&#0;</a>", /unknown entity &#0;/],
    ["<a>&amp</a>", /without its ;/],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /document type declaration/],
    ["<a k=1/>", /without quotes/],
    ['<a k="1"m="2"/>', /no space before an attribute/],
    ['<a k="1<2"/>', /"<" in an attribute value/],
    ["<a k/>", /without a value/],
    ['<a k="1/>', /does not end/],
    ["<a><!-- x </a>", /comment that does not end/],
    ["", /no element/],
    ["</a>", /nothing open/],
    ["<a>< b/></a>", /malformed tag/],
  ])("refuses %s", (xml, why) => {
    const text = refusal(xml);
    expect(text).toMatch(/^the workbook cannot be read: part\.xml: /);
    expect(text).toMatch(why);
  });
});

// Worksheets generated from a model, and written out in many ways.

const textArb = fc.oneof(
  fc.constantFrom(
    "Intäkter",
    "Personalkostnader",
    "Köpta tjänster",
    "a & b",
    "<x>",
    "1 234",
    '"quoted"',
    "tab\there",
    "  spaced  ",
  ),
  fc.string({ maxLength: 8 }),
);
const cellArb = fc.record({
  type: fc.constantFrom("n", "n", "s", "str", "b", "e", "inlineStr", "none"),
  number: fc.oneof(fc.integer({ min: -1e7, max: 1e7 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  text: textArb,
  formula: fc.option(fc.constantFrom("SUM(B2:B4)", "C2-B2", 'IF(A1<>"",1,0)', 'B2&"x"'), { nil: undefined }),
  shared: fc.constantFrom(undefined, "master", "member"),
  style: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  writeRef: fc.boolean(),
  gap: fc.integer({ min: 0, max: 2 }),
});
const sheetArb = fc.array(
  fc.record({
    gap: fc.integer({ min: 0, max: 2 }),
    writeRef: fc.boolean(),
    cells: fc.array(cellArb, { maxLength: 5 }),
  }),
  { maxLength: 8 },
);
const styleArb = fc.record({
  prefix: fc.constantFrom("", "x:"),
  quote: fc.constantFrom('"', "'"),
  space: fc.constantFrom(" ", "  ", "\n\t", " \r\n "),
  cdata: fc.boolean(),
  comments: fc.boolean(),
  charRefs: fc.boolean(),
  merges: fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(3), fc.nat(3)), { maxLength: 3 }),
});

const STRINGS = ["Budget", "Prognos", "Avvikelse", "Intäkter", "x & y"];
const PARTS: WorkbookParts = { strings: STRINGS, formats: [undefined, "#,##0", "0.0", "yyyy-mm-dd", "@"] };

function columnLetters(col: number): string {
  let s = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The model as a worksheet part, in the given style of writing. */
type Sheet = typeof sheetArb extends fc.Arbitrary<infer T> ? T : never;
type Style = typeof styleArb extends fc.Arbitrary<infer T> ? T : never;

function writeSheet(rows: Sheet, w: Style): string {
  const p = w.prefix;
  const q = w.quote;
  const sp = w.space;
  const text = (s: string): string => {
    if (w.cdata && !s.includes("]]>")) return `<![CDATA[${s}]]>`;
    let out = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    if (w.charRefs) {
      out = out
        .replace(/[A-Za-z]/, (c) => `&#${c.charCodeAt(0)};`)
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");
    }
    return out;
  };
  const attr = (name: string, value: string): string =>
    `${sp}${name}=${q}${value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\t/g, "&#9;")}${q}`;
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${p}worksheet xmlns${p ? ":" + p.slice(0, -1) : ""}=${q}http://schemas.openxmlformats.org/spreadsheetml/2006/main${q}>`;
  if (w.comments) xml += "<!-- written by hand -->";
  xml += `<${p}sheetData>`;
  let r = 0;
  let sharedCount = 0;
  for (const row of rows) {
    r += row.gap + 1;
    xml += `<${p}row${row.writeRef ? attr("r", String(r)) : ""}>`;
    let c = -1;
    for (const cell of row.cells) {
      c += cell.writeRef ? cell.gap + 1 : 1;
      let attrs = cell.writeRef || !row.writeRef ? attr("r", `${columnLetters(c)}${r}`) : "";
      if (cell.type !== "n" && cell.type !== "none") attrs += attr("t", cell.type);
      if (cell.style !== undefined) attrs += attr("s", String(cell.style));
      let inner = "";
      if (cell.formula !== undefined) {
        if (cell.shared === "master")
          inner += `<${p}f${attr("t", "shared")}${attr("ref", `B${r}:B${r + 3}`)}${attr("si", String(sharedCount))}>${text(cell.formula)}</${p}f>`;
        else if (cell.shared === "member" && sharedCount > 0)
          inner += `<${p}f${attr("t", "shared")}${attr("si", String(sharedCount - 1))}/>`;
        else inner += `<${p}f>${text(cell.formula)}</${p}f>`;
        if (cell.shared === "master") sharedCount++;
      }
      const v =
        cell.type === "n"
          ? String(cell.number)
          : cell.type === "s"
            ? String(Math.abs(Math.trunc(cell.number)) % (STRINGS.length + 1))
            : cell.type === "b"
              ? String(Math.abs(Math.trunc(cell.number)) % 2)
              : cell.type === "e"
                ? "#REF!"
                : cell.text;
      if (cell.type === "inlineStr")
        inner += `<${p}is><${p}t xml:space="preserve">${text(v)}</${p}t><${p}rPh><${p}t>ヨミ</${p}t></${p}rPh></${p}is>`;
      else if (cell.type !== "none") inner += `<${p}v>${text(v)}</${p}v>`;
      xml += inner === "" ? `<${p}c${attrs}/>` : `<${p}c${attrs}>${inner}</${p}c${sp.includes("\n") ? sp : ""}>`;
    }
    xml += `</${p}row>`;
    if (w.comments) xml += "<!--row-->";
  }
  xml += `</${p}sheetData>`;
  if (w.merges.length > 0) {
    xml += `<${p}mergeCells>`;
    for (const [top, left, h, wd] of w.merges)
      xml += `<${p}mergeCell${attr("ref", `${columnLetters(left)}${top + 1}:${columnLetters(left + wd)}${top + h + 1}`)}/>`;
    xml += `</${p}mergeCells>`;
  }
  return xml + `</${p}worksheet>`;
}

/** The reader's grid, or the text of its refusal. */
function read(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof WorkbookError) return { refused: true };
    throw e;
  }
}

describe("the worksheet reader on the scanner", () => {
  test("reads every generated worksheet to the grid the saxes reader makes of it", () => {
    fc.assert(
      fc.property(sheetArb, styleArb, (rows, style) => {
        const xml = writeSheet(rows, style);
        const ours = read(() => sheetGridFromXml(xml, PARTS, "Blad1", PART));
        const reference = read(() => sheetGridFrom(saxesTokens(xml, PART), PARTS, "Blad1"));
        expect(ours).toEqual(reference);
      }),
      { numRuns: RUNS },
    );
  });

  test("reads generated shared strings as the saxes reader does, runs joined and readings left out", () => {
    const itemArb = fc.array(fc.record({ text: textArb, reading: fc.option(textArb, { nil: undefined }) }), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 6 }), styleArb, (items, w) => {
        const p = w.prefix;
        const esc = (s: string): string =>
          w.cdata && !s.includes("]]>")
            ? `<![CDATA[${s}]]>`
            : s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
        const xml =
          `<?xml version="1.0"?>${w.comments ? "<!-- strings -->" : ""}<${p}sst xmlns${p ? ":x" : ""}="urn:main">` +
          items
            .map(
              (runs) =>
                `<${p}si>` +
                (runs.length === 1 && runs[0].reading === undefined
                  ? `<${p}t>${esc(runs[0].text)}</${p}t>`
                  : runs
                      .map(
                        (r) =>
                          `<${p}r><${p}rPr><${p}b/></${p}rPr><${p}t xml:space="preserve">${esc(r.text)}</${p}t></${p}r>` +
                          (r.reading === undefined
                            ? ""
                            : `<${p}rPh sb="0" eb="1"><${p}t>${esc(r.reading)}</${p}t></${p}rPh>`),
                      )
                      .join("")) +
                `</${p}si>`,
            )
            .join(w.space) +
          `</${p}sst>`;
        const ours = sharedStringsFromXml(xml);
        expect(ours).toEqual(sharedStringsFrom(saxesTokens(xml, "xl/sharedStrings.xml")));
        expect(ours).toHaveLength(items.length);
      }),
      { numRuns: RUNS },
    );
  });

  test("on damaged worksheets, returns a grid or a clear refusal, never anything else", () => {
    const damaged = fc
      .tuple(sheetArb, styleArb, fc.nat(), fc.constantFrom("cut", "drop", "insert<", "insert&", "insert>", "swap"))
      .map(([rows, style, at, how]) => {
        const xml = writeSheet(rows, style);
        const i = at % xml.length;
        if (how === "cut") return xml.slice(0, i);
        if (how === "drop") return xml.slice(0, i) + xml.slice(i + 1);
        if (how === "swap") return xml.slice(0, i) + xml.slice(i + 1, i + 2) + xml.slice(i, i + 1) + xml.slice(i + 2);
        return xml.slice(0, i) + how.slice(-1) + xml.slice(i);
      });
    let refused = 0;
    fc.assert(
      fc.property(damaged, (xml) => {
        const ours = read(() => sheetGridFromXml(xml, PARTS, "Blad1", PART));
        if ((ours as { refused?: boolean }).refused) refused++;
      }),
      { numRuns: RUNS },
    );
    // Most damage breaks the XML, and that is seen.
    expect(refused).toBeGreaterThan(RUNS / 3);
  });

  test("reads the example and workbooks written by a spreadsheet library to the grids read with saxes", async () => {
    const dir = tempDir();
    const files = [
      path.join(__dirname, "../../examples/uppfoljning-maj-2025.xlsx"),
      await writeReference(dir),
      await writeRich(dir),
      await writeLarge(dir, 300),
    ];
    let sheets = 0;
    for (const file of files) {
      const { zip, sheets: all, stringsPart, stylesPart } = await loadWorkbook(fs.readFileSync(file));
      const parts = workbookParts(zip, stringsPart, stylesPart);
      for (const { name, part } of all) {
        const xml = zip.text(part)!;
        const grid = sheetGridFromXml(xml, parts, name, part);
        expect(grid).toEqual(sheetGridFrom(saxesTokens(xml, part), parts, name));
        if (grid.cells.length > 0) sheets++;
      }
    }
    expect(sheets).toBeGreaterThanOrEqual(files.length);
  });
});
