/** bench/RESULTS.md from every bench/results-<size>.json present. */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult as ImportResult } from '../import/report';
import { CANDIDATE_LABEL, type CandidateName } from './candidates';
import { GROUP_TITLES, NOT_LIKE_FOR_LIKE } from './queries';
import type { ApiBenchResult, CandidateResult, WorkloadResult } from './api-bench';

/** One size's results file: the API benchmark and, when it ran, the import benchmark at that size. */
export interface SuiteResult {
  label: string;
  api?: ApiBenchResult;
  import?: ImportResult;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | null | undefined) => (n === undefined || n === null || Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a === undefined || a === null || b === undefined || b === null || !b ? '–' : `${(a / b).toFixed(2)}×`);
const pct = (n: number) => `${(n * 100).toFixed(n < 0.1 ? 1 : 0)}%`;
const num = (n: number | undefined) => (n === undefined ? '–' : Number.isInteger(n) ? String(n) : n.toFixed(2));

export interface Target {
  name: string;
  value: string;
  met: boolean | undefined;
}

function workload(r: ApiBenchResult, id: string): WorkloadResult | undefined {
  return r.workloads.find((w) => w.id === id);
}

/** Why the ratio to PostGraphile of a workload is kept out of the headline (undefined: like for like). */
export const notLikeForLike = (w: WorkloadResult): string | undefined => NOT_LIKE_FOR_LIKE[w.group];

