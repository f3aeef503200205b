import { mergeRules, RECORD_RULES } from './rules';
import { HISTORY_RULES } from './rules-history';

/** The planned types and fields; a field missing here is answered by graphql-js. */
export const READ_RULES = mergeRules(RECORD_RULES, HISTORY_RULES);
