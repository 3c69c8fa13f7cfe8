// What the S3 source knows of one listed object, and what it reads it with: shared by the evidence readers.
import type { S3Client } from '@aws-sdk/client-s3';
import type { PhraseKey } from '../../codes.js';
import type { S3LocationConfig } from '../../config/types.js';
import type { parseChecksumFile } from '../../integrity/checksum-file.js';
import type { Immutability, RecordedChecksum, RestorePath, SourceIssue } from '../../model.js';
import type { S3ErrorCode } from './errors.js';

/** What of an object could not be read, as the phrase that counts the objects. */
export type ObjectPart = Extract<PhraseKey, `s3.objects-${string}`>;

export interface ObjectEvidence {
  storageClass: string;
  recorded?: RecordedChecksum;
  immutable?: Immutability;
  restore: RestorePath;
  /** Whether a GET would return the bytes now (not archived, or restored). */
  readableNow: boolean;
  /**
   * Problems met while gathering evidence: the code, what could not be read (a phrase key naming the
   * request, counted objects) and the store's answer. Aggregated per code and request by the caller.
   */
  problems: { code: S3ErrorCode; what: ObjectPart; message: string }[];
  /** The object disappeared between listing and inspection. */
  vanished?: boolean;
}

export interface EvidenceContext {
  client: S3Client;
  location: S3LocationConfig;
  /** Checksum-file keys found while listing (sidecars and manifests). */
  checksumFiles: Set<string>;
  /** Parsed manifests by key, shared between objects of one directory. */
  manifests: Map<string, Promise<ReturnType<typeof parseChecksumFile> | undefined>>;
  manifestNames: readonly string[];
  objectLock: boolean;
  now: Date;
  /** The location's issues: a checksum file that is no evidence is named here, once. */
  issues: SourceIssue[];
  signal?: AbortSignal;
}