/** The targets for one Jointly server (`jointly-nocache` is the headline, `jointly` the extra), each with the figure it is judged on. */
export function targets(r: ApiBenchResult, jc: CandidateName = 'jointly'): Target[] {
  const list: Target[] = [];
  const q1Ids = r.workloads.filter((w) => w.group === 'Q1').map((w) => w.id);
  for (const id of q1Ids) {
    const q1 = workload(r, id)!.candidates;
    const j1 = q1[jc];
    if (!j1 || !q1.postgraphile || !q1.limit) continue;
    const toPg = j1.rps / q1.postgraphile.rps;
    const toLimit = j1.rps / q1.limit.rps;
    const first = id === 'Q1' ? r.fixtures.q1First : Number(id.slice('Q1-'.length));
    list.push({
      name: `${id} (first: ${first}) req/s ≥ 1.5× PostGraphile and ≥ 0.7× the limit`,
      value: `${toPg.toFixed(2)}× PostGraphile, ${toLimit.toFixed(2)}× limit (${int(j1.rps)} vs ${int(q1.postgraphile.rps)} and ${int(q1.limit.rps)} req/s)`,
      met: toPg >= 1.5 && toLimit >= 0.7,
    });
  }
  for (const w of r.workloads.filter((x) => ['Q0', 'Q3'].includes(x.group))) {
    const j = w.candidates[jc];
    const pg = w.candidates.postgraphile;
    if (!j || !pg) continue;
    list.push({ name: `${w.id} req/s ≥ 1.0× PostGraphile`, value: `${ratio(j.rps, pg.rps)} (${int(j.rps)} vs ${int(pg.rps)} req/s)`, met: j.rps >= pg.rps });
  }
  const excluded = r.workloads.filter((w) => notLikeForLike(w) && w.candidates[jc]);
  if (excluded.length) {
    list.push({
      name: 'Ratios to PostGraphile where it does not answer the same question itself',
      value: `not in the headline: ${excluded.map((w) => w.id).join(', ')} (why: under "Not like for like" below; the figures are in their sections)`,
      met: undefined,
    });
  }
  const withHalf = r.workloads.filter((w) => !notLikeForLike(w) && w.candidates[jc]?.half && w.candidates.postgraphile?.half);
  if (withHalf.length) {
    const worse = withHalf.filter((w) => w.candidates[jc]!.half!.p99 > w.candidates.postgraphile!.half!.p99);
    const q1Half = workload(r, 'Q1')?.candidates;
    list.push({
      name: 'p99 at half saturation ≤ PostGraphile’s (like-for-like workloads)',
      value:
        (q1Half?.[jc]?.half && q1Half.postgraphile?.half ? `Q1: ${ms(q1Half[jc]!.half!.p99)} vs ${ms(q1Half.postgraphile.half.p99)} ms; ` : '') +
        `higher in ${worse.length} of ${withHalf.length} workloads${worse.length ? ` (${worse.map((w) => w.id).join(', ')})` : ''}`,
      met: worse.length === 0,
    });
  }
  const q1Sql = q1Ids.map((id) => [id, workload(r, id)!.candidates[jc]?.sqlPerRequest] as const).filter(([, n]) => n !== undefined);
  if (q1Sql.length) {
    list.push({
      name: 'SQL statements per executed request: 1 for Q1, the same at first: 10, 50 and 100',
      value: q1Sql.map(([id, n]) => `${id} → ${num(n)}`).join(', '),
      met: q1Sql.every(([, n]) => n === 1),
    });
  }
  const p1 = workload(r, 'Q2-page1')?.candidates[jc];
  const deep = workload(r, 'Q2-deep')?.candidates[jc];
  if (p1 && deep) {
    const h = r.fixtures.histories[0]!;
    list.push({
      name: 'Q2 deep page ≤ 1.2× page 1 latency',
      value: `p50 ${ms(deep.p50)} vs ${ms(p1.p50)} ms at saturation (${ratio(deep.p50, p1.p50)}); half saturation ${ms(deep.half?.p50)} vs ${ms(p1.half?.p50)} ms; page after row ${int(h.depth)}`,
      met: deep.p50 <= 1.2 * p1.p50,
    });
  }
  const rare = workload(r, 'Q3-rare')?.candidates[jc];
  if (rare) {
    const p99 = rare.half?.p99 ?? rare.p99;
    list.push({ name: 'Q3 rare term p99 ≤ 50 ms', value: `${ms(p99)} ms at half saturation (${ms(rare.p99)} ms saturated)`, met: p99 <= 50 });
  }
  const rss = r.rss[jc];
  if (rss) {
    const afterMix = r.rssAfterMix?.[jc];
    const filled = afterMix?.cacheMb !== undefined ? `; ${ms(afterMix.rssMb)} MB right after the read mix, holding ${ms(afterMix.cacheMb)} MB of cached responses` : '';
    list.push({ name: 'Server RSS under the whole benchmark ≤ 250 MB', value: `peak ${int(rss.peakMb)} MB (VmHWM over the run${r.mix ? ', the read mix first' : ''})${filled}`, met: rss.peakMb <= 250 });
  }
  const mix = workload(r, 'MIX')?.candidates[jc];
  if (mix?.cacheHitRatio !== undefined) {
    list.push({
      name: 'Response cache hit rate under the read mix (measured by the server)',
      value: `${pct(mix.cacheHitRatio)} of lookups hit; ${int(mix.rps)} req/s, ${ratio(mix.rps, workload(r, 'MIX')?.candidates['jointly-nocache']?.rps)} the cache-off figure`,
      met: undefined,
    });
  }
  return list;
}

function candidateRow(c: CandidateName, x: CandidateResult | undefined, writeMix: boolean): string {
  const label = x?.cacheHitRatio !== undefined ? `${CANDIDATE_LABEL[c]} (cache hits ${pct(x.cacheHitRatio)})` : CANDIDATE_LABEL[c];
  if (!x) return `| ${label} | – | – | – | – | – | – | – |`;
  const errors = x.errors + x.timeouts + x.non2xx + x.graphqlErrors;
  const errorText = errors ? `${x.errors + x.timeouts} / ${x.non2xx} / ${x.graphqlErrors}` : '0';
  const sql = writeMix ? `${num(x.sqlPerRequest)} (read ${num(x.sqlRead)}, write ${num(x.sqlWrite)})` : num(x.sqlPerRequest);
  const half = x.half ? `${ms(x.half.p99)} (${int(x.half.rate)}/s)` : '–';
  const spread = x.rpsRounds.length > 1 ? ` (${int(Math.min(...x.rpsRounds))}–${int(Math.max(...x.rpsRounds))})` : '';
  return `| ${label} | ${int(x.rps)}${spread} | ${ms(x.p50)} | ${ms(x.p99)} | ${half} | ${sql} | ${int(x.peakRssMb)} | ${errorText} |`;
}

