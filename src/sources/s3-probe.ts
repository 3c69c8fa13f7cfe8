// When a prefix cannot be listed: report it per dataset, and HEAD exact keys to tell "denied" from "missing".
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3LocationConfig } from '../config/types.js';
import type { SourceIssue } from '../model.js';
import { headObject } from './s3-checksum.js';
import { classifyS3Error } from './s3-errors.js';
import type { ListedObject } from './s3-list.js';
import { coveringPrefix, type PatternPlan } from './s3-plan.js';

interface Denial {
  code: string;
  message: string;
}

/**
 * A policy may allow GetObject on a key without ListBucket on its prefix. Then a HEAD finds the object;
 * but for a key that does not exist S3 answers 403 (not 404) unless ListBucket is granted, so a 403
 * here is "access denied or missing" — reported as access denied, with that caveat, never as missing.
 */
export async function probeExactKeys(
  client: S3Client,
  location: S3LocationConfig,
  denied: Map<string, Denial>,
  plans: PatternPlan[],
  issues: SourceIssue[],
  signal?: AbortSignal,
): Promise<{ plan: PatternPlan; object: ListedObject }[]> {
  const found: { plan: PatternPlan; object: ListedObject }[] = [];
  const prefixes = [...denied.keys()];
  for (const plan of plans) {
    const covering = coveringPrefix(prefixes, plan.listPrefix);
    const denial = covering === undefined ? undefined : denied.get(covering);
    if (!denial) continue;
    const where = `s3://${location.bucket}/${plan.listPrefix}`;
    if (!plan.exactKey || denial.code !== 'B321_S3_ACCESS_DENIED') {
      issues.push({
        severity: 'error',
        code: denial.code,
        dataset: plan.dataset,
        path: where,
        message: `cannot list ${where}: ${denial.message}`,
      });
      continue;
    }
    try {
      const head = await headObject(client, location.bucket, plan.exactKey, signal);
      const object: ListedObject = {
        key: plan.exactKey,
        bytes: head.ContentLength ?? 0,
        lastModified: (head.LastModified ?? new Date(0)).toISOString(),
        storageClass: head.StorageClass ?? 'STANDARD',
        checksumAlgorithms: head.ChecksumSHA256 ? ['SHA256'] : [],
      };
      if (head.ETag) object.etag = head.ETag;
      if (head.ChecksumType) object.checksumType = head.ChecksumType;
      found.push({ plan, object });
      // Listing was refused, so sidecars next to the object could not be seen: say so.
      issues.push({
        severity: 'warning',
        code: 'B321_S3_NO_LIST',
        dataset: plan.dataset,
        path: where,
        message: `cannot list ${where} (${denial.message}); read the object directly, sidecars were not looked for`,
      });
    } catch (error) {
      const classified = classifyS3Error(error);
      const message =
        classified.code === 'B321_S3_MISSING'
          ? `object ${where} does not exist (${classified.message})`
          : classified.code === 'B321_S3_ACCESS_DENIED'
            ? `access denied to ${where}: without s3:ListBucket S3 answers 403 also for a missing object, so it is unreadable or missing (${classified.message})`
            : `cannot read ${where}: ${classified.message}`;
      issues.push({
        // A definite 404 is a decided "no copy here" (the copies check fails); a 403 leaves it undecided.
        severity: classified.code === 'B321_S3_MISSING' ? 'warning' : 'error',
        code: classified.code,
        dataset: plan.dataset,
        path: where,
        message,
      });
    }
  }
  return found;
}
