// The first schema: reports (history), the latest state per agent, instance, dataset and check, and tokens.
// Indexes: one for each query of the store (named after it).
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

export function initialSchema(types: ColumnTypes): Migration {
  const { timestamp, json } = types;
  return {
    async up(db: Kysely<unknown>) {
      await types
        .serialKey(db.schema.createTable('reports'), 'id')
        .addColumn('report_id', 'text', (c) => c.notNull().unique())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint')
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('started_at', timestamp, (c) => c.notNull())
        .addColumn('finished_at', timestamp, (c) => c.notNull())
        .addColumn('received_at', timestamp, (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('body_bytes', 'bigint', (c) => c.notNull())
        .addColumn('body', json, (c) => c.notNull())
        .addColumn('token_id', 'text')
        .addColumn('dropped_first_seq', 'bigint')
        .addColumn('dropped_last_seq', 'bigint')
        .execute();
      // reports(agent, { before }) and verdictHistory(agent, since): newest first, by the run's end.
      await db.schema
        .createIndex('reports_by_agent')
        .on('reports')
        .columns(['agent_id', 'finished_at', 'id'])
        .execute();
      // prune(olderThan): the oldest received first.
      await db.schema.createIndex('reports_by_received').on('reports').columns(['received_at', 'id']).execute();
      // gaps(agent): each instance's seqs in order.
      await db.schema.createIndex('reports_by_seq').on('reports').columns(['agent_id', 'instance_id', 'seq']).execute();

      await db.schema
        .createTable('agents')
        .addColumn('agent_id', 'text', (c) => c.primaryKey())
        .addColumn('first_seen_at', timestamp, (c) => c.notNull())
        .addColumn('last_received_at', timestamp, (c) => c.notNull())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('host_name', 'text', (c) => c.notNull())
        .addColumn('host', json, (c) => c.notNull())
        .addColumn('product_version', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint')
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('finished_at', timestamp, (c) => c.notNull())
        .addColumn('next_run_at', timestamp)
        .addColumn('verdict', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('agent_instances')
        .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.agent_id').onDelete('cascade'))
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', timestamp, (c) => c.notNull())
        .addColumn('last_received_at', timestamp, (c) => c.notNull())
        .addColumn('first_finished_at', timestamp, (c) => c.notNull())
        .addColumn('min_seq', 'bigint')
        .addColumn('max_seq', 'bigint')
        .addColumn('seq_reports', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_instances_pk', ['agent_id', 'instance_id'])
        .execute();

      await db.schema
        .createTable('datasets')
        .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.agent_id').onDelete('cascade'))
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('verdict_rank', 'integer', (c) => c.notNull())
        .addColumn('counts', json, (c) => c.notNull())
        .addColumn('checks', json, (c) => c.notNull())
        .addColumn('newest_copy_at', timestamp)
        .addColumn('restore_estimate_ms', 'double precision')
        .addColumn('rto_ms', 'double precision', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('finished_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('datasets_pk', ['agent_id', 'dataset_id'])
        .execute();
      // datasets({ verdict }).
      await db.schema.createIndex('datasets_by_verdict').on('datasets').columns(['verdict', 'agent_id']).execute();
      // prune keeps every report a latest dataset state names.
      await db.schema.createIndex('datasets_by_report').on('datasets').column('report_id').execute();

      await db.schema
        .createTable('dataset_checks')
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('check', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_checks_pk', ['agent_id', 'dataset_id', 'check'])
        .addForeignKeyConstraint(
          'dataset_checks_dataset',
          ['agent_id', 'dataset_id'],
          'datasets',
          ['agent_id', 'dataset_id'],
          (fk) => fk.onDelete('cascade'),
        )
        .execute();
      // datasets({ check, status }).
      await db.schema
        .createIndex('dataset_checks_by_status')
        .on('dataset_checks')
        .columns(['check', 'status'])
        .execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('revoked_at', timestamp)
        .execute();
      // revokeToken({ agent }).
      await db.schema.createIndex('tokens_by_subject').on('tokens').columns(['kind', 'subject']).execute();
    },
  };
}
