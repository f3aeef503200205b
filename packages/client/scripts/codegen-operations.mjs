// @ts-check
/**
 * A graphql-codegen plugin (see codegen.yml) that writes packages/client/src/generated/operations.ts:
 * the client's method table, one typed method per operation of schema/operations, and the table of
 * the operations `client.paginate` can page through.
 *
 * An operation is paginated when it binds its `$after` variable to the `after` argument of a
 * connection field reached through objects only (no lists on the way) and selects that
 * connection's `nodes` and `pageInfo { hasNextPage endCursor }`.
 *
 * The types come from the typescript-operations output (./graphql.ts), by its naming convention:
 * `<Name>Document`, `<Name>Query`/`<Name>Mutation` and `<Name>QueryVariables`/`<Name>MutationVariables`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getNamedType, getNullableType, isListType, isObjectType, isInterfaceType } from 'graphql';

/** The repository root: locations in the output are relative to it, wherever codegen runs. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Method names the client itself uses: an operation may not take them. */
const RESERVED = new Set(['request', 'paginate', 'paginateDocument', 'then', 'constructor']);

const lowerFirst = (/** @type {string} */ s) => s.charAt(0).toLowerCase() + s.slice(1);

/** @param {string | undefined | null} text */
function docComment(text, indent = '  ') {
  const lines = (text ?? '').trim().split('\n').map((line) => line.replace(/\*\//g, '*\\/'));
  return [`${indent}/**`, ...lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`), `${indent} */`].join('\n');
}

/**
 * @typedef {import('graphql').GraphQLSchema} GraphQLSchema
 * @typedef {import('graphql').SelectionSetNode} SelectionSetNode
 * @typedef {import('graphql').FieldNode} FieldNode
 * @typedef {import('graphql').FragmentDefinitionNode} FragmentDefinitionNode
 * @typedef {import('graphql').OperationDefinitionNode} OperationDefinitionNode
 * @typedef {import('graphql').GraphQLCompositeType} GraphQLCompositeType
 */

/**
 * The fields of a selection set, with the parent type each is selected on (fragments inlined).
 * @param {GraphQLSchema} schema
 * @param {SelectionSetNode} selectionSet
 * @param {GraphQLCompositeType} parentType
 * @param {Map<string, FragmentDefinitionNode>} fragments
 * @returns {{ field: FieldNode, parentType: GraphQLCompositeType }[]}
 */
function fieldsOf(schema, selectionSet, parentType, fragments) {
  /** @type {{ field: FieldNode, parentType: GraphQLCompositeType }[]} */
  const out = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field') out.push({ field: selection, parentType });
    else if (selection.kind === 'InlineFragment') {
      const type = selection.typeCondition ? /** @type {GraphQLCompositeType} */ (schema.getType(selection.typeCondition.name.value)) : parentType;
      out.push(...fieldsOf(schema, selection.selectionSet, type, fragments));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
      const type = /** @type {GraphQLCompositeType} */ (schema.getType(fragment.typeCondition.name.value));
      out.push(...fieldsOf(schema, fragment.selectionSet, type, fragments));
    }
  }
  return out;
}

/**
 * The response paths (by response key) of the connections whose `after` argument is `$after`.
 * @param {GraphQLSchema} schema
 * @param {SelectionSetNode} selectionSet
 * @param {GraphQLCompositeType} parentType
 * @param {Map<string, FragmentDefinitionNode>} fragments
 * @param {string[]} prefix
 * @returns {{ path: string[], description: string | undefined }[]}
 */
function connectionPaths(schema, selectionSet, parentType, fragments, prefix) {
  /** @type {{ path: string[], description: string | undefined }[]} */
  const found = [];
  for (const { field, parentType: owner } of fieldsOf(schema, selectionSet, parentType, fragments)) {
    if (!field.selectionSet || !(isObjectType(owner) || isInterfaceType(owner))) continue;
    const definition = owner.getFields()[field.name.value];
    if (!definition) throw new Error(`${owner.name} has no field ${field.name.value}`);
    if (isListType(getNullableType(definition.type))) continue;
    const key = [...prefix, field.alias?.value ?? field.name.value];
    const type = /** @type {GraphQLCompositeType} */ (getNamedType(definition.type));
    const after = field.arguments?.find((argument) => argument.name.value === 'after');
    if (after?.value.kind === 'Variable' && after.value.name.value === 'after') {
      const selected = fieldsOf(schema, field.selectionSet, type, fragments);
      const names = new Set(selected.map((s) => s.field.alias?.value ?? s.field.name.value));
      const pageInfo = selected.filter((s) => s.field.name.value === 'pageInfo' && !s.field.alias);
      const pageFields = new Set(
        pageInfo.flatMap((s) =>
          s.field.selectionSet
            ? fieldsOf(schema, s.field.selectionSet, /** @type {GraphQLCompositeType} */ (schema.getType('PageInfo')), fragments).map((f) => f.field.name.value)
            : [],
        ),
      );
      if (!names.has('nodes') || !pageFields.has('hasNextPage') || !pageFields.has('endCursor')) {
        throw new Error(`${key.join('.')} takes $after but does not select nodes and pageInfo { hasNextPage endCursor }`);
      }
      found.push({ path: key, description: definition.description ?? undefined });
    } else {
      found.push(...connectionPaths(schema, field.selectionSet, type, fragments, key));
    }
  }
  return found;
}

/**
 * The comment lines (`# ...`) at the top of an operation's file: the method's documentation.
 * @param {string | undefined} file
 */
function leadingComment(file) {
  if (!file) return undefined;
  const lines = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*#\s?(.*)$/.exec(line);
    if (!match) break;
    lines.push(match[1]);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** @type {import('@graphql-codegen/plugin-helpers').PluginFunction} */
export const plugin = (schema, documents) => {
  /** @type {Map<string, FragmentDefinitionNode>} */
  const fragments = new Map();
  /** @type {{ operation: OperationDefinitionNode, location: string, comment: string | undefined }[]} */
  const operations = [];
  for (const file of documents) {
    for (const definition of file.document?.definitions ?? []) {
      if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
      if (definition.kind === 'OperationDefinition') {
        operations.push({
          operation: definition,
          location: path.relative(ROOT, file.location ?? '').split(path.sep).join('/'),
          comment: leadingComment(file.location),
        });
      }
    }
  }
  operations.sort((a, b) => (a.operation.name?.value ?? '').localeCompare(b.operation.name?.value ?? ''));

  const values = new Set();
  const types = new Set();
  const table = [];
  const connections = [];
  const methods = [];
  const pagers = [];
  const seen = new Set();
  for (const { operation, location, comment } of operations) {
    const name = operation.name?.value;
    if (!name) throw new Error(`${location}: every operation needs a name`);
    if (operation.operation === 'subscription') throw new Error(`${location}: the client does not run subscriptions (${name})`);
    const method = lowerFirst(name);
    if (RESERVED.has(method)) throw new Error(`${location}: the operation name ${name} is reserved by the client`);
    if (seen.has(method)) throw new Error(`${location}: two operations are named ${name}`);
    seen.add(method);

    const suffix = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    const document = `${name}Document`;
    const result = `${name}${suffix}`;
    const variables = `${name}${suffix}Variables`;
    values.add(document);
    types.add(result);
    types.add(variables);

    const rootType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    if (!rootType) throw new Error(`${location}: the schema has no ${operation.operation} type`);
    const rootFields = operation.selectionSet.selections.filter((s) => s.kind === 'Field' && s.name.value !== '__typename');
    const description =
      comment ?? (rootFields.length === 1 && rootFields[0]?.kind === 'Field' ? rootType.getFields()[rootFields[0].name.value]?.description : undefined);
    const required = (operation.variableDefinitions ?? []).some((v) => v.type.kind === 'NonNullType' && !v.defaultValue);
    const doc = `${description ? `${description}\n\n` : ''}Runs \`${operation.operation} ${name}\` (${location}).`;

    table.push(`  ${method}: ${document},`);
    methods.push(
      `${docComment(doc)}\n  ${method}(variables${required ? '' : '?'}: ${variables}, options?: RequestOptions): Promise<${result}>;`,
    );

    const paths = connectionPaths(schema, operation.selectionSet, rootType, fragments, []);
    const unique = [...new Map(paths.map((p) => [p.path.join('.'), p])).values()];
    if (unique.length > 1) throw new Error(`${location}: ${name} binds $after to more than one connection`);
    const connection = unique[0]?.path;
    if (connection && operation.operation === 'query') {
      const about = unique[0]?.description;
      const tuple = `[${connection.map((key) => `'${key}'`).join(', ')}]`;
      connections.push(`  ${method}: { document: ${document}, path: ${tuple} },`);
      const pageRequired = (operation.variableDefinitions ?? []).some(
        (v) => v.variable.name.value !== 'after' && v.type.kind === 'NonNullType' && !v.defaultValue,
      );
      pagers.push(
        `${docComment(`Every node of \`${connection.join('.')}\`, page after page (\`${name}\` with \`$after\` set from each page's \`pageInfo.endCursor\`).${about ? `\n\n${about}` : ''}`)}\n` +
          `  ${method}(variables${pageRequired ? '' : '?'}: PageVariables<${variables}>, options?: RequestOptions): AsyncIterableIterator<ConnectionNode<${result}, ${tuple}>>;`,
      );
    }
  }

  return [
    `import type { ConnectionNode, PageVariables, RequestOptions } from '../types';`,
    `import { ${[...values].join(', ')} } from './graphql';`,
    `import type { ${[...types].join(', ')} } from './graphql';`,
    '',
    '/** Every operation of schema/operations, by the name of its client method. */',
    'export const operations = {',
    ...table,
    '} as const;',
    '',
    '/** The operations `client.paginate` pages through, with where their connection is in the result. */',
    'export const connections = {',
    ...connections,
    '} as const;',
    '',
    '/**',
    ' * A typed method per operation of schema/operations: `client.statements({ filter: { topic: "Xinjiang" } })`.',
    ' * Each takes the operation\'s variables (optional when none is required) and the call\'s `RequestOptions`,',
    ' * and resolves to the operation\'s result, or rejects with a `JointlyError`.',
    ' *',
    ' * @category Operations',
    ' */',
    'export interface OperationMethods {',
    methods.join('\n\n'),
    '}',
    '',
    '/**',
    ' * Async iterators over every node of the paginated operations: `for await (const s of client.paginate.statements())`.',
    ' * Each takes the operation\'s variables but `after`, which it sets from each page\'s `pageInfo.endCursor`.',
    ' *',
    ' * @category Operations',
    ' */',
    'export interface PaginateMethods {',
    pagers.join('\n\n'),
    '}',
    '',
  ].join('\n');
};
