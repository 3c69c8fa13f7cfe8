// The catalogs of the commands' own messages (config problems, usage errors, notes) and their rendering in a language.
// Apart from the report's catalog (src/report/i18n): these are what a command says about its input, not about backups.
import type { Lang } from '../lang.js';
import { enCli } from './en-cli.js';
import { enConfig } from './en-config.js';
import { enJson } from './en-json.js';
import type { Localized, Message, MessageParam, MessageParams } from './types.js';
import { viCli } from './vi-cli.js';
import { viConfig } from './vi-config.js';
import { viJson } from './vi-json.js';
import { viSchemaDescriptions } from './vi-schema.js';

export type { Localized, Message, MessageParam, MessageParams } from './types.js';

const en = { ...enConfig, ...enJson, ...enCli };

export type TextCode = keyof typeof en;

/** A problem's code: its template is the message, and `${code}.hint` the hint. */
export type ProblemCode = { [K in TextCode]: `${K}.hint` extends TextCode ? K : never }[TextCode];

export const CATALOGS: Record<Lang, Record<TextCode, string>> = {
  en,
  vi: { ...viConfig, ...viJson, ...viCli },
};

/** True when the catalogs have `code` (for codes made from an error's own code: `system.${errno}`). */
export function isTextCode(code: string): code is TextCode {
  return Object.hasOwn(CATALOGS.en, code);
}

export function msg(code: TextCode, params?: MessageParams): Message<TextCode> {
  return params === undefined ? { code } : { code, params };
}

/** "1 problem", "2 problems": `code` names the thing, with `.one` and `.other` forms in the catalogs. */
export function counted(thing: 'problem' | 'error' | 'warning' | 'character' | 'item' | 'entry', n: number): Message {
  return msg(`count.${thing}.${n === 1 ? 'one' : 'other'}`, { n });
}

/** A schema description as the hint where it is the best one known, in each language. */
export function schemaDescription(description: string): Localized {
  return { en: description, vi: viSchemaDescriptions[description] ?? description };
}

/**
 * The message in `lang`. A code neither catalog has (a newer writer's) is shown as the code, and a
 * placeholder whose param is missing is left as it is, so a gap shows instead of vanishing.
 */
export function messageText(lang: Lang, message: Message): string {
  const template = (CATALOGS[lang] as Record<string, string | undefined>)[message.code] ?? message.code;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = message.params?.[name];
    return value === undefined ? whole : paramText(lang, value);
  });
}

export function paramText(lang: Lang, value: MessageParam): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((item: MessageParam) => paramText(lang, item)).join(', ');
  if ('code' in value) return messageText(lang, value as Message);
  return (value as Localized)[lang];
}

/** A problem's message and hint in `lang`. */
export function problemText(lang: Lang, problem: Message): { message: string; hint: string } {
  return {
    message: messageText(lang, problem),
    hint: messageText(lang, { ...problem, code: `${problem.code}.hint` }),
  };
}
