import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type Method = (...params: unknown[]) => unknown;

/** The direct call for each parameter list a field resolver may declare (its @Ctx, @Root, @Info, in order). */
const CALLS: Record<string, (method: Method, instance: object) => GraphQLFieldResolver<unknown, unknown>> = {
  'context,root': (method, instance) => (root, _args, context) => method.call(instance, context, root),
  'context,root,info': (method, instance) => (root, _args, context, info) => method.call(instance, context, root, info),
};

/**
 * Calls the field resolvers that take only the context, the parent and the resolve info directly,
 * without type-graphql's per-call wrapper (a container lookup, an empty middleware chain, sorting
 * and mapping the parameter list, converting the parent to its class). Under a long list that
 * wrapper ran for every row (`Signature.signatory` under a thousand signatures). Resolvers with
 * arguments, roles or middleware keep type-graphql's wrapper: it validates and converts arguments.
 *
 * The parents are already instances of their types (the services build them with toStatement,
 * toSignature…), which is what type-graphql's conversion would have made of them.
 * Returns the fields rewired, as "Type.field".
 */
export function callFieldResolversDirectly(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage();
  const instances = new Map<unknown, object>();
  const rewired: string[] = [];
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || resolver.middlewares?.length || resolver.roles?.length) continue;
    const kinds = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    if (kinds.some((p) => (p.kind === 'context' || p.kind === 'root') && p.propertyName)) continue;
    const call = CALLS[kinds.map((p) => p.kind).join(',')];
    const parent = resolver.getObjectType?.();
    const typeName = parent && storage.objectTypes.find((o) => o.target === parent)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = type && isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!call || !field) continue;
    let instance = instances.get(resolver.target);
    if (!instance) instances.set(resolver.target, (instance = new (resolver.target as new () => object)()));
    const method = (instance as Record<string, unknown>)[resolver.methodName];
    if (typeof method !== 'function') continue;
    field.resolve = call(method as Method, instance);
    rewired.push(`${typeName}.${field.name}`);
  }
  return rewired;
}
