// One agent's history: its reports a page at a time, one report whole, its verdicts for a chart, and
// the gaps in each instance's seq. These read the reports table through its (agent, …) indexes.
import type { Kysely, Selectable } from 'kysely';
import type { SummaryReport } from '../../report-schema/types.js';
import { StoreError } from './errors.js';
import { fromJson, iso } from './rows.js';
import type { CollectorDatabase, ReportsTable } from './tables.js';
import type { ReportMeta, ReportsPage, SeqGap, StoredReport, Verdict, VerdictPoint } from './types.js';

type Db = Kysely<CollectorDatabase>;

export const MAX_PAGE = 1000;
const META = [
  'id',
  'report_id',
  'agent_id',
  'instance_id',
  'seq',
  'trigger',
  'started_at',
  'finished_at',
  'received_at',
  'verdict',
  'body_bytes',
] as const;

type MetaRow = Pick<Selectable<ReportsTable>, (typeof META)[number]>;

function reportMeta(row: MetaRow): ReportMeta {
  return {
    reportId: row.report_id,
    agentId: row.agent_id,
    instanceId: row.instance_id,
    seq: row.seq,
    trigger: row.trigger,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    receivedAt: iso(row.received_at),
    verdict: row.verdict as Verdict,
    bytes: Number(row.body_bytes),
  };
}

/** The keyset cursor: the last row's (finishedAt, id), opaque to callers. */
function cursorOf(row: MetaRow): string {
  return Buffer.from(JSON.stringify([iso(row.finished_at), row.id])).toString('base64url');
}

function parseCursor(cursor: string): { finishedAt: string; id: number } {
  try {
    const [finishedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof finishedAt === 'string' && !Number.isNaN(Date.parse(finishedAt)) && Number.isSafeInteger(id)) {
      return { finishedAt: new Date(finishedAt).toISOString(), id: id as number };
    }
  } catch {
    // Not ours: refused below.
  }
  throw new StoreError('B321_STORE_CURSOR', 'the page cursor (before) is not one this collector gave');
}

export async function reportsPage(
  db: Db,
  agentId: string,
  page: { limit: number; before?: string | null },
): Promise<ReportsPage> {
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.trunc(page.limit)));
  let query = db
    .selectFrom('reports')
    .select(META)
    .where('agent_id', '=', agentId)
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (page.before) {
    const { finishedAt, id } = parseCursor(page.before);
    query = query.where((eb) =>
      eb.or([eb('finished_at', '<', finishedAt), eb.and([eb('finished_at', '=', finishedAt), eb('id', '<', id)])]),
    );
  }
  const rows = await query.execute();
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { reports: shown.map(reportMeta), next: rows.length > limit && last ? cursorOf(last) : null };
}

export async function storedReport(db: Db, reportId: string): Promise<StoredReport | null> {
  const row = await db
    .selectFrom('reports')
    .select([...META, 'body'])
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return row ? { ...reportMeta(row), body: fromJson<SummaryReport>(row.body) } : null;
}

export async function verdictHistory(db: Db, agentId: string, since: Date): Promise<VerdictPoint[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['report_id', 'seq', 'finished_at', 'verdict', 'trigger'])
    .where('agent_id', '=', agentId)
    .where('finished_at', '>=', since.toISOString())
    .orderBy('finished_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    reportId: row.report_id,
    seq: row.seq,
    finishedAt: iso(row.finished_at),
    verdict: row.verdict as Verdict,
    trigger: row.trigger,
  }));
}

/**
 * Each instance's missing seqs between the first and the last it sent (what came before its first
 * report, or was pruned, is not a gap), marked when a report's delivery said the outbox dropped them.
 */
export async function seqGaps(db: Db, agentId: string): Promise<SeqGap[]> {
  const ordered = db
    .selectFrom('reports')
    .select((eb) => [
      'instance_id',
      'seq',
      eb.fn
        .agg<number | null>('lag', ['seq'])
        .over((ob) => ob.partitionBy('instance_id').orderBy('seq'))
        .as('previous'),
    ])
    .where('agent_id', '=', agentId)
    .where('seq', 'is not', null);
  const [steps, dropped] = await Promise.all([
    db
      .selectFrom(ordered.as('ordered'))
      .selectAll()
      .where((eb) => eb('seq', '>', eb('previous', '+', 1)))
      .orderBy('instance_id')
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('reports')
      .select(['instance_id', 'dropped_first_seq', 'dropped_last_seq'])
      .where('agent_id', '=', agentId)
      .where('dropped_first_seq', 'is not', null)
      .execute(),
  ]);
  return steps.map((step) => {
    const firstSeq = Number(step.previous) + 1;
    const lastSeq = Number(step.seq) - 1;
    const told = dropped
      .filter((d) => d.instance_id === step.instance_id)
      .map((d) => ({ first: Number(d.dropped_first_seq), last: Number(d.dropped_last_seq ?? d.dropped_first_seq) }));
    const droppedByAgent = coveredBy(told, firstSeq, lastSeq);
    return { instanceId: step.instance_id, firstSeq, lastSeq, missing: lastSeq - firstSeq + 1, droppedByAgent };
  });
}

/**
 * Whether the ranges together cover first..last. A long outage past the outbox's bound is told over
 * several reports (each the drops since the last one that told), so no one range covers its gap.
 */
function coveredBy(ranges: Array<{ first: number; last: number }>, first: number, last: number): boolean {
  let next = first;
  for (const range of [...ranges].sort((a, b) => a.first - b.first)) {
    if (range.first > next) break;
    next = Math.max(next, range.last + 1);
    if (next > last) return true;
  }
  return false;
}
