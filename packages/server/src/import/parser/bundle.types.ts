import type {
  ListStatus,
  SignatoryKind,
  SignatureStatus,
  SourceKind,
  StatementKind,
} from '../../common/enums';

/** The bundle format, version 1 (docs/bundle-format.md). Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export const BUNDLE_FORMAT = 'jointly-bundle/1';

export interface EvidenceRecord {
  source: string;
  quote?: string;
}

export interface SourceRecord {
  key: string;
  kind: SourceKind;
  title: string;
  url?: string;
  publisher?: string;
  authors?: string[];
  publishedOn?: string;
  language?: string;
  unSymbol?: string;
  summary?: string;
  body?: string;
}

export interface RoleRecord {
  title: string;
  signatory?: string;
  organization?: string;
  from?: string;
  to?: string;
}

export interface PersonRecord {
  key: string;
  name: string;
  aliases?: string[];
  roles?: RoleRecord[];
}

export interface SignatoryRecord {
  key: string;
  kind: SignatoryKind;
  name: string;
  iso3?: string;
  aliases?: string[];
  members?: string[];
}

export interface SignatureRecord {
  signatory: string;
  status?: SignatureStatus;
  joinedOn?: string;
  withdrawnOn?: string;
  evidence?: EvidenceRecord[];
}

export interface CountClaimRecord {
  count: number;
  source: string;
  quote?: string;
}

export interface StatementRecord {
  key: string;
  title: string;
  kind: StatementKind;
  date: string;
  forum?: string;
  session?: string;
  agendaItem?: string;
  unSymbol?: string;
  topics?: string[];
  text?: string;
  deliveredBy?: string;
  leadSignatory?: string;
  claimedSignatoryCount?: number;
  listStatus?: ListStatus;
  respondsTo?: string;
  signatures?: SignatureRecord[];
  countClaims?: CountClaimRecord[];
  evidence?: EvidenceRecord[];
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  sources?: SourceRecord[];
  people?: PersonRecord[];
  signatories?: SignatoryRecord[];
  statements?: StatementRecord[];
}

/** One thing wrong with a bundle, in words, at the field it is about. */
export interface BundleProblem {
  /** `statements[3].signatures[12].signatory`; '' for the file or the bundle as a whole. */
  path: string;
  message: string;
  /** Where the text stops being JSON, or (NDJSON) the line that is not a record. */
  line?: number;
  column?: number;
}

/** `statements[3].date: …`, `line 4, column 2: …`, or the message alone. */
export function describeBundleProblem(p: BundleProblem): string {
  const where = [p.line === undefined ? '' : `line ${p.line}${p.column === undefined ? '' : `, column ${p.column}`}`, p.path].filter(Boolean);
  return where.length ? `${where.join(', ')}: ${p.message}` : p.message;
}

export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    readonly file: string,
    readonly problems: readonly BundleProblem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` + problems.map((p) => `  ${describeBundleProblem(p)}`).join('\n'),
    );
  }
}
