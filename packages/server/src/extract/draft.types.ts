/** What `extractDraft` returns: a bundle to import as it is, and what a person must decide. */

export type SourceKind = 'NEWS_ARTICLE' | 'UN_DOCUMENT' | 'GOVERNMENT_PAGE' | 'NGO_PAGE' | 'PRESS_RELEASE' | 'TRANSCRIPT' | 'OTHER';
export const SOURCE_KINDS: readonly SourceKind[] = ['NEWS_ARTICLE', 'UN_DOCUMENT', 'GOVERNMENT_PAGE', 'NGO_PAGE', 'PRESS_RELEASE', 'TRANSCRIPT', 'OTHER'];
export type StatementKind = 'JOINT_STATEMENT' | 'NATIONAL_STATEMENT' | 'RIGHT_OF_REPLY';

export interface DraftEvidence {
  source: string;
  quote: string;
}

export interface DraftSource {
  key: string;
  kind: SourceKind;
  title: string;
  url?: string;
  publishedOn?: string;
  language: 'en';
  body: string;
}

export interface DraftPerson {
  key: string;
  name: string;
  roles: { title: string; signatory: string }[];
}

export interface DraftSignature {
  signatory: string;
  evidence: DraftEvidence[];
}

export interface DraftStatement {
  key: string;
  title: string;
  kind: StatementKind;
  date: string;
  forum?: string;
  session?: string;
  topics?: string[];
  text?: string;
  deliveredBy?: string;
  leadSignatory: string;
  claimedSignatoryCount?: number;
  listStatus?: 'COMPLETE' | 'PARTIAL';
  respondsTo?: string;
  signatures: DraftSignature[];
  countClaims?: { count: number; source: string; quote: string }[];
  evidence: DraftEvidence[];
}

export interface DraftBundle {
  format: 'jointly-bundle/1';
  sources: DraftSource[];
  people: DraftPerson[];
  statements: DraftStatement[];
}

/** What the report asks a person to decide. */
export type ReviewKind = 'name' | 'reader' | 'date' | 'session' | 'side' | 'group' | 'statement';

/** One thing left out of the draft: the text as written, where it is in the cleaned body, the candidates. */
export interface ReviewItem {
  kind: ReviewKind;
  /** The statement it concerns (its draft key, or the reader as written when the statement was held back). */
  statement?: string;
  text: string;
  start: number;
  end: number;
  message: string;
  candidates: string[];
}

/** A value written into the draft, the rule that found it and the passage that supports it. */
export interface Fact {
  record: string;
  field: string;
  value: string | number;
  rule: string;
  quote: string;
  start: number;
  end: number;
}

export interface ExtractionReport {
  source: string;
  /** Offsets are into this body (the draft source's `body`). */
  facts: Fact[];
  review: ReviewItem[];
}

export interface Draft {
  bundle: DraftBundle;
  report: ExtractionReport;
}

export interface ExtractInput {
  /** The source's text, plain or HTML. */
  text: string;
  url?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD; overrides a date line. */
  published?: string;
  title?: string;
  kind?: SourceKind;
}
