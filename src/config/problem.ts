// A config problem made from its catalog code: the English message and hint every reader of a ConfigProblem
// has always seen, with the code and params that render both in the reader's language (src/messages).
import type { ConfigProblem } from '../errors.js';
import { type MessageParams, type ProblemCode, problemText } from '../messages/index.js';

export function configProblem(
  path: string,
  code: ProblemCode,
  params: MessageParams = {},
  severity: ConfigProblem['severity'] = 'error',
): ConfigProblem {
  const { message, hint } = problemText('en', { code, params });
  return { path, message, hint, severity, code, params };
}