/** The Jointly servers of a run, the cache-off one (the headline) first. */
function jointlyVariants(r: ApiBenchResult): CandidateName[] {
  return r.settings.order.filter((c) => c === 'jointly' || c === 'jointly-nocache').sort((a, b) => Number(a === 'jointly') - Number(b === 'jointly'));
}

function workloadSection(r: ApiBenchResult, w: WorkloadResult): string[] {
  const order = r.settings.order;
  const pg = w.candidates.postgraphile;
  const lim = w.candidates.limit;
  const lines = [
    `**${w.id}** — ${w.title}`,
    '',
    '| server | req/s (rounds) | p50 ms | p99 ms | p99 ms at half saturation (rate) | SQL per executed request | peak RSS MB | errors (conn / non-2xx / GraphQL) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...order.map((c) => candidateRow(c, w.candidates[c], w.id === 'Q5')),
    '',
  ];
  const unlike = notLikeForLike(w);
  if (unlike) lines.push(`_Not like for like_: ${unlike}. The ratios to PostGraphile below are not in the headline tables.`, '');
  for (const jc of jointlyVariants(r)) {
    const j = w.candidates[jc];
    lines.push(
      `${CANDIDATE_LABEL[jc]}/PostGraphile: req/s ${ratio(j?.rps, pg?.rps)}, p50 ${ratio(j?.p50, pg?.p50)}, p99 at half saturation ${ratio(j?.half?.p99, pg?.half?.p99)}. ` +
        `${CANDIDATE_LABEL[jc]}/limit: req/s ${ratio(j?.rps, lim?.rps)}, p50 ${ratio(j?.p50, lim?.p50)}.`,
      '',
    );
  }
  const cached = w.candidates.jointly;
  if (cached?.cacheHitRatio !== undefined && w.candidates['jointly-nocache']) {
    lines.push(
      `${CANDIDATE_LABEL.jointly} over the measured rounds, from its own counters (GET /metrics): ${pct(cached.cacheHitRatio)} of response cache lookups hit ` +
        `(jointly_response_cache_lookups_total); ${cached.sqlPerMiss === undefined ? 'no miss, so no SQL per miss' : `${num(cached.sqlPerMiss)} SQL statements per miss`}` +
        `${cached.cacheMb === undefined ? '' : `; ${ms(cached.cacheMb)} MB of cached responses afterwards (jointly_response_cache_bytes)`}.` +
        (w.id === 'MIX' ? '' : ' A static workload repeats one request, so its hits say nothing about real traffic: see MIX.'),
      '',
    );
  }
  if (w.id === 'MIX' && cached?.cacheHitRatio !== undefined && cached.sentRequests && cached.distinctRequests) {
    const bound = 1 - cached.distinctRequests / cached.sentRequests;
    lines.push(
      `How to read that hit rate: a request's first time is a miss, so the hit rate can be at most 1 − distinct ÷ sent (${pct(bound)} over warm-up and rounds here); ` +
        `it rises with the requests sent per distinct request, so it says as much about this pool (${int(r.mix?.checked ?? NaN)} distinct requests, bounded by the size of this archive) ` +
        'and the length of the run as about the cache. With more distinct requests than the cache meets in a run — a larger archive, more varied clients — it falls.',
      '',
    );
  }
  if (w.id === 'MIX') {
    lines.push(
      `Requests drawn from the mix (warm-up and rounds), and the distinct ones among them: ${order
        .map((c) => `${CANDIDATE_LABEL[c]} ${int(w.candidates[c]?.sentRequests ?? NaN)} (${int(w.candidates[c]?.distinctRequests ?? NaN)} distinct)`)
        .join('; ')}.`,
      '',
    );
  }
  if (w.id === 'Q5') {
    lines.push(
      `Writes in the measured rounds: ${order.map((c) => `${CANDIDATE_LABEL[c]} ${int(w.candidates[c]?.writes ?? 0)} (${int(w.candidates[c]?.conflicts ?? 0)} CONFLICT or error)`).join('; ')}.`,
      '',
    );
  }
  return lines;
}

