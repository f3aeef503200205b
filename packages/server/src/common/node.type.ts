import { Field, ID, InterfaceType } from 'type-graphql';

/** Anything with an opaque global id (Relay's Node). */
@InterfaceType({ description: 'An object with an opaque, globally unique id.' })
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id (type and format version are encoded in it).' })
  id!: string;
}
