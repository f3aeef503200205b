import { actorPhrase, isBareList } from './extract';
import {
  ANSWERS_RULE,
  COUNT_RULES,
  countOf,
  FORUM_RULES,
  GROUP_RULE,
  LIST_RULES,
  listItems,
  READER_RULES,
  SOURCE_KIND_RULES,
  SUPPORT_CLAIM_RULES,
  SUPPORTS_RULE,
  TOPICS,
  ungaSession,
  type NamedRule,
} from './rules';

const rule = (rules: readonly NamedRule[], name: string) => rules.find((r) => r.name === name)!;
const groups = (r: NamedRule, text: string) => ({ ...r.pattern.exec(text)?.groups });

describe('reader rules', () => {
  it('read-by: "read by French Ambassador Nicolas de Rivière"', () => {
    const phrase = groups(rule(READER_RULES, 'read-by'), 'a statement that was read by French Ambassador Nicolas de Rivière to the 76th session').phrase!;
    expect(phrase).toBe('French Ambassador Nicolas de Rivière');
    expect(actorPhrase(phrase)).toEqual({ iso3: 'FRA', name: 'France', role: 'Ambassador', person: 'Nicolas de Rivière' });
    expect(actorPhrase('Canada')).toEqual({ iso3: 'CAN', name: 'Canada' });
  });

  it('possessive-role: "China’s permanent UN ambassador, Zhang Jun,"', () => {
    expect(groups(rule(READER_RULES, 'possessive-role'), 'China’s permanent UN ambassador, Zhang Jun, denied the accusations.')).toEqual({
      actor: 'China',
      role: 'permanent UN ambassador',
      person: 'Zhang Jun',
    });
  });

  it('demonym-role: "the Cuban envoy", "The Kuwaiti delegate"', () => {
    expect(groups(rule(READER_RULES, 'demonym-role'), 'On behalf of 62 countries, the Cuban envoy made a joint statement')).toMatchObject({ actor: 'Cuban', role: 'envoy' });
    expect(groups(rule(READER_RULES, 'demonym-role'), 'The Kuwaiti delegate also issued a joint statement')).toMatchObject({ actor: 'Kuwaiti', role: 'delegate' });
  });

  it('state-delivered: "Canada delivered a joint statement"', () => {
    expect(groups(rule(READER_RULES, 'state-delivered'), 'Canada delivered a joint statement on behalf of 44 countries').actor).toBe('Canada');
    expect(groups(rule(READER_RULES, 'state-delivered'), 'The Netherlands, on behalf of 39 states, read a statement').actor).toBe('The Netherlands');
  });
});

describe('count rules', () => {
  const count = (name: string, text: string) => {
    const m = rule(COUNT_RULES, name).pattern.exec(text);
    return m ? countOf(m) : null;
  };
  it('reads "on behalf of 62 countries", "a group of sixty-nine countries", "50 signatories", "43 countries"', () => {
    expect(count('on-behalf-of-n', 'On behalf of 62 countries, the Cuban envoy')).toBe(62);
    expect(count('group-of-n', 'a group of sixty-nine countries')).toBe(69);
    expect(count('n-signatories', 'The 50 signatories were')).toBe(50);
    expect(count('n-countries', '43 countries voiced concern')).toBe(43);
    expect(count('n-countries', 'several countries voiced concern')).toBeNull();
  });

  it('a count others report: "80 other member countries supported China’s stance"', () => {
    expect(groups(SUPPORT_CLAIM_RULES[0]!, 'Global Times, 80 other member countries supported China’s stance in response')).toEqual({ n: '80', actor: 'China' });
  });
});

describe('forum rules', () => {
  const forum = (text: string) => {
    for (const r of FORUM_RULES) {
      const m = r.pattern.exec(text);
      if (m) return { forum: r.forum, session: m.groups?.n !== undefined && r.session ? r.session(Number(m.groups.n)) : undefined, rule: r.name };
    }
    return null;
  };
  it('names the forum and session as the sample bundles do', () => {
    expect(forum('to the 76th session of the UNGA rights committee')).toMatchObject({ forum: 'UN General Assembly Third Committee', session: '76' });
    expect(forum('at the 50th session of the Human Rights Council')).toMatchObject({ forum: 'UN Human Rights Council', session: 'HRC50' });
    expect(forum('at the Human Rights Council’s 41st session')).toMatchObject({ forum: 'UN Human Rights Council', session: 'HRC41' });
    expect(forum('in the Third Committee')).toMatchObject({ forum: 'UN General Assembly Third Committee', session: undefined, rule: 'unga-committee' });
    expect(forum('at the Security Council')).toBeNull();
  });

  it('tells a General Assembly session from a date', () => {
    expect(ungaSession('2021-10-21')).toBe('76');
    expect(ungaSession('2022-03-01')).toBe('76');
    expect(ungaSession('2019-10-29')).toBe('74');
  });
});

describe('list rules', () => {
  it('finds list introductions', () => {
    expect(groups(rule(LIST_RULES, 'the-n-signatories-were'), 'The 50 signatories were Albania, Andorra and Austria.')).toEqual({ n: '50', list: 'Albania, Andorra and Austria.' });
    expect(groups(rule(LIST_RULES, 'among-the-n-were'), 'Among the 22 countries were Japan, Canada and Australia.')).toEqual({ n: '22', list: 'Japan, Canada and Australia.' });
    expect(groups(rule(LIST_RULES, 'signed-by'), 'It was signed by the following countries: Chile, Peru').list).toBe('Chile, Peru');
  });

  it('splits items at commas, "and", semicolons and lines, with offsets', () => {
    const text = 'Albania, Andorra and the Netherlands; Côte d’Ivoire.';
    const items = listItems(text, 100);
    expect(items.map((i) => i.text)).toEqual(['Albania', 'Andorra', 'the Netherlands', 'Côte d’Ivoire']);
    for (const i of items) expect(text.slice(i.start - 100, i.end - 100)).toBe(i.text);
    expect(listItems('- Japan\n- New Zealand\n• Chile').map((i) => i.text)).toEqual(['Japan', 'New Zealand', 'Chile']);
  });

  it('tells a bare list from prose', () => {
    expect(isBareList('Albania\nAndorra\nAustria')).toBe(true);
    expect(isBareList('Albania, Andorra, Austria, Belgium')).toBe(true);
    expect(isBareList('The envoy said so. Then he left, and others, too.')).toBe(false);
  });
});

describe('other rules', () => {
  it('groups, sides, answers, topics, source kinds', () => {
    expect(groups(GROUP_RULE, 'a joint statement on behalf of Gulf countries that supported China').group).toBe('Gulf countries');
    expect(groups(SUPPORTS_RULE, 'Gulf countries that supported China.').actor).toBe('China');
    expect(groups(ANSWERS_RULE, 'in response to the statement read by France').phrase).toBe('France');
    expect(TOPICS.filter((t) => t.words.test('Uyghurs in camps and Hong Kong')).map((t) => t.topic)).toEqual(['Xinjiang', 'Hong Kong']);
    expect(SOURCE_KIND_RULES.find((r) => r.pattern.test('PRESS RELEASE — Permanent Mission of Canada'))?.kind).toBe('PRESS_RELEASE');
  });
});
