// Source issues made from the code registry: the English message filled from the code's template, and
// the params kept beside it so a report reads the issue in any language (report/i18n issueMessage).
import {
  CODES,
  type IssueCode,
  type IssueParams,
  type IssueParamValue,
  type IssueSeverity,
  PHRASES,
  type PhraseKey,
  phraseParamsOf,
} from './codes.js';
import type { SourceIssue } from './model.js';

export interface IssuePlace<C extends IssueCode> {
  severity: IssueSeverity<C>;
  /** The dataset the issue affects; absent when it affects the whole location. */
  dataset?: string | undefined;
  path?: string | undefined;
  line?: number | undefined;
}

/**
 * Why a log line or a checksum file is no evidence: a phrase key (several "+"-joined) and the params
 * its phrases ask for. Kept as params of the issue (B321_BAD_LINE's {problem}), so it is translated too.
 */
export type Problem = { problem: PhraseKey | `${PhraseKey}+${string}` } & Record<string, IssueParamValue>;

export function sourceIssue<C extends IssueCode>(code: C, params: IssueParams<C>, place: IssuePlace<C>): SourceIssue {
  const issue: SourceIssue = {
    severity: place.severity,
    code,
    message: fillIssueTemplate(code, CODES[code].message, PHRASES, params).text,
    params,
  };
  if (place.dataset !== undefined) issue.dataset = place.dataset;
  if (place.path !== undefined) issue.path = place.path;
  if (place.line !== undefined) issue.line = place.line;
  return issue;
}

/** A problem in English, for a command that refuses the same input (`media write`, `drill record`). */
export function problemText(problem: Problem): string {
  return fillIssueTemplate('B321_BAD_LINE', '{problem}', PHRASES, problem).text;
}

/**
 * Fills `template` with `params`; a phrase param is the phrase (or the phrases, "+"-joined keys) filled
 * with the same params. `complete` is false when a param or a phrase was missing: the text then shows
 * the missing `{name}`, so a producer's mistake is visible rather than a silent blank.
 */
export function fillIssueTemplate(
  code: string,
  template: string,
  phrases: Readonly<Record<string, string>>,
  params: Readonly<Record<string, IssueParamValue>>,
): { text: string; complete: boolean } {
  const phraseParams = phraseParamsOf(code);
  let complete = true;
  const fill = (text: string, outer: boolean): string =>
    text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = params[name];
      if (value === undefined) {
        complete = false;
        return placeholder;
      }
      // Phrases are filled with plain values: a phrase never names another phrase.
      if (!outer || !phraseParams.includes(name)) return String(value);
      return String(value)
        .split('+')
        .map((key) => {
          const phrase = phrases[key];
          if (phrase !== undefined) return fill(phrase, false);
          complete = false;
          return `{${key}}`;
        })
        .join('; ');
    });
  return { text: fill(template, true), complete };
}
