import { COMPARE_RULES } from './rules-compare';
import { mergeRules, RECORD_RULES } from './rules';

/** The planned types and fields; a field missing here is answered by graphql-js. */
export const READ_RULES = mergeRules(RECORD_RULES, COMPARE_RULES);
