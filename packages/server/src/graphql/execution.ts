import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, type GraphQLSchema } from 'graphql';
import type { RequestContext } from '../modules/kit/context';
import type { ReadEngine } from '../read/engine';

/**
 * The executor behind Apollo's pipeline: the read engine answers the read operations it plans (one
 * SQL statement building the JSON) and reads mutations' payloads; graphql-js's `execute` answers the
 * rest (introspection, a refusal among several root fields) and runs the writes. Parsing,
 * validation, the limits and every plugin run in Apollo's pipeline before it.
 *
 * Apollo Server has one hook for its executor, the `gateway` option; this "gateway" serves the
 * local schema and never changes it.
 */
export function executionGateway(schema: GraphQLSchema, engine: ReadEngine): GatewayInterface {
  const executor: GatewayExecutor = async (request) => {
    const operation = request.operation;
    const inputs = request.request.variables ?? {};
    const run = async (document = request.document) =>
      execute({ schema, document, operationName: request.request.operationName, variableValues: inputs, contextValue: request.context });
    // No operation (an unknown or missing operation name): graphql-js says why.
    if (!operation) return run();
    // graphql-js's own coercion first: its messages and error locations are what Apollo recognises
    // as BAD_USER_INPUT; the engine plans with the coerced values.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const context = request.context as RequestContext;
    if (operation.operation !== 'mutation') return (await engine.execute(request.document, operation, coerced.coerced, context)) ?? run();
    // The writes and the read of their payloads in the request's transaction, committed here (rolled
    // back after a failed write) before the answer is sent.
    try {
      const result = (await engine.mutate(request.document, operation, coerced.coerced, context, run)) ?? (await run());
      await context.writes.end();
      return result;
    } catch (error) {
      await context.writes.end(true);
      throw error;
    }
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}
