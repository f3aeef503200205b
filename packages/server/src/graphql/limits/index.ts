import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/config';
import { limitRules } from './armor';
import { limitsPlugin, type WriterCheck } from './plugin';
import { DEFAULT_COST_OPTIONS } from './cost';
import type { FairShare } from '../../http/fair-share';

export { countTokens, hideSuggestions, limitRules, type Measured } from './armor';
export { checkOperation, type Measurement, type OperationCheck } from './check';
export { DEFAULT_COST_OPTIONS, operationCost, REFERENCE_WEIGHT, SEARCH_TERM_WEIGHT, searchTerms, type ArgumentWeight, type CostOptions, type ListSize } from './cost';
export { limitsPlugin, type WriterCheck } from './plugin';
export { checkArguments, DEFAULT_LIST_LIMIT, LIST_LIMITS, MAX_JSON_DEPTH } from './inputs';
export { InputRefusedError, QUERY_TOO_COMPLEX, QueryTooComplexError, type InputLimit, type LimitName } from './refusal';

export interface Limits {
  /** Apollo plugins that refuse an operation before it executes. */
  plugins: ApolloServerPlugin<BaseContext>[];
  /** Extra graphql-js validation rules (run after parsing, before execution). */
  validationRules: ValidationRule[];
}

/** The operation limits (depth, aliases, tokens, directives, arguments, cost, suggestions) from the configuration. */
export function createLimits(config: LimitsConfig, fairShare?: FairShare, writer?: WriterCheck): Limits {
  return { plugins: [limitsPlugin(config, DEFAULT_COST_OPTIONS, fairShare, writer)], validationRules: limitRules(config) };
}
