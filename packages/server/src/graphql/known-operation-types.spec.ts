import { parse, validate } from 'graphql';
import { buildJointlySchema } from './schema';
import { KnownOperationTypesRule } from './known-operation-types';

describe('KnownOperationTypesRule', () => {
  it('refuses subscriptions (the schema has none) and lets queries and mutations through', async () => {
    const schema = await buildJointlySchema();
    expect(validate(schema, parse('subscription { __typename }'), [KnownOperationTypesRule]).map((e) => e.message)).toEqual(['This API has no subscription operations.']);
    expect(validate(schema, parse('query { __typename }'), [KnownOperationTypesRule])).toEqual([]);
    expect(validate(schema, parse('mutation { __typename }'), [KnownOperationTypesRule])).toEqual([]);
  });
});
