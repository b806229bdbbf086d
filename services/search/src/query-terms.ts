// Turns what someone typed into words and, once the lexicon has said which words it knows, into
// a PostgreSQL tsquery. Tokenizing here mirrors to_tsvector('simple'): lower case, split on
// anything that is not a letter or digit.

/** Most words of a keyword that take part in a search; the rest are ignored. */
export const maxWords = 8;

/** Lower-cased words of a text, in order. */
export function wordsOf(text: string): string[] {
  return text
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

export interface KeywordQuery {
  /** Words in order, at most maxWords. */
  words: string[];
  /** Whether the last word is still being typed (no trailing space): it then matches as a prefix. */
  lastIsPrefix: boolean;
  /** The words joined by single spaces: compared with an event's normalized name for exact hits. */
  normalized: string;
}

export function parseKeyword(keyword: string): KeywordQuery {
  const words = wordsOf(keyword).slice(0, maxWords);
  // A single letter as a prefix would match half the index; it only narrows once there are two.
  const last = words.at(-1) ?? "";
  const lastIsPrefix = words.length > 0 && !/\s$/.test(keyword) && last.length >= 2;
  return { words, lastIsPrefix, normalized: words.join(" ") };
}

/** What the lexicon knows about one query word. */
export interface WordExpansion {
  word: string;
  prefix: boolean;
  /** Indexed words close to this one, used when the word itself is unknown (a typo). */
  alternatives: string[];
}

export interface TsQueries {
  /** What must match: every word, each as typed (a prefix while being typed) or as a close word. */
  match: string;
  /** Whole words only, typos replaced by close words: ranks "swift" above "swiftwater". */
  words: string;
  /** The words exactly as typed: ranks a hit on what was typed above a typo correction. */
  exact: string;
}

const quote = (w: string) => `'${w.replace(/'/g, "''")}'`;
const any = (options: string[]) =>
  options.length === 1 ? (options[0] as string) : `(${options.join(" | ")})`;

/**
 * Every word must match (AND). "taylr swft" →
 * match ('taylr' | 'taylor') & ('swft':* | 'swift'), words ('taylr' | 'taylor') & ('swft' | 'swift'),
 * exact 'taylr' & 'swft'.
 */
export function toTsQueries(expansions: WordExpansion[]): TsQueries {
  const match = expansions.map(({ word, prefix, alternatives }) =>
    any([prefix ? `${quote(word)}:*` : quote(word), ...alternatives.map(quote)]),
  );
  const words = expansions.map(({ word, alternatives }) => any([quote(word), ...alternatives.map(quote)]));
  const exact = expansions.map(({ word }) => quote(word));
  return { match: match.join(" & "), words: words.join(" & "), exact: exact.join(" & ") };
}
