/**
 * Deterministic generator of a large synthetic NDJSON bundle for the import benchmark.
 *
 *   node bench/dist/import/generate.js [--statements 20000] [--signatures 1000000] [--sources N]
 *                                      [--people 200] [--seed 1] [--size S] [--out FILE]
 *
 * Everything comes from one seeded PRNG (no Math.random, no clock), so the same flags always give
 * the same file, byte for byte. Signatory names are the built-in states' names and aliases as sources
 * print them ("the Netherlands", "TÜRKIYE", "DPRK", "FRA"); every quote occurs in the cited source's body.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtInStates, normalizeName, type BuiltInState } from '@jointly/server';

export interface GenerateOptions {
  statements: number;
  signatures: number;
  /** Default: one source per 10 statements, at least 20. */
  sources?: number;
  people?: number;
  seed?: number;
}

export interface GenerateStats {
  file: string;
  bytes: number;
  seed: number;
  sources: number;
  people: number;
  personRoles: number;
  statements: number;
  signatures: number;
  withdrawn: number;
  lateJoiners: number;
  statementEvidence: number;
  signatureEvidence: number;
  countClaims: number;
  replies: number;
  deliveredBy: number;
  signaturesPerStatement: { median: number; mean: number; max: number };
}

/** Size presets for `--size`. */
export const SIZES: Record<string, { statements: number; signatures: number; sources?: number }> = {
  XS: { statements: 200, signatures: 5_000 },
  S: { statements: 2_000, signatures: 60_000 },
  /** The API benchmark's large size: one source (with a body) per statement. */
  M: { statements: 50_000, signatures: 1_500_000, sources: 50_000 },
  L: { statements: 20_000, signatures: 1_000_000 },
};
export const DEFAULT_SIZE = SIZES.L!;

/** sfc32, seeded through splitmix32: small, fast and good enough for synthetic data. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.float();
  }
  /** A float in [0, 1). */
  float(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.float() * list.length)]!;
  }
  /**
   * k distinct items of list, item i drawn with weight weights[i] (Efraimidis–Spirakis: the k
   * largest u^(1/w)), heaviest-looking first.
   */
  weightedSample<T>(list: readonly T[], weights: readonly number[], k: number): T[] {
    const keyed = list.map((item, i) => ({ item, key: Math.log(1 - this.float()) / weights[i]! }));
    keyed.sort((a, b) => b.key - a.key);
    return keyed.slice(0, Math.min(k, keyed.length)).map((e) => e.item);
  }
  /** k distinct items of list (partial Fisher–Yates over a copy). */
  sample<T>(list: readonly T[], k: number): T[] {
    const copy = list.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }
}

