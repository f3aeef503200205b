import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { buildJointlySchema } from './schema';
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

  it('leaves resolvers with arguments to type-graphql, which converts and validates them', async () => {
    const signatures = await field('Statement', 'signatures');
    const direct = await field('Signature', 'signatory');
    expect(signatures.resolve).toBeDefined();
    expect(signatures.resolve!.length).toBe(4);
    // type-graphql's wrapper is one shape for every resolver; the direct calls are per field.
    expect(signatures.resolve!.toString()).not.toBe(direct.resolve!.toString());
    expect(signatures.resolve!.toString()).toContain('getParams');
  });
});
