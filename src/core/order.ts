/**
 * Decides every line whose decision may wait on other lines' (a sum's on its parts'), each after
 * the lines it waits on, depth first with a stack of its own: a sheet may chain totals deeper than
 * the call stack goes.
 * - `alone(i)` decides line i where it can without waiting (true), else leaves it (false);
 * - `waitsOn(i)` lists the lines line i waits on;
 * - `after(i)` decides line i once they are decided.
 * Each line is begun once, in order: every line, or only the lines of `from` (and, through them,
 * the lines they wait on) where the others need no deciding. A line met again while it waits
 * (lines that wait on each other, through circular formulas) is not begun again: what waits on it
 * reads it as it stands.
 */
export function dependenciesFirst(
  count: number,
  alone: (i: number) => boolean,
  waitsOn: (i: number) => readonly number[],
  after: (i: number) => void,
  from?: ArrayLike<number>,
): void {
  const begun = new Uint8Array(count);
  const stack: number[] = [];
  /** For each line on the stack, the next of the lines it waits on to look at. */
  const next: number[] = [];
  const begin = (i: number): void => {
    begun[i] = 1;
    if (alone(i)) return;
    stack.push(i);
    next.push(0);
  };
  const roots = from ? from.length : count;
  for (let r = 0; r < roots; r++) {
    const i = from ? from[r] : r;
    if (begun[i] === 1) continue;
    begin(i);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const line = stack[top];
      const waits = waitsOn(line);
      while (next[top] < waits.length && stack.length === top + 1) {
        const p = waits[next[top]++];
        if (begun[p] === 0) begin(p);
      }
      if (stack.length > top + 1) continue;
      after(line);
      stack.pop();
      next.pop();
    }
  }
}