const FORUMS = [
  { name: 'UN Human Rights Council', weight: 5 },
  { name: 'UN General Assembly Third Committee', weight: 4 },
  { name: 'UN General Assembly', weight: 2 },
  { name: 'UN Security Council', weight: 1 },
  { name: 'UN Economic and Social Council', weight: 1 },
];
const TOPICS = [
  'Xinjiang',
  'Hong Kong',
  'Tibet',
  'Myanmar',
  'Syria',
  'Yemen',
  'Ukraine',
  'Belarus',
  'Venezuela',
  'Eritrea',
  'Sri Lanka',
  'Nicaragua',
  'Sudan',
  'Afghanistan',
  'Iran',
  'Cuba',
  'unilateral coercive measures',
  'right to development',
  'freedom of expression',
  'human rights defenders',
  'sexual orientation and gender identity',
  'climate change',
  'counter-terrorism',
  'migrants',
  'death penalty',
];
const KINDS: [string, number][] = [
  ['JOINT_STATEMENT', 70],
  ['JOINT_LETTER', 15],
  ['RESOLUTION', 5],
  ['NATIONAL_STATEMENT', 4],
  ['RIGHT_OF_REPLY', 4],
  ['OTHER', 2],
];
const SOURCE_KINDS: [string, number][] = [
  ['NEWS_ARTICLE', 45],
  ['UN_DOCUMENT', 20],
  ['GOVERNMENT_PAGE', 15],
  ['NGO_PAGE', 10],
  ['PRESS_RELEASE', 6],
  ['TRANSCRIPT', 4],
];
const PUBLISHERS = [
  'Reuters',
  'Associated Press',
  'Agence France-Presse',
  'The Guardian',
  'South China Morning Post',
  'Al Jazeera',
  'UN Web TV',
  'OHCHR',
  'Human Rights Watch',
  'Amnesty International',
  'International Service for Human Rights',
  'UN Watch',
  'Permanent Mission of Canada',
  'Ministry of Foreign Affairs of China',
  'Xinhua',
  'Deutsche Welle',
];
const FIRST = ['Amina', 'Jean', 'Li', 'Maria', 'Ahmed', 'Olga', 'Kenji', 'Fatima', 'Carlos', 'Ingrid', 'Kwame', 'Priya', 'Omar', 'Sofia', 'Tomas', 'Nadia', 'Wei', 'Elena', 'Yusuf', 'Hanna'];
const LAST = ['Haddad', 'Dupont', 'Wang', 'Silva', 'Rahman', 'Ivanova', 'Tanaka', 'Diallo', 'Gómez', 'Larsen', 'Mensah', 'Sharma', 'Khalil', 'Rossi', 'Novák', 'Karimi', 'Zhang', 'Petrova', 'Demir', 'Berg'];
const VERBS = ['expressed concern about', 'welcomed', 'called for an end to', 'urged restraint over', 'condemned', 'supported', 'rejected interference in', 'noted progress on'];
const NOUNS = ['the situation in', 'the treatment of people in', 'reports from', 'the humanitarian crisis in', 'arbitrary detention in', 'the dialogue on', 'the report on'];
const FILLER = [
  'Diplomats said the text had been negotiated for several weeks.',
  'The statement was read out during the general debate.',
  'Several delegations asked for the list of signatories to be published.',
  'A counter-statement was circulated the same afternoon.',
  'Observers noted that the number of signatories had changed since the previous session.',
  'The mission declined to comment on the drafting.',
  'The letter was addressed to the President of the Council.',
  'Civil society groups welcomed the initiative and called for follow-up.',
];

