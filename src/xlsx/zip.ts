/**
 * The zip container of an .xlsx package, on Node's zlib (inflate, deflate, CRC-32).
 *
 * Reading goes by the central directory, as Excel does: each part's name, method, sizes, CRC and
 * place. A part is unpacked only when asked for, and never past the size the directory declares:
 * one that unpacks to more (a zip bomb that lies) stops there, one that unpacks to less or with
 * another CRC is a damaged file. The same name twice is refused, since a copy could keep only one.
 *
 * Writing copies each part that did not change as it was stored (its compressed bytes, CRC and
 * sizes), and deflates only the parts that did.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { WorkbookError } from "./errors";

/** One part as the central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts. */
  offset: number;
  /** DOS time and date, kept on copying. */
  time: number;
  date: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

const damaged = (): WorkbookError => new WorkbookError("damaged-zip");

export class ZipArchive {
  /** The parts in the order the directory lists them. */
  readonly entries: ZipEntry[] = [];
  private readonly byName = new Map<string, ZipEntry>();

  constructor(readonly data: Buffer) {
    const d = data;
    const floor = Math.max(0, d.length - 65_557);
    let eocd = -1;
    for (let i = d.length - 22; i >= floor; i--) {
      if (d.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw damaged();
    let count = d.readUInt16LE(eocd + 10);
    let at = d.readUInt32LE(eocd + 16);
    if ((count === 0xffff || at === MAX32) && eocd >= 20 && d.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
      const z = Number(d.readBigUInt64LE(eocd - 12));
      if (z + 56 > d.length || d.readUInt32LE(z) !== ZIP64_EOCD) throw damaged();
      count = Number(d.readBigUInt64LE(z + 32));
      at = Number(d.readBigUInt64LE(z + 48));
    }
    for (let k = 0; k < count; k++) {
      if (at + 46 > d.length || d.readUInt32LE(at) !== CENTRAL) throw damaged();
      const flags = d.readUInt16LE(at + 8);
      const nameLength = d.readUInt16LE(at + 28);
      const extraLength = d.readUInt16LE(at + 30);
      const commentLength = d.readUInt16LE(at + 32);
      if (at + 46 + nameLength + extraLength > d.length) throw damaged();
      const entry: ZipEntry = {
        name: d.toString(flags & 0x800 ? "utf8" : "latin1", at + 46, at + 46 + nameLength),
        method: d.readUInt16LE(at + 10),
        time: d.readUInt16LE(at + 12),
        date: d.readUInt16LE(at + 14),
        crc: d.readUInt32LE(at + 16),
        compressedSize: d.readUInt32LE(at + 20),
        size: d.readUInt32LE(at + 24),
        offset: d.readUInt32LE(at + 42),
      };
      if (flags & 1) throw new WorkbookError("encrypted");
      readZip64Extra(d, at + 46 + nameLength, extraLength, entry);
      if (this.byName.has(entry.name)) throw new WorkbookError("duplicate-part", { part: entry.name });
      this.byName.set(entry.name, entry);
      this.entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** A part's stored (compressed) bytes. */
  raw(entry: ZipEntry): Buffer {
    const d = this.data;
    const at = entry.offset;
    if (at + 30 > d.length || d.readUInt32LE(at) !== LOCAL) throw damaged();
    const start = at + 30 + d.readUInt16LE(at + 26) + d.readUInt16LE(at + 28);
    if (start + entry.compressedSize > d.length) throw damaged();
    return d.subarray(start, start + entry.compressedSize);
  }

  /** A part's bytes, or null when the package has no such part. */
  bytes(name: string): Buffer | null {
    const entry = this.byName.get(name);
    if (!entry) return null;
    if (name.endsWith("/")) return Buffer.alloc(0);
    const packed = this.raw(entry);
    let out: Buffer;
    if (entry.method === 0) {
      if (packed.length !== entry.size) throw damaged();
      out = packed;
    } else if (entry.method === 8) {
      try {
        out = inflateRawSync(packed, { maxOutputLength: Math.max(1, entry.size) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
          throw new WorkbookError("zip-bomb", { part: name, size: `> ${entry.size}`, packed: entry.compressedSize });
        }
        throw damaged();
      }
    } else {
      throw damaged();
    }
    if (out.length !== entry.size || crc32(out) >>> 0 !== entry.crc) throw damaged();
    return out;
  }

  /** A part as text (UTF-8), or null when the package has no such part. */
  text(name: string): string | null {
    const bytes = this.bytes(name);
    return bytes === null ? null : bytes.toString("utf8");
  }
}

/** Sizes and offset that do not fit 32 bits are in the entry's ZIP64 extra field. */
function readZip64Extra(d: Buffer, from: number, length: number, entry: ZipEntry): void {
  if (entry.size !== MAX32 && entry.compressedSize !== MAX32 && entry.offset !== MAX32) return;
  for (let i = from; i + 4 <= from + length;) {
    const id = d.readUInt16LE(i);
    const size = d.readUInt16LE(i + 2);
    if (id === 1) {
      let p = i + 4;
      const next = (): number => {
        if (p + 8 > i + 4 + size) throw damaged();
        const v = Number(d.readBigUInt64LE(p));
        p += 8;
        return v;
      };
      if (entry.size === MAX32) entry.size = next();
      if (entry.compressedSize === MAX32) entry.compressedSize = next();
      if (entry.offset === MAX32) entry.offset = next();
      return;
    }
    i += 4 + size;
  }
}

/** A part of a package being written: copied as stored, or new bytes. */
export type OutPart = { name: string; from: ZipEntry } | { name: string; bytes: Buffer; like?: ZipEntry };

/** Writes a zip package: copied parts keep their stored bytes; new bytes are deflated. */
export function writeZip(archive: ZipArchive, parts: OutPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, "utf8");
    let method: number;
    let crc: number;
    let size: number;
    let data: Buffer;
    let time = 0;
    let date = 0x21; // 1980-01-01
    if ("from" in part) {
      ({ method, crc, size, time, date } = part.from);
      data = archive.raw(part.from);
    } else {
      method = 8;
      crc = crc32(part.bytes) >>> 0;
      size = part.bytes.length;
      data = deflateRawSync(part.bytes);
      if (part.like) ({ time, date } = part.like);
    }
    if (size >= MAX32 || data.length >= MAX32 || offset >= MAX32) throw new WorkbookError("unsupported-write");
    const utf8 = /[^\x20-\x7e]/.test(part.name) ? 0x800 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(utf8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(CENTRAL, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(utf8, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt16LE(time, 12);
    entry.writeUInt16LE(date, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    chunks.push(local, name, data);
    central.push(entry, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  if (parts.length >= 0xffff || offset + directory.length >= MAX32) throw new WorkbookError("unsupported-write");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}
