// The store's errors, with stable codes the collector's commands and API match on.
export type StoreErrorCode =
  | 'B321_STORE_DB' // the --db value names no back end we know
  | 'B321_STORE_SCHEMA' // PostgreSQL: the schema to use does not exist
  | 'B321_STORE_MIGRATION' // the database could not be brought to this collector's schema
  | 'B321_STORE_CURSOR'; // a page cursor this collector did not give

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
