/**
 * A part read with saxes, handed out as the scanner hands out tokens (src/cli/xml-scan.ts): the
 * reference the scanner is compared with. The readers that consume the tokens are the same, so
 * any difference in what they make comes from the scanner.
 */
import { SaxesParser } from "saxes";
import { WorkbookError } from "../../src/xlsx/errors";
import { CLOSE, END, OPEN, TEXT, type Token, type Tokens } from "../../src/xlsx/xml";

type Event = { token: Token; name: string; text: string; attributes: Record<string, string> };

export function saxesTokens(xml: string, part: string): Tokens {
  const events: Event[] = [];
  const local = (name: string): string => name.slice(name.indexOf(":") + 1);
  const parser = new SaxesParser({ position: false });
  parser.on("opentag", (tag) =>
    events.push({ token: OPEN, name: local(tag.name), text: "", attributes: tag.attributes as Record<string, string> }),
  );
  parser.on("closetag", (tag) => events.push({ token: CLOSE, name: local(tag.name), text: "", attributes: {} }));
  const text = (t: string): number => events.push({ token: TEXT, name: "", text: t, attributes: {} });
  parser.on("text", text);
  parser.on("cdata", text);
  const fail = (what: string): never => {
    throw new WorkbookError("unreadable", { detail: `${part}: ${what}` });
  };
  parser.on("error", (e: Error) => fail(e.message.split("\n")[0]));
  parser.write(xml).close();
  let at = -1;
  let current: Event = { token: END, name: "", text: "", attributes: {} };
  return {
    next() {
      at++;
      current = events[at] ?? { token: END, name: "", text: "", attributes: {} };
      return current.token;
    },
    get name() {
      return current.name;
    },
    get text() {
      return current.text;
    },
    attr: (name) => current.attributes[name],
    fail,
  };
}
