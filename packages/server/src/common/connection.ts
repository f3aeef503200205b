import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo } from './pagination';

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page's nodes, and its edges made only when a client selects them (most select `nodes`). */
export interface ConnectionItems<T> {
  nodes: T[];
  edges(): Edge<T>[];
}

/** The shape every connection shares; totalCount runs its query only when selected. */
export interface ConnectionShape<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

export type ConnectionClass<T> = new (items: Edge<T>[] | ConnectionItems<T>, pageInfo: PageInfo, count: () => Promise<number>) => ConnectionShape<T>;

/**
 * Declares `<Name>Edge` and `<Name>Connection` (Relay) for a node type. `totalCount` is a method,
 * so its count query runs only when a client selects it.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string, description: string): ConnectionClass<T> {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: 'Pass as after/before to continue from this item.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description })
  class Connection implements ConnectionShape<T> {
    private edgeList: Edge<T>[] | undefined;
    private readonly makeEdges: (() => Edge<T>[]) | undefined;

    constructor(
      items: Edge<T>[] | ConnectionItems<T>,
      pageInfo: PageInfo,
      private readonly count: () => Promise<number>,
    ) {
      if (Array.isArray(items)) {
        this.edgeList = items;
        this.nodes = items.map((e) => e.node);
      } else {
        this.makeEdges = items.edges;
        this.nodes = items.nodes;
      }
      this.pageInfo = pageInfo;
    }

    @Field(() => [EdgeType], { description: 'The items of this page, each with its cursor.' })
    get edges(): Edge<T>[] {
      return (this.edgeList ??= this.makeEdges!());
    }

    @Field(() => [nodeType], { description: 'The nodes of the edges, for when cursors are not needed.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Where this page stands in the list.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list holds (counted only when selected).' })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return Connection;
}
