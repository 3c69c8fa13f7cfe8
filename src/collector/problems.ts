// The API's refusals: an HTTP status and a small JSON body that says what to fix (never a token).
export interface ProblemBody {
  /** Stable words a client matches on: invalid, malformed, unauthorized, forbidden, too-large, … */
  error: string;
  message: string;
  /** The JSON pointer of what was wrong (the body's, or the query's with `in: 'query'`). */
  path?: string;
  in?: 'body' | 'query' | 'params';
  [more: string]: unknown;
}

export interface ApiProblem extends Error {
  status: number;
  body: ProblemBody;
  headers: Record<string, string>;
}

export function apiProblem(status: number, body: ProblemBody, headers: Record<string, string> = {}): ApiProblem {
  return Object.assign(new Error(body.message), { name: 'ApiProblem', status, body, headers });
}

export function isApiProblem(error: unknown): error is ApiProblem {
  return error instanceof Error && error.name === 'ApiProblem' && 'status' in error && 'body' in error;
}

/** Seconds a client should wait, as Retry-After wants them: a whole number, at least 1. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
