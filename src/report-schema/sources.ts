// What the report says of each location it read: its status, its facts and the problems its source met.

export const sourceDefinitions = {
  /** A problem a source met: reported, never fatal to the run. */
  sourceIssue: {
    type: 'object',
    additionalProperties: false,
    required: ['severity', 'code', 'message'],
    properties: {
      severity: { enum: ['warning', 'error'] },
      /** A code of the registry (src/codes.ts), e.g. "B321_EACCES", "B321_NO_MATCH", "B321_BAD_LINE". */
      code: { type: 'string', pattern: '^B321_[A-Z0-9_]+$' },
      /** English, filled from the code's template with `params` (src/issues.ts). */
      message: { type: 'string' },
      /** Absent in reports written before params existed. */
      params: {
        description:
          'What the English message was filled with (docs/issue-codes.md), so a reader renders it in another language.',
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
      /** The dataset the issue affects; absent when it affects the whole location. */
      dataset: { type: 'string' },
      path: { type: 'string' },
      line: { type: 'integer', minimum: 1 },
    },
  },
  locationStatus: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', 'status', 'copies', 'issues', 'facts', 'durationMs'],
    properties: {
      id: { type: 'string' },
      type: { $ref: '#/definitions/locationType' },
      /**
       * ok: read completely; degraded: read with warnings (some entries skipped); unreadable: not read
       * for the whole location or for some datasets (see issues with severity error).
       */
      status: { enum: ['ok', 'degraded', 'unreadable'] },
      copies: { $ref: '#/definitions/count' },
      issues: { type: 'array', items: { $ref: '#/definitions/sourceIssue' } },
      /** Facts about the location useful as audit evidence (mount, fs type, medium, bucket region …). */
      facts: {
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      },
      durationMs: { $ref: '#/definitions/ms' },
    },
  },
} as const;
