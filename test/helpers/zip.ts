/**
 * A zip package in memory, for making and editing test workbooks: read, change parts, write
 * again. Made with fflate, a zip library other than the product's own container code, so that
 * the tests read what another implementation wrote.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

export class Zip {
  private readonly parts = new Map<string, Uint8Array>();

  /** A package's parts, in the order it holds them. */
  static load(data: Uint8Array): Zip {
    const zip = new Zip();
    for (const [name, bytes] of Object.entries(unzipSync(data))) if (!name.endsWith("/")) zip.parts.set(name, bytes);
    return zip;
  }

  names(): string[] {
    return [...this.parts.keys()];
  }

  has(name: string): boolean {
    return this.parts.has(name);
  }

  /** A part's text; a missing part fails the test that asks for it. */
  text(name: string): string {
    return strFromU8(this.bytes(name));
  }

  bytes(name: string): Buffer {
    const b = this.parts.get(name);
    if (!b) throw new Error(`the package has no part ${name}`);
    return Buffer.from(b);
  }

  set(name: string, data: string | Uint8Array): this {
    this.parts.set(name, typeof data === "string" ? strToU8(data) : data);
    return this;
  }

  remove(name: string): this {
    this.parts.delete(name);
    return this;
  }

  /** The package's bytes, every part deflated (or stored, with `store`). */
  toBuffer(options: { store?: boolean } = {}): Buffer {
    const level = options.store ? 0 : 6;
    return Buffer.from(zipSync(Object.fromEntries(this.parts), { level }));
  }
}
