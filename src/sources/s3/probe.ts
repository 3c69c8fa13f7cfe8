// When a prefix cannot be listed: report it per dataset, and HEAD exact keys to tell "denied" from "missing".
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3LocationConfig } from '../../config/types.js';
import { sourceIssue } from '../../issues.js';
import type { SourceIssue } from '../../model.js';
import { headObject } from './checksum.js';
import { classifyS3Error, type S3ErrorCode } from './errors.js';
import type { ListedObject } from './list.js';
import { coveringPrefix, type PatternPlan } from './plan.js';

interface Denial {
  code: S3ErrorCode;
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
    const place = { dataset: plan.dataset, path: where };
    if (!plan.exactKey || denial.code !== 'B321_S3_ACCESS_DENIED') {
      const params = { what: 's3.list', url: where, detail: denial.message } as const;
      issues.push(sourceIssue(denial.code, params, { severity: 'error', ...place }));
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
      const params = { url: where, detail: denial.message };
      issues.push(sourceIssue('B321_S3_NO_LIST', params, { severity: 'warning', ...place }));
    } catch (error) {
      const { code, message } = classifyS3Error(error);
      const what =
        code === 'B321_S3_MISSING'
          ? 's3.object'
          : code === 'B321_S3_ACCESS_DENIED'
            ? 's3.denied-or-missing'
            : 's3.read';
      // A definite 404 is a decided "no copy here" (the copies check fails); a 403 leaves it undecided.
      const severity = code === 'B321_S3_MISSING' ? 'warning' : 'error';
      issues.push(sourceIssue(code, { what, url: where, detail: message }, { severity, ...place }));
    }
  }
  return found;
}
