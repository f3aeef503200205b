/** The archive's closed vocabularies, shared by the entities (CHECK constraints), GraphQL enums and the bundle format. */
export const SOURCE_KINDS = [
  'NEWS_ARTICLE',
  'UN_DOCUMENT',
  'GOVERNMENT_PAGE',
  'NGO_PAGE',
  'PRESS_RELEASE',
  'TRANSCRIPT',
  'OTHER',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SIGNATORY_KINDS = ['STATE', 'ORGANIZATION', 'GROUP', 'NGO'] as const;
export type SignatoryKind = (typeof SIGNATORY_KINDS)[number];

export const UN_STATUSES = ['MEMBER', 'OBSERVER'] as const;
export type UnStatus = (typeof UN_STATUSES)[number];

export const ALIAS_KINDS = ['COMMON', 'OFFICIAL', 'SHORT', 'FORMER', 'ABBREVIATION', 'VARIANT', 'CODE'] as const;
export type AliasKind = (typeof ALIAS_KINDS)[number];

export const STATEMENT_KINDS = [
  'JOINT_STATEMENT',
  'JOINT_LETTER',
  'NATIONAL_STATEMENT',
  'RIGHT_OF_REPLY',
  'RESOLUTION',
  'OTHER',
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export const LIST_STATUSES = ['COMPLETE', 'PARTIAL', 'UNPUBLISHED'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const SIGNATURE_STATUSES = ['SIGNED', 'WITHDRAWN'] as const;
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

/** `"kind" IN ('A', 'B')` for a CHECK constraint. */
export function oneOf(column: string, values: readonly string[]): string {
  return `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`;
}
