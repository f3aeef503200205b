import { ApolloArmor } from '@escape.tech/graphql-armor';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/config';
import { QueryTooComplexError, type LimitName } from './refusal';

/** Called with what a rule measured when it accepts an operation (for measurements, not enforcement). */
export type Measured = (limit: 'depth' | 'aliases' | 'directives', value: number) => void;

/**
 * graphql-armor's depth, aliases and directives rules, reporting a QueryTooComplexError into the
 * validation context instead of throwing or reporting armor's own BAD_USER_INPUT. Fragments are
 * expanded where they are spread (a spread is no extra level of depth); every alias counts,
 * `__typename` included; the introspection field `__schema` (the field, never a fragment or an
 * alias of that name) is left out of the depth — its cycles are refused by graphql-js's own
 * MaxIntrospectionDepthRule, and its size is bounded by the token limit.
 */
export function limitRules(config: Pick<LimitsConfig, 'maxDepth' | 'maxAliases' | 'maxDirectives'>, measured?: Measured): ValidationRule[] {
  const refuse =
    (limit: LimitName, max: number) =>
    (context: ValidationContext | null, error: GraphQLError): void => {
      const found = /found (\d+)/.exec(error.message);
      context?.reportError(new QueryTooComplexError(limit, max, found ? Number(found[1]) : undefined));
    };
  const accept = (limit: 'depth' | 'aliases' | 'directives') => (_context: ValidationContext | null, details: { n: number }) => measured?.(limit, details.n);
  const callbacks = (limit: 'depth' | 'aliases' | 'directives', max: number) => ({
    n: max,
    onReject: [refuse(limit, max)],
    onAccept: measured ? [accept(limit)] : [],
    propagateOnRejection: false,
  });
  return new ApolloArmor({
    maxDepth: { ...callbacks('depth', config.maxDepth), flattenFragments: true, ignoreIntrospection: true },
    maxAliases: { ...callbacks('aliases', config.maxAliases), allowList: [] },
    maxDirectives: callbacks('directives', config.maxDirectives),
    // Not armor's: its Apollo token plugin throws before parsing and ends as HTTP 500 with
    // GRAPHQL_VALIDATION_FAILED (countTokens and plugin.ts do it with armor's counting parser);
    // its cost limit does not multiply by page sizes (cost.ts); its suggestion mask misses enum
    // values (graphql-armor#759) and leaves a stray "?" (hideSuggestions).
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect().validationRules;
}

/** The lexical tokens of a document (comments excluded), counting stops after `max`; null when it does not lex or parse. */
export function countTokens(source: string, max = Infinity): number | null {
  let over = false;
  const parser = new MaxTokensParserWLexer(source, { n: max, onReject: [() => (over = true)], propagateOnRejection: true });
  try {
    parser.parseDocument();
  } catch {
    // Over the limit (tokenCount is max + 1), or a syntax error that Apollo's own parse reports.
    if (!over) return null;
  }
  return parser.tokenCount;
}

/** graphql-js's "Did you mean …?" (field, argument, type, enum value and fragment suggestions); not the archive's own name hints. */
const SUGGESTION = / ?Did you mean (?:[a-z]+ )*"[^"]*"(?:(?:, |,? or )"[^"]*")*\?/g;

export function hideSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}
