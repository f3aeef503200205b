import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/config';
import { limitRules } from './armor';
import { limitsPlugin } from './plugin';
import { DEFAULT_COST_OPTIONS } from './cost';
import type { FairShare } from '../../http/fair-share';

export { countTokens, hideSuggestions, limitRules, type Measured } from './armor';
export { checkOperation, type Measurement, type OperationCheck } from './check';
export { DEFAULT_COST_OPTIONS, operationCost, REFERENCE_WEIGHT, SEARCH_TERM_WEIGHT, searchTerms, type ArgumentWeight, type CostOptions, type ListSize } from './cost';
export { limitsPlugin } from './plugin';
export { QUERY_TOO_COMPLEX, QueryTooComplexError, type LimitName } from './refusal';

export interface Limits {
  /** Apollo plugins that refuse an operation before it executes. */
  plugins: ApolloServerPlugin<BaseContext>[];
  /** Extra graphql-js validation rules (run after parsing, before execution). */
  validationRules: ValidationRule[];
}

/** The operation limits (depth, aliases, tokens, directives, cost, suggestions) from the configuration. */
export function createLimits(config: LimitsConfig, fairShare?: FairShare): Limits {
  return { plugins: [limitsPlugin(config, DEFAULT_COST_OPTIONS, fairShare)], validationRules: limitRules(config) };
}
