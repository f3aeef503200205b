/** A date known to the year, the month or the day, as sources give them: `2019`, `2019-07`, `2019-07-12`. */
export type DatePrecision = 'YEAR' | 'MONTH' | 'DAY';

export const DATE_PRECISIONS: readonly DatePrecision[] = ['YEAR', 'MONTH', 'DAY'];

const PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

/** The stored form: the first day of the period plus its precision. */
export interface StoredDate {
  date: string;
  precision: DatePrecision;
}

export function isPartialDate(value: string): boolean {
  const m = PATTERN.exec(value);
  // There is no year 0 (1 BC comes before AD 1): the database refuses it.
  if (!m || m[1] === '0000') return false;
  if (m[3] === undefined) return true;
  const d = new Date(`${value}T00:00:00Z`);
  return d.getUTCDate() === Number(m[3]);
}

export function parsePartialDate(value: string): StoredDate {
  const m = PATTERN.exec(value);
  if (!m || !isPartialDate(value)) {
    throw new RangeError(`"${value}" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`);
  }
  const [, year, month, day] = m;
  if (day !== undefined) return { date: value, precision: 'DAY' };
  if (month !== undefined) return { date: `${year}-${month}-01`, precision: 'MONTH' };
  return { date: `${year}-01-01`, precision: 'YEAR' };
}

export function formatPartialDate(date: string | null, precision: DatePrecision | null): string | null {
  if (date === null || precision === null) return null;
  const iso = date.slice(0, 10);
  switch (precision) {
    case 'YEAR':
      return iso.slice(0, 4);
    case 'MONTH':
      return iso.slice(0, 7);
    case 'DAY':
      return iso;
  }
}
