// How a command shows what went wrong, in the user's language: config problems with their JSON path and hint,
// and any error it stops on (its own words from the catalog, or a system error's parts).
import { type ConfigProblem, ConfigError, LocalizedError, UsageError } from '../errors.js';
import { counted, messageText, msg, problemText } from '../messages/index.js';
import { systemError } from '../messages/system-error.js';
import type { Lang } from '../report/i18n/types.js';

/** "locations[0].path: directory does not exist: /x — create it, mount it, or correct the path". */
export function problemLine(lang: Lang, problem: ConfigProblem): string {
  const { message, hint } = problemText(lang, problem);
  const path = problem.path || messageText(lang, msg('(document)'));
  return `${path}: ${message}${hint ? ` — ${hint}` : ''}`;
}

/** The lines a command that stopped prints after "backup321 COMMAND: ". */
export function errorText(lang: Lang, error: unknown): string {
  if (error instanceof ConfigError) {
    const header = msg('cli.invalid-config', { file: error.file, count: counted('problem', error.problems.length) });
    return [messageText(lang, header), ...error.problems.map((problem) => `  ${problemLine(lang, problem)}`)].join(
      '\n',
    );
  }
  if (error instanceof UsageError) return messageText(lang, error.text);
  const cause = error instanceof LocalizedError ? error.text : systemError(error);
  return messageText(lang, msg('cli.could-not-run', { error: cause }));
}
