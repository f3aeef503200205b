import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * For GraphQL over HTTP: refuses, during validation, an operation whose type the schema does not
 * have (as graphql-js 17 does, instead of letting execution fail with an internal error), and a
 * subscription, which is served over WebSocket (http/subscriptions) and never over HTTP.
 */
export const KnownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    if (node.operation === 'subscription' && schema.getSubscriptionType()) {
      context.reportError(
        new GraphQLError('Subscriptions are served over WebSocket at /graphql (subprotocol graphql-transport-ws); send queries and mutations over HTTP.', { nodes: node }),
      );
      return;
    }
    const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: node }));
  },
});
