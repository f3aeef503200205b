import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import type { LimitsConfig } from '../../config/config';
import { DEFAULT_COST_OPTIONS, operationCost, type CostOptions } from './cost';
import { countTokens, limitRules } from './armor';
import { QueryTooComplexError } from './refusal';

/** What the limits measure of one operation. */
export interface Measurement {
  tokens: number;
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

export interface OperationCheck {
  measured: Measurement;
  /** Limit refusals (QueryTooComplexError) and any other validation error, as the server would answer. */
  errors: GraphQLError[];
}

/**
 * Checks one document against the limits the way the server does (tokens, then validation with
 * graphql-js's rules and the limit rules, then the cost of the chosen operation with its
 * variables), without a server, and measures what each limit sees. For tests, benchmarks and
 * choosing defaults.
 */
export function checkOperation(
  schema: GraphQLSchema,
  source: string,
  config: Omit<LimitsConfig, 'maxBodyBytes' | 'fieldSuggestions'>,
  request: { variables?: Record<string, unknown>; operationName?: string } = {},
  costOptions: CostOptions = DEFAULT_COST_OPTIONS,
): OperationCheck {
  const tokens = countTokens(source);
  if (tokens === null) parse(source); // throws the syntax error
  const measured: Measurement = { tokens: tokens ?? 0, depth: 0, aliases: 0, directives: 0, cost: 0 };
  const errors: GraphQLError[] = [];
  if (measured.tokens > config.maxTokens) errors.push(new QueryTooComplexError('tokens', config.maxTokens, measured.tokens));

  const document = parse(source);
  const rules = limitRules(config, (limit, value) => (measured[limit] = Math.max(measured[limit], value)));
  for (const error of validate(schema, document, [...specifiedRules, ...rules])) {
    const refusal = error.originalError instanceof QueryTooComplexError ? error.originalError : error instanceof QueryTooComplexError ? error : undefined;
    if (refusal?.measured !== undefined && refusal.limit !== 'tokens' && refusal.limit !== 'cost' && refusal.limit !== 'databaseTime') {
      measured[refusal.limit] = Math.max(measured[refusal.limit], refusal.measured);
    }
    errors.push(error);
  }

  const operation = getOperationAST(document, request.operationName);
  if (!operation) {
    errors.push(new GraphQLError(request.operationName ? `no operation named ${request.operationName}` : 'no single operation to check'));
    return { measured, errors };
  }
  measured.cost = operationCost(schema, document, operation, request.variables ?? {}, costOptions);
  if (measured.cost > config.maxCost) errors.push(new QueryTooComplexError('cost', config.maxCost, measured.cost));
  return { measured, errors };
}
