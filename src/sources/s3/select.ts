// Lists the prefixes a location's dataset patterns need and matches the listed objects to each pattern.
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3LocationConfig } from '../../config/types.js';
import { isChecksumFile } from '../../integrity/checksum-file.js';
import { sourceIssue } from '../../issues.js';
import type { SourceIssue } from '../../model.js';
import { classifyS3Error, type S3ErrorCode } from './errors.js';
import { type ListedObject, listObjects } from './list.js';
import { baseName, coveringPrefix, listingPrefixes, type PatternPlan } from './plan.js';
import type { SourceContext } from '../source.js';

export interface Listing {
  /** Objects per listed prefix (checksum files and "directory" markers left out). */
  objects: Map<string, ListedObject[]>;
  checksumFiles: Set<string>;
  /** Listed prefixes that failed, with the issue they raised. */
  denied: Map<string, { code: S3ErrorCode; message: string }>;
  listed: number;
}

export async function listAll(
  client: S3Client,
  location: S3LocationConfig,
  plans: PatternPlan[],
  ctx: SourceContext,
): Promise<Listing> {
  const listing: Listing = {
    objects: new Map(),
    checksumFiles: new Set(),
    denied: new Map(),
    listed: 0,
  };
  for (const prefix of listingPrefixes(plans)) {
    const objects: ListedObject[] = [];
    let before = listing.listed;
    try {
      await listObjects(
        {
          client,
          bucket: location.bucket,
          prefix,
          concurrency: location.listConcurrency,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onPage: (count) =>
            ctx.progress?.({
              location: location.id,
              phase: 'list',
              done: before + count,
            }),
        },
        (object) => {
          if (object.key.endsWith('/')) return; // a "directory" marker, not a backup
          if (isChecksumFile(baseName(object.key))) listing.checksumFiles.add(object.key);
          else objects.push(object);
        },
      );
      listing.objects.set(prefix, objects);
      listing.listed += objects.length;
      before = listing.listed;
    } catch (error) {
      const classified = classifyS3Error(error);
      listing.denied.set(prefix, {
        code: classified.code,
        message: classified.message,
      });
    }
  }
  return listing;
}

export interface MatchedObject {
  plan: PatternPlan;
  object: ListedObject;
}

export function matchPlans(
  bucket: string,
  plans: PatternPlan[],
  listing: Listing,
  issues: SourceIssue[],
): MatchedObject[] {
  const matched: MatchedObject[] = [];
  const prefixes = [...listing.objects.keys(), ...listing.denied.keys()];
  for (const plan of plans) {
    const covering = coveringPrefix(prefixes, plan.listPrefix);
    const objects = covering === undefined ? undefined : listing.objects.get(covering);
    if (!objects) continue; // a failed listing: reported by probeExactKeys / as a dataset error
    const found = objects.filter((object) => plan.matches(object.key));
    if (found.length === 0) {
      const params = { pattern: plan.pattern, where: 'where.s3-prefix', prefix: plan.listPrefix } as const;
      const place = { severity: 'warning', dataset: plan.dataset, path: `s3://${bucket}/${plan.listPrefix}` } as const;
      issues.push(sourceIssue('B321_NO_MATCH', params, place));
    }
    for (const object of found) matched.push({ plan, object });
  }
  return matched;
}
