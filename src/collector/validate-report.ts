// Checks a received body against the summary report's schema (the one shipped in schema/): the first
// problem's JSON pointer and words go back in the 400, so the agent's dead letter says what to fix.
import { Ajv, type ErrorObject } from 'ajv';
import { summaryReportSchema } from '../report-schema/summary-report.js';
import type { SummaryReport } from '../report-schema/types.js';
import { type ApiProblem, apiProblem } from './problems.js';

// RFC 3339 date-time, as the store normalises it (an unparsable time would break the store's order).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const MAX_PROBLEMS = 20;
/**
 * Arrays and objects inside one another, at most. A real report nests about 8 deep; what goes past
 * this is refused here, because the store's canonical JSON (and ajv) recurse and would overflow the
 * stack on a body nested thousands deep, in a field the schema lets through unchecked.
 */
export const MAX_DEPTH = 64;

export type ReportValidator = (document: unknown) => SummaryReport | ApiProblem;

export function reportValidator(): ReportValidator {
  // strict off: the schema accepts fields it does not name (a newer agent), and uses draft-07 words.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (text) => DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)),
  });
  const validate = ajv.compile(summaryReportSchema);
  return (document) => {
    const deep = tooDeepAt(document, MAX_DEPTH);
    if (deep !== null) {
      const message = `is nested more than ${MAX_DEPTH} deep`;
      return apiProblem(400, {
        error: 'invalid',
        in: 'body',
        path: deep,
        message: `${deep || '(document)'}: ${message}`,
        problems: [{ path: deep, message }],
      });
    }
    if (validate(document)) return document as unknown as SummaryReport;
    const problems = (validate.errors ?? []).slice(0, MAX_PROBLEMS).map(problemOf);
    const first = problems[0] ?? { path: '', message: 'does not match the summary report schema' };
    return apiProblem(400, {
      error: 'invalid',
      in: 'body',
      path: first.path,
      message: `${first.path || '(document)'}: ${first.message}`,
      problems,
    });
  };
}

/** The JSON pointer of the first array or object nested deeper than `max`, or null (iterative: no recursion). */
export function tooDeepAt(document: unknown, max: number): string | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: document, path: '', depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, depth } = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= max) return path;
    const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
    for (const key of keys) {
      const item = (value as Record<string | number, unknown>)[key];
      if (item !== null && typeof item === 'object') {
        stack.push({ value: item, path: `${path}/${escapePointer(String(key))}`, depth: depth + 1 });
      }
    }
  }
  return null;
}

function problemOf(error: ErrorObject): { path: string; message: string } {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const path = missing === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(missing)}`;
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  const message = `${error.message ?? 'is not valid'}${allowed ? `: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : ''}`;
  return { path, message };
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
