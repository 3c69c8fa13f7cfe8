// The fleet page's filters, sort and page, read from the query string and written back into links.
import { CHECK_CODES, CHECK_STATUSES, VERDICTS } from '../../report-schema/words.js';
import type { Verdict } from '../store/types.js';

export const SORT_KEYS = ['status', 'name', 'lastReport', 'missing'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type CheckCode = (typeof CHECK_CODES)[number];
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface FleetQuery {
  /** The agent's worst dataset verdict (whether or not it is silent). */
  verdict: Verdict | null;
  /** With checkStatus: agents with a dataset whose latest finding of this check has that status. */
  check: CheckCode | null;
  checkStatus: CheckStatus | null;
  /** Part of the agent's id or host name, any case. */
  name: string;
  silentOnly: boolean;
  sort: SortKey;
  descending: boolean;
  page: number;
}

function oneOf<T extends string>(list: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : null;
}

export function parseFleetQuery(query: Record<string, unknown>): FleetQuery {
  const page = Number(query.page);
  return {
    verdict: oneOf(VERDICTS, query.verdict),
    check: oneOf(CHECK_CODES, query.check),
    checkStatus: oneOf(CHECK_STATUSES, query.checkStatus),
    name: typeof query.name === 'string' ? query.name.trim().slice(0, 200) : '',
    silentOnly: query.silent === '1' || query.silent === 'on',
    sort: oneOf(SORT_KEYS, query.sort) ?? 'status',
    descending: query.dir === 'desc',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The query string of a fleet page: the defaults left out, so links stay short. */
export function fleetSearch(query: FleetQuery, change: Partial<FleetQuery> = {}): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.verdict) params.set('verdict', q.verdict);
  if (q.check) params.set('check', q.check);
  if (q.checkStatus) params.set('checkStatus', q.checkStatus);
  if (q.name) params.set('name', q.name);
  if (q.silentOnly) params.set('silent', '1');
  if (q.sort !== 'status') params.set('sort', q.sort);
  if (q.descending) params.set('dir', 'desc');
  if (q.page !== 1) params.set('page', String(q.page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
