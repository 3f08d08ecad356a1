import type { Lang } from "../core";

export type Params = Record<string, unknown>;

/** Message texts by key, in one language. */
export type Texts<K extends string> = Record<K, (p: Params) => string>;

/** An error whose message is made in the user's language when it is shown. */
export class LocalizedError<K extends string> extends Error {
  constructor(
    private readonly texts: Record<Lang, Texts<K>>,
    readonly key: K,
    readonly params: Params = {},
  ) {
    super(texts.en[key](params));
  }
  text(lang: Lang): string {
    return this.texts[lang][this.key](this.params);
  }
}
