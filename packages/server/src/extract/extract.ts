import { createHash } from 'node:crypto';
import { cleanSource } from './clean';
import { absoluteDate, bundleDate, daysIn, type FoundDate } from './dates';
import type { Draft, DraftPerson, DraftSignature, DraftStatement, ExtractInput, Fact, ReviewItem, SourceKind, StatementKind } from './draft.types';
import { resolveActor, resolveStateName, type NameResolution } from './names';
import {
  ANSWERS_RULE,
  COUNT_RULES,
  countOf,
  FORUM_RULES,
  GROUP_RULE,
  LIST_RULES,
  listItems,
  READER_RULES,
  REPLY_CUE,
  ROLE_WORDS,
  SOURCE_KIND_RULES,
  STATEMENT_CUE,
  SUPPORT_CLAIM_RULES,
  SUPPORTS_RULE,
  TOPICS,
  type ForumRule,
} from './rules';
import { paragraphs, sentences, slug, within, type Passage, type Sentence } from './text';

/** Thrown for input that cannot be drafted at all (an empty text, a bad --published). */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
}

interface Lead {
  iso3: string;
  name: string;
  rule: string;
  /** The reader phrase ("read by French Ambassador Nicolas de Rivière"). */
  passage: Passage;
  role?: string;
  person?: string;
  /** Where the person is named, when not in `passage` (a later sentence of the same statement). */
  readerPassage?: Passage;
}

interface Trigger {
  sentence: Sentence;
  lead: Lead;
}

