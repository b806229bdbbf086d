// The typo lexicon: every word of an event, performer, venue or city name, with a trigram index.
// A query word the index does not know is matched through its closest known words instead.
import type { Queryable } from "./index-tables.ts";
import type { WordExpansion } from "./query-terms.ts";
import { VersionScopedCache } from "./version-scoped-cache.ts";

// One round trip for all words. Prefix existence uses a btree range (the database collates in C,
// and words are letters and digits only), never a leading-wildcard LIKE. Words under 3 characters
// have no useful trigrams, so they are never treated as typos. Swapped neighbouring letters
// ("swfit") share too few trigrams with the word meant, so those variants are looked up exactly.
// A last word that is already a whole known word ("london") is matched exactly, not as a prefix:
// a GIN prefix scan merges every posting list it covers and costs several times more.
const expandSql = `
  select q.word, q.prefix and not exists (select 1 from search.term t where t.word = q.word) as prefix,
    case when length(q.word) < 3
           or exists (select 1 from search.term t where t.word = q.word)
           or (q.prefix and exists (select 1 from search.term t
                 where t.word >= q.word and t.word < q.word || chr(1114111)))
      then array[]::text[]
      else array(
        select a.word from (
          select t.word, 2.0 as score from unnest($4::text[], $5::int[]) as v(variant, n)
            join search.term t on t.word = v.variant where v.n = q.n
          union
          (select t.word, public.similarity(t.word, q.word) from search.term t
            where t.word operator(public.%) q.word
            order by public.similarity(t.word, q.word) desc, t.word limit $3)
        ) a group by a.word order by max(a.score) desc, a.word limit $3)
    end as alternatives
  from unnest($1::text[], $2::bool[]) with ordinality as q(word, prefix, n)
  order by q.n`;

/** Every word made by swapping two neighbouring letters. */
export function transpositions(word: string): string[] {
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] === chars[i + 1]) continue;
    const swapped = [...chars];
    [swapped[i], swapped[i + 1]] = [swapped[i + 1] as string, swapped[i] as string];
    out.add(swapped.join(""));
  }
  return [...out];
}

/** Alternatives offered per unknown word. */
const maxAlternatives = 3;

export class Lexicon {
  // A word that arrives with a change must be typo-searchable at once, yet a typo asked just
  // before it arrived would otherwise stay cached as "no alternatives": so per index version.
  private readonly cache = new VersionScopedCache<WordExpansion>(60_000, 10_000);

  constructor(private readonly db: Queryable) {}

  /**
   * Expands words in order; the last one is a prefix when `lastIsPrefix`. `indexVersion` is the
   * index version the caller read before asking; null (unknown) means nothing is reused.
   */
  async expand(
    words: string[],
    lastIsPrefix: boolean,
    indexVersion: string | null = null,
  ): Promise<WordExpansion[]> {
    const wanted = words.map((word, i) => ({ word, prefix: lastIsPrefix && i === words.length - 1 }));
    const found = new Map<string, WordExpansion>();
    for (const w of wanted) {
      const hit = this.cache.get(indexVersion, key(w));
      if (hit) found.set(key(w), hit);
    }
    const missing = wanted.filter((w) => !found.has(key(w)));
    if (missing.length > 0) {
      const variants = missing.flatMap((w, i) => transpositions(w.word).map((v) => [v, i + 1] as const));
      const { rows } = await this.db.query<{ word: string; prefix: boolean; alternatives: string[] }>(
        expandSql,
        [
          missing.map((w) => w.word),
          missing.map((w) => w.prefix),
          maxAlternatives,
          variants.map(([v]) => v),
          variants.map(([, n]) => n),
        ],
      );
      // Rows come back in request order; the cache is keyed by what was asked, since a known word
      // comes back as no longer a prefix.
      rows.forEach((row, i) => {
        const asked = missing[i];
        if (!asked) return;
        const expansion = { word: row.word, prefix: row.prefix, alternatives: row.alternatives };
        found.set(key(asked), expansion);
        this.cache.set(indexVersion, key(asked), expansion);
      });
    }
    return wanted.map((w) => found.get(key(w)) ?? { ...w, alternatives: [] });
  }
}

const key = (w: { word: string; prefix: boolean }) => `${w.prefix ? "p" : "w"}:${w.word}`;
