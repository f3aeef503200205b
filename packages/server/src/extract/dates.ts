import * as chrono from 'chrono-node';
import type { Passage } from './text';

/** A date found in a passage: resolved, or ambiguous (a day without a year and no publication date to place it). */
export type FoundDate = { date: string; passage: Passage; relative: boolean } | { ambiguous: string; passage: Passage };

/** Words that name a day only relative to when the text was written. */
const RELATIVE = /\b(?:today|yesterday|tomorrow|tonight|now|ago|last|this|next)\b/i;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A bundle date (YYYY, YYYY-MM or YYYY-MM-DD) checked on the calendar, or null. */
export function bundleDate(text: string): string | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  if (m[3] !== undefined) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return iso(d) === text.trim() ? text.trim() : null;
  }
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) return null;
  return text.trim();
}

/** A full date (day, month and year all written) in a line such as "October 22, 2021". */
export function absoluteDate(text: string): string | null {
  const result = chrono.parse(text, { instant: new Date(Date.UTC(2000, 0, 1)), timezone: 0 })[0];
  if (!result || !['day', 'month', 'year'].every((c) => result.start.isCertain(c as chrono.Component))) return null;
  return `${result.start.get('year')}-${pad(result.start.get('month')!)}-${pad(result.start.get('day')!)}`;
}

/**
 * The days a passage names ("on Thursday", "October 21", "21 October 2021"), resolved against the
 * publication date: a weekday to the last such day on or before it, a day without a year to the last
 * such day on or before it. Without a publication date only days with their year are resolved; the
 * others are ambiguous. Months and years alone ("since September 2018") are not days and are skipped.
 */
export function daysIn(passage: Passage, published: string | undefined): FoundDate[] {
  const full = published !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(published);
  const reference = full ? new Date(`${published}T12:00:00Z`) : new Date(Date.UTC(2000, 0, 1, 12));
  const found: FoundDate[] = [];
  for (const result of chrono.parse(passage.text, { instant: reference, timezone: 0 }, { forwardDate: false })) {
    const start = result.start;
    const text = result.text.trim().replace(/[\s,.;:]+$/, '');
    const offset = passage.start + result.index + (result.text.length - result.text.trimStart().length);
    const at: Passage = { text, start: offset, end: offset + text.length };
    const weekdayOnly = start.isCertain('weekday') && !start.isCertain('day');
    if (!weekdayOnly && !start.isCertain('day')) continue;
    const yearKnown = start.isCertain('year');
    if ((!yearKnown || RELATIVE.test(text)) && !full) {
      found.push({ ambiguous: text, passage: at });
      continue;
    }
    const date = new Date(Date.UTC(start.get('year')!, start.get('month')! - 1, start.get('day')!));
    if (full && date > reference) {
      if (weekdayOnly) date.setUTCDate(date.getUTCDate() - 7);
      else if (!yearKnown) date.setUTCFullYear(date.getUTCFullYear() - 1);
    }
    found.push({ date: iso(date), passage: at, relative: !yearKnown });
  }
  return found;
}
