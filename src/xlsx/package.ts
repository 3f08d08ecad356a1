/**
 * Opening an .xlsx package: its limits held to, and its parts found the way Excel finds them,
 * through relationships: the package's to its workbook, the workbook's to its sheets, styles,
 * shared strings and calculation chain. Part names and order are never assumed.
 */
import path from "node:path";
import { WorkbookError } from "./errors";
import { workbookParts, type WorkbookParts } from "./read";
import { XmlScanner, END, OPEN } from "./xml";
import { ZipArchive } from "./zip";

/** Limits that keep a hostile file from exhausting the machine. */
export const LIMITS = {
  /** Total uncompressed size of all parts. */
  uncompressedBytes: 1_000_000_000,
  /** Uncompressed size of one part over its compressed size (zip bombs reach thousands). */
  ratio: 200,
  /** Parts smaller than this are exempt from the ratio test (a run of empty cells compresses well). */
  ratioExemptBytes: 10_000_000,
};

export interface Relationship {
  id: string;
  /** The relationship type's last segment: "worksheet", "styles", "officeDocument" … */
  type: string;
  /** The part it points to, as a name in the package; null for an external target. */
  part: string | null;
}

export interface SheetPart {
  name: string;
  part: string;
  /** Hidden in Excel (hidden or very hidden): not checked unless it is named. */
  hidden: boolean;
}

/** An opened workbook: its package and where its parts are. */
export interface LoadedWorkbook {
  data: Buffer;
  zip: ZipArchive;
  /** The workbook part and its relationships part. */
  workbookPart: string;
  relsPart: string;
  relationships: Relationship[];
  /** The worksheets, in the workbook's order (chart sheets and dialog sheets are not among them). */
  sheets: SheetPart[];
  sheetNames: string[];
  stylesPart: string | null;
  stringsPart: string | null;
  calcChainPart: string | null;
  /** Shared strings and number formats, read on first use. */
  parts?: WorkbookParts;
}

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The relationships part of a part: xl/workbook.xml → xl/_rels/workbook.xml.rels. */
export function relsPartOf(part: string): string {
  const dir = path.posix.dirname(part);
  return `${dir === "." ? "" : `${dir}/`}_rels/${path.posix.basename(part)}.rels`;
}

/** A relationship's target as a part name, from the folder of the part it belongs to. */
function resolveTarget(dir: string, target: string): string {
  let t = target;
  try {
    t = decodeURIComponent(target);
  } catch {
    // A target that is not valid percent-encoding is taken as written.
  }
  const joined = t.startsWith("/") ? t.slice(1) : path.posix.join(dir, t);
  return path.posix.normalize(joined).replace(/^(\.\/)+/, "");
}

/** The relationships a part has, or none when it has no relationships part. */
export function readRelationships(zip: ZipArchive, part: string): Relationship[] {
  const relsPart = relsPartOf(part);
  const xml = zip.text(relsPart);
  if (xml === null) return [];
  const dir = path.posix.dirname(part);
  const out: Relationship[] = [];
  const scan = new XmlScanner(xml, relsPart);
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token !== OPEN || scan.name !== "Relationship") continue;
    const id = scan.attr("Id");
    const type = scan.attr("Type") ?? "";
    const target = scan.attr("Target");
    if (id === undefined || target === undefined) continue;
    const external = scan.attr("TargetMode") === "External";
    out.push({
      id,
      type: type.slice(type.lastIndexOf("/") + 1),
      part: external ? null : resolveTarget(dir === "." ? "" : dir, target),
    });
  }
  return out;
}

/** Opens an .xlsx file's bytes, with a clear error for anything that is not a readable workbook. */
export async function loadWorkbook(data: Buffer): Promise<LoadedWorkbook> {
  if (data.length >= 8 && data.subarray(0, 8).equals(OLE)) {
    const encrypted = data.includes(Buffer.from("EncryptionInfo", "utf16le"));
    throw new WorkbookError(encrypted ? "encrypted" : "legacy");
  }
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) {
    throw new WorkbookError(data.length === 0 ? "empty-file" : "not-zip");
  }
  const zip = new ZipArchive(data);
  let total = 0;
  for (const entry of zip.entries) {
    total += entry.size;
    const packed = entry.compressedSize;
    if (entry.size > LIMITS.ratioExemptBytes && packed > 0 && entry.size / packed > LIMITS.ratio) {
      throw new WorkbookError("zip-bomb", { part: entry.name, size: entry.size, packed });
    }
  }
  if (total > LIMITS.uncompressedBytes) {
    throw new WorkbookError("too-large", { mb: Math.round(total / 1e6), limit: LIMITS.uncompressedBytes / 1e6 });
  }
  if (!zip.has("[Content_Types].xml")) throw new WorkbookError("not-workbook");
  const office = readRelationships(zip, "").find((r) => r.type === "officeDocument" && r.part !== null);
  const workbookPart = office?.part ?? "xl/workbook.xml";
  const xml = zip.text(workbookPart);
  if (xml === null) throw new WorkbookError("not-workbook");
  const relationships = readRelationships(zip, workbookPart);
  const byId = new Map(relationships.map((r) => [r.id, r]));
  const sheets: SheetPart[] = [];
  const scan = new XmlScanner(xml, workbookPart);
  let listed = 0;
  for (let token = scan.next(); token !== END; token = scan.next()) {
    if (token !== OPEN || scan.name !== "sheet") continue;
    listed++;
    const id = scan.attrNs("id");
    const rel = id === undefined ? undefined : byId.get(id);
    if (!rel || rel.type !== "worksheet" || rel.part === null) continue;
    const state = scan.attr("state");
    sheets.push({
      name: scan.attr("name") ?? "",
      part: rel.part,
      hidden: state === "hidden" || state === "veryHidden",
    });
  }
  if (listed === 0) throw new WorkbookError("no-sheets");
  if (sheets.length === 0) throw new WorkbookError("no-worksheets");
  // A part the workbook does not name is looked for where Excel puts it, beside the workbook.
  const dir = workbookPart.includes("/") ? workbookPart.slice(0, workbookPart.lastIndexOf("/") + 1) : "";
  const only = (type: string, usual?: string): string | null => {
    const named = relationships.find((r) => r.type === type && r.part !== null)?.part;
    if (named !== undefined) return named;
    return usual !== undefined && zip.has(dir + usual) ? dir + usual : null;
  };
  return {
    data,
    zip,
    workbookPart,
    relsPart: relsPartOf(workbookPart),
    relationships,
    sheets,
    sheetNames: sheets.map((s) => s.name),
    stylesPart: only("styles", "styles.xml"),
    stringsPart: only("sharedStrings", "sharedStrings.xml"),
    calcChainPart: only("calcChain"),
  };
}

/** The workbook's shared strings and number formats, read once. */
export function partsOf(loaded: LoadedWorkbook): WorkbookParts {
  return (loaded.parts ??= workbookParts(loaded.zip, loaded.stringsPart, loaded.stylesPart));
}

/** Unpacks every part once, so that a part that lies about its size is found before anything is written. */
export function verifyParts(zip: ZipArchive): void {
  for (const entry of zip.entries) zip.bytes(entry.name);
}
