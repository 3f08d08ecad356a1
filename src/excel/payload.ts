/**
 * Excel on the web's request and response limit, and how the adapter keeps under it: requests are
 * planned from the size of what they carry, reads are made in blocks of rows sized from what
 * earlier blocks measured, and a block that still comes back too large is read again in halves.
 */

/** Excel on the web refuses a request, and a response, larger than this (5 MB). */
export const PAYLOAD_LIMIT = 5 * 1024 * 1024;
/** What one request is planned to carry at most, counted as the JSON of its data: well under the limit. */
export const REQUEST_BUDGET = 3_000_000;
/** What one block of rows is read to, counted as the JSON of its response. */
export const RESPONSE_BUDGET = 2_000_000;
/**
 * Rows read with the sheet's other properties in the first sync, before the sheet's width is
 * known: a table of up to about ten columns and this many rows is read in that one sync. A wider
 * sheet whose first rows come back too large is read again in measured blocks.
 */
export const FIRST_ROWS = 6_000;
/** Cells of the first measured block, when the first sync could not read any. */
export const START_CELLS = 20_000;
/** What a command costs in a request besides its data (its object path and method), counted generously. */
export const COMMAND_BYTES = 400;

/** Whether Excel refused a request or a response for its size. */
export function isPayloadLimit(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}

/** The size of data in a request or a response: its JSON, in UTF-8 bytes. */
export function jsonBytes(data: unknown): number {
  const json = JSON.stringify(data) ?? "null";
  let bytes = json.length;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    // Two bytes up to U+07FF, three beyond; a surrogate pair (two code units) is four.
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 1 : 2;
  }
  return bytes;
}

/**
 * How many rows to read per block: a first guess from a cell count, then what earlier blocks
 * measured per cell (the largest seen), and never more than a block that proved too large.
 */
export class BlockSizer {
  private perCell: number | null = null;
  private cap = Number.POSITIVE_INFINITY;
  constructor(private readonly budget = RESPONSE_BUDGET) {}
  rows(cols: number): number {
    const guess = this.perCell === null ? START_CELLS / cols : this.budget / (this.perCell * cols);
    return Math.max(1, Math.min(this.cap, Math.floor(guess)));
  }
  learn(bytes: number, cells: number): void {
    if (cells === 0) return;
    this.perCell = Math.max(this.perCell ?? 0, bytes / cells);
  }
  /** A block of `rows` rows was too large: later blocks get at most half of it. */
  tooLarge(rows: number): void {
    this.cap = Math.max(1, Math.floor(rows / 2));
  }
}

/** Splits sized items into requests of at most `budget` bytes each (an item larger than that goes alone). */
export function packRequests<T extends { bytes: number }>(items: readonly T[], budget: number): T[][] {
  const requests: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && bytes + item.bytes > budget) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
