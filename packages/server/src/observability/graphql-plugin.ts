import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { currentRequest } from './request-scope';

/** Tells the request's scope which operation ran and which error codes it answered with. */
export function observabilityPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation }) {
          const scope = currentRequest();
          if (!scope) return;
          scope.operation = operationName ?? 'anonymous';
          scope.operationType = operation?.operation;
        },
        async willSendResponse({ response }) {
          const scope = currentRequest();
          if (!scope || response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            scope.errorCodes.push(typeof code === 'string' ? code : 'UNKNOWN');
          }
        },
      };
    },
  };
}
