import { ArchiveRecord, memoizedPerEntity, recordFields } from '../../common/archive-record.type';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.type';
import { ConnectionType } from '../../common/connection';
import { PartialDateScalar } from '../../common/scalars';
import { toGlobalId } from '../../common/global-id';
import { formatPartialDate } from '../../common/partial-date';
import { ListStatusEnum, SignatureStatusEnum, StatementKindEnum } from '../../common/graphql-enums';
import type { ListStatus, SignatureStatus, StatementKind } from '../../common/enums';
import type { StatementEntity } from './statement.entity';
import type { SignatureRow } from './statement.loaders';

@ObjectType({ implements: Node, description: 'A joint statement, letter, reply or resolution.' })
export class Statement extends ArchiveRecord implements Node {
  respondsToId!: string | null;
  leadSignatoryId!: string | null;
  deliveredById!: string | null;

  @Field(() => String, { description: 'The stable bundle key, e.g. "unga76-c3-xinjiang-france".' })
  key!: string;

  @Field(() => StatementKindEnum, { description: 'Joint statement, letter, reply…' })
  kind!: StatementKind;

  @Field(() => String, { description: 'A descriptive title.' })
  title!: string;

  @Field(() => PartialDateScalar, { description: 'When it was delivered or published, to the precision known.' })
  date!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "UN General Assembly Third Committee".' })
  forum!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "76", "HRC41".' })
  session!: string | null;

  @Field(() => String, { nullable: true, description: 'The agenda item it was delivered under.' })
  agendaItem!: string | null;

  @Field(() => String, { nullable: true, description: 'UN document symbol, e.g. "A/HRC/41/G/17".' })
  unSymbol!: string | null;

  @Field(() => [String], { description: 'e.g. ["Xinjiang", "Hong Kong"].' })
  topics!: string[];

  @Field(() => String, { nullable: true, description: 'The full text or the reported excerpt.' })
  text!: string | null;

  @Field(() => Int, { nullable: true, description: 'The count the statement itself claims ("on behalf of 43 countries").' })
  claimedSignatoryCount!: number | null;

  @Field(() => Int, { name: 'listedSignatoryCount', description: 'How many signatories the archived list holds with status SIGNED (withdrawn ones excluded); compare with claimedSignatoryCount.' })
  signatureCount!: number;

  @Field(() => ListStatusEnum, { nullable: true, description: 'Whether the archived list is complete, partial or unpublished.' })
  listStatus!: ListStatus | null;
}

@ObjectType({ implements: Node, description: "One signatory's adherence to a statement." })
export class Signature implements Node {
  dbId!: string;
  signatoryId!: string;
  statementId!: string;

  /** Encoded when read: a nested list holds thousands of signatures, and few clients select their ids. */
  @Field(() => ID, { description: 'Opaque global id; resolve it with node(id:).' })
  get id(): string {
    return toGlobalId('Signature', this.dbId);
  }

  @Field(() => SignatureStatusEnum, { description: 'SIGNED, or WITHDRAWN when the signatory later withdrew.' })
  status!: SignatureStatus;

  @Field(() => String, { description: 'The name as the source wrote it, e.g. "DR Congo".' })
  nameAsWritten!: string;

  @Field(() => Int, { description: "Position in the statement's list as published (0-based)." })
  position!: number;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When a late signatory joined.' })
  joinedOn!: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When the signatory withdrew, if it did and the date is known.' })
  withdrawnOn!: string | null;

  @Field(() => Int, { description: 'Incremented by every change (optimistic locking).' })
  version!: number;
}

export const StatementConnection = ConnectionType(Statement, 'Statement', 'A page of statements.');
export const SignatureConnection = ConnectionType(Signature, 'Signature', 'A page of signatures.');

export function toStatement(e: StatementEntity): Statement {
  return Object.assign(new Statement(), recordFields('Statement', e), {
    respondsToId: e.respondsToId,
    key: e.key,
    kind: e.kind,
    title: e.title,
    date: formatPartialDate(e.date, e.datePrecision)!,
    forum: e.forum,
    session: e.session,
    agendaItem: e.agendaItem,
    unSymbol: e.unSymbol,
    topics: e.topics,
    text: e.text,
    claimedSignatoryCount: e.claimedSignatoryCount,
    listStatus: e.listStatus,
    signatureCount: e.signatureCount,
    leadSignatoryId: e.leadSignatoryId,
    deliveredById: e.deliveredById,
  });
}

/** toStatement once per loaded entity: for field resolvers reading through the per-request loaders. */
export const toLoadedStatement = memoizedPerEntity(toStatement);

export function toSignature(r: SignatureRow): Signature {
  return Object.assign(new Signature(), {
    dbId: r.id,
    signatoryId: r.signatoryId,
    statementId: r.statementId,
    status: r.status,
    nameAsWritten: r.nameAsWritten,
    position: r.position,
    joinedOn: formatPartialDate(r.joinedOn, r.joinedOnPrecision),
    withdrawnOn: formatPartialDate(r.withdrawnOn, r.withdrawnOnPrecision),
    version: r.version,
  });
}