function weighted(rng: Prng, list: readonly [string, number][]): string {
  const total = list.reduce((n, [, w]) => n + w, 0);
  let r = rng.float() * total;
  for (const [value, w] of list) {
    r -= w;
    if (r < 0) return value;
  }
  return list[list.length - 1]![0];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAY_MS = 86_400_000;
const START = Date.UTC(2000, 0, 1);
const END = Date.UTC(2025, 11, 31);

function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A date string with the precision kept: mostly a day, sometimes a month or a year. */
function partial(rng: Prng, ms: number, pDay = 0.9, pMonth = 0.08): string {
  const day = isoDay(ms);
  const r = rng.float();
  if (r < pDay) return day;
  if (r < pDay + pMonth) return day.slice(0, 7);
  return day.slice(0, 4);
}

/** Wraps a paragraph at about 72 columns with newlines, as bodies copied from pages often are. */
function wrap(text: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > 72) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** The names a source might print for a state, each checked to resolve to that state and nothing else. */
function printedNames(states: readonly BuiltInState[]): Map<string, { common: string[]; other: string[]; code: string }> {
  const owner = new Map<string, string>();
  const codes = new Map<string, string>();
  for (const s of states) {
    codes.set(s.iso2, s.iso3);
    codes.set(s.iso3, s.iso3);
    owner.set(normalizeName(s.name), s.iso3);
    for (const a of s.aliases) owner.set(normalizeName(a.name), s.iso3);
  }
  // The resolver reads an all-capital 2–3 letter string as a code first.
  const resolvesTo = (name: string): string | undefined => {
    const t = name.trim();
    if (/^[A-Za-z]{2,3}$/.test(t) && t === t.toUpperCase() && codes.has(t)) return codes.get(t);
    return owner.get(normalizeName(t));
  };
  const result = new Map<string, { common: string[]; other: string[]; code: string }>();
  for (const s of states) {
    const ok = (n: string) => resolvesTo(n) === s.iso3;
    const common = [s.name, `the ${s.name}`, s.name.toUpperCase()].filter(ok);
    const other = s.aliases
      .filter((a) => a.kind !== 'CODE' && a.kind !== 'COMMON')
      .flatMap((a) => [a.name, a.name.toUpperCase()])
      .concat(s.aliases.filter((a) => a.kind === 'COMMON' && a.name !== s.name).map((a) => a.name))
      .filter(ok);
    result.set(s.iso3, { common, other: [...new Set(other)], code: s.iso3 });
  }
  return result;
}

/** Signature counts per statement: skewed (median ≈ 5, max 190), summing exactly to `total`. */
function signatureCounts(rng: Prng, statements: number, total: number): number[] {
  const MAX = 190;
  const target = Math.min(Math.max(total, statements), statements * MAX);
  const smallMean = 4.1;
  const largeMean = 145;
  const mean = target / statements;
  const pLarge = Math.min(0.45, Math.max(0, (mean - smallMean) / (largeMean - smallMean)));
  const counts = new Array<number>(statements);
  let sum = 0;
  for (let i = 0; i < statements; i++) {
    const n = rng.chance(pLarge) ? rng.int(100, MAX) : Math.min(60, 1 + Math.floor(-Math.log(1 - rng.float()) * 3.6));
    counts[i] = n;
    sum += n;
  }
  // Nudge random statements up or down until the total is exact.
  let guard = 0;
  while (sum !== target && guard++ < 100 * statements + 10_000_000) {
    const i = rng.int(0, statements - 1);
    const step = Math.sign(target - sum) * Math.min(Math.abs(target - sum), 10);
    const next = Math.min(MAX, Math.max(1, counts[i]! + step));
    sum += next - counts[i]!;
    counts[i] = next;
  }
  return counts;
}

interface SourceInfo {
  key: string;
  sentences: string[];
}

/** Writes the bundle to `file` (NDJSON, one record per line) and returns what it holds. */
export function generateBundle(options: GenerateOptions, file: string): GenerateStats {
  const seed = options.seed ?? 1;
  const rng = new Prng(seed);
  const nStatements = options.statements;
  const nSources = options.sources ?? Math.max(20, Math.round(nStatements / 10));
  const nPeople = options.people ?? 200;
  const states = builtInStates();
  const names = printedNames(states);
  const iso3s = states.map((s) => s.iso3);
  // Some states sign far more joint statements than others: a seeded order of popularity, with
  // weights falling from 1 (the most frequent signer) to about 0.02, so that small statements are
  // mostly signed by the same few dozen states and one state's signing history is long.
  const popularity = rng.sample(iso3s, iso3s.length);
  const weightOf = new Map(popularity.map((iso3, rank) => [iso3, 1 / Math.pow(1 + rank / 12, 1.5)]));
  const weights = iso3s.map((iso3) => weightOf.get(iso3)!);

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let buffer: string[] = [];
  let bufferedChars = 0;
  let bytes = 0;
  const flush = () => {
    const text = buffer.join('');
    bytes += Buffer.byteLength(text);
    fs.writeSync(fd, text);
    buffer = [];
    bufferedChars = 0;
  };
  const emit = (record: object) => {
    const line = `${JSON.stringify(record)}\n`;
    buffer.push(line);
    bufferedChars += line.length;
    if (bufferedChars > 4_000_000) flush();
  };

  const stats: GenerateStats = {
    file,
    bytes: 0,
    seed,
    sources: nSources,
    people: nPeople,
    personRoles: 0,
    statements: nStatements,
    signatures: 0,
    withdrawn: 0,
    lateJoiners: 0,
    statementEvidence: 0,
    signatureEvidence: 0,
    countClaims: 0,
    replies: 0,
    deliveredBy: 0,
    signaturesPerStatement: { median: 0, mean: 0, max: 0 },
  };

  const stateName = (iso3: string) => states.find((s) => s.iso3 === iso3)!.name;
  const sentence = (year: number): string => {
    const a = rng.pick(iso3s);
    const t = rng.pick(TOPICS);
    switch (rng.int(0, 3)) {
      case 0:
        return `In ${year}, ${stateName(a)} ${rng.pick(VERBS)} ${rng.pick(NOUNS)} ${t}.`;
      case 1:
        return `A group of ${rng.int(5, 190)} states, led by ${stateName(a)}, ${rng.pick(VERBS)} ${rng.pick(NOUNS)} ${t}.`;
      case 2:
        return `The statement on ${t} was signed by ${rng.int(2, 190)} countries, according to the ${rng.pick(PUBLISHERS)} count.`;
      default:
        return rng.pick(FILLER);
    }
  };

  // Sources: bodies of a few paragraphs, wrapped, paragraphs separated by blank lines.
  const sources: SourceInfo[] = [];
  for (let i = 0; i < nSources; i++) {
    const key = `bench-src-${pad(i + 1, 6)}`;
    const published = rng.int(START / DAY_MS, END / DAY_MS) * DAY_MS;
    const year = new Date(published).getUTCFullYear();
    const paragraphs: string[][] = [];
    for (let p = rng.int(3, 6); p > 0; p--) {
      const list: string[] = [];
      for (let s = rng.int(2, 5); s > 0; s--) list.push(sentence(year));
      paragraphs.push(list);
    }
    // Quotes are whole sentences; only sentences unique in the body are quoted, so the located
    // paragraph is the intended one.
    const all = paragraphs.flat();
    const unique = all.filter((s) => all.indexOf(s) === all.lastIndexOf(s));
    sources.push({ key, sentences: unique.length ? unique : [all[0]!] });
    const kind = weighted(rng, SOURCE_KINDS);
    emit({
      type: 'source',
      key,
      kind,
      title: `${rng.pick(TOPICS)}: ${rng.pick(VERBS)} ${rng.pick(NOUNS)} ${rng.pick(TOPICS)} (${year})`,
      url: `https://example.org/${year}/${key}`,
      publisher: rng.pick(PUBLISHERS),
      ...(rng.chance(0.4) ? { authors: [`${rng.pick(FIRST)} ${rng.pick(LAST)}`] } : {}),
      publishedOn: partial(rng, published, 0.8, 0.15),
      language: 'en',
      ...(kind === 'UN_DOCUMENT' ? { unSymbol: `A/HRC/${rng.int(1, 58)}/G/${rng.int(1, 40)}` } : {}),
      summary: sentence(year),
      body: paragraphs.map((list) => wrap(list.join(' '))).join('\n\n'),
    });
  }

  // People: diplomats with one or two roles representing a state.
  const people: string[] = [];
  for (let i = 0; i < nPeople; i++) {
    const key = `bench-person-${pad(i + 1, 4)}`;
    people.push(key);
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ` ${i}` : ''}`;
    const roles = [];
    let from = rng.int(START / DAY_MS, (END - 3 * 365 * DAY_MS) / DAY_MS) * DAY_MS;
    for (let r = rng.int(1, 2); r > 0; r--) {
      const to = from + rng.int(365, 5 * 365) * DAY_MS;
      const iso3 = rng.pick(iso3s);
      roles.push({
        title: rng.chance(0.7) ? `Permanent Representative of ${stateName(iso3)} to the United Nations` : `Ambassador of ${stateName(iso3)} in Geneva`,
        signatory: iso3,
        from: partial(rng, from, 0.5, 0.3),
        ...(to < END ? { to: partial(rng, Math.min(to, END), 0.5, 0.3) } : {}),
      });
      from = to + DAY_MS;
      if (from > END) break;
    }
    stats.personRoles += roles.length;
    emit({ type: 'person', key, name, ...(rng.chance(0.2) ? { aliases: [name.toUpperCase()] } : {}), roles });
  }

  // Statements, in date order so that replies point back in time.
  const counts = signatureCounts(rng, nStatements, options.signatures);
  const dates = Array.from({ length: nStatements }, () => rng.int(START / DAY_MS, END / DAY_MS) * DAY_MS).sort((a, b) => a - b);
  const evidence = (withQuote: number) => {
    const source = rng.pick(sources);
    return rng.chance(withQuote) ? { source: source.key, quote: rng.pick(source.sentences) } : { source: source.key };
  };
  const printed = (iso3: string): string => {
    const n = names.get(iso3)!;
    const r = rng.float();
    if (r < 0.05) return n.code;
    if (r < 0.2 && n.other.length) return rng.pick(n.other);
    if (r < 0.27) return rng.pick(n.common);
    return n.common[0]!;
  };
  for (let i = 0; i < nStatements; i++) {
    const key = `bench-st-${pad(i + 1, 7)}`;
    const when = dates[i]!;
    const year = new Date(when).getUTCFullYear();
    const forum = weighted(rng, FORUMS.map((f) => [f.name, f.weight]));
    const kind = weighted(rng, KINDS);
    const topics = rng.sample(TOPICS, rng.int(1, 3));
    const signers = rng.weightedSample(iso3s, weights, counts[i]!);
    const signatures = signers.map((iso3) => {
      const g: Record<string, unknown> = { signatory: printed(iso3) };
      const r = rng.float();
      if (r < 0.01) {
        g.status = 'WITHDRAWN';
        g.withdrawnOn = partial(rng, Math.min(END, when + rng.int(1, 120) * DAY_MS), 0.85, 0.15);
        stats.withdrawn++;
      } else if (r < 0.04) {
        g.joinedOn = partial(rng, Math.min(END, when + rng.int(1, 60) * DAY_MS), 0.9, 0.1);
        stats.lateJoiners++;
      }
      if (rng.chance(0.01)) {
        g.evidence = [evidence(0.5)];
        stats.signatureEvidence++;
      }
      return g;
    });
    stats.signatures += signatures.length;
    const record: Record<string, unknown> = {
      type: 'statement',
      key,
      kind,
      title: `Joint statement on ${topics[0]} (${forum}, ${year})`,
      date: partial(rng, when, 0.92, 0.06),
    };
    record.forum = forum;
    record.session = forum === 'UN Human Rights Council' ? `HRC${Math.max(1, (year - 2006) * 3 + rng.int(1, 3))}` : String(year - 1945);
    if (rng.chance(0.5)) record.agendaItem = `Item ${rng.int(1, 10)}`;
    if (rng.chance(0.25)) record.unSymbol = `A/HRC/${Math.max(1, (year - 2006) * 3)}/L.${rng.int(1, 60)}`;
    record.topics = topics;
    record.text = Array.from({ length: rng.int(2, 4) }, () => sentence(year)).join(' ');
    if (rng.chance(0.4)) {
      record.deliveredBy = rng.pick(people);
      stats.deliveredBy++;
    }
    if (signatures.length && rng.chance(0.6)) record.leadSignatory = signatures[0]!.signatory;
    const signed = signatures.length - signatures.filter((g) => g.status === 'WITHDRAWN').length;
    if (rng.chance(0.5)) record.claimedSignatoryCount = Math.max(0, signed + (rng.chance(0.2) ? rng.int(-3, 5) : 0));
    record.listStatus = rng.chance(0.8) ? 'COMPLETE' : 'PARTIAL';
    if (i > 0 && rng.chance(0.03)) {
      record.respondsTo = `bench-st-${pad(rng.int(Math.max(1, i - 200), i), 7)}`;
      stats.replies++;
    }
    record.signatures = signatures;
    if (rng.chance(0.1)) {
      const s = rng.pick(sources);
      const quote = rng.pick(s.sentences);
      record.countClaims = [{ count: Math.max(0, signed + rng.int(-5, 5)), source: s.key, ...(rng.chance(0.7) ? { quote } : {}) }];
      stats.countClaims++;
    }
    const ev = Array.from({ length: rng.int(1, 2) }, () => evidence(0.7));
    record.evidence = ev;
    stats.statementEvidence += ev.length;
    emit(record);
  }
  flush();
  fs.closeSync(fd);

  const sorted = counts.slice().sort((a, b) => a - b);
  stats.bytes = bytes;
  stats.signaturesPerStatement = {
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    mean: Math.round((stats.signatures / Math.max(1, nStatements)) * 10) / 10,
    max: sorted[sorted.length - 1] ?? 0,
  };
  return stats;
}

/** `--name value` flags. */
export function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(arg.slice(2), argv[++i]!);
    else flags.set(arg.slice(2), 'true');
  }
  return flags;
}

export function positiveInt(flags: Map<string, string>, name: string): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return n;
}

/** The generator options from flags: --size preset, overridden by --statements/--signatures. */
export function optionsFromFlags(flags: Map<string, string>): GenerateOptions & { label: string } {
  const sizeName = flags.get('size')?.toUpperCase();
  const preset = sizeName ? SIZES[sizeName] : DEFAULT_SIZE;
  if (!preset) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const statements = positiveInt(flags, 'statements') ?? preset.statements;
  const signatures = positiveInt(flags, 'signatures') ?? preset.signatures;
  const custom = flags.has('statements') || flags.has('signatures');
  return {
    label: custom ? `${statements}st-${signatures}sig` : (sizeName ?? 'L'),
    statements,
    signatures,
    sources: positiveInt(flags, 'sources') ?? (custom ? undefined : preset.sources),
    people: positiveInt(flags, 'people'),
    seed: positiveInt(flags, 'seed') ?? 1,
  };
}

if (require.main === module) {
  const flags = parseFlags(process.argv.slice(2));
  const options = optionsFromFlags(flags);
  const out = path.resolve(flags.get('out') ?? path.join(__dirname, '..', '..', 'out', `bench-${options.label}.ndjson`));
  const started = performance.now();
  const stats = generateBundle(options, out);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ ...stats, seconds })}\n`);
}
