// One report as ingest takes it, and the values of its row in the reports table: what both back
// ends' ingest (the statements of ingest.ts, PostgreSQL's function of migration 0003) store alike.
import type { SummaryReport } from '../../report-schema/types.js';
import type { Facts } from './ingest-datasets.js';
import { toIso } from './rows.js';
import type { ReceivedBody } from './types.js';

/** One report as ingest takes it: the hash is worked out before any connection is held. */
export interface IngestItem {
  report: SummaryReport;
  body: ReceivedBody;
  hash: string;
  facts: Facts;
  tokenId: string | null;
}

export const REPORT_COLUMNS = [
  'report_id',
  'agent_id',
  'instance_id',
  'seq',
  'trigger',
  'started_at',
  'finished_at',
  'received_at',
  'verdict',
  'body_hash',
  'body_bytes',
  'body',
  'token_id',
  'dropped_first_seq',
  'dropped_last_seq',
] as const;

/** The report's row, in REPORT_COLUMNS order. */
export function reportValues({ report, body, hash, facts, tokenId }: IngestItem): unknown[] {
  return [
    report.reportId,
    facts.agentId,
    facts.instanceId,
    report.seq,
    report.trigger,
    toIso(report.startedAt),
    facts.finishedAt,
    facts.receivedAt,
    report.summary.verdict,
    hash,
    body.bytes,
    body.canonical,
    tokenId,
    report.delivery?.firstDroppedSeq ?? null,
    report.delivery?.lastDroppedSeq ?? null,
  ];
}
