// The few column types the two back ends spell differently; everything else is written once.
import type { ColumnDefinitionBuilder, CreateTableBuilder, Expression } from 'kysely';
import type { ColumnDataType } from 'kysely';
import { sql } from 'kysely';

export type Backend = 'sqlite' | 'postgres';
type DataTypeExpression = ColumnDataType | Expression<unknown>;

export interface ColumnTypes {
  /** timestamptz in PostgreSQL; ISO-8601 UTC text in SQLite (ordered as text, as every value has one form). */
  timestamp: DataTypeExpression;
  /** jsonb in PostgreSQL (queryable by hand); text in SQLite. */
  json: DataTypeExpression;
  /** The reports' surrogate key, for keyset pagination: an identity in PostgreSQL, the rowid in SQLite. */
  serialKey<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
    name: string,
  ): CreateTableBuilder<T, C>;
}

const bigIdentity = (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
const rowid = (col: ColumnDefinitionBuilder) => col.primaryKey();

export function columnTypes(backend: Backend): ColumnTypes {
  if (backend === 'postgres') {
    return {
      timestamp: sql`timestamptz`,
      json: sql`jsonb`,
      serialKey: (table, name) => table.addColumn(name, 'bigint', bigIdentity),
    };
  }
  return {
    timestamp: 'text',
    json: 'text',
    serialKey: (table, name) => table.addColumn(name, 'integer', rowid),
  };
}
