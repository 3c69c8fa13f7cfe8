// The report schema's small definitions: times, durations, counts, the closed sets of words, and the
// host, policy and evidence-item shapes the larger definitions refer to.
import { CHECK_CODES, CHECK_STATUSES, LOCATION_TYPES, MEDIUM_CLASSES, VERDICTS } from './words.js';

export const partDefinitions = {
  timestamp: { type: 'string', format: 'date-time' },
  ms: { type: 'number', minimum: 0 },
  count: { type: 'integer', minimum: 0 },
  verdict: { enum: VERDICTS },
  checkStatus: { enum: CHECK_STATUSES },
  checkCode: { enum: CHECK_CODES },
  mediumClass: { enum: MEDIUM_CLASSES },
  locationType: { enum: LOCATION_TYPES },
  scalar: { anyOf: [{ type: 'string' }, { type: 'number' }] },
  hostFacts: {
    type: 'object',
    additionalProperties: false,
    required: ['hostname', 'os', 'kernel', 'arch', 'nodeVersion'],
    properties: {
      hostname: { type: 'string' },
      os: { type: 'string' },
      kernel: { type: 'string' },
      arch: { type: 'string' },
      nodeVersion: { type: 'string' },
    },
  },
  /** Policy values after defaults and per-dataset overrides; durations in milliseconds. */
  effectivePolicy: {
    type: 'object',
    additionalProperties: false,
    required: [
      'minCopies',
      'minMedia',
      'minOffline',
      'rpoMs',
      'rtoMs',
      'offlineMaxAgeMs',
      'drillMaxAgeMs',
      'verifyMaxAgeMs',
      'offlineVerifyMaxAgeMs',
      'countPrimary',
      'immutableCountsAsOffline',
      'restoreOverheadMs',
      'immutableHorizonMs',
      'clockSkewMs',
    ],
    properties: {
      minCopies: { $ref: '#/definitions/count' },
      minMedia: { $ref: '#/definitions/count' },
      minOffline: { $ref: '#/definitions/count' },
      rpoMs: { $ref: '#/definitions/ms' },
      rtoMs: { $ref: '#/definitions/ms' },
      offlineMaxAgeMs: { $ref: '#/definitions/ms' },
      drillMaxAgeMs: { $ref: '#/definitions/ms' },
      /** integrity: a copy the agent can read must have been read within this time. */
      verifyMaxAgeMs: { $ref: '#/definitions/ms' },
      /** integrity: offline media must have been verified (read back by an operator) within this time. */
      offlineVerifyMaxAgeMs: { $ref: '#/definitions/ms' },
      countPrimary: { type: 'boolean' },
      immutableCountsAsOffline: { type: 'boolean' },
      /** Fixed time added to every restore estimate (reinstalling the service, replaying logs …). */
      restoreOverheadMs: { $ref: '#/definitions/ms' },
      /** An immutable copy counts only while retain-until is at least this far in the future. */
      immutableHorizonMs: { $ref: '#/definitions/ms' },
      /**
       * How far ahead of the run's clock a time may lie (other machines' clocks run a little ahead):
       * a copy, media event or drill dated further ahead is future-dated, never fresh.
       */
      clockSkewMs: { $ref: '#/definitions/ms' },
    },
  },
  /** Evidence about one copy inside a finding. */
  evidenceItem: {
    type: 'object',
    additionalProperties: false,
    required: ['copy'],
    /** note: a reason code ("stale", "corrupt", "same-device", "attached-now" …), or a note. */
    properties: { copy: { type: 'string' }, note: { type: 'string' } },
  },
} as const;

/** What `verify --deep --budget` read again: only in the report of a run with a budget. */
export const scrubDefinition = {
  type: 'object',
  additionalProperties: false,
  description:
    'verify --deep --budget: the run read quickly, then read again the copies whose bytes were read longest ago (never read first), across all its locations, up to the budget.',
  required: ['budgetBytes', 'readBytes', 'copiesRead', 'totalBytes', 'copiesTotal', 'copiesNotReadRecently'],
  properties: {
    budgetBytes: { type: 'integer', minimum: 0, description: 'The budget, in bytes.' },
    readBytes: {
      type: 'integer',
      minimum: 0,
      description:
        'Bytes read again and hashed by this run (a read that failed is not counted). At most the budget, except for a single copy bigger than the whole budget, read alone when its turn comes.',
    },
    copiesRead: { type: 'integer', minimum: 0, description: 'Copies those reads confirmed.' },
    totalBytes: {
      type: 'integer',
      minimum: 0,
      description:
        'Bytes of everything the run could read again (copies new or changed since the last run are hashed as in any run, outside the budget): a full pass takes about totalBytes ÷ budgetBytes runs.',
    },
    copiesTotal: { type: 'integer', minimum: 0, description: 'The copies the run could read again.' },
    copiesNotReadRecently: {
      type: 'integer',
      minimum: 0,
      description:
        "Of those, the copies whose last read, after this run, is older than their dataset's verifyMaxAge, or that were never read.",
    },
  },
} as const;
