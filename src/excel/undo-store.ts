/**
 * Where the pane's own undo keeps what a write replaced, so that "Ångra" works after the pane was
 * reopened, on hosts without Excel's undo for add-ins, and for a write that was interrupted.
 *
 * - The cells go in custom XML parts of the workbook, each well under a request's size, so a
 *   snapshot grows with the write and never meets the size limit of workbook settings. They are no
 *   sheet, so neither the pane nor the command can take them for a table.
 * - A small header per writer goes in the add-in's settings: which sheet, when, how many cells, the
 *   flag format to bring back, and whether every part of the write was made.
 * - A writer is an installation of the add-in (a random id it keeps in its own storage). Each
 *   writer's snapshot has its own setting and parts, so two people writing the same workbook
 *   never replace each other's snapshot.
 */
import type { FlagRecord, Rect } from "./adapter";

/** The setting of a writer's undo header is this followed by the writer's id. */
export const UNDO_PREFIX = "prognoskoll.undo.";
/** A snapshot's parts have the namespace `${UNDO_NAMESPACE}:${writer}:${snapshot id}`. */
export const UNDO_NAMESPACE = "urn:prognoskoll:undo";
/** Snapshot data per custom XML part, in bytes as measured (the part's size in a request). */
export const PART_BYTES = 1_000_000;

type Scalar = string | number | boolean;

/** One written cell: sheet row and column (0-based), what it held (formula or constant, number format), what was written. */
export type SavedCell = [row: number, col: number, formula: Scalar, numberFormat: string, written: Scalar];

export interface UndoHeader {
  id: string;
  /** The installation of the add-in that wrote. */
  writer: string;
  /** When the write was made (ISO 8601). */
  time: string;
  sheet: string;
  /** The rows and columns the written cells span. */
  area: Rect;
  cells: number;
  /** The flag format the write replaced, to put back (null: there was none). */
  flags: FlagRecord | null;
  /** False while the write is being made, and after one that was interrupted and could not be taken back. */
  complete: boolean;
}

export function headerKey(writer: string): string {
  return UNDO_PREFIX + writer;
}

export function partNamespace(writer: string, id: string): string {
  return `${UNDO_NAMESPACE}:${writer}:${id}`;
}

/** Whether a part belongs to a writer (any of its snapshots). */
export function isWritersPart(namespaceUri: string, writer: string): boolean {
  return namespaceUri.startsWith(`${UNDO_NAMESPACE}:${writer}:`);
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const unescapeText = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/**
 * The snapshot's cells as XML parts, each at most PART_BYTES as `measure` counts (a single huge
 * cell alone).
 */
export function snapshotParts(
  namespaceUri: string,
  cells: readonly SavedCell[],
  measure: (text: string) => number = (text) => text.length,
  partBytes = PART_BYTES,
): string[] {
  const open = `<snapshot xmlns="${namespaceUri}">[`;
  const close = "]</snapshot>";
  const parts: string[] = [];
  let body: string[] = [];
  const frame = measure(open + close);
  let size = frame;
  for (const cell of cells) {
    const item = escapeText(JSON.stringify(cell));
    const bytes = measure(item) + 1;
    if (body.length > 0 && size + bytes > partBytes) {
      parts.push(open + body.join(",") + close);
      body = [];
      size = frame;
    }
    body.push(item);
    size += bytes;
  }
  if (body.length > 0 || parts.length === 0) parts.push(open + body.join(",") + close);
  return parts;
}

/** The cells of one part's XML; a part that is not a snapshot gives none. */
export function cellsOfPart(xml: string): SavedCell[] {
  const m = /<snapshot\b[^>]*>([\s\S]*)<\/snapshot>/.exec(xml);
  if (!m) return [];
  const cells = JSON.parse(unescapeText(m[1])) as unknown;
  return Array.isArray(cells) ? (cells as SavedCell[]) : [];
}

/** A random id: for a snapshot, or for an installation of the add-in. */
export function randomId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
