import { registerEnumType } from 'type-graphql';
import {
  LIST_STATUSES,
  SIGNATORY_KINDS,
  SIGNATURE_STATUSES,
  STATEMENT_KINDS,
  UN_STATUSES,
  type ListStatus,
  type SignatoryKind,
  type SignatureStatus,
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

registerEnumType(StatementKindEnum, { name: 'StatementKind' });
registerEnumType(ListStatusEnum, { name: 'ListStatus', description: 'Whether the archived list of signatures is the full list.' });
registerEnumType(SignatoryKindEnum, { name: 'SignatoryKind' });
registerEnumType(SignatureStatusEnum, { name: 'SignatureStatus' });
registerEnumType(UnStatusEnum, { name: 'UnStatus', description: 'Membership of the United Nations.' });
registerEnumType(DatePrecisionEnum, { name: 'DatePrecision' });