/** Paragraphs that go on with the statement before them: its quotes, "The statement…", "The envoy added…". */
const CONTINUATION = /^(?:[“"‘]|(?:The|This) (?:statement|letter|envoy|delegate|ambassador|text|group)\b|(?:He|She|They|It) )/;

/** The reader of a sentence, by READER_RULES, or a review item when the reader's state cannot be told. */
function readerOf(sentence: Sentence): Lead | ReviewItem | null {
  const cue = STATEMENT_CUE.test(sentence.text) || REPLY_CUE.test(sentence.text);
  for (const rule of READER_RULES) {
    const match = rule.pattern.exec(sentence.text);
    if (!match) continue;
    if (rule.name !== 'read-by' && !cue) continue;
    const passage = within(sentence, match.index, match[0].length);
    const groups = match.groups ?? {};
    if (groups.phrase !== undefined) {
      const parsed = actorPhrase(groups.phrase);
      if (parsed) return { ...parsed, rule: rule.name, passage };
      return review('reader', passage, `the reader "${groups.phrase}" names no state`, resolveStateName(groups.phrase.split(' ')[0]!));
    }
    const resolution = resolveActor(groups.actor!);
    if (resolution.kind === 'state') {
      const lead: Lead = { iso3: resolution.iso3, name: resolution.name, rule: rule.name, passage };
      if (groups.role) lead.role = groups.role;
      if (groups.person) lead.person = groups.person.replace(/[,.]$/, '');
      return lead;
    }
    if (rule.name !== 'state-delivered') {
      return review('reader', passage, `"${groups.actor!}" (${rule.name}) ${resolution.kind === 'ambiguous' ? 'names more than one state' : 'names no state'}`, resolution);
    }
  }
  return null;
}

/** "French Ambassador Nicolas de Rivière" → France, "Ambassador", "Nicolas de Rivière"; "Canada" → Canada. */
export function actorPhrase(phrase: string): Omit<Lead, 'rule' | 'passage'> | null {
  const words = phrase.split(' ');
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    const resolution = resolveActor(words.slice(0, n).join(' '));
    if (resolution.kind !== 'state') continue;
    let i = n;
    const role: string[] = [];
    while (i < words.length && ROLE_WORDS.has(words[i]!.toLowerCase())) role.push(words[i++]!);
    const person = words.slice(i);
    const lead: Omit<Lead, 'rule' | 'passage'> = { iso3: resolution.iso3, name: resolution.name };
    if (role.length > 0) lead.role = role.join(' ');
    if (person.length >= 2) lead.person = person.join(' ').replace(/[.,]+$/, '');
    return lead;
  }
  return null;
}

function review(kind: ReviewItem['kind'], passage: Passage, message: string, resolution?: NameResolution, statement?: string): ReviewItem {
  const item: ReviewItem = { kind, text: passage.text, start: passage.start, end: passage.end, message, candidates: resolution && resolution.kind !== 'state' ? resolution.candidates : [] };
  if (statement !== undefined) item.statement = statement;
  return item;
}

function isReview(value: Lead | ReviewItem | null): value is ReviewItem {
  return value !== null && 'message' in value;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function firstMatch<R extends { name: string; pattern: RegExp }>(rules: readonly R[], passages: readonly Passage[]) {
  for (const rule of rules) {
    for (const passage of passages) {
      const match = rule.pattern.exec(passage.text);
      if (match) return { rule, match, passage, at: within(passage, match.index, match[0].length) };
    }
  }
  return null;
}

const KIND_LABEL: Record<StatementKind, string> = { JOINT_STATEMENT: 'Joint statement', NATIONAL_STATEMENT: 'Statement', RIGHT_OF_REPLY: 'Reply' };
const KIND_CODE: Record<StatementKind, string> = { JOINT_STATEMENT: 'joint', NATIONAL_STATEMENT: 'national', RIGHT_OF_REPLY: 'reply' };

/**
 * Drafts a bundle from a source's text: the cleaned source, one statement per statement the text
 * reports, each value with the passage it comes from; whatever cannot be told for sure goes to the
 * report's review list, not into the draft. The same text gives the same draft (keys from content).
 */
export function extractDraft(input: ExtractInput): Draft {
  const cleaned = cleanSource(input.text);
  const body = cleaned.body;
  if (body.trim() === '') throw new ExtractError('the text has nothing in it to draft from');
  const title = input.title ?? cleaned.title ?? 'Untitled source';
  let published: string | undefined;
  if (input.published !== undefined) {
    const checked = bundleDate(input.published);
    if (checked === null) throw new ExtractError(`--published: "${input.published}" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)`);
    published = checked;
  } else if (cleaned.dateLine !== undefined) {
    published = absoluteDate(cleaned.dateLine) ?? undefined;
  }
  const h = hash(body);
  const sourceKey = `${slug(title).slice(0, 60).replace(/-+$/, '') || 'source'}-${published ?? 'undated'}.${h}`;
  const kind: SourceKind = input.kind ?? SOURCE_KIND_RULES.find((r) => r.pattern.test(input.text))?.kind ?? 'NEWS_ARTICLE';
  const facts: Fact[] = [];
  const reviewItems: ReviewItem[] = [];
  const fact = (record: string, field: string, value: string | number, rule: string, passage: Passage) =>
    facts.push({ record, field, value, rule, quote: passage.text, start: passage.start, end: passage.end });

  const all = sentences(body);
  const paras = paragraphs(body);

  // The statements: sentences with a reader in them.
  const triggers: Trigger[] = [];
  for (const sentence of all) {
    const found = readerOf(sentence);
    if (isReview(found)) reviewItems.push(found);
    else if (found) {
      const previous = triggers[triggers.length - 1];
      // A second mention of the same reader ("The statement was read by German Ambassador …") adds to the first.
      if (previous && previous.lead.iso3 === found.iso3 && sentence.paragraph - previous.sentence.paragraph <= 1 && /^(?:The|This|It) /.test(sentence.text)) {
        if (!previous.lead.person && found.person) {
          previous.lead.person = found.person;
          if (found.role) previous.lead.role = found.role;
          previous.lead.readerPassage = found.passage;
        }
        continue;
      }
      triggers.push({ sentence, lead: found });
    }
  }

  // The meeting's date: the first day the text names.
  const dateLineSentence = cleaned.dateLine === undefined ? undefined : all.find((s) => s.text === cleaned.dateLine);
  const allDays: FoundDate[] = all.flatMap((s) => daysIn(s, published));
  const days = allDays.filter((d) => !dateLineSentence || d.passage.start >= dateLineSentence.end || d.passage.end <= dateLineSentence.start);
  const firstDay = days[0] ?? allDays[0];

  // The forum of the whole text, most specific rule first.
  const articleForum = firstMatch(FORUM_RULES, all);

  const statements: DraftStatement[] = [];
  const people = new Map<string, DraftPerson>();
  const keys = new Set<string>();
  const byTrigger = new Map<Trigger, DraftStatement>();

  triggers.forEach((trigger, i) => {
    const next = triggers[i + 1]?.sentence;
    // The statement's span: from its sentence to the end of its paragraph, then the paragraphs that go on with it.
    const span = all.filter((s) => {
      if (s.start < trigger.sentence.start) return false;
      if (next && s.start >= next.start) return false;
      if (s.paragraph === trigger.sentence.paragraph) return true;
      for (let p = trigger.sentence.paragraph + 1; p <= s.paragraph; p++) {
        const text = paras[p]!.text;
        if (!CONTINUATION.test(text) && !isBareList(text) && !LIST_RULES.some((r) => r.pattern.test(text))) return false;
      }
      return true;
    });
    const lead = trigger.lead;
    const sentenceText = trigger.sentence.text;
    const evidence: Passage[] = [trigger.sentence];
    const recordFacts: [string, string | number, string, Passage][] = [];

    // Count.
    const count = firstMatch(COUNT_RULES, [trigger.sentence, ...span.filter((s) => s !== trigger.sentence && LIST_RULES.some((r) => r.pattern.test(s.text)))]);
    const claimed = count ? countOf(count.match) : null;

    const statementKind: StatementKind = REPLY_CUE.test(sentenceText)
      ? 'RIGHT_OF_REPLY'
      : claimed !== null || /\bjoint\b|\bon behalf of\b/i.test(sentenceText)
        ? 'JOINT_STATEMENT'
        : 'NATIONAL_STATEMENT';

    // Date.
    const ownDay = days.find((d) => span.some((s) => d.passage.start >= s.start && d.passage.end <= s.end)) ?? firstDay;
    if (!ownDay || 'ambiguous' in ownDay) {
      const at = ownDay?.passage ?? trigger.sentence;
      reviewItems.push(
        review('date', at, ownDay ? `"${at.text}" names a day without its year, and the publication date is unknown (give --published)` : 'the text names no day for this statement', undefined, lead.passage.text),
      );
      reviewItems.push(review('statement', lead.passage, `the statement read for ${lead.name} is left out of the draft: it has no certain date`, undefined, lead.passage.text));
      return;
    }
    const date = ownDay.date;

    // Forum and session.
    const forum = firstMatch(FORUM_RULES, span) ?? articleForum;
    let forumName: string | undefined;
    let session: string | undefined;
    let sessionRule: string | undefined;
    let sessionPassage: Passage | undefined;
    if (forum) {
      const rule: ForumRule = forum.rule;
      forumName = rule.forum;
      const n = forum.match.groups?.n;
      if (n !== undefined && rule.session) {
        session = rule.session(Number(n));
        sessionRule = rule.name;
        sessionPassage = forum.at;
      } else if (rule.fromDate) {
        session = rule.fromDate(date);
        sessionRule = `${rule.name}+date`;
        sessionPassage = ownDay.passage;
      }
    }

    const forumCode = forumName === 'UN General Assembly Third Committee' ? `unga${session ?? ''}-c3` : forumName === 'UN Human Rights Council' ? (session ?? 'hrc').toLowerCase() : 'statement';
    let key = `${forumCode}-${lead.iso3.toLowerCase()}-${KIND_CODE[statementKind]}-${date}.${h}`;
    for (let n = 2; keys.has(key); n++) key = `${forumCode}-${lead.iso3.toLowerCase()}-${KIND_CODE[statementKind]}-${date}-${n}.${h}`;
    keys.add(key);

    if (forum) {
      recordFacts.push(['forum', forumName!, forum.rule.name, forum.at]);
      evidence.push(forum.passage);
      if (session !== undefined) recordFacts.push(['session', session, sessionRule!, sessionPassage!]);
      else reviewItems.push(review('session', forum.at, `the session of the ${forumName} is not written and cannot be told from the date`, undefined, key));
    }
    recordFacts.push(['date', date, ownDay.relative ? 'day-resolved-against-publication' : 'day', ownDay.passage]);
    evidence.push(all.find((s) => ownDay.passage.start >= s.start && ownDay.passage.end <= s.end)!);
    recordFacts.push(['leadSignatory', lead.iso3, lead.rule, lead.passage]);
    recordFacts.push(['kind', statementKind, REPLY_CUE.test(sentenceText) ? 'reply-cue' : 'statement-cue', trigger.sentence]);

    const statement: DraftStatement = {
      key,
      title: '',
      kind: statementKind,
      date,
      leadSignatory: lead.iso3,
      signatures: [],
      evidence: [],
    };
    if (forumName !== undefined) statement.forum = forumName;
    if (session !== undefined) statement.session = session;

    if (claimed !== null && count) {
      statement.claimedSignatoryCount = claimed;
      statement.countClaims = [{ count: claimed, source: sourceKey, quote: count.passage.text }];
      recordFacts.push(['claimedSignatoryCount', claimed, count.rule.name, count.at]);
      evidence.push(count.passage);
    } else if (statementKind === 'JOINT_STATEMENT') {
      const group = GROUP_RULE.pattern.exec(sentenceText);
      if (group) {
        const at = within(trigger.sentence, group.index + group[0].indexOf(group.groups!.group!), group.groups!.group!.length);
        reviewItems.push(review('group', at, `"${at.text}" is a group the archive does not know; its members are not signatures of this draft`, resolveStateName(at.text), key));
      }
    }

    // Who read it.
    if (lead.person) {
      const personKey = `${slug(lead.person)}.${h}`;
      const person = people.get(personKey) ?? { key: personKey, name: lead.person, roles: [] };
      const roleTitle = lead.role ? lead.role.charAt(0).toUpperCase() + lead.role.slice(1) : undefined;
      if (roleTitle && !person.roles.some((r) => r.title === roleTitle)) person.roles.push({ title: roleTitle, signatory: lead.iso3 });
      people.set(personKey, person);
      statement.deliveredBy = personKey;
      const named = lead.readerPassage ?? lead.passage;
      recordFacts.push(['deliveredBy', lead.person, lead.rule, named]);
      if (roleTitle) recordFacts.push(['deliveredBy.role', roleTitle, lead.rule, named]);
      if (lead.readerPassage) evidence.push(all.find((s) => named.start >= s.start && named.end <= s.end)!);
    }

    // Signatures: the lead, then every list in the span.
    const signatures = new Map<string, DraftSignature>();
    signatures.set(lead.iso3, { signatory: lead.iso3, evidence: [{ source: sourceKey, quote: lead.passage.text }] });
    let listed = false;
    let complete = true;
    let unresolved = 0;
    for (const s of span) {
      let items: Passage[] = [];
      const intro = s.paragraph === trigger.sentence.paragraph || s !== trigger.sentence ? firstMatch(LIST_RULES, [s]) : null;
      if (intro && intro.match.groups?.list !== undefined) {
        const listText = intro.match.groups.list;
        items = listItems(listText, s.start + intro.match.index + intro.match[0].length - listText.length);
        if (!intro.rule.complete) complete = false;
      } else if (s !== trigger.sentence && isBareList(paras[s.paragraph]!.text) && s.start === firstSentenceOf(all, s.paragraph).start) {
        const p = paras[s.paragraph]!;
        items = listItems(p.text, p.start);
      }
      items = joinNamesWithAnd(items, body);
      if (items.length === 0) continue;
      listed = true;
      for (const item of items) {
        const resolution = resolveStateName(item.text);
        if (resolution.kind === 'state') {
          if (!signatures.has(resolution.iso3)) {
            signatures.set(resolution.iso3, { signatory: resolution.iso3, evidence: [{ source: sourceKey, quote: item.text }] });
          }
          recordFacts.push(['signatures', resolution.iso3, intro ? intro.rule.name : 'bare-list', item]);
        } else {
          unresolved++;
          reviewItems.push(review('name', item, `"${item.text}" ${resolution.kind === 'ambiguous' ? 'names more than one state' : 'names no state'}: not a signature of the draft`, resolution, key));
        }
      }
    }
    statement.signatures = [...signatures.values()];
    if (statementKind === 'JOINT_STATEMENT') {
      statement.listStatus = listed && complete && unresolved === 0 && claimed !== null && claimed === statement.signatures.length ? 'COMPLETE' : 'PARTIAL';
    }

    // Topics, text.
    const spanText = span.map((s) => s.text).join(' ');
    const topics = TOPICS.filter((t) => t.words.test(spanText));
    for (const t of topics) {
      const s = span.find((x) => t.words.test(x.text))!;
      const m = t.words.exec(s.text)!;
      recordFacts.push(['topics', t.topic, 'topic-words', within(s, m.index, m[0].length)]);
    }
    if (topics.length > 0) statement.topics = topics.map((t) => t.topic);
    const quoted = [...spanText.matchAll(/“([^”]+)”/g)].map((m) => m[1]!.trim().replace(/[,.]$/, ''));
    if (quoted.length > 0) statement.text = quoted.join(' ... ');

    // What it answers.
    const answers = ANSWERS_RULE.pattern.exec(sentenceText);
    const supports = SUPPORTS_RULE.pattern.exec(sentenceText);
    const earlier = statements.filter((s) => s.leadSignatory !== lead.iso3);
    if (answers) {
      const target = actorPhrase(answers.groups!.phrase!);
      const answered = target && [...earlier].reverse().find((s) => s.leadSignatory === target.iso3);
      const at = within(trigger.sentence, answers.index, answers[0].length);
      if (answered) {
        statement.respondsTo = answered.key;
        recordFacts.push(['respondsTo', answered.key, ANSWERS_RULE.name, at]);
      } else reviewItems.push(review('side', at, 'the statement it answers is not in the draft', undefined, key));
    } else if (statementKind === 'RIGHT_OF_REPLY' && earlier.length > 0) {
      const answered = earlier[earlier.length - 1]!;
      statement.respondsTo = answered.key;
      recordFacts.push(['respondsTo', answered.key, 'reply-to-previous', trigger.sentence]);
    } else if (supports && resolveActor(supports.groups!.actor!).kind === 'state') {
      const ally = resolveActor(supports.groups!.actor!) as { iso3: string };
      const reply = [...statements].reverse().find((s) => s.leadSignatory === ally.iso3);
      const at = within(trigger.sentence, supports.index, supports[0].length);
      if (reply?.respondsTo) {
        statement.respondsTo = reply.respondsTo;
        recordFacts.push(['respondsTo', reply.respondsTo, SUPPORTS_RULE.name, at]);
      }
    } else if (earlier.length > 0 && statementKind === 'JOINT_STATEMENT') {
      reviewItems.push(
        review('side', trigger.sentence, `does the statement read for ${lead.name} answer an earlier one? The text does not say`, { kind: 'unknown', candidates: earlier.map((s) => s.key) }, key),
      );
    }
    if (topics.length === 0) {
      const answered = statements.find((s) => s.key === statement.respondsTo);
      const inherited = answered?.topics ?? TOPICS.filter((t) => t.words.test(title)).map((t) => t.topic);
      if (inherited.length > 0) {
        statement.topics = inherited;
        for (const topic of inherited) recordFacts.push(['topics', topic, answered ? 'topic-of-answered-statement' : 'topic-of-title', answered ? trigger.sentence : trigger.sentence]);
      }
    }

    const about = statement.topics && statement.topics.length > 0 ? ` on ${statement.topics.join(', ')}` : '';
    statement.title = statementKind === 'RIGHT_OF_REPLY' ? `${lead.name}'s reply${about}` : `${KIND_LABEL[statementKind]}${about}, read by ${lead.name}`;
    const seen = new Set<string>();
    statement.evidence = evidence.filter((p) => !seen.has(p.text) && seen.add(p.text)).map((p) => ({ source: sourceKey, quote: p.text }));
    for (const [field, value, rule, passage] of recordFacts) fact(key, field, value, rule, passage);
    statements.push(statement);
    byTrigger.set(trigger, statement);
  });

  // Counts others report ("80 other member countries supported China’s stance").
  for (const s of all) {
    for (const rule of SUPPORT_CLAIM_RULES) {
      const m = rule.pattern.exec(s.text);
      if (!m) continue;
      const actor = resolveActor(m.groups!.actor!);
      const target = actor.kind === 'state' ? statements.find((st) => st.leadSignatory === actor.iso3) : undefined;
      const n = countOf(m);
      if (!target || n === null) continue;
      const quote = body.slice(s.start, s.start + m.index + m[0].length);
      (target.countClaims ??= []).push({ count: n, source: sourceKey, quote });
      fact(target.key, 'countClaims', n, rule.name, { text: quote, start: s.start, end: s.start + quote.length });
    }
  }

  const source = { key: sourceKey, kind, title, ...(input.url ? { url: input.url } : {}), ...(published ? { publishedOn: published } : {}), language: 'en' as const, body };
  if (!published) reviewItems.push(review('date', { text: '', start: 0, end: 0 }, 'the publication date is unknown: give --published', undefined));
  reviewItems.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
  return {
    bundle: { format: 'jointly-bundle/1', sources: [source], people: [...people.values()], statements },
    report: { source: sourceKey, facts, review: reviewItems },
  };
}

/** A paragraph that is only a list: two or more short lines, or bullets, most of them names of states. */
export function isBareList(text: string): boolean {
  const lines = text.split('\n');
  const items = lines.length >= 2 ? listItems(text) : /,/.test(text) && !/[.!?]\s/.test(text) ? listItems(text) : [];
  if (items.length < 2 || items.some((i) => i.text.split(' ').length > 6)) return false;
  const known = items.filter((i) => resolveStateName(i.text).kind === 'state').length;
  return known * 2 >= items.length;
}

function firstSentenceOf(all: readonly Sentence[], paragraph: number): Sentence {
  return all.find((s) => s.paragraph === paragraph)!;
}

/** Items split at "and" that make one name together ("Bosnia" + "Herzegovina", "Antigua" + "Barbuda"), joined again. */
export function joinNamesWithAnd(items: readonly Passage[], body: string): Passage[] {
  const out: Passage[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && /^\s+and\s+$/.test(body.slice(last.end, item.start))) {
      const joined = { text: body.slice(last.start, item.end), start: last.start, end: item.end };
      if (resolveStateName(joined.text).kind === 'state' && (resolveStateName(last.text).kind !== 'state' || resolveStateName(item.text).kind !== 'state')) {
        out[out.length - 1] = joined;
        continue;
      }
    }
    out.push(item);
  }
  return out;
}
