// The s3 source: lists a bucket prefix per dataset and returns every object as a copy with its evidence.
import { performance } from 'node:perf_hooks';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3LocationConfig } from '../../config/types.js';
import { errorMessage } from '../../errors.js';
import { MANIFEST_NAMES } from '../../integrity/checksum-file.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, LocationStatus, SourceIssue, SourceResult } from '../../model.js';
import { createS3Client, endpointLabel } from './client.js';
import { type ClassifiedS3Error, classifyS3Error } from './errors.js';
import type { DeepHash } from './deep-hash.js';
import { applyDeepHash, deepReadable, hashObjects } from './deep-reads.js';
import { openDeepResults } from './deep-results.js';
import { gatherEvidence } from './evidence.js';
import { failureDomainOf, isAwsEndpoint } from './failure-domain.js';
import { runPool } from './list.js';
import { readBucketFacts, readBucketRegion } from './lock.js';
import { baseName, planPatterns } from './plan.js';
import { probeExactKeys } from './probe.js';
import { createS3Rereads } from './rereads.js';
import { listAll, type MatchedObject, matchPlans } from './select.js';
import type { ObjectEvidence } from './types.js';
import type { Rereads } from '../rereads.js';
import { type Source, type SourceContext, sourceState } from '../source.js';

/** HeadObject / retention / sidecar requests in flight at once: enough to hide latency, polite to the store. */
const INSPECT_CONCURRENCY = 8;

export function createS3Source(location: S3LocationConfig): Source {
  return {
    id: location.id,
    type: 's3',
    inventory: (ctx) => inventoryS3(location, ctx),
  };
}

