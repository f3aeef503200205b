import { COMPARE_RULES } from './rules-compare';
import { mergeRules, RECORD_RULES } from './rules';
import { HISTORY_RULES } from './rules-history';
import { SEARCH_RULES } from './rules-search';

/** The planned types and fields; a field missing here is answered by graphql-js. */
export const READ_RULES = mergeRules(RECORD_RULES, SEARCH_RULES, HISTORY_RULES, COMPARE_RULES);
