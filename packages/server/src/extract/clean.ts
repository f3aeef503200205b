/** A source's text cleaned for drafting: what the bundle's `body` holds, and what was read off around it. */
export interface CleanSource {
  title?: string;
  /** Paragraphs separated by blank lines; lines inside a paragraph (a list) kept. */
  body: string;
  /** The first line that is only a date (the article's date line), as written; it stays in the body. */
  dateLine?: string;
}

/** Lines that are page furniture, not the article: share and subscribe buttons, navigation, tag remnants. */
export const FURNITURE_LINES: readonly RegExp[] = [
  /^!?--.*-->?$/, // an HTML comment's remains ("!-- Google tag (gtag.js) -->")
  /^<!--/,
  /^(?:share|tweet|email|print|subscribe|sign up|follow us|newsletter|advertisement|skip to|read more|related|menu|home|search|log ?in|cookie)s?\b.{0,60}$/i,
  /^(?:share (?:on|this|via)|facebook|twitter|linkedin|whatsapp|telegram)\b.{0,60}$/i,
  /^(?:press release|for immediate release|news release)$/i,
  /^(?:home|news|about)\s*(?:[>›»|/]\s*\S.{0,80})$/i, // breadcrumbs
];

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”',
  ndash: '–', mdash: '—', hellip: '…', eacute: 'é', egrave: 'è', ocirc: 'ô', uuml: 'ü',
};

/** Whether a text is HTML rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /<(?:html|body|p|div|article|h1|br)\b[^>]*>/i.test(text);
}

/** Decodes the character references of HTML text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** HTML to plain text: scripts, styles, navigation, headers and footers dropped; blocks become paragraphs, list items lines. */
export function htmlToText(html: string): { text: string; title?: string } {
  const title = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1] ?? /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|nav|header|footer|aside|form|button|svg|template|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|section|article|h[1-6]|ul|ol|table|tr|blockquote|main|figure|figcaption)\b[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '');
  const decoded = decodeEntities(text);
  return title === undefined ? { text: decoded } : { text: decoded, title: oneLine(decodeEntities(title.replace(/<[^>]+>/g, ''))) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether a line is page furniture (FURNITURE_LINES). */
export function isFurniture(line: string): boolean {
  return FURNITURE_LINES.some((pattern) => pattern.test(line));
}

/** A line that is only a date ("October 22, 2021", "22 October 2021", "2021-10-22"). */
export const DATE_LINE = /^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{4}|\d{4}-\d{2}-\d{2})$/;

/**
 * Cleans a source: HTML to text, furniture lines dropped, the title (the first line, or the HTML
 * heading) a date-only line noted (it stays in the body, as the day it names may be quoted), lines that repeat the title dropped, white space tidied.
 */
export function cleanSource(raw: string): CleanSource {
  const html = looksLikeHtml(raw) ? htmlToText(raw) : undefined;
  const text = (html?.text ?? raw).replace(/\r\n?/g, '\n').replace(/[\u00a0\t]/g, ' ');
  let title = html?.title;
  let dateLine: string | undefined;
  const paragraphs: string[][] = [[]];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/ {2,}/g, ' ').trim();
    if (line === '') {
      if (paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
      continue;
    }
    if (isFurniture(line)) continue;
    if (title === undefined) {
      title = line;
      continue;
    }
    if (line === title) continue;
    if (dateLine === undefined && DATE_LINE.test(line)) dateLine = line;
    paragraphs[paragraphs.length - 1]!.push(line);
  }
  const body = paragraphs
    .filter((p) => p.length > 0)
    .map((p) => p.join('\n'))
    .join('\n\n');
  return { body, ...(title === undefined ? {} : { title }), ...(dateLine === undefined ? {} : { dateLine }) };
}
