import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import { AppError } from '../../common/errors';
import type { LimitsConfig } from '../../config/config';
import { countTokens, hideSuggestions } from './armor';
import { DEFAULT_COST_OPTIONS, operationCost, type CostOptions } from './cost';
import { InputRefusedError, QueryTooComplexError } from './refusal';
import { checkArguments } from './inputs';
import type { FairShare } from '../../http/fair-share';
import { currentRequest } from '../../observability/request-scope';

/**
 * Who may write: resolves when the request's token may run a mutation, else throws a GraphQL
 * error (UNAUTHENTICATED, HTTP 401). Asked before a mutation's input is looked at.
 */
export type WriterCheck = (context: BaseContext, operation: OperationDefinitionNode) => Promise<void>;

/**
 * Refuses, before any resolver or SQL runs: too many tokens (while parsing), too deep, too many
 * aliases or directives (validation); once the operation and its variables are known, a mutation
 * without a valid token (`writer`), then an argument over its bound (inputs.ts: BAD_USER_INPUT),
 * then an operation too costly.
 * Every refusal is a QueryTooComplexError (QUERY_TOO_COMPLEX, HTTP 400); with fieldSuggestions off,
 * graphql-js's "Did you mean …?" is cut from every error message. With `fairShare`, an operation
 * that costs at least its `expensiveCost` then waits for its client address's turn (RATE_LIMITED or
 * DATABASE_BUSY when it does not come in time), and gives the turn back once its response is sent.
 */
export function limitsPlugin(config: LimitsConfig, costOptions: CostOptions = DEFAULT_COST_OPTIONS, fairShare?: FairShare, writer?: WriterCheck): ApolloServerPlugin<BaseContext> {
  return {
    // Apollo treats an error thrown by a hook before parsing as unexpected (a 500); rethrown from
    // here it becomes the response itself, formatted and with its HTTP status.
    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof QueryTooComplexError || error instanceof InputRefusedError) throw error;
    },
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async parsingDidStart({ source }) {
          if (source === undefined) return;
          const tokens = countTokens(source, config.maxTokens);
          if (tokens !== null && tokens > config.maxTokens) throw new QueryTooComplexError('tokens', config.maxTokens);
        },
        // After validation, before execution: the only hook that sees the chosen operation and the variables.
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // no such operation: execution answers that, without running anything
          if (operation.operation === 'mutation' && writer) await writer(contextValue, operation);
          checkArguments(schema, document, operation, request.variables ?? {});
          const cost = operationCost(schema, document, operation, request.variables ?? {}, costOptions);
          if (cost > config.maxCost) throw new QueryTooComplexError('cost', config.maxCost, cost);
          if (fairShare?.isExpensive(cost)) release = await fairShare.admit(currentRequest()?.clientAddress ?? 'unknown');
        },
        async willSendResponse() {
          release?.();
        },
        async didEncounterErrors({ errors }) {
          // Apollo wraps validation errors as GRAPHQL_VALIDATION_FAILED: answer with the refusal itself.
          // The array is the one Apollo formats next, so replacing an entry replaces the response's error.
          const list = errors as GraphQLError[];
          list.forEach((error, i) => {
            const cause = error.originalError;
            if (cause instanceof QueryTooComplexError && error !== cause) list[i] = cause;
            else if (!config.fieldSuggestions && !(cause instanceof AppError)) error.message = hideSuggestions(error.message);
          });
        },
      };
    },
  };
}
