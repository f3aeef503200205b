import { COUNT_SOURCE, parseCount } from './numbers';

/**
 * The drafting rules, as data: each pattern has a name (shown in the report's facts) and is tested on
 * its own in rules.spec.ts. To read a new turn of phrase, add a rule here and a test beside it.
 */

/** A capitalised word, and a run of them with the particles of personal names. */
const CAP = String.raw`\p{Lu}[\p{L}’'.-]*`;
/** A capitalised word without apostrophes ("China" of "China’s"). */
const WORD = String.raw`\p{Lu}[\p{L}.-]*\p{L}`;
const NAME_RUN = String.raw`${CAP}(?: (?:${CAP}|de|du|des|van|der|von|al|el|la|le|bin|di|da))*`;
const COUNT = `(?<n>${COUNT_SOURCE})`;
const STATES_WORD = String.raw`(?:other )?(?:UN )?(?:member )?(?:countries|states|nations|delegations)`;

/** A pattern and its name. */
export interface NamedRule {
  name: string;
  pattern: RegExp;
}

/** Who read a statement, for whom. Groups: `phrase` (state or demonym, role, person) or `actor`, `role`, `person`. */
export const READER_RULES: readonly NamedRule[] = [
  { name: 'read-by', pattern: new RegExp(String.raw`\b(?:read|delivered|presented)(?: out)? by (?:the )?(?<phrase>${NAME_RUN})`, 'u') },
  {
    name: 'possessive-role',
    pattern: new RegExp(
      String.raw`(?<actor>${CAP}(?: ${CAP})?)[’']s (?<role>(?:(?:permanent|deputy|chief|top) )*(?:UN |United Nations )?(?:ambassador|envoy|representative|delegate)(?: to the (?:UN|United Nations))?),? (?<person>${NAME_RUN})`,
      'u',
    ),
  },
  {
    name: 'demonym-role',
    pattern: new RegExp(
      String.raw`\b[Tt]he (?<actor>${CAP}(?: ${CAP})?) (?<role>(?:(?:permanent|deputy|UN) )*(?:envoy|delegate|ambassador|representative|delegation|mission|foreign minister))\b(?:,? (?<person>${CAP} ${NAME_RUN}),?)?`,
      'u',
    ),
  },
  {
    name: 'state-delivered',
    pattern: new RegExp(String.raw`(?<actor>${CAP}(?: ${CAP})*)(?:,? on behalf of [^,]+,)?(?: today| yesterday| on (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)? (?:delivered|read out|read|presented|issued|made|led)\b`, 'u'),
  },
];

/** Words that make a sentence report a statement (with a reader in it). */
export const STATEMENT_CUE = /\b(?:joint )?statement\b|\bon behalf of\b|\bright of reply\b|\bjoint letter\b|\bread (?:out )?by\b/i;
/** Words that make it a reply to an earlier one. */
export const REPLY_CUE = /\b(?:denied|rejected|dismissed|right of reply|in reply|responded|in response to)\b/i;

/** Role words read between a demonym and a person's name ("French Ambassador Nicolas de Rivière"). */
export const ROLE_WORDS: ReadonlySet<string> = new Set(
  ['ambassador', 'envoy', 'delegate', 'representative', 'permanent', 'deputy', 'un', 'minister', 'foreign', 'chargé', "d'affaires", 'counsellor', 'first', 'secretary', 'the'],
);

/** The number of states a statement says it speaks for. Group `n`. */
export const COUNT_RULES: readonly NamedRule[] = [
  { name: 'on-behalf-of-n', pattern: new RegExp(String.raw`\bon behalf of (?:a group of )?${COUNT} ${STATES_WORD}\b`, 'iu') },
  { name: 'group-of-n', pattern: new RegExp(String.raw`\ba (?:group|coalition|total) of ${COUNT} ${STATES_WORD}\b`, 'iu') },
  { name: 'n-signatories', pattern: new RegExp(String.raw`\b${COUNT} (?:signatories|co-signatories|signatory states)\b`, 'iu') },
  { name: 'n-countries', pattern: new RegExp(String.raw`\b${COUNT} ${STATES_WORD}\b`, 'iu') },
];

/** A count others report for a statement ("80 other member countries supported China’s stance"). Groups `n`, `actor`. */
export const SUPPORT_CLAIM_RULES: readonly NamedRule[] = [
  {
    name: 'n-supported-stance',
    pattern: new RegExp(String.raw`\b${COUNT} ${STATES_WORD} (?:supported|backed|sided with) (?<actor>${WORD})(?:[’']s)? (?:stance|position)`, 'iu'),
  },
];

/** A statement "on behalf of" a group named, not counted ("on behalf of Gulf countries"). Group `group`. */
export const GROUP_RULE: NamedRule = {
  name: 'on-behalf-of-group',
  pattern: new RegExp(String.raw`\bon behalf of (?:the )?(?<group>(?:${CAP} )+(?:countries|states|Group|Council|Union|Movement))`, 'u'),
};

/** A statement said to side with another's lead ("that supported China"). Group `actor`. */
export const SUPPORTS_RULE: NamedRule = {
  name: 'supported-actor',
  pattern: new RegExp(String.raw`\b(?:that |which |who )?(?:supported|backed|sided with|defended) (?<actor>${WORD})\b`, 'u'),
};

/** A reply that names the statement it answers ("in response to the statement read by France"). Group `phrase`. */
export const ANSWERS_RULE: NamedRule = {
  name: 'in-response-to',
  pattern: new RegExp(String.raw`\bin (?:response|reply) to (?:the )?(?:joint )?(?:statement|allegations|accusations|letter)(?: (?:made|read|delivered|led))? by (?:the )?(?<phrase>${NAME_RUN})`, 'u'),
};

