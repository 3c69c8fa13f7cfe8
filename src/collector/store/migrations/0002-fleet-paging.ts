// The fleet at scale (issue 29): the dashboard filters, sorts, pages and counts agents in SQL. Each agent
// row keeps its worst dataset verdict (written by ingest beside the datasets), backfilled here; indexes
// for the dataset page, silence, and agents by a check's status.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely';
import { sql } from 'kysely';

export function fleetPaging(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('agents').addColumn('worst_rank', 'integer').execute();
      await sql`UPDATE agents SET worst_rank = (SELECT max(d.verdict_rank) FROM datasets d WHERE d.agent_id = agents.agent_id)`.execute(
        db,
      );
      // Silence (last received before a cutoff) and sort=lastReport.
      await db.schema
        .createIndex('agents_by_received')
        .on('agents')
        .columns(['last_received_at', 'agent_id'])
        .execute();
      // datasetsPage({ datasetId }): one dataset id across the fleet, by agent.
      await db.schema.createIndex('datasets_by_id').on('datasets').columns(['dataset_id', 'agent_id']).execute();
      // agentsPage({ check, checkStatus }): the agents straight from the index, no row read. It covers
      // what the first migration's (check, status) index served, so that one goes (one index less to write).
      await db.schema
        .createIndex('dataset_checks_by_status_agent')
        .on('dataset_checks')
        .columns(['check', 'status', 'agent_id'])
        .execute();
      await db.schema.dropIndex('dataset_checks_by_status').execute();
    },
  };
}
