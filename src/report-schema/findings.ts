// What the report says of each dataset: its findings (one per check, with their evidence), its verdict and copies.

const evidenceList = { type: 'array', items: { $ref: '#/definitions/evidenceItem' } } as const;

export const findingDefinitions = {
  finding: {
    type: 'object',
    additionalProperties: false,
    required: ['check', 'status', 'reason', 'params', 'message', 'evidence'],
    properties: {
      check: { $ref: '#/definitions/checkCode' },
      status: { $ref: '#/definitions/checkStatus' },
      /** Stable reason code within the check, e.g. "too-few", "not-required", "source-unreadable". */
      reason: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
      /** Values for the message templates (numbers, ids, durations in ms). */
      params: { type: 'object', additionalProperties: { $ref: '#/definitions/scalar' } },
      /** The one-line English message (renderers translate from reason + params). */
      message: { type: 'string' },
      evidence: {
        type: 'object',
        additionalProperties: false,
        properties: {
          counted: evidenceList,
          notCounted: evidenceList,
          /** restore-time: the arithmetic, each term in ms or bytes. */
          arithmetic: { type: 'object', additionalProperties: { $ref: '#/definitions/scalar' } },
          /** Location ids that could not be read and so left the check undecided. */
          unreadable: { type: 'array', items: { type: 'string' } },
          drill: { type: 'string' },
        },
      },
    },
  },
} as const;

export const datasetReportDefinition = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'verdict', 'policy', 'findings', 'copies', 'locations'],
  properties: {
    id: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    verdict: { $ref: '#/definitions/verdict' },
    policy: { $ref: '#/definitions/effectivePolicy' },
    findings: { type: 'array', items: { $ref: '#/definitions/finding' } },
    copies: { type: 'array', items: { $ref: '#/definitions/copy' } },
    /** Location ids the dataset maps copies to. */
    locations: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const summaryDefinition = {
  type: 'object',
  additionalProperties: false,
  required: [
    'verdict',
    'exitCode',
    'datasets',
    'compliant',
    'atRisk',
    'nonCompliant',
    'unknown',
    'copies',
    'sourcesUnreadable',
  ],
  properties: {
    verdict: { $ref: '#/definitions/verdict' },
    exitCode: { enum: [0, 1, 2, 3] },
    datasets: { $ref: '#/definitions/count' },
    compliant: { $ref: '#/definitions/count' },
    atRisk: { $ref: '#/definitions/count' },
    nonCompliant: { $ref: '#/definitions/count' },
    unknown: { $ref: '#/definitions/count' },
    copies: { $ref: '#/definitions/count' },
    sourcesUnreadable: { $ref: '#/definitions/count' },
  },
} as const;