/** A forum and its session. `session(n)` from the number written; `fromDate` when the text gives none. */
export interface ForumRule extends NamedRule {
  forum: string;
  session?: (n: number) => string;
  fromDate?: (date: string) => string | undefined;
}

/** The UN General Assembly's session of a date: the Nth opens in September of 1945 + N. */
export function ungaSession(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})/.exec(date);
  if (!m) return undefined;
  const year = Number(m[1]);
  return String(Number(m[2]) >= 9 ? year - 1945 : year - 1946);
}

const ORDINAL = String.raw`(?<n>\d{1,3})(?:st|nd|rd|th)`;
const UNGA = String.raw`(?:UNGA|UN General Assembly|United Nations General Assembly|General Assembly)`;
const HRC = String.raw`(?:UN |United Nations )?Human Rights Council`;

/** Forums, most specific first; the strings are the ones the archive's bundles use. */
export const FORUM_RULES: readonly ForumRule[] = [
  {
    name: 'unga-committee-session',
    forum: 'UN General Assembly Third Committee',
    pattern: new RegExp(String.raw`\b${ORDINAL} session of the ${UNGA}(?:[’']s)? (?:rights|human rights|Third|third) [Cc]ommittee\b`, 'u'),
    session: String,
  },
  {
    name: 'unga-committee',
    forum: 'UN General Assembly Third Committee',
    pattern: new RegExp(String.raw`\b(?:${UNGA}(?:[’']s)? (?:rights|human rights|Third|third) [Cc]ommittee|Third Committee)\b`, 'u'),
    fromDate: ungaSession,
  },
  { name: 'hrc-session-of', forum: 'UN Human Rights Council', pattern: new RegExp(String.raw`\b${ORDINAL} session of the ${HRC}\b`, 'u'), session: (n) => `HRC${n}` },
  { name: 'hrc-s-session', forum: 'UN Human Rights Council', pattern: new RegExp(String.raw`\b${HRC}(?:[’']s)? ${ORDINAL} session\b`, 'u'), session: (n) => `HRC${n}` },
  { name: 'hrc-number', forum: 'UN Human Rights Council', pattern: /\bHRC ?(?<n>\d{1,3})\b/u, session: (n) => `HRC${n}` },
  { name: 'hrc', forum: 'UN Human Rights Council', pattern: new RegExp(String.raw`\b${HRC}\b`, 'u') },
];

/** Topics and the words that name them (case ignored). */
export const TOPICS: readonly { topic: string; words: RegExp }[] = [
  { topic: 'Xinjiang', words: /\b(?:Xinjiang|Uighurs?|Uyghurs?)\b/i },
  { topic: 'Hong Kong', words: /\bHong Kong\b/i },
  { topic: 'Tibet', words: /\bTibet(?:an)?\b/i },
  { topic: 'Xizang', words: /\bXizang\b/i },
];

/** Sentences that introduce a list of signatories. Groups `n` (optional) and `list` (the names, if on the same line). */
export const LIST_RULES: readonly (NamedRule & { complete: boolean })[] = [
  {
    name: 'the-n-signatories-were',
    complete: true,
    pattern: new RegExp(String.raw`\b(?:The )?(?:${COUNT} )?(?:signatories|co-signatories|signatory states|countries that signed(?: it)?|signing countries|co-sponsors) (?:were|are|included|include|:)[:\s]*(?<list>.*)$`, 'iu'),
  },
  {
    name: 'among-the-n-were',
    complete: false,
    pattern: new RegExp(String.raw`\bAmong the ${COUNT} (?:countries|signatories|states|co-sponsors)(?: [a-z ]+?)? (?:were|are)[:\s]+(?<list>.*)$`, 'iu'),
  },
  {
    name: 'signed-by',
    complete: true,
    pattern: new RegExp(String.raw`\b(?:signed|joined|supported|endorsed) by(?: the following(?: ${COUNT})? (?:countries|states))?:\s*(?<list>.*)$`, 'iu'),
  },
];

/** The items of a list as written, with their offsets in `text`: split at commas, semicolons, "and", and lines (bullets dropped). */
export function listItems(text: string, offset = 0): { text: string; start: number; end: number }[] {
  const items: { text: string; start: number; end: number }[] = [];
  const push = (from: number, to: number) => {
    const piece = text.slice(from, to);
    const lead = /^(?:\s|[-•*·“"]|\d+[.)]\s|and\s)*/.exec(piece)![0].length;
    const trail = /[\s.,;:”"]*$/.exec(piece.slice(lead))![0].length;
    const s = from + lead;
    const e = to - trail;
    if (e > s) items.push({ text: text.slice(s, e), start: offset + s, end: offset + e });
  };
  let start = 0;
  for (const m of text.matchAll(/,\s*|;\s*|\s+and\s+|\n/g)) {
    push(start, m.index);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return items;
}

/** The count in a match's `n` group, if any. */
export function countOf(match: RegExpExecArray): number | null {
  const n = match.groups?.n;
  return n === undefined ? null : parseCount(n);
}

/** Kinds of source told by their words, first match wins; otherwise a news article. */
export const SOURCE_KIND_RULES: readonly { kind: 'PRESS_RELEASE' | 'GOVERNMENT_PAGE' | 'UN_DOCUMENT'; pattern: RegExp }[] = [
  { kind: 'PRESS_RELEASE', pattern: /\bpress release\b|\bFOR IMMEDIATE RELEASE\b/i },
  { kind: 'GOVERNMENT_PAGE', pattern: /\bPermanent Mission of\b|\bMinistry of Foreign Affairs\b|\bgov\.uk\b/i },
  { kind: 'UN_DOCUMENT', pattern: /\bA\/HRC\/\d+|\bA\/C\.3\/\d+/ },
];
