import fs from 'node:fs';
import { extractDraft, ExtractError, SOURCE_KINDS, type Draft, type DraftBundle, type ExtractionReport, type SourceKind } from '@jointly/server';
import { writeFileAtomically } from './atomic-file';
import { plural } from './commands';
import { UsageError } from './export-command';

/** What `jointly extract` takes, as commander parses it. */
export interface ExtractOptions {
  url?: string;
  published?: string;
  title?: string;
  kind?: string;
  out?: string;
  report?: string;
}

/** What `--report` writes: the review report of each file, in the order given. */
export interface ExtractReportFile {
  files: (ExtractionReport & { file: string })[];
}

/** The drafts of several files as one bundle (people named by more than one kept once). */
export function mergeDrafts(drafts: readonly Draft[]): DraftBundle {
  const people = new Map(drafts.flatMap((d) => d.bundle.people.map((p) => [p.key, p] as const)));
  return {
    format: 'jointly-bundle/1',
    sources: drafts.flatMap((d) => d.bundle.sources),
    people: [...people.values()],
    statements: drafts.flatMap((d) => d.bundle.statements),
  };
}

/** The report as a person reads it: one line per file, then one per item to review. */
export function describeReport(file: string, draft: Draft): string[] {
  const { bundle, report } = draft;
  const lines = [`${file}: ${plural(bundle.statements.length, 'statement')} drafted, ${plural(report.facts.length, 'fact')} with their passages, ${plural(report.review.length, 'item')} to review`];
  for (const item of report.review) {
    const where = item.end > item.start ? ` at ${item.start}–${item.end}` : '';
    const about = item.statement ? ` [${item.statement}]` : '';
    const candidates = item.candidates.length > 0 ? ` (candidates: ${item.candidates.join(', ')})` : '';
    lines.push(`  ${item.kind}${where}${about}: ${item.message}${candidates}`);
  }
  return lines;
}

function checkOptions(files: readonly string[], options: ExtractOptions): SourceKind | undefined {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  if (files.length > 1 && (options.url !== undefined || options.title !== undefined || options.published !== undefined)) {
    throw new UsageError('--url, --title and --published describe one source: give them with one FILE');
  }
  if (options.kind === undefined) return undefined;
  const kind = SOURCE_KINDS.find((k) => k === options.kind!.toUpperCase());
  if (!kind) throw new UsageError(`--kind must be one of ${SOURCE_KINDS.join(', ')}`);
  return kind;
}

/**
 * `jointly extract FILE…`: a draft bundle (to --out, else standard output) and its review report
 * (readable on standard error; as JSON to --report). Exit 0 drafted, 1 a file cannot be read or drafted, 2 usage.
 */
export function extractCommand(files: readonly string[], options: ExtractOptions, stderr: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  let kind: SourceKind | undefined;
  try {
    kind = checkOptions(files, options);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr(`jointly: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const drafts: { file: string; draft: Draft }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      stderr(`jointly: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return 1;
    }
    try {
      const draft = extractDraft({
        text,
        ...(options.url === undefined ? {} : { url: options.url }),
        ...(options.published === undefined ? {} : { published: options.published }),
        ...(options.title === undefined ? {} : { title: options.title }),
        ...(kind === undefined ? {} : { kind }),
      });
      drafts.push({ file, draft });
    } catch (error) {
      if (error instanceof ExtractError) {
        stderr(`jointly: ${file}: ${error.message}`);
        return error.message.startsWith('--') ? 2 : 1;
      }
      throw error;
    }
  }
  const bundle = `${JSON.stringify(mergeDrafts(drafts.map((d) => d.draft)), null, 2)}\n`;
  const report: ExtractReportFile = { files: drafts.map(({ file, draft }) => ({ file, ...draft.report })) };
  if (options.report !== undefined) writeFileAtomically(options.report, `${JSON.stringify(report, null, 2)}\n`);
  if (options.out === undefined || options.out === '-') process.stdout.write(bundle);
  else writeFileAtomically(options.out, bundle);
  for (const { file, draft } of drafts) for (const line of describeReport(file, draft)) stderr(line);
  return 0;
}
