// Retention: old reports go a small batch a transaction, so ingest waits at most one batch. A report
// that an agent's or a dataset's latest state names is kept, however old (it is what they show).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { CollectorDatabase } from './tables.js';
import type { PruneResult } from './types.js';

type Db = Kysely<CollectorDatabase>;

export const PRUNE_BATCH = 500;
// PostgreSQL: two collectors pruning the same rows at once may deadlock or clash; the loser stops
// this round, and the next round (or the other collector) deletes them.
const RETRYABLE = new Set(['40P01', '40001']);

function prunable(db: Db, olderThan: string) {
  return db
    .selectFrom('reports')
    .select('id')
    .where('received_at', '<', olderThan)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('agents').select('agent_id').whereRef('agents.report_id', '=', 'reports.report_id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('datasets').select('agent_id').whereRef('datasets.report_id', '=', 'reports.report_id'))),
    );
}

interface InstanceKey {
  agentId: string;
  instanceId: string;
}

async function pruneBatch(db: Db, olderThan: string, batch: number): Promise<number> {
  const candidates = await prunable(db, olderThan)
    .select(['agent_id', 'instance_id'])
    .orderBy('received_at')
    .orderBy('id')
    .limit(batch)
    .execute();
  if (candidates.length === 0) return 0;
  const instances = new Map<string, InstanceKey>();
  for (const row of candidates) {
    instances.set(JSON.stringify([row.agent_id, row.instance_id]), {
      agentId: row.agent_id,
      instanceId: row.instance_id,
    });
  }
  // Sorted, as ingest takes one instance row at a time: prunes and ingests never wait on each other in a circle.
  const keys = [...instances.keys()].sort().map((key) => instances.get(key) as InstanceKey);
  return db.transaction().execute(async (trx) => {
    // The instance rows first: a concurrent ingest's report is then either counted below or counts itself after.
    for (const { agentId, instanceId } of keys) {
      await trx
        .updateTable('agent_instances')
        .set((eb) => ({ seq_reports: eb.ref('seq_reports') }))
        .where('agent_id', '=', agentId)
        .where('instance_id', '=', instanceId)
        .execute();
    }
    // The same conditions again inside the transaction: a row that became a latest state since stays.
    const ids = candidates.map((row) => row.id);
    const gone = await trx
      .deleteFrom('reports')
      .where('id', 'in', prunable(trx, olderThan).where('id', 'in', ids))
      .returning('id')
      .execute();
    // Each instance's seq range and count are what is left: a gap among pruned reports is no longer shown.
    for (const { agentId, instanceId } of keys) {
      const left = await trx
        .selectFrom('reports')
        .select((eb) => [
          eb.fn.min('seq').as('min_seq'),
          eb.fn.max('seq').as('max_seq'),
          eb.fn.count<number>('seq').as('seq_reports'),
        ])
        .where('agent_id', '=', agentId)
        .where('instance_id', '=', instanceId)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('agent_instances')
        .set({
          min_seq: left.min_seq === null ? null : Number(left.min_seq),
          max_seq: left.max_seq === null ? null : Number(left.max_seq),
          seq_reports: Number(left.seq_reports),
        })
        .where('agent_id', '=', agentId)
        .where('instance_id', '=', instanceId)
        .execute();
    }
    return gone.length;
  });
}

export async function pruneReports(db: Db, logger: Logger, olderThan: Date, batch = PRUNE_BATCH): Promise<PruneResult> {
  const result: PruneResult = { deleted: 0, batches: 0 };
  for (;;) {
    let deleted: number;
    try {
      deleted = await pruneBatch(db, olderThan.toISOString(), batch);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && RETRYABLE.has(code)) {
        logger.debug({ code }, 'prune: another collector is pruning the same reports; stopping this round');
        return result;
      }
      throw error;
    }
    if (deleted === 0) return result;
    result.deleted += deleted;
    result.batches += 1;
    // Let waiting ingests run between batches (SQLite has one connection, taken in turn).
    await new Promise((resolve) => setImmediate(resolve));
  }
}
