// What a message is before it has words: a catalog code and its values, rendered in any language when shown.
import type { Lang } from '../lang.js';

/** Text already written in each language (the schema's own descriptions, which have no code of their own). */
export type Localized = Record<Lang, string>;

/**
 * A value a template takes: shown as it is (paths, keys, values, numbers), a message of its own rendered in
 * the same language (a reason, a noun), text in each language, or a list of these joined with ", ".
 */
export type MessageParam = string | number | Message | Localized | readonly MessageParam[];

export type MessageParams = Record<string, MessageParam>;

export interface Message<Code extends string = string> {
  code: Code;
  params?: MessageParams;
}
