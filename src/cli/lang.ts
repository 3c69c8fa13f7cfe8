// The language a command speaks in: --lang, else $BACKUP321_LANG (set once for a shell or a service), else English.
import { UsageError } from '../errors.js';
import { LANGS, type Lang } from '../report/i18n/types.js';

export const LANG_VARIABLE = 'BACKUP321_LANG';

const isLang = (value: string | undefined): value is Lang => (LANGS as readonly unknown[]).includes(value);

/**
 * The language of the messages about a command line, read before its options are parsed (an unknown
 * option is reported before --lang is known): the last `--lang X` / `--lang=X` in it, else the
 * environment's, else English. A value that is no language is passed over here; the command refuses it.
 */
export function messageLang(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  let given: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') break;
    if (arg === '--lang') given = args[++i];
    else if (arg.startsWith('--lang=')) given = arg.slice('--lang='.length);
  }
  if (isLang(given)) return given;
  const fromEnvironment = env[LANG_VARIABLE];
  return isLang(fromEnvironment) ? fromEnvironment : 'en';
}

/** A command's --lang option, checked: the value given, else the environment's, else English. */
export function langOption(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  // An empty variable is an unset one (`BACKUP321_LANG= backup321 …`).
  const chosen = value ?? (env[LANG_VARIABLE] || undefined);
  if (chosen === undefined) return 'en';
  if (isLang(chosen)) return chosen;
  const params = { name: 'lang', allowed: LANGS.join(', '), value: chosen };
  throw new UsageError(
    value === undefined ? { code: 'usage.lang-environment', params } : { code: 'usage.one-of', params },
  );
}