/**
 * A statement shortened for reading: a long select list becomes its column count, long lists of
 * parameters their first and last, and the rest is cut at 360 characters.
 */
export function condenseSql(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  t = t.replace(/^(select|SELECT) (.{120,}?) (from|FROM) /, (whole: string, select: string, columns: string, from: string) => {
    if (/\bselect\b/i.test(columns)) return whole; // a nested query: keep it as it is
    const n = columns.split(/,(?![^(]*\))/).length;
    return `${select} …${n} columns… ${from} `;
  });
  t = t.replace(/\((\$\d+)(, \$\d+){3,}, (\$\d+)\)/g, '($1, …, $3)');
  return t.length > 360 ? `${t.slice(0, 360)}…` : t;
}

function sqlListing(r: ApiBenchResult, id: string): string[] {
  const texts = r.sqlTexts[id];
  if (!texts) return [];
  const lines = [
    `What each server sends PostgreSQL for one ${id} request (Jointly's when it has to run the request, i.e. without its response cache; shortened; the full texts are in results-${r.label}.json):`,
    '',
  ];
  for (const c of r.settings.order.filter((x) => x !== 'jointly-nocache')) {
    const list = texts[c] ?? [];
    lines.push(`- ${CANDIDATE_LABEL[c]}: ${list.length} statement${list.length === 1 ? '' : 's'}`);
    for (const t of list) lines.push(`  - \`${condenseSql(t).replace(/`/g, "'")}\``);
  }
  lines.push('');
  return lines;
}

/** One line per workload: the ratios at a glance, Jointly with its cache off first (the headline), its cache on last (extra). */
function summary(r: ApiBenchResult): string[] {
  const variants = jointlyVariants(r);
  const engine: CandidateName = variants.includes('jointly-nocache') ? 'jointly-nocache' : 'jointly';
  const extra = variants.filter((c) => c !== engine);
  const lines = [
    `| query | ${CANDIDATE_LABEL[engine]}: req/s | ÷ PostGraphile | ÷ limit | PostGraphile req/s | limit req/s | p99 at half saturation: ${CANDIDATE_LABEL[engine]} / PostGraphile / limit | SQL per executed request: Jointly, PostGraphile, limit | response KB: Jointly, PostGraphile, limit |${extra.map((c) => ` extra — ${CANDIDATE_LABEL[c]}: req/s (cache hits) |`).join('')}`,
    `|---|---:|---:|---:|---:|---:|---:|---|---|${extra.map(() => '---:|').join('')}`,
  ];
  for (const w of r.workloads) {
    const pg = w.candidates.postgraphile;
    const lim = w.candidates.limit;
    const e = w.candidates[engine];
    const kb = (x: CandidateResult | undefined) => (x?.bytesPerResponse ? (x.bytesPerResponse / 1024).toFixed(1) : '–');
    const toPg = notLikeForLike(w) ? 'not like for like' : ratio(e?.rps, pg?.rps);
    const extraCells = extra.map((c) => {
      const x = w.candidates[c];
      return x ? ` ${int(x.rps)}${x.cacheHitRatio !== undefined ? ` (${pct(x.cacheHitRatio)})` : ''} |` : ' – |';
    });
    lines.push(
      `| ${w.id} | ${e ? int(e.rps) : '–'} | ${toPg} | ${ratio(e?.rps, lim?.rps)} | ${pg ? int(pg.rps) : '–'} | ${lim ? int(lim.rps) : '–'} | ` +
        `${ms(e?.half?.p99)} / ${ms(pg?.half?.p99)} / ${ms(lim?.half?.p99)} ms | ${num(e?.sqlPerRequest)}, ${num(pg?.sqlPerRequest)}, ${num(lim?.sqlPerRequest)} | ` +
        `${kb(e)}, ${kb(pg)}, ${kb(lim)} |${extraCells.join('')}`,
    );
  }
  lines.push('');
  const unlike = [...new Set(r.workloads.filter((w) => notLikeForLike(w)).map((w) => w.group))];
  if (unlike.length) {
    lines.push(
      'Not like for like — where PostGraphile does not answer the same question by itself, its ratio is kept out of this table and of the targets (it is in the workload’s section, with the reason):',
      '',
      ...unlike.map((g) => `- ${r.workloads.filter((w) => w.group === g).map((w) => w.id).join(', ')}: ${NOT_LIKE_FOR_LIKE[g]}.`),
      '',
    );
  }
  return lines;
}

