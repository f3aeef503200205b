import type { ClassType } from 'type-graphql';

/**
 * What a module adds to the server: its resolvers (the schema is built from every module's) and its
 * tables' entities (the DataSource is built from every module's). Listed in `modules/index.ts`.
 */
export interface JointlyModule {
  readonly name: string;
  readonly resolvers: readonly ClassType[];
  readonly entities: readonly ClassType[];
}
