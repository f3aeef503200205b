import { parsePartialDate } from './partial-date';

/** The first day of a partial date's period: "2019" → 2019-01-01. */
export function periodStart(value: string): string {
  return parsePartialDate(value).date;
}

/** The last day of a partial date's period: "2019" → 2019-12-31, "2020-02" → 2020-02-29. */
export function periodEnd(value: string): string {
  const { date, precision } = parsePartialDate(value);
  if (precision === 'DAY') return date;
  const start = new Date(`${date}T00:00:00Z`);
  const next = precision === 'YEAR' ? Date.UTC(start.getUTCFullYear() + 1, 0, 1) : Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  return new Date(next - 86_400_000).toISOString().slice(0, 10);
}
