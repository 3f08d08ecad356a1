/**
 * Reading parts of an opened .xlsx package with the sizes it declares held to: a part that
 * unpacks to more than its header says (a zip bomb that lies) stops at the declared size, and
 * one that unpacks to less or not at all is a damaged file. Inflating uses Node's zlib.
 */
import { inflateRawSync } from "node:zlib";
import type JSZip from "jszip";
import { WorkbookError } from "./errors";

interface Stored {
  compressedSize: number;
  uncompressedSize: number;
  compression: { magic: string } | null;
  compressedContent: Uint8Array;
}

const DEFLATE = "\u0008\u0000";
const STORE = "\u0000\u0000";

function stored(entry: JSZip.JSZipObject): Stored | null {
  const data = (entry as unknown as { _data?: Partial<Stored> })._data;
  return data && data.compressedContent instanceof Uint8Array && typeof data.uncompressedSize === "number"
    ? (data as Stored)
    : null;
}

/** A part's bytes, or null when the package has no such part. */
export async function partBytes(zip: JSZip, name: string): Promise<Buffer | null> {
  const entry = zip.file(name);
  if (!entry) return null;
  const data = stored(entry);
  if (!data) return Buffer.from(await entry.async("uint8array"));
  const magic = data.compression?.magic;
  if (magic === STORE) {
    if (data.compressedContent.length !== data.uncompressedSize) throw new WorkbookError("damaged-zip");
    return Buffer.from(data.compressedContent);
  }
  if (magic !== DEFLATE) throw new WorkbookError("damaged-zip");
  let out: Buffer;
  try {
    out = inflateRawSync(data.compressedContent, { maxOutputLength: Math.max(1, data.uncompressedSize) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new WorkbookError("zip-bomb", {
        part: name,
        size: `> ${data.uncompressedSize}`,
        packed: data.compressedSize,
      });
    }
    throw new WorkbookError("damaged-zip");
  }
  if (out.length !== data.uncompressedSize) throw new WorkbookError("damaged-zip");
  return out;
}

/** A part as text (UTF-8), or null when the package has no such part. */
export async function partText(zip: JSZip, name: string): Promise<string | null> {
  const bytes = await partBytes(zip, name);
  return bytes === null ? null : bytes.toString("utf8");
}

/** Unpacks every part once, so that a part that lies about its size is found before anything is written. */
export async function verifyParts(zip: JSZip): Promise<void> {
  for (const entry of Object.values(zip.files)) if (!entry.dir) await partBytes(zip, entry.name);
}

/**
 * The name of a part the archive holds twice, if any (the zip library keeps only the last, so a
 * copy written from it would drop the other). Read from the archive's central directory.
 */
export function duplicatePart(data: Buffer): string | null {
  const floor = Math.max(0, data.length - 65_557);
  let eocd = -1;
  for (let i = data.length - 22; i >= floor; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) return null;
  const seen = new Set<string>();
  for (let k = 0; k < count; k++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = data.readUInt16LE(at + 28);
    const extra = data.readUInt16LE(at + 30);
    const comment = data.readUInt16LE(at + 32);
    const name = data.toString("utf8", at + 46, at + 46 + nameLength);
    if (seen.has(name)) return name;
    seen.add(name);
    at += 46 + nameLength + extra + comment;
  }
  return null;
}
