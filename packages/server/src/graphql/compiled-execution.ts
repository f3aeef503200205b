import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, valueFromASTUntyped, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { RequestContext } from '../common/context';
import type { ReadEngine } from '../read/engine';

/**
 * Execution compiled per document (graphql-jit) instead of graphql-js's interpreter.
 *
 * graphql-js builds a resolve-info object, a path entry and an arguments object for every field of
 * every row: a page of 50 statements with 100 signatures each is some 40,000 of each, most of the
 * request's CPU and garbage. graphql-jit turns each operation into a function that reads plain
 * fields directly and calls only the resolvers that exist. Parsing, validation, the limits and every
 * plugin still run in Apollo's pipeline; only `execute` is replaced.
 *
 * Apollo Server has one hook for its executor, the `gateway` option; this "gateway" serves the
 * local schema and never changes it.
 */
export interface CompiledExecution {
  gateway: GatewayInterface;
  /** Compiled operations held (the jointly_compiled_operations metric). */
  readonly size: number;
}

/**
 * graphql-jit's errors are GraphQLErrors without `extensions` (Apollo reads `extensions.code`) and
 * with `locations` only; rebuilt as graphql-js makes them, keeping the original error for formatError.
 */
function standardError(error: GraphQLError): GraphQLError {
  const standard = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  if (error.locations) Object.defineProperty(standard, 'locations', { value: error.locations, enumerable: true, writable: true, configurable: true });
  return standard;
}

/**
 * The inputs with each omitted variable's default written in: graphql-jit reports a non-null variable
 * with a default (`$orderBy: StatementOrderBy! = DATE_DESC`) as not provided when it is omitted.
 */
function withDefaults(operation: OperationDefinitionNode, inputs: Record<string, unknown>): Record<string, unknown> {
  let filled = inputs;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && !Object.hasOwn(inputs, name)) {
      if (filled === inputs) filled = { ...inputs };
      filled[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  return filled;
}

/**
 * `engine` answers the read operations it plans (one SQL statement building the JSON); the others go
 * to graphql-jit, or to graphql-js's `execute` when `cacheSize` is 0.
 */
export function compiledExecution(schema: GraphQLSchema, options: { cacheSize: number; engine?: ReadEngine }): CompiledExecution {
  const cache = new Map<string, CompiledQuery>();

  const compiled = (key: string, compile: () => CompiledQuery | ExecutionResult): CompiledQuery | ExecutionResult => {
    const hit = cache.get(key);
    if (hit) {
      // Map order is insertion order: moving a hit to the end makes the first entry the least recently used.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const result = compile();
    if (isCompiledQuery(result)) {
      cache.set(key, result);
      if (cache.size > options.cacheSize) cache.delete(cache.keys().next().value!);
    }
    return result;
  };

  const executor: GatewayExecutor = async (request) => {
    const operation = request.operation;
    const inputs = request.request.variables ?? {};
    // No operation (an unknown or missing operation name): graphql-js says why, as before.
    if (!operation) return execute({ schema, document: request.document, operationName: request.request.operationName, variableValues: inputs });
    // graphql-js's own coercion first: its messages and error locations are what Apollo recognises as
    // BAD_USER_INPUT, and what clients saw before; the compiled query then coerces the same inputs.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    if (options.engine) {
      const context = request.context as RequestContext;
      const planned =
        operation.operation === 'mutation'
          ? await options.engine.mutate(request.document, operation, coerced.coerced, context, async (document) =>
              execute({ schema, document, operationName: request.request.operationName, variableValues: inputs, contextValue: request.context }),
            )
          : await options.engine.execute(request.document, operation, coerced.coerced, context);
      if (planned) return planned;
    }
    if (options.cacheSize === 0) {
      return execute({ schema, document: request.document, operationName: request.request.operationName, variableValues: inputs, contextValue: request.context });
    }
    const query = compiled(`${request.queryHash}\u0000${request.operationName ?? ''}`, () =>
      compileQuery(schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true }),
    );
    if (!isCompiledQuery(query)) return query;
    const result = await query.query(undefined, request.context, withDefaults(operation, inputs));
    return result.errors?.length ? { ...result, errors: result.errors.map(standardError) } : result;
  };

  const gateway: GatewayInterface = {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
  return {
    gateway,
    get size() {
      return cache.size;
    },
  };
}
