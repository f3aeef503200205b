import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Node } from '../../common/node.type';
import { PageInfo } from '../../common/pagination';
import { PartialDateScalar } from '../../common/scalars';
import { toGlobalId } from '../../common/global-id';
import { formatPartialDate } from '../../common/partial-date';
import { ListStatusEnum, SignatureStatusEnum, StatementKindEnum } from '../../common/graphql-enums';
import type { ListStatus, SignatureStatus, StatementKind } from '../../common/enums';
import type { StatementEntity } from './statement.entity';
import type { SignatureRow } from './statement.loaders';

@ObjectType({ implements: Node, description: 'A joint statement, letter, reply or resolution.' })
export class Statement implements Node {
  /** The database id, for field resolvers; not part of the schema. */
  dbId!: string;
  respondsToId!: string | null;

  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The stable bundle key, e.g. "unga76-c3-xinjiang-france".' })
  key!: string;

  @Field(() => StatementKindEnum)
  kind!: StatementKind;

  @Field(() => String)
  title!: string;

  @Field(() => PartialDateScalar, { description: 'When it was delivered or published, to the precision known.' })
  date!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "UN General Assembly Third Committee".' })
  forum!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "76", "HRC41".' })
  session!: string | null;

  @Field(() => String, { nullable: true })
  agendaItem!: string | null;

  @Field(() => String, { nullable: true, description: 'UN document symbol, e.g. "A/HRC/41/G/17".' })
  unSymbol!: string | null;

  @Field(() => [String])
  topics!: string[];

  @Field(() => String, { nullable: true, description: 'The full text or the reported excerpt.' })
  text!: string | null;

  @Field(() => Int, { nullable: true, description: 'The count the statement itself claims ("on behalf of 43 countries").' })
  claimedSignatoryCount!: number | null;

  @Field(() => ListStatusEnum, { nullable: true })
  listStatus!: ListStatus | null;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime)
  updatedAt!: Date;

  @Field(() => Int)
  version!: number;
}

@ObjectType({ implements: Node, description: "One signatory's adherence to a statement." })
export class Signature implements Node {
  signatoryId!: string;
  statementId!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => SignatureStatusEnum)
  status!: SignatureStatus;

  @Field(() => String, { description: 'The name as the source wrote it, e.g. "DR Congo".' })
  nameAsWritten!: string;

  @Field(() => Int, { description: "Position in the statement's list as published (0-based)." })
  position!: number;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When a late signatory joined.' })
  joinedOn!: string | null;

  @Field(() => PartialDateScalar, { nullable: true })
  withdrawnOn!: string | null;

  @Field(() => Int)
  version!: number;
}

@ObjectType()
export class StatementEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Statement)
  node!: Statement;
}

@ObjectType()
export class SignatureEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Signature)
  node!: Signature;
}

/** totalCount is computed only when selected: it is a method, resolved lazily. */
@ObjectType()
export class StatementConnection {
  constructor(
    edges: StatementEdge[],
    pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {
    this.edges = edges;
    this.nodes = edges.map((e) => e.node);
    this.pageInfo = pageInfo;
  }

  @Field(() => [StatementEdge])
  edges: StatementEdge[];

  @Field(() => [Statement])
  nodes: Statement[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount(): Promise<number> {
    return this.count();
  }
}

@ObjectType()
export class SignatureConnection {
  constructor(
    edges: SignatureEdge[],
    pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {
    this.edges = edges;
    this.nodes = edges.map((e) => e.node);
    this.pageInfo = pageInfo;
  }

  @Field(() => [SignatureEdge])
  edges: SignatureEdge[];

  @Field(() => [Signature])
  nodes: Signature[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount(): Promise<number> {
    return this.count();
  }
}

export function toStatement(e: StatementEntity): Statement {
  return {
    dbId: e.id,
    respondsToId: e.respondsToId,
    id: toGlobalId('Statement', e.id),
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
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}

export function toSignature(r: SignatureRow): Signature {
  return {
    signatoryId: r.signatoryId,
    statementId: r.statementId,
    id: toGlobalId('Signature', r.id),
    status: r.status,
    nameAsWritten: r.nameAsWritten,
    position: r.position,
    joinedOn: formatPartialDate(r.joinedOn, r.joinedOnPrecision),
    withdrawnOn: formatPartialDate(r.withdrawnOn, r.withdrawnOnPrecision),
    version: r.version,
  };
}