function importSection(i: ImportResult): string[] {
  const ceiling = i.copies.find((c) => c.mode === 'triggers');
  const importRate = i.archiveRows / i.import.seconds;
  const lines = [
    `### Import (\`importBundles\` next to COPY) — details in [RESULTS-import.md](RESULTS-import.md)`,
    '',
    `Bundle of ${int(i.generated.statements)} statements, ${int(i.generated.signatures)} signatures, ${int(i.generated.sources)} sources (${(i.generated.bytes / 1e6).toFixed(1)} MB); ${int(i.archiveRows)} archive rows. Run ${i.at}.`,
    '',
    '| path | seconds | rows/s | ratio to COPY |',
    '|---|---:|---:|---:|',
    `| \`importBundles\` (the product's import path) | ${i.import.seconds.toFixed(1)} | ${int(importRate)} | ${ceiling ? ratio(importRate, ceiling.rows / ceiling.seconds) : '–'} |`,
  ];
  if (i.reimport) lines.push(`| \`importBundles\` again (nothing changes) | ${i.reimport.seconds.toFixed(1)} | ${int(i.archiveRows / i.reimport.seconds)} | ${ceiling ? ratio(i.archiveRows / i.reimport.seconds, ceiling.rows / ceiling.seconds) : '–'} |`);
  for (const c of i.copies) {
    const label = c.mode === 'triggers' ? 'COPY FROM STDIN, all triggers (**ceiling**)' : c.mode === 'no-audit' ? 'COPY, audit triggers off' : 'COPY, no triggers nor FK checks';
    lines.push(`| ${label} | ${c.seconds.toFixed(1)} | ${int(c.rows / c.seconds)} | ${ceiling ? ratio(c.rows / c.seconds, ceiling.rows / ceiling.seconds) : '–'} |`);
  }
  lines.push('', `Import: ${int(i.import.sqlStatements)} SQL statements, peak RSS ${int(i.import.peakRssMb)} MB.`, '');
  return lines;
}

const met = (t: Target | undefined) => (t?.met === undefined ? '–' : t.met ? 'yes' : '**no**');

function targetTable(r: ApiBenchResult): string[] {
  const variants = jointlyVariants(r);
  const sets = variants.map((jc) => targets(r, jc));
  const role = (jc: CandidateName) => (variants.length > 1 ? (jc === 'jointly-nocache' ? ' (headline)' : ' (extra)') : '');
  const lines = [
    `| target | ${variants.map((jc) => `${CANDIDATE_LABEL[jc]}${role(jc)} | met`).join(' | ')} |`,
    `|---|${variants.map(() => '---|---|').join('')}`,
  ];
  const names = [...new Set(sets.flat().map((t) => t.name))];
  for (const name of names) {
    lines.push(`| ${name} | ${sets.map((set) => set.find((t) => t.name === name)).map((t) => `${t?.value ?? '–'} | ${met(t)}`).join(' | ')} |`);
  }
  lines.push('');
  if (variants.includes('jointly-nocache')) {
    lines.push(
      'The headline is "Jointly, response cache off" (`JOINTLY_RESPONSE_CACHE_MB=0`): it does the work on every request, like PostGraphile and the limit server. ' +
        'Jointly as configured answers public read queries from a response cache (dropped on every write); its figures are extra. In the static workloads it answers one ' +
        'repeated request from the cache, which says nothing about real traffic; the read mix (MIX) draws varied requests from the archive and its hit rate is counted by the server.',
      '',
    );
  }
  return lines;
}

