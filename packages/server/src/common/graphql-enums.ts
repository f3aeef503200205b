import { registerEnumType } from 'type-graphql';
import {
  ALIAS_KINDS,
  LIST_STATUSES,
  SIGNATORY_KINDS,
  SIGNATURE_STATUSES,
  SOURCE_KINDS,
  STATEMENT_KINDS,
  UN_STATUSES,
  type AliasKind,
  type ListStatus,
  type SignatoryKind,
  type SignatureStatus,
  type SourceKind,
  type StatementKind,
  type UnStatus,
} from './enums';
import { DATE_PRECISIONS, type DatePrecision } from './partial-date';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const StatementKindEnum = asEnum<StatementKind>(STATEMENT_KINDS);
export const ListStatusEnum = asEnum<ListStatus>(LIST_STATUSES);
export const SignatoryKindEnum = asEnum<SignatoryKind>(SIGNATORY_KINDS);
export const SignatureStatusEnum = asEnum<SignatureStatus>(SIGNATURE_STATUSES);
export const UnStatusEnum = asEnum<UnStatus>(UN_STATUSES);
export const DatePrecisionEnum = asEnum<DatePrecision>(DATE_PRECISIONS);
export const SourceKindEnum = asEnum<SourceKind>(SOURCE_KINDS);
export const AliasKindEnum = asEnum<AliasKind>(ALIAS_KINDS);

registerEnumType(StatementKindEnum, { name: 'StatementKind', description: 'What kind of text a statement is.' });
registerEnumType(ListStatusEnum, { name: 'ListStatus', description: 'Whether the archived list of signatures is the full list.' });
registerEnumType(SignatoryKindEnum, { name: 'SignatoryKind', description: 'What kind of actor a signatory is.' });
registerEnumType(SignatureStatusEnum, { name: 'SignatureStatus', description: 'Whether a signature stands or was withdrawn.' });
registerEnumType(UnStatusEnum, { name: 'UnStatus', description: 'Membership of the United Nations.' });
registerEnumType(DatePrecisionEnum, { name: 'DatePrecision', description: 'To what a date is known: year, month or day.' });
registerEnumType(SourceKindEnum, { name: 'SourceKind', description: 'What kind of document a source is.' });
registerEnumType(AliasKindEnum, { name: 'AliasKind', description: 'What kind of name an alias is.' });
