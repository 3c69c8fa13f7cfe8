// Checks a received body against the summary report's schema (the one shipped in schema/): the first
// problem's JSON pointer and words go back in the 400, so the agent's dead letter says what to fix.
import { Ajv, type ErrorObject } from 'ajv';
import { summaryReportSchema } from '../report-schema/summary-report.js';
import type { SummaryReport } from '../report-schema/types.js';
import { type ApiProblem, apiProblem } from './problems.js';

// RFC 3339 date-time, as the store normalises it (an unparsable time would break the store's order).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const MAX_PROBLEMS = 20;

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