function mixDescription(r: ApiBenchResult): string[] {
  const m = r.mix!;
  const f = r.fixtures.mix;
  return [
    `Read mix (MIX, serve/mix.ts): ${int(m.checked)} distinct requests, each checked on ${m.checkedOn.map((c) => CANDIDATE_LABEL[c]).join(', ')} before measuring ` +
      `(not on ${CANDIDATE_LABEL.jointly} with its cache, which starts the mix with an empty cache): Q0 for ${int(m.distinct.Q0)} keys; ${int(m.distinct.Q1)} pages of Q1 at first: ${f.q1.first} ` +
      `(signatures first: ${f.q1.signatures}), walked from the newest; ${int(m.distinct.Q2)} pages of Q2 at first: ${f.q2.first} (page 1 of every signatory, pages 2–${f.q2.pages} of the ${f.q2.deepSignatories} longest histories); ` +
      `Q3 for ${int(m.distinct.Q3)} terms. Each request picks a kind (${Object.entries(m.weights).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(', ')}), then an item of it with probability ∝ 1/rank^${m.zipf} ` +
      `(pages by depth, signatories by history length, keys and terms in a seeded random order); every server gets the same seeded sequence (seed ${m.seed}). ` +
      'It runs first, so the rest of the run finds the cache filled. Its hit rate is the server’s own count (jointly_response_cache_lookups_total on GET /metrics) over the measured rounds.',
    '',
  ];
}

