// Group commit for SQLite: the reports that arrive while one commit is being made are stored
// together in the next transaction, each in a savepoint of its own, and all are answered after that
// one COMMIT returns. With synchronous=FULL the commit is on disk when it returns, so "acknowledged ⇒
// durable" holds for every report of the batch, and the fsync (and the transaction's fixed costs)
// is paid once per batch instead of once per report. A report that fails is rolled back to its
// savepoint alone; a failed COMMIT fails every report of the batch (none was acknowledged).
import type { Kysely } from 'kysely';
import { type Run, runOn } from './ingest-sql.js';
import type { CollectorDatabase } from './tables.js';
import type { IngestOutcome } from './types.js';

/**
 * Reports per transaction at most. SQLite runs them on the event loop, one at a time: the cap bounds
 * how long one batch holds it (≈ 0.1–0.2 ms per report).
 */
export const MAX_BATCH = 64;

interface Waiting<Item> {
  item: Item;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

/** `ingestOne` stores one item (a report, ingest.ts) with the batch's statements. */
export function ingestBatcher<Item>(
  db: Kysely<CollectorDatabase>,
  ingestOne: (run: Run, item: Item) => Promise<IngestOutcome>,
): (item: Item) => Promise<IngestOutcome> {
  const queue: Waiting<Item>[] = [];
  let scheduled = false;
  let running = false;

  // After the I/O callbacks of this turn of the event loop: every request whose body ended in it is
  // in the queue by then, so they share the commit without any report being held back on purpose.
  const schedule = () => {
    if (scheduled || running) return;
    scheduled = true;
    setImmediate(flush);
  };

  async function flush(): Promise<void> {
    scheduled = false;
    running = true;
    const batch = queue.splice(0, MAX_BATCH);
    try {
      const outcomes = await db
        .connection()
        .execute((connection) => inOneTransaction(runOn(connection, 'sqlite'), batch));
      batch.forEach((waiting, i) => {
        const outcome = outcomes[i] as IngestOutcome | Error;
        if (outcome instanceof Error) waiting.reject(outcome);
        else waiting.resolve(outcome);
      });
    } catch (error) {
      // Nothing of the batch was committed.
      for (const waiting of batch) waiting.reject(error);
    } finally {
      running = false;
      if (queue.length > 0) schedule();
    }
  }

  async function inOneTransaction(run: Run, batch: Waiting<Item>[]): Promise<(IngestOutcome | Error)[]> {
    // IMMEDIATE: the write lock is taken (or waited for, busy_timeout) at the start, not mid-batch.
    await run('begin immediate', []);
    try {
      const outcomes: (IngestOutcome | Error)[] = [];
      for (const { item } of batch) {
        await run('savepoint ingest', []);
        try {
          outcomes.push(await ingestOne(run, item));
          await run('release ingest', []);
        } catch (error) {
          // When SQLite has rolled the whole transaction back itself (an I/O error), this throws: the batch fails.
          await run('rollback to ingest', []);
          await run('release ingest', []);
          outcomes.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      await run('commit', []);
      return outcomes;
    } catch (error) {
      await run('rollback', []).catch(() => undefined);
      throw error;
    }
  }

  return (item) =>
    new Promise<IngestOutcome>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
