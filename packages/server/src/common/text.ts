/**
 * The bounds of text the archive takes, from the API and from bundles alike, by the name of the
 * field that holds it: longer than any real value of that field, short enough that no request can
 * make the database or the event loop work on megabytes. A field not named here takes `default`.
 */
export const TEXT_LIMITS = Object.freeze({
  /** Keys, names, references, dates, codes, filter values: anything short. */
  default: 200,
  /** A web-search query (`search`, `query`). */
  search: 500,
  /** An opaque page cursor (`after`, `before`). */
  cursor: 4096,
  /** A statement's, source's or role's title; a name; an agenda item. */
  title: 500,
  url: 2000,
  /** A source's summary; a quoted passage. */
  summary: 10_000,
  /** A statement's text. */
  text: 100_000,
  /** A source's body: the whole article. */
  body: 200_000,
});

/** Which bound applies to a field, by its name. */
export function textLimitOf(field: string): number {
  switch (field) {
    case 'search':
    case 'query':
      return TEXT_LIMITS.search;
    case 'after':
    case 'before':
      return TEXT_LIMITS.cursor;
    case 'title':
    case 'name':
    case 'agendaItem':
      return TEXT_LIMITS.title;
    case 'url':
      return TEXT_LIMITS.url;
    case 'summary':
    case 'quote':
      return TEXT_LIMITS.summary;
    case 'text':
      return TEXT_LIMITS.text;
    case 'body':
      return TEXT_LIMITS.body;
    default:
      return TEXT_LIMITS.default;
  }
}

// NUL (PostgreSQL text cannot hold it) and UTF-16 surrogates that are not part of a pair (they have
// no UTF-8 form: the driver would write U+FFFD, jsonb refuses the escape).
// eslint-disable-next-line no-control-regex
const BAD_CHARACTER = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string's characters, in words, or undefined when nothing is. */
export function badCharacter(value: string): string | undefined {
  const found = BAD_CHARACTER.exec(value);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? `a NUL character (at index ${found.index}), which text cannot hold`
    : `a lone UTF-16 surrogate (at index ${found.index}), which is no character`;
}
