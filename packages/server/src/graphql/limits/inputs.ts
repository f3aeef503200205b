import {
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { badCharacter, textLimitOf } from '../../common/text';
import { MAX_NODES } from '../../modules/node/node.resolver';
import { MAX_ALIGNED_STATEMENTS } from '../../modules/statement/comparison.service';
import { InputRefusedError } from './refusal';

/** Items a list argument or input field takes when `LIST_LIMITS` does not name it. */
export const DEFAULT_LIST_LIMIT = 100;

/**
 * The lists that take more, or fewer, than DEFAULT_LIST_LIMIT items, keyed `Type.field(argument)`
 * or `Input.field`: every state, roughly, for a group's members; a long list of signatures for a
 * new statement; what the alignment table can lay out. (A filter's `signedBy` lists take the
 * default: 100 references cost 100,000 of the 200,000 an operation may.)
 */
export const LIST_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  'Query.nodes(ids)': MAX_NODES,
  'Query.signatoryAlignment(statements)': MAX_ALIGNED_STATEMENTS,
  'CreateSignatoryInput.members': 200,
  'UpdateSignatoryInput.members': 200,
  'CreateStatementInput.signatures': 1000,
});

/** How deeply objects and arrays may nest in a JSON argument (a bundle nests five levels). */
export const MAX_JSON_DEPTH = 32;

type Variables = Readonly<Record<string, unknown>>;

/**
 * Checks every argument of an operation, before anything runs: each string within the bound of
 * its field (`TEXT_LIMITS`, by the field's name) and free of characters text cannot hold (NUL, lone
 * surrogates), each list within `LIST_LIMITS`, each JSON value within MAX_JSON_DEPTH. Literals and
 * variables alike (a variable's default too), in the operation and in every fragment. The first
 * refusal is thrown as an InputRefusedError (BAD_USER_INPUT, HTTP 400) naming the argument.
 * Lengths are compared before characters are read, so the work is bounded by what is allowed.
 */
export function checkArguments(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables = {}): void {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) values[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  Object.assign(values, variables);
  for (const site of argumentSites(schema, document, operation)) {
    checkValue(site.type, valueFromASTUntyped(site.value, values), site.name, site.key, site.name);
  }
}

/** An argument of the operation or of one of its fragments, with the schema's type for it. */
interface ArgumentSite {
  type: GraphQLInputType;
  value: ValueNode;
  name: string;
  /** `Type.field(argument)`, the key of LIST_LIMITS. */
  key: string;
}

/**
 * The arguments to check, found once per operation (Apollo keeps one parsed document per query
 * text, so a repeated query is not walked again): a variable given to the same argument of the
 * same field twice is checked once.
 */
const sitesOf = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; sites: ArgumentSite[] }>();

function argumentSites(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): ArgumentSite[] {
  const known = sitesOf.get(operation);
  if (known?.schema === schema) return known.sites;
  const sites: ArgumentSite[] = [];
  const checkedVariables = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visited = document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION);
  visit(
    { ...document, definitions: visited },
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!argument || !field || !parent) return; // unknown to the schema: validation has refused it
        const key = `${parent.name}.${field.name}(${argument.name})`;
        if (node.value.kind === Kind.VARIABLE) {
          const once = `${key}$${node.value.name.value}`;
          if (checkedVariables.has(once)) return;
          checkedVariables.add(once);
        }
        sites.push({ type: argument.type, value: node.value, name: argument.name, key });
      },
    }),
  );
  sitesOf.set(operation, { schema, sites });
  return sites;
}

function checkValue(type: GraphQLInputType, value: unknown, path: string, key: string, name: string): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = nullable.ofType as GraphQLInputType;
    if (!Array.isArray(value)) return checkValue(item, value, path, key, name); // one value given for a list
    const max = LIST_LIMITS[key] ?? DEFAULT_LIST_LIMIT;
    if (value.length > max) throw new InputRefusedError(path, 'items', max, value.length);
    value.forEach((v, i) => checkValue(item, v, `${path}[${i}]`, key, name));
    return;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object' || Array.isArray(value)) return; // not an object: coercion refuses it
    for (const field of Object.values(nullable.getFields())) {
      checkValue(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`, `${nullable.name}.${field.name}`, field.name);
    }
    return;
  }
  if (nullable.name === 'JSON') return checkJsonDepth(value, path);
  if (typeof value !== 'string') return;
  const max = textLimitOf(name);
  if (value.length > max) throw new InputRefusedError(path, 'length', max, value.length);
  const bad = badCharacter(value);
  if (bad) throw new InputRefusedError(path, 'character', undefined, undefined, bad);
}

/** Walks a JSON value without recursion (its depth is what is being checked). */
function checkJsonDepth(value: unknown, path: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_JSON_DEPTH) throw new InputRefusedError(path, 'depth', MAX_JSON_DEPTH);
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}
