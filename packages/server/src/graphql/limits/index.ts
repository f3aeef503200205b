import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/config';

export interface Limits {
  /** Apollo plugins that refuse an operation before it executes. */
  plugins: ApolloServerPlugin<BaseContext>[];
  /** Extra graphql-js validation rules (run after parsing, before execution). */
  validationRules: ValidationRule[];
}

/** The operation limits (depth, aliases, tokens, directives, cost, suggestions) from the configuration. */
export function createLimits(_config: LimitsConfig): Limits {
  return { plugins: [], validationRules: [] };
}