function sizeSection(s: SuiteResult): string[] {
  const r = s.api;
  const lines: string[] = [];
  if (!r) {
    lines.push(`## Size ${s.label}`, '');
    if (s.import) lines.push(...importSection(s.import));
    return lines;
  }
  const g = r.archive.fingerprint.options;
  const rows = r.archive.rows;
  lines.push(
    `## Size ${r.label}: ${int(rows.statement ?? g.statements)} statements, ${int(rows.signature ?? g.signatures)} signatures, ${int(rows.source ?? 0)} sources`,
    '',
    `_Run ${r.at}, ${Math.round(r.seconds)} s for the API benchmark, Jointly ${r.versions.jointly}. Load average ${r.loadAverage.start.toFixed(1)} at the start, ${r.loadAverage.end.toFixed(1)} at the end (${r.machine.nproc} CPUs)._`,
    '',
  );
  if (!r.mix) {
    lines.push(
      '_These results come from an earlier version of the harness: no read mix, Q1 measured at first: 50 only, no Q6, Jointly’s SQL per request with its cache on averaged over cache hits, ' +
        'its peak RSS measured without a filled cache, and before the fair share of expensive operations existed. The targets below are today’s, applied to those figures._',
      '',
    );
  }
  const built = r.archive.built;
  lines.push(
    `Archive: database \`${r.archive.database}\` (seed ${g.seed ?? 1}), ` +
      (built
        ? `built by this run in ${built.totalSeconds.toFixed(1)} s (bundle generated in ${built.generateSeconds.toFixed(1)} s, imported with \`importBundles\` in ${built.importSeconds.toFixed(1)} s, VACUUM ANALYZE ${built.analyzeSeconds.toFixed(1)} s)`
        : 'reused (same bundle, same migrations)') +
      `; rows: ${Object.entries(rows).map(([t, n]) => `${t} ${int(n)}`).join(', ')}.`,
    '',
    `Load: ${r.settings.connections} connections, ${r.settings.rounds} rounds of ${r.settings.seconds} s per server, interleaved (${r.settings.order.map((c) => CANDIDATE_LABEL[c].split(' (')[0]).join('; ')}; then again), ` +
      `after ${r.settings.warmupSeconds} s of warm-up each; then ${r.settings.halfSeconds} s at half the server's own saturated rate (autocannon \`overallRate\`). ` +
      `Each server has a pool of ${r.settings.poolSize} connections. req/s over all rounds (slowest–fastest round); p50/p99 over every response of the rounds; ` +
      `p50/p99 are of the raw response times (autocannon's \`response\` events; at half saturation its coordinated-omission-corrected p99 is in the JSON).`,
    '',
    `SQL statements per executed request (sequential requests — three of a static workload, the first 40 of the read mix — transaction control excluded): Jointly — ${r.sqlSource.jointly}; PostGraphile and limit — ${r.sqlSource.postgraphile}. ` +
      (r.settings.order.includes('jointly-nocache')
        ? r.mix
          ? 'Jointly’s figure is counted with its response cache off, so that every request is executed; the same figure is shown for Jointly with its cache, whose own SQL per cache miss under load is in the workload sections.'
          : 'These results predate the current harness: Jointly’s figure with its cache on is the average over three identical requests, cache hits included.'
        : ''),
    '',
    ...(r.mix ? mixDescription(r) : []),
    '### Targets',
    '',
    ...targetTable(r),
    '### Summary',
    '',
    ...summary(r),
  );
  // The read mix runs first (it fills the cache for the rest of the run) but is reported last.
  const groups = [...new Set(r.workloads.map((w) => w.group))].sort((a, b) => Number(a === 'MIX') - Number(b === 'MIX'));
  for (const group of groups) {
    lines.push(`### ${GROUP_TITLES[group] ?? group}`, '');
    for (const w of r.workloads.filter((x) => x.group === group)) lines.push(...workloadSection(r, w));
  }
  lines.push('### Peak RSS', '', `Over the whole run (VmHWM): ${r.settings.order.map((c) => `${CANDIDATE_LABEL[c]} ${int(r.rss[c]?.peakMb ?? NaN)} MB (${int(r.rss[c]?.startMb ?? NaN)} MB after start)`).join('; ')}.`, '');
  if (r.rssAfterMix) {
    lines.push(
      `The read mix runs first, so the workloads after it (up to Q5, whose writes drop the cache) run with ${CANDIDATE_LABEL.jointly}'s response cache filled. ` +
        `RSS right after the mix (VmRSS): ${r.settings.order
          .map((c) => `${CANDIDATE_LABEL[c]} ${int(r.rssAfterMix![c]?.rssMb ?? NaN)} MB${r.rssAfterMix![c]?.cacheMb !== undefined ? ` (${ms(r.rssAfterMix![c]!.cacheMb)} MB of cached responses)` : ''}`)
          .join('; ')}.`,
      '',
    );
  }
  if (r.sqlTexts.Q1) lines.push('### SQL for Q1', '', ...sqlListing(r, 'Q1'));
  if (r.sqlTexts.Q6) lines.push('### SQL for Q6', '', ...sqlListing(r, 'Q6'));
  if (r.incidents?.length) lines.push('### Incidents', '', ...r.incidents.map((i) => `- ${i}`), '');
  lines.push('### How each server answers', '');
  const h = r.fixtures.histories[0];
  lines.push(
    `- Deep page (Q2): Jointly ${r.deepCursors.jointly}; PostGraphile ${r.deepCursors.postgraphile}; limit ${r.deepCursors.limit}.` +
      (h ? ` ${h.iso3}'s history has ${int(h.count)} signatures, so the deep page starts after row ${int(h.depth)}${h.depth < 10_000 ? ' (10,000 rows deep needs a longer history: size M)' : ''}.` : ''),
    "- Signing history (Q2): PostGraphile orders signatures by `STATEMENT_DATE_DESC, PRIMARY_KEY_DESC`, an orderBy value added with graphile-utils' `addPgTableOrderBy` (a correlated subquery on the statement's date; serve/postgraphile-server.ts); Jointly and the limit join the statement.",
    "- Full-text search (Q3): Jointly `statements(filter: {search})`; PostGraphile has no full-text search of its own, so it gets `search_statements(query)`, an SQL function over the same `search_vector` and `websearch_to_tsquery('jointly', …)`, exposed as `searchStatements` (serve/archive.ts); the limit runs the same condition. All three: newest first, first 20.",
    '- Compare (Q4): Jointly `compareStatements`; PostGraphile has no set operations, so it returns both statements’ signatures (with their status and signatory) and the harness computes both/onlyA/onlyB for the equality check; the limit computes the three lists in SQL.',
    '- Write mix (Q5): Jointly `updateStatement` with `expectedVersion` and an editor token (a stale version is a CONFLICT); the limit server the same with `UPDATE … WHERE version = $n`; PostGraphile `updateStatementByKey` writing `version + 1` unchecked (it has no optimistic locking). The audit triggers write a revision row for every update on all three.',
    '- Deeper list (Q6): Jointly `statements → signatures → signatory → signatures(first) → statement`; PostGraphile the same through its relations, the signatory’s signatures ordered by the harness-written `STATEMENT_DATE_DESC, PRIMARY_KEY_DESC` (as in Q2); the limit in one SQL statement with nested `json_agg`.',
    '- Read mix (MIX): Q0, Q1 pages (with `after`), Q2 pages and Q3 as above, asked with variables from the archive; each server follows its own cursors (serve/mix.ts).',
    '- PostGraphile lists every row; Jointly and the limit leave out soft-deleted statements (the benchmark archive has none).',
    '',
  );
  if (s.import) lines.push(...importSection(s.import));
  return lines;
}

