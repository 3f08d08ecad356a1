/**
 * What `npm run bench` prints is also kept, line by line, for docs/benchmarks.md.
 * Every section writes through `emit` so the page and the terminal show the same figures.
 */
const lines: string[] = [];

/** Prints a line and keeps it for the generated page. */
export function emit(line = ""): void {
  console.log(line);
  lines.push(line);
}

/** A titled section: a blank line, a heading, and an optional sentence on what is measured. */
export function section(title: string, about?: string): void {
  emit("");
  emit(`## ${title}`);
  if (about !== undefined) {
    emit("");
    emit(about);
  }
  emit("");
}

/** Everything emitted so far. */
export function emitted(): readonly string[] {
  return lines;
}

/** How the bench bundles code it compares (an earlier commit's, this checkout's) into one Node module. */
export const NODE_MODULE = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
} as const;

export const fmt = (n: number, digits?: number): string =>
  new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits ?? (Math.abs(n) < 10 ? 2 : 0) }).format(n);

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
