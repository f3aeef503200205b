import { buildSchema, parse, validate } from 'graphql';
import { buildJointlySchema } from './schema';
import { KnownOperationTypesRule } from './known-operation-types';

describe('KnownOperationTypesRule', () => {
  it('refuses subscriptions over HTTP (they are served over WebSocket) and lets queries and mutations through', async () => {
    const schema = await buildJointlySchema();
    expect(validate(schema, parse('subscription { statementChanged { id } }'), [KnownOperationTypesRule]).map((e) => e.message)).toEqual([
      'Subscriptions are served over WebSocket at /graphql (subprotocol graphql-transport-ws); send queries and mutations over HTTP.',
    ]);
    expect(validate(schema, parse('query { __typename }'), [KnownOperationTypesRule])).toEqual([]);
    expect(validate(schema, parse('mutation { __typename }'), [KnownOperationTypesRule])).toEqual([]);
  });

  it('refuses an operation type the schema does not have', () => {
    const queriesOnly = buildSchema('type Query { a: Int }');
    expect(validate(queriesOnly, parse('mutation { a }'), [KnownOperationTypesRule]).map((e) => e.message)).toEqual(['This API has no mutation operations.']);
    expect(validate(queriesOnly, parse('subscription { a }'), [KnownOperationTypesRule]).map((e) => e.message)).toEqual(['This API has no subscription operations.']);
  });
});
