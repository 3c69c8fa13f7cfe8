// The report's closed sets of words: the schema's enums, and the lists the code and the tests go through.

/** The report document's version: a reader refuses a version it does not know. */
export const REPORT_SCHEMA_VERSION = 1;

export const CHECK_CODES = [
  'copies',
  'media',
  'offline',
  'freshness',
  'integrity',
  'restore-time',
  'restore-drill',
] as const;

export const MEDIUM_CLASSES = ['disk', 'removable-disk', 'network-share', 'object-storage', 'tape', 'optical'] as const;

export const LOCATION_TYPES = ['disk', 's3', 'offline-log'] as const;

export const VERDICTS = ['compliant', 'at-risk', 'non-compliant', 'unknown'] as const;

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'unknown'] as const;
