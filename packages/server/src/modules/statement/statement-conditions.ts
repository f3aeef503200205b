/**
 * The one rule for matching a statement's topic and forum, shared by every filter that has them (the
 * statements list and its facets, a signatory's signing history, `jointly export --topic/--forum`):
 * an exact match that ignores case and accents ("xinjiang" and "XINJIANG" find "Xinjiang", "Tibét"
 * finds "Tibet"), never a substring. Both sides go through `jointly_fold` (lower case, unaccent;
 * migration FoldedFilters), and each condition is the expression its index is built on
 * (ix_statement_folded_topics, ix_statement_folded_forum).
 *
 * `alias` is the statement table's alias, `placeholder` the bound value's ($n).
 */
export function topicCondition(alias: string, placeholder: string): string {
  return `jointly_fold_all(${alias}.topics) @> ARRAY[jointly_fold(${placeholder}::text)]`;
}

/** See topicCondition. */
export function forumCondition(alias: string, placeholder: string): string {
  return `jointly_fold(${alias}.forum) = jointly_fold(${placeholder}::text)`;
}

/** A value grouped the way the filters match it (facets count "Tibet" and "tibet" as one). */
export function folded(expression: string): string {
  return `jointly_fold(${expression})`;
}