/** Rewrites `target` from bench/results-*.json; returns its path. */
export function writeResultsReport(benchDir: string, target: string): string {
  const results = fs
    .readdirSync(benchDir)
    // The suite's results by size (results-fairness.json is another benchmark's).
    .filter((f) => /^results-(XS|S|M|L|XL)\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(benchDir, f), 'utf8')) as SuiteResult)
    .sort((a, b) => (a.api?.archive.rows.signature ?? 0) - (b.api?.archive.rows.signature ?? 0));
  const latest = results.map((r) => r.api).filter((r): r is ApiBenchResult => !!r).reduce<ApiBenchResult | undefined>((a, b) => (!a || b.at > a.at ? b : a), undefined);
  const lines = [
    '# Benchmark results: Jointly, PostGraphile 5 and the physical limit',
    '',
    'Generated by `npm run bench` (bench/run.ts; see bench/README.md): the same questions asked of Jointly, of PostGraphile 5 over the same database, and of a',
    'hand-written server that answers each with one SQL statement building the whole JSON response (the physical limit), after checking that all of them return the',
    'same data. The machine is small and shared with other work, so absolute figures are noisy (see the load averages and the per-round spread): compare servers',
    'within one run — they are measured interleaved for that reason — rather than across runs.',
    '',
    'Where the time goes without the response cache, what was changed for it and what remains: [ANALYSIS.md](ANALYSIS.md) (written by hand, from profiles).',
    '',
  ];
  if (latest) {
    const m = latest.machine;
    const p = latest.postgres;
    lines.push(
      `Machine: ${m.nproc} CPUs (\`nproc\`; ${m.cpu}), ${m.memoryGb} GB memory, ${m.platform}; Node ${m.node}; ${p.version} on the same machine ` +
        `(shared_buffers ${p.shared_buffers}, work_mem ${p.work_mem}, effective_cache_size ${p.effective_cache_size}, max_connections ${p.max_connections}, jit ${p.jit}). ` +
        'The load generator (autocannon, in the harness process), the servers and PostgreSQL share these CPUs.',
      '',
      `Packages (latest run): ${Object.entries(latest.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
      '',
    );
  }
  for (const s of results) lines.push(...sizeSection(s));
  fs.writeFileSync(target, `${lines.join('\n').trimEnd()}\n`);
  return target;
}
