import { userError, type UserError, type UserErrorCode } from './mutation';
import type { BundleProblem } from '../../import/parser/bundle.types';

function codeOf(message: string): UserErrorCode {
  if (/matches more than one/.test(message)) return 'AMBIGUOUS_NAME';
  if (/matches no signatory|^no \w+ has the key/.test(message)) return 'INVALID_REFERENCE';
  if (/is also the key of|is the key of a built-in/.test(message)) return 'CONFLICT';
  return 'BAD_USER_INPUT';
}

/**
 * Bundle problems as mutation errors: `statements[0].signatures[3].signatory` becomes
 * ['input', 'signatures', '3', 'signatory'] when the bundle wraps one input record (`record` names
 * its collection), else ['bundle', 'statements', '0', …].
 */
export function bundleProblemsToErrors(problems: readonly BundleProblem[], record?: string): UserError[] {
  return problems.map((p) => {
    let parts = p.path.split(/[.[\]]+/).filter(Boolean);
    if (record && parts[0] === record && parts[1] === '0') parts = ['input', ...parts.slice(2)];
    else parts = ['bundle', ...parts];
    return userError(codeOf(p.message), parts, p.message);
  });
}
