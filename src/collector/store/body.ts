// What makes two received reports "the same body": their parsed JSON written canonically (keys sorted,
// no spacing), so gzip, whitespace and key order do not matter and any changed value does.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { SummaryReport } from '../../report-schema/types.js';
import type { ReceivedBody } from './types.js';

export function receivedBody(report: SummaryReport, bytes: number): ReceivedBody {
  return { canonical: canonicalJson(report), bytes };
}

export function bodyHash(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