async function inventoryS3(location: S3LocationConfig, ctx: SourceContext): Promise<SourceResult> {
  const started = performance.now();
  const client = createS3Client(location);
  const issues: SourceIssue[] = [];
  const locationFacts: LocationStatus['facts'] = {
    bucket: location.bucket,
    prefix: location.prefix,
    endpoint: endpointLabel(location),
    retrievalTier: location.retrievalTier,
  };
  if (location.region) locationFacts.regionConfigured = location.region;
  // Decided once the bucket's region is read (AWS's failure domains are regions).
  const failureDomain = () =>
    failureDomainOf(location, typeof locationFacts.region === 'string' ? locationFacts.region : undefined);
  const finish = (copies: Copy[]): SourceResult => ({
    copies,
    status: {
      id: location.id,
      type: 's3',
      status: sourceState(issues),
      copies: copies.length,
      issues,
      facts: Object.assign(locationFacts, failureDomain()),
      durationMs: Math.round(performance.now() - started),
    },
  });
  try {
    // The first request decides whether the bucket is there at all; its failure stops the location.
    try {
      locationFacts.region = await readBucketRegion(client, location.bucket, isAwsEndpoint(location), ctx.signal);
    } catch (error) {
      const classified = classifyS3Error(error);
      if (
        classified.credentials ||
        classified.code === 'B321_S3_NO_BUCKET' ||
        classified.code === 'B321_S3_UNREACHABLE'
      ) {
        issues.push(bucketIssue(location, classified));
        return finish([]);
      }
      locationFacts.region = 'unknown';
      const params = { what: 's3.region', detail: classified.message } as const;
      issues.push(sourceIssue(classified.code, params, { severity: 'warning' }));
    }
    const plans = planPatterns(location.prefix, ctx.datasets);
    // Bucket facts are only needed after the listing: fetch them alongside it, not before it.
    const bucketFactsPending = readBucketFacts(client, location.bucket, ctx.signal);
    const listing = await listAll(client, location, plans, ctx);
    const bucketFacts = await bucketFactsPending;
    issues.push(...bucketFacts.issues);
    locationFacts.versioning = bucketFacts.versioning;
    locationFacts.objectLock = bucketFacts.objectLock;
    if (bucketFacts.objectLockDefaultMode) locationFacts.objectLockDefaultMode = bucketFacts.objectLockDefaultMode;
    if (bucketFacts.objectLockDefaultRetention)
      locationFacts.objectLockDefaultRetention = bucketFacts.objectLockDefaultRetention;

    locationFacts.objectsListed = listing.listed;
    // Requests fail one by one after an abort and would look like per-object warnings: stop as a whole.
    ctx.signal?.throwIfAborted();
    const matched = matchPlans(location.bucket, plans, listing, issues);
    for (const found of await probeExactKeys(client, location, listing.denied, plans, issues, ctx.signal)) {
      matched.push(found);
    }
    const evidence = await inspectAll(
      client,
      location,
      matched,
      listing.checksumFiles,
      bucketFacts.objectLock,
      ctx,
      issues,
    );
    ctx.signal?.throwIfAborted();
    const device = failureDomain().failureDomain;
    const { copies, rereads } = await buildCopies(
      client,
      location,
      matched,
      evidence,
      ctx,
      locationFacts,
      device,
      issues,
    );
    ctx.signal?.throwIfAborted();
    // Code-unit order (as S3 lists keys), not localeCompare: cheaper on big buckets, and stable across locales.
    copies.sort((a, b) => compare(a.dataset, b.dataset) || compare(a.path, b.path));
    if (rereads) ctx.offerRereads?.(rereads);
    return finish(copies);
  } catch (error) {
    // A source reports, never throws: an abort (SIGTERM) or an unforeseen failure leaves the location unread.
    issues.push(bucketIssue(location, classifyS3Error(error)));
    return finish([]);
  } finally {
    client.destroy();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The location as a whole could not be read: its datasets' checks are unknown. */
function bucketIssue(location: S3LocationConfig, classified: ClassifiedS3Error): SourceIssue {
  const params = { what: 's3.bucket', bucket: location.bucket, endpoint: endpointLabel(location) } as const;
  return sourceIssue(classified.code, { ...params, detail: classified.message }, { severity: 'error' });
}

async function inspectAll(
  client: S3Client,
  location: S3LocationConfig,
  matched: MatchedObject[],
  checksumFiles: Set<string>,
  objectLock: string,
  ctx: SourceContext,
  issues: SourceIssue[],
): Promise<Map<string, ObjectEvidence>> {
  // One inspection per object even when several datasets' patterns match it.
  const unique = [...new Map(matched.map((m) => [m.object.key, m.object])).values()];
  const evidence = new Map<string, ObjectEvidence>();
  const evidenceContext = {
    client,
    location,
    checksumFiles,
    manifests: new Map(),
    manifestNames: MANIFEST_NAMES,
    objectLock: objectLock === 'Enabled',
    now: ctx.now,
    issues,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  let done = 0;
  await runPool(unique, INSPECT_CONCURRENCY, async (object) => {
    evidence.set(object.key, await gatherEvidence(object, evidenceContext));
    ctx.progress?.({
      location: location.id,
      phase: 'inspect',
      done: ++done,
      total: unique.length,
    });
  });
  // Problems are aggregated per kind: a missing permission would otherwise repeat once per object.
  const byKind = new Map<string, ObjectEvidence['problems'][number] & { count: number }>();
  for (const item of evidence.values()) {
    for (const problem of item.problems) {
      const kind = `${problem.code} ${problem.what}`;
      const seen = byKind.get(kind);
      if (seen) seen.count++;
      else byKind.set(kind, { ...problem, count: 1 });
    }
  }
  for (const { code, what, message, count } of byKind.values()) {
    issues.push(sourceIssue(code, { what, count, detail: message }, { severity: 'warning' }));
  }
  return evidence;
}

async function buildCopies(
  client: S3Client,
  location: S3LocationConfig,
  matched: MatchedObject[],
  evidence: Map<string, ObjectEvidence>,
  ctx: SourceContext,
  locationFacts: LocationStatus['facts'],
  device: string,
  issues: SourceIssue[],
): Promise<{ copies: Copy[]; rereads?: Rereads }> {
  // verify --deep --budget: the objects this location may download, offered to the run once all is read.
  let rereadable: Set<string> | undefined;
  let hashes = new Map<string, DeepHash>();
  if (ctx.deep || ctx.offerRereads) {
    const { readable, overMax, archived } = deepReadable(
      matched.map((m) => m.object),
      evidence,
      location,
    );
    locationFacts.deepSkippedOverMaxBytes = overMax;
    locationFacts.deepSkippedArchived = archived;
    if (ctx.deep) hashes = await hashObjects(client, location, readable, ctx, issues, 'hash');
    else rereadable = new Set(readable.map((object) => object.key));
  }
  // What earlier --deep runs read of these same objects (and what this one read, for the next run).
  const remembered = await openDeepResults(ctx.stateDir, location.id, location.bucket, {
    now: ctx.now.getTime(),
    readOnly: ctx.stateReadOnly ?? false,
  });
  const offered = rereadable && createS3Rereads(location, ctx, issues);
  const copies: Copy[] = [];
  for (const { plan, object } of matched) {
    const item = evidence.get(object.key);
    if (!item || item.vanished) continue;
    const path = `s3://${location.bucket}/${object.key}`;
    const copy: Copy = {
      id: `${location.id}:${path}`,
      dataset: plan.dataset,
      location: location.id,
      locationType: 's3',
      path,
      name: baseName(object.key),
      kind: 'object',
      role: plan.role,
      bytes: object.bytes,
      modifiedAt: object.lastModified,
      medium: location.medium ?? 'object-storage',
      device,
      offline: false,
      storageClass: item.storageClass,
      restore: item.restore,
    };
    if (item.recorded) copy.recorded = item.recorded;
    if (item.immutable) copy.immutable = item.immutable;
    const hash = hashes.get(object.key);
    if (hash) applyDeepHash(copy, object, hash, remembered, ctx.now);
    else {
      const read = remembered.get(object);
      if (read) {
        copy.sha256 = read.sha256;
        copy.hashedAt = new Date(read.hashedAt).toISOString();
      }
    }
    copies.push(copy);
    if (rereadable?.has(object.key)) offered?.add(object, copy);
  }
  await remembered.save().catch((error: unknown) => {
    ctx.logger.warn({ location: location.id, err: errorMessage(error) }, 'cannot save what --deep read');
  });
  return offered ? { copies, rereads: offered.offer(remembered) } : { copies };
}
