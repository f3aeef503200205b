/** bench/RESULTS-import.md from every bench/out/import-results-<size>.json present (and the sections of other sizes it already had). */
import fs from 'node:fs';
import path from 'node:path';
import type { GenerateStats } from './generate';
import type { ImportRun } from './import-child';

export interface CopyRun {
  mode: 'triggers' | 'no-audit' | 'no-triggers';
  seconds: number;
  /** Seconds per table, from psql's \timing. */
  tables: Record<string, number>;
  rows: number;
  revisionRows: number;
}

export interface BenchResult {
  label: string;
  at: string;
  /** 1-minute load average when the run started and ended (other work on the machine skews the numbers). */
  loadAverage?: { start: number; end: number };
  machine: { nproc: string; cpu: string; memoryGb: number; node: string; platform: string };
  postgres: Record<string, string>;
  generated: GenerateStats & { seconds: number };
  /** Rows per table after the import, and `revision`: the revision rows its triggers wrote. */
  rows: Record<string, number>;
  /** Rows the import wrote into the archive tables (revision excluded). */
  archiveRows: number;
  import: ImportRun;
  reimport?: ImportRun;
  auditOffImport?: ImportRun;
  copies: CopyRun[];
  csvBytes?: number;
}

const COPY_LABEL: Record<CopyRun['mode'], string> = {
  triggers: 'COPY FROM STDIN, all triggers active (**ceiling**)',
  'no-audit': 'COPY FROM STDIN, audit triggers disabled',
  'no-triggers': 'COPY FROM STDIN, no triggers nor FK checks (`session_replication_role = replica`)',
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const sec = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

function section(r: BenchResult): string {
  const g = r.generated;
  const ceiling = r.copies.find((c) => c.mode === 'triggers');
  const ceilingRate = ceiling ? ceiling.rows / ceiling.seconds : undefined;
  const ratio = (rate: number) => (ceilingRate ? `${(rate / ceilingRate).toFixed(2)}×` : '–');
  const rowsLine = (name: string, rows: number, seconds: number, signatures: number, sigSeconds = seconds) =>
    `| ${name} | ${int(rows)} | ${sec(seconds)} | ${int(rows / seconds)} | ${int(signatures / sigSeconds)} | ${ratio(rows / seconds)} |`;
  const sig = r.rows.signature ?? 0;
  const lines: string[] = [];
  lines.push(`## Size ${r.label}: ${int(g.statements)} statements, ${int(g.signatures)} signatures`, '');
  lines.push(
    `Bundle \`${path.basename(g.file)}\` (seed ${g.seed}): ${(g.bytes / 1e6).toFixed(1)} MB NDJSON; ${int(g.sources)} sources, ${int(g.people)} people ` +
      `(${int(g.personRoles)} roles), ${int(g.statements)} statements (${int(g.replies)} replies, ${int(g.deliveredBy)} with deliveredBy, ` +
      `${int(g.countClaims)} count claims), ${int(g.signatures)} signatures (per statement: median ${g.signaturesPerStatement.median}, ` +
      `mean ${g.signaturesPerStatement.mean}, max ${g.signaturesPerStatement.max}; ${int(g.withdrawn)} withdrawn, ${int(g.lateJoiners)} late joiners), ` +
      `${int(g.statementEvidence + g.signatureEvidence)} evidence (${int(g.signatureEvidence)} on signatures). Generated in ${sec(g.seconds)} s.`,
    '',
  );
  lines.push(
    `Rows written: ${TABLE_ORDER.map((t) => `${t} ${int(r.rows[t] ?? 0)}`).join(', ')} — **${int(r.archiveRows)} rows**; ` +
      `plus ${int(r.rows.revision ?? 0)} \`revision\` rows written by the audit triggers (not counted).`,
    '',
  );
  lines.push('| path | rows | seconds | rows/s | signatures/s | ratio to COPY |', '|---|---:|---:|---:|---:|---:|');
  lines.push(rowsLine('`importBundles` (the product\'s import path, one transaction)', r.archiveRows, r.import.seconds, sig));
  if (r.auditOffImport) lines.push(rowsLine('`importBundles`, audit triggers disabled (benchmark only)', r.archiveRows, r.auditOffImport.seconds, sig));
  if (r.reimport) lines.push(rowsLine('`importBundles` again, same bundle (nothing written: compare only)', r.archiveRows, r.reimport.seconds, sig));
  for (const c of r.copies) lines.push(rowsLine(COPY_LABEL[c.mode], c.rows, c.seconds, sig, c.tables.signature ?? c.seconds));
  lines.push('');
  lines.push(
    'rows/s counts archive rows (the revision rows are extra work in every path with triggers). For COPY, signatures/s is the `signature` table\'s own COPY time (psql `\\timing`); ' +
      'for the import it is all signatures over the whole import.',
    '',
  );
  const i = r.import;
  const details = [
    `- Import: ${int(i.sqlStatements)} SQL statements issued (SqlCounter, transaction control excluded), **peak RSS ${int(i.peakRssMb)} MB** (import process; statements checked and written in batches of about 10,000 signatures, NDJSON read as a stream).`,
    `- Reading the bundle (readBundleFile: read, JSON.parse per line, JSON Schema validation) alone: ${sec(i.parseSeconds)} s.`,
  ];
  if (i.sqlSeconds !== undefined) {
    details.push(
      `- Waiting on SQL: ${sec(i.sqlSeconds)} s of ${sec(i.seconds)} s; the rest (${sec(i.seconds - i.sqlSeconds)} s) is in Node: reading/validating, resolving names, locating quotes, serialising rows.`,
    );
  }
  const noAudit = r.copies.find((c) => c.mode === 'no-audit');
  if (r.auditOffImport && noAudit) {
    const a = r.archiveRows / r.auditOffImport.seconds;
    const b = noAudit.rows / noAudit.seconds;
    details.push(
      `- Like for like with the audit triggers off on both sides: import ${int(a)} rows/s, COPY ${int(b)} rows/s (${(a / b).toFixed(2)}×). ` +
        `The audit triggers cost the import ${sec(i.seconds - r.auditOffImport.seconds)} s (${Math.round((1 - r.auditOffImport.seconds / i.seconds) * 100)}%) and COPY ${sec((ceiling?.seconds ?? 0) - noAudit.seconds)} s.`,
    );
  }
  if (r.reimport) details.push(`- Re-import: ${int(r.reimport.sqlStatements)} SQL statements, peak RSS ${int(r.reimport.peakRssMb)} MB.`);
  if (ceiling) {
    details.push(
      `- COPY with triggers, per table (s): ${TABLE_ORDER.map((t) => `${t} ${sec(ceiling.tables[t] ?? NaN)}`).join(', ')}; it wrote ${int(ceiling.revisionRows)} revision rows.`,
    );
  }
  if (r.csvBytes) details.push(`- CSV loaded by COPY: ${(r.csvBytes / 1e6).toFixed(1)} MB (the rows exported from the import, derived columns left to the triggers).`);
  lines.push(...details, '');
  if (i.profile?.length) {
    lines.push('Slowest SQL statements of the import (time waiting for the result, parameters included):', '');
    lines.push('| statement (first words) | calls | seconds | parameter MB |', '|---|---:|---:|---:|');
    for (const p of i.profile.slice(0, 10)) {
      lines.push(`| \`${p.sql.replace(/\|/g, '\\|')}…\` | ${p.calls} | ${sec(p.seconds)} | ${(p.paramChars / 1e6).toFixed(1)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Headline seconds of one run, kept across runs to show the spread. */
export interface HistoryEntry {
  label: string;
  at: string;
  rows: number;
  loadAverage?: { start: number; end: number };
  importSeconds: number;
  /** Of the import process. */
  peakRssMb?: number;
  auditOffImportSeconds?: number;
  reimportSeconds?: number;
  copySeconds: Partial<Record<CopyRun['mode'], number>>;
}

export function appendHistory(file: string, r: BenchResult): void {
  const history: HistoryEntry[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as HistoryEntry[]) : [];
  history.push({
    label: r.label,
    at: r.at,
    rows: r.archiveRows,
    loadAverage: r.loadAverage,
    importSeconds: r.import.seconds,
    peakRssMb: r.import.peakRssMb,
    auditOffImportSeconds: r.auditOffImport?.seconds,
    reimportSeconds: r.reimport?.seconds,
    copySeconds: Object.fromEntries(r.copies.map((c) => [c.mode, c.seconds])),
  });
  fs.writeFileSync(file, `${JSON.stringify(history, null, 2)}\n`);
}

function historyLines(outDir: string, r: BenchResult): string[] {
  const file = path.join(outDir, 'import-history.json');
  if (!fs.existsSync(file)) return [];
  const runs = (JSON.parse(fs.readFileSync(file, 'utf8')) as HistoryEntry[]).filter((h) => h.label === r.label && h.rows === r.archiveRows);
  if (runs.length < 2) return [];
  const opt = (n: number | undefined) => (n === undefined ? '–' : sec(n));
  return [
    `All recorded runs of this size (seconds; the machine is shared, so the spread is mostly other load):`,
    '',
    '| run | load avg (start/end) | import | import peak RSS (MB) | import, no audit | re-import | COPY (ceiling) | COPY, no audit | COPY, no triggers |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (h) =>
        `| ${h.at} | ${h.loadAverage ? `${h.loadAverage.start.toFixed(1)} / ${h.loadAverage.end.toFixed(1)}` : '–'} | ${sec(h.importSeconds)} | ${h.peakRssMb === undefined ? '–' : int(h.peakRssMb)} | ` +
        `${opt(h.auditOffImportSeconds)} | ${opt(h.reimportSeconds)} | ${opt(h.copySeconds.triggers)} | ${opt(h.copySeconds['no-audit'])} | ${opt(h.copySeconds['no-triggers'])} |`,
    ),
    '',
  ];
}

const TABLE_ORDER = ['source', 'person', 'person_role', 'statement', 'signature', 'evidence', 'count_claim'];

/** Rewrites `target` from the per-size JSON results in `outDir`; returns its path. */
export function writeReport(outDir: string, target: string): string {
  const results = fs
    .readdirSync(outDir)
    .filter((f) => /^import-results-.+\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(outDir, f), 'utf8')) as BenchResult)
    .sort((a, b) => a.generated.signatures - b.generated.signatures);
  const latest = results.reduce<BenchResult | undefined>((a, b) => (!a || b.at > a.at ? b : a), undefined);
  const m = latest?.machine;
  const pgInfo = latest?.postgres ?? {};
  const lines = [
    '# Import benchmark results',
    '',
    'Generated by `npm run bench:import` (bench/import/run.ts; see bench/README.md). Numbers are from single runs on the machine below,',
    'which is shared with other work: between runs the same path varied by up to ~30% (see the load averages and the table of runs).',
    'Compare paths within one run rather than across runs.',
    '',
  ];
  if (m) {
    lines.push(
      `Machine: ${m.nproc} CPUs (\`nproc\`; ${m.cpu}), ${m.memoryGb} GB memory, ${m.platform}; Node ${m.node}; ${pgInfo.version ?? 'PostgreSQL'} on the same machine ` +
        `(shared_buffers ${pgInfo.shared_buffers}, work_mem ${pgInfo.work_mem}, synchronous_commit ${pgInfo.synchronous_commit}, fsync ${pgInfo.fsync}, max_wal_size ${pgInfo.max_wal_size}).`,
      '',
    );
  }
  const sections: { signatures: number; text: string }[] = results.map((r) => {
    const load = r.loadAverage ? ` Load average ${r.loadAverage.start.toFixed(1)} at the start, ${r.loadAverage.end.toFixed(1)} at the end (${m?.nproc ?? '?'} CPUs).` : '';
    return { signatures: r.generated.signatures, text: [`_Run ${r.at}.${load}_`, '', section(r), ...historyLines(outDir, r)].join('\n') };
  });
  // Sizes recorded in the report before but without results in outDir (e.g. a fresh checkout that ran
  // one size) keep their sections as they were.
  const have = new Set(results.map((r) => r.label));
  for (const old of previousSections(target)) if (!have.has(old.label)) sections.push(old);
  sections.sort((a, b) => a.signatures - b.signatures);
  for (const s of sections) lines.push(s.text.trimEnd(), '');
  fs.writeFileSync(target, `${lines.join('\n').trimEnd()}\n`);
  return target;
}

/** The per-size sections of an existing report: from each `_Run …_` line to the next. */
function previousSections(file: string): { label: string; signatures: number; text: string }[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const starts = [...text.matchAll(/^_Run [^\n]*_\n\n## Size (\S+): [\d,]+ statements, ([\d,]+) signatures/gm)];
  return starts.map((m, i) => ({
    label: m[1]!,
    signatures: Number(m[2]!.replace(/,/g, '')),
    text: text.slice(m.index, i + 1 < starts.length ? starts[i + 1]!.index : undefined),
  }));
}
