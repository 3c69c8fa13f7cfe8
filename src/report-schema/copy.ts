// A copy in the report: one backup artefact of a dataset at a location, with the policy's assessment.

const sha256Hex = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

export const copyDefinition = {
  description: "A Copy with the policy's assessment (AssessedCopy).",
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'dataset',
    'location',
    'locationType',
    'path',
    'name',
    'kind',
    'role',
    'bytes',
    'modifiedAt',
    'medium',
    'device',
    'offline',
    'assessment',
  ],
  properties: {
    /** Stable id: `${location}:${path}`. */
    id: { type: 'string' },
    dataset: { type: 'string' },
    location: { type: 'string' },
    locationType: { $ref: '#/definitions/locationType' },
    /** Absolute path, `s3://bucket/key`, or `media:<mediaId>/<file>`. */
    path: { type: 'string' },
    /**
     * The restore-point key: copies with the same name in one dataset are meant to hold the same
     * content (a dump replicated to several places keeps its file name).
     */
    name: { type: 'string' },
    kind: { enum: ['file', 'directory', 'object', 'media-file'] },
    /** `backup` copies count; `primary` (the production data itself) only with policy.countPrimary. */
    role: { enum: ['backup', 'primary'] },
    bytes: { $ref: '#/definitions/count' },
    /** When the backup was made: mtime, LastModified, or the media log's `written` time. */
    modifiedAt: { $ref: '#/definitions/timestamp' },
    /** The media log's `dataTime`: the source file's mtime when it was written to the media. */
    dataTime: {
      $ref: '#/definitions/timestamp',
      description: "When the data was made, where the source knows it apart from modifiedAt (a media log's dataTime).",
    },
    medium: { $ref: '#/definitions/mediumClass' },
    /** The failure domain: disk serial/UUID, NAS export, S3 endpoint (AWS region) or configured domain, media id. */
    device: { type: 'string' },
    /** True only for copies on media that are offline now (logged offline and not attached). */
    offline: { type: 'boolean' },
    /** Why a copy on offline-capable media does not count as offline now (reason code). */
    offlineReason: { type: 'string' },
    /** Object Lock (or any WORM) retention as read from the store; policy decides whether it is active now. */
    immutable: {
      type: 'object',
      additionalProperties: false,
      required: ['mode', 'retainUntil'],
      properties: {
        mode: { enum: ['COMPLIANCE', 'GOVERNANCE'] },
        retainUntil: { $ref: '#/definitions/timestamp' },
        legalHold: { type: 'boolean' },
      },
    },
    /** sha256 of the content as read by this product (now or from the checksum cache). */
    sha256: sha256Hex,
    /** When sha256 was computed (the cache keeps the original time). */
    hashedAt: { $ref: '#/definitions/timestamp' },
    /**
     * Offline media: when an operator last read the copy back and it matched what was written (the
     * media log's latest `verified` event): a read of its content at that time.
     */
    verifiedAt: { $ref: '#/definitions/timestamp' },
    /** Why the content could not be hashed, if it could not (reason code, e.g. "changed-while-hashing"). */
    hashError: { type: 'string' },
    /**
     * What the content hashed to before, when, and when the change was found. Kept while the file
     * still holds those bytes (a touch or chmod does not clear it; new content or a new file does).
     */
    contentChanged: {
      description:
        'The bytes changed while size and mtime did not, whatever the ctime (bit rot, or a write that reset the mtime).',
      type: 'object',
      additionalProperties: false,
      required: ['previousSha256', 'previousHashedAt', 'detectedAt'],
      properties: {
        previousSha256: sha256Hex,
        previousHashedAt: { $ref: '#/definitions/timestamp' },
        /** When a re-read found the new content (the copy's sha256 and hashedAt hold it). */
        detectedAt: { $ref: '#/definitions/timestamp' },
      },
    },
    /** What the copy is recorded to hold: a sidecar, manifest, S3 checksum or media log. */
    recorded: {
      type: 'object',
      additionalProperties: false,
      required: ['value', 'source', 'ref'],
      properties: {
        /** sha256 hex, lower case (for 'etag-md5' an md5 hex compared only with a local md5). */
        value: { type: 'string', pattern: '^[0-9a-f]+$' },
        source: { enum: ['sidecar', 'manifest', 's3-checksum', 'media-log', 'etag-md5'] },
        /** The file, object or log line that holds it, e.g. "/backup/erp/x.dump.sha256" or "vault.jsonl:12". */
        ref: { type: 'string' },
        /** When the recording was made or last confirmed (a media-log `verified` event). */
        at: { $ref: '#/definitions/timestamp' },
      },
    },
    /** How this copy would be restored: what the restore-time check adds up. */
    restore: {
      type: 'object',
      additionalProperties: false,
      required: ['retrievalMs'],
      properties: {
        /** Time before the first byte can be read: vault transport, archive-tier restore, etc. */
        retrievalMs: { $ref: '#/definitions/ms' },
        /** What retrievalMs is, in words for the report ("S3 GLACIER standard tier: 3–5 h", "vault transport"). */
        retrievalNote: { type: 'string' },
        /** Bytes per second the copy can be read at; absent when neither configured nor measured. */
        throughputBytesPerSec: { type: 'number', minimum: 0 },
        throughputSource: { enum: ['configured', 'measured'] },
      },
    },
    /** Object storage only. */
    storageClass: { type: 'string' },
    /** What policy concluded about the copy before the checks counted it. */
    assessment: {
      type: 'object',
      additionalProperties: false,
      required: ['usable', 'notes', 'ageMs'],
      properties: {
        usable: { type: 'boolean' },
        /** Reason codes: "stale", "corrupt", "conflict", "primary", "hash-failed", "future-timestamp" … */
        notes: { type: 'array', items: { type: 'string' } },
        /** The run's time minus the data's time, in ms. */
        ageMs: {
          type: 'number',
          description: "Age of the copy's data; negative when its time is ahead of the agent's clock.",
        },
        dataTime: {
          $ref: '#/definitions/timestamp',
          description:
            "When the copy's data was made, where earlier than modifiedAt: the earliest time known for the same content.",
        },
      },
    },
  },
} as const;
