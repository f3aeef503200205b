import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { toGlobalId, type NodeType } from './global-id';

/** The fields every keyed archive record shares (statements, sources, people, signatories). */
@ObjectType({ description: 'The fields every keyed archive record shares.' })
export abstract class ArchiveRecord {
  /** The database id, for field resolvers; not part of the schema. */
  dbId!: string;

  @Field(() => ID, { description: 'Opaque global id; resolve it with node(id:).' })
  id!: string;

  @Field(() => GraphQLDateTime, { description: 'When the record entered the archive.' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the record last changed.' })
  updatedAt!: Date;

  @Field(() => Int, { description: 'Incremented by every change (optimistic locking).' })
  version!: number;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was deleted (it stays, restorable, with its history); null while it stands.' })
  deletedAt!: Date | null;
}

/**
 * The shared fields of a record, from its entity. Pass it to Object.assign as a source of its own:
 * spreading it into a literal with more properties is an order of magnitude slower in V8.
 */
export function recordFields(
  type: NodeType,
  e: { id: string; createdAt: Date; updatedAt: Date; version: number; deletedAt?: Date | null },
): Pick<ArchiveRecord, 'dbId' | 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'> {
  return { dbId: e.id, id: toGlobalId(type, e.id), createdAt: e.createdAt, updatedAt: e.updatedAt, version: e.version, deletedAt: e.deletedAt ?? null };
}

/**
 * `convert` remembered per entity object: DataLoaders hand the same entity to every parent that
 * refers to it (one state under a thousand signatures), so it is converted once per request.
 */
export function memoizedPerEntity<E extends object, T>(convert: (entity: E) => T): (entity: E) => T {
  const converted = new WeakMap<E, T>();
  return (entity) => {
    let value = converted.get(entity);
    if (value === undefined) {
      value = convert(entity);
      converted.set(entity, value);
    }
    return value;
  };
}
