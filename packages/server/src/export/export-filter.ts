import { isPartialDate } from '../common/partial-date';
import { periodEnd, periodStart } from '../common/partial-date-range';
import { forumCondition, topicCondition } from '../modules/statement/statement-conditions';

/**
 * Which statements an export holds. Every field narrows; none means the whole archive.
 * `from`/`to` are partial dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) meaning the start/end of that period.
 */
export interface ExportFilter {
  /** Statements listing this topic, ignoring case and accents ("tibet" finds "Tibet"; see statement-conditions.ts). */
  topic?: string;
  /** Statements at this forum, ignoring case and accents. */
  forum?: string;
  from?: string;
  to?: string;
}

/** Thrown by the export functions for a filter that cannot be applied (a bad date, an empty topic). */
export class ExportFilterError extends Error {
  override readonly name = 'ExportFilterError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * What is wrong with a filter, one sentence each; `name` says how a field is called to the reader
 * (the CLI passes `(f) => '--' + f`).
 */
export function exportFilterProblems(filter: ExportFilter, name: (field: keyof ExportFilter) => string = (f) => f): string[] {
  const problems: string[] = [];
  for (const field of ['topic', 'forum'] as const) {
    if (filter[field] !== undefined && filter[field].trim() === '') problems.push(`${name(field)} is empty`);
  }
  for (const field of ['from', 'to'] as const) {
    const value = filter[field];
    if (value !== undefined && !isPartialDate(value)) {
      problems.push(`${name(field)} "${value}" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`);
    }
  }
  if (problems.length === 0 && filter.from !== undefined && filter.to !== undefined && periodStart(filter.from) > periodEnd(filter.to)) {
    problems.push(`${name('from')} "${filter.from}" is after ${name('to')} "${filter.to}"`);
  }
  return problems;
}

export function isFiltered(filter: ExportFilter): boolean {
  return filter.topic !== undefined || filter.forum !== undefined || filter.from !== undefined || filter.to !== undefined;
}

/**
 * The filter as SQL conditions on the statement table aliased `alias` (each `AND …`), its values
 * appended to `params`. Soft-deleted statements are always left out. Throws ExportFilterError.
 */
export function statementConditions(filter: ExportFilter, alias: string, params: unknown[]): string {
  const problems = exportFilterProblems(filter);
  if (problems.length) throw new ExportFilterError(problems);
  const conditions = [`${alias}.deleted_at IS NULL`];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.topic !== undefined) add((p) => topicCondition(alias, p), filter.topic);
  if (filter.forum !== undefined) add((p) => forumCondition(alias, p), filter.forum);
  if (filter.from !== undefined) add((p) => `${alias}.date >= ${p}::date`, periodStart(filter.from));
  if (filter.to !== undefined) add((p) => `${alias}.date <= ${p}::date`, periodEnd(filter.to));
  return conditions.join(' AND ');
}

/** Code-unit order: the same on every database and locale, so that exports are byte-stable. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
