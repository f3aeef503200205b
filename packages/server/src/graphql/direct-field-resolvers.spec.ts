import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { buildSchema } from 'type-graphql';
import { callFieldResolversDirectly } from './direct-field-resolvers';
import { buildJointlySchema, RESOLVERS } from './schema';
import { Signature } from '../modules/statement/statement.type';

describe('field resolvers called directly', () => {
  const field = async (type: string, name: string) => {
    const t = (await buildJointlySchema()).getType(type);
    if (!isObjectType(t)) throw new Error(`${type} is not an object type`);
    return t.getFields()[name]!;
  };

  it('calls a context-and-parent resolver with them, and returns what it returns, synchronously', async () => {
    const signatory = await field('Signature', 'signatory');
    const root = Object.assign(new Signature(), { signatoryId: 'the-signatory' });
    const asked: string[] = [];
    const context = { loaders: { signatoryById: { map: (id: string, convert: (row: unknown) => unknown) => (asked.push(id), convert({ id, key: 'fra', name: 'France', createdAt: new Date(0), updatedAt: new Date(0), version: 1 })) } } };
    const value = signatory.resolve!(root, {}, context, {} as GraphQLResolveInfo) as { key: string; name: string };
    expect(value).not.toBeInstanceOf(Promise);
    expect(value).toMatchObject({ key: 'fra', name: 'France' });
    expect(asked).toEqual(['the-signatory']);
  });

  it('rewires the resolvers without arguments, and leaves those with arguments to type-graphql (it converts and validates them)', async () => {
    const rewired = callFieldResolversDirectly(await buildSchema({ resolvers: RESOLVERS, validate: false }));
    expect(rewired).toEqual(expect.arrayContaining(['Signature.signatory', 'Signature.statement', 'Evidence.source', 'Statement.evidence', 'Statement.respondsTo']));
    for (const withArguments of ['Statement.signatures', 'Signatory.signatures', 'Person.statements', 'Statement.revisions']) expect(rewired).not.toContain(withArguments);
  });
});
