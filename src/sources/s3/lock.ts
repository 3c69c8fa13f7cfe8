// Bucket facts (region, versioning, Object Lock) and per-object retention, with every value asserted.
import {
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { sourceIssue } from '../../issues.js';
import type { Immutability, SourceIssue } from '../../model.js';
import { classifyS3Error, s3ErrorName } from './errors.js';

// Some S3-compatible servers (s3rver among them) answer sub-resources they do not implement with 200 and
// an unrelated body. So nothing below treats "no error" as "supported": each fact must be a known value,
// or it is reported as "not-reported".

export interface BucketFacts {
  region: string;
  versioning: 'Enabled' | 'Suspended' | 'not-reported' | 'not-supported' | 'unknown';
  objectLock: 'Enabled' | 'not-enabled' | 'not-reported' | 'not-supported' | 'unknown';
  objectLockDefaultMode?: 'COMPLIANCE' | 'GOVERNANCE';
  objectLockDefaultRetention?: string;
  issues: SourceIssue[];
}

/** Region as the bucket reports it. Throws on the first call's failure: it decides whether the bucket is there. */
export async function readBucketRegion(
  client: S3Client,
  bucket: string,
  aws: boolean,
  signal?: AbortSignal,
): Promise<string> {
  const answer = await client.send(new GetBucketLocationCommand({ Bucket: bucket }), { abortSignal: signal });
  const constraint = answer.LocationConstraint as string | undefined;
  if (constraint === 'EU') return 'eu-west-1'; // the legacy name AWS still returns for old buckets
  if (constraint) return constraint;
  // AWS documents an empty LocationConstraint as us-east-1; another store may simply not say.
  return aws ? 'us-east-1' : 'not-reported';
}

export async function readBucketFacts(
  client: S3Client,
  bucket: string,
  signal?: AbortSignal,
): Promise<Omit<BucketFacts, 'region'>> {
  const issues: SourceIssue[] = [];
  let versioning: BucketFacts['versioning'] = 'unknown';
  try {
    const answer = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: signal });
    // AWS omits Status for a bucket that never had versioning; a store without versioning support may
    // answer the same way. Either way nothing proves versions are kept, so it is not "Enabled".
    versioning = answer.Status === 'Enabled' || answer.Status === 'Suspended' ? answer.Status : 'not-reported';
  } catch (error) {
    if (notImplemented(error)) versioning = 'not-supported';
    else issues.push(factIssue('s3.versioning', error));
  }
  const lock: Omit<BucketFacts, 'region' | 'versioning' | 'issues'> = {
    objectLock: 'unknown',
  };
  try {
    const answer = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }), {
      abortSignal: signal,
    });
    const config = answer.ObjectLockConfiguration;
    if (config?.ObjectLockEnabled === 'Enabled') {
      lock.objectLock = 'Enabled';
      const retention = config.Rule?.DefaultRetention;
      if (retention?.Mode === 'COMPLIANCE' || retention?.Mode === 'GOVERNANCE') {
        lock.objectLockDefaultMode = retention.Mode;
        if (retention.Days) lock.objectLockDefaultRetention = `${retention.Days}d`;
        else if (retention.Years) lock.objectLockDefaultRetention = `${retention.Years}y`;
      }
    } else {
      lock.objectLock = 'not-reported';
    }
  } catch (error) {
    if (s3ErrorName(error) === 'ObjectLockConfigurationNotFoundError') lock.objectLock = 'not-enabled';
    else if (notImplemented(error)) lock.objectLock = 'not-supported';
    else issues.push(factIssue('s3.object-lock', error));
  }
  return { versioning, ...lock, issues };
}

/** The store says it does not implement the feature (s3rver answers ?object-lock with 501 NotImplemented). */
function notImplemented(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return s3ErrorName(error) === 'NotImplemented' || status === 501;
}

/** A bucket fact that could not be read: the fact stays unknown, the location is still read. */
function factIssue(what: 's3.versioning' | 's3.object-lock', error: unknown): SourceIssue {
  const { code, message } = classifyS3Error(error);
  return sourceIssue(code, { what, detail: message }, { severity: 'warning' });
}

/**
 * An object's retention and legal hold. A missing retention (NoSuchObjectLockConfiguration) means the
 * object is not locked; a malformed answer counts as not locked too, never as locked.
 */
export async function readObjectLock(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<Immutability | undefined> {
  let retention: { mode: Immutability['mode']; retainUntil: string } | undefined;
  try {
    const answer = await client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key }), {
      abortSignal: signal,
    });
    const mode = answer.Retention?.Mode;
    const until = answer.Retention?.RetainUntilDate;
    if ((mode === 'COMPLIANCE' || mode === 'GOVERNANCE') && until instanceof Date && !Number.isNaN(until.getTime())) {
      retention = { mode, retainUntil: until.toISOString() };
    }
  } catch (error) {
    if (s3ErrorName(error) !== 'NoSuchObjectLockConfiguration') throw error;
  }
  // A legal hold alone is not counted: anyone with s3:PutObjectLegalHold may lift it at any time.
  if (!retention) return undefined;
  let legalHold = false;
  try {
    const answer = await client.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key }), {
      abortSignal: signal,
    });
    legalHold = answer.LegalHold?.Status === 'ON';
  } catch (error) {
    if (s3ErrorName(error) !== 'NoSuchObjectLockConfiguration') throw error;
  }
  return { ...retention, legalHold };
}
