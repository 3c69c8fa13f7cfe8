// Lists a bucket prefix page by page (ListObjectsV2), optionally fanned out over first-level prefixes.
import { type _Object, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** What the source keeps of a listed object: enough to decide, without the page it came from. */
export interface ListedObject {
  key: string;
  bytes: number;
  lastModified: string;
  etag?: string;
  storageClass: string;
  checksumAlgorithms: string[];
  checksumType?: string;
  restoreInProgress?: boolean;
  restoreExpiry?: string;
}

export interface ListOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  /** > 1: list each first-level "directory" under prefix in parallel, this many at a time. */
  concurrency: number;
  signal?: AbortSignal;
  /** Called after each page with the running count of objects listed under this prefix. */
  onPage?: (listed: number) => void;
}

export function toListedObject(entry: _Object): ListedObject | undefined {
  if (entry.Key === undefined) return undefined;
  const listed: ListedObject = {
    key: entry.Key,
    bytes: entry.Size ?? 0,
    lastModified: (entry.LastModified ?? new Date(0)).toISOString(),
    // S3 omits the class for STANDARD in some answers (and some S3-compatible stores always do).
    storageClass: entry.StorageClass ?? 'STANDARD',
    checksumAlgorithms: entry.ChecksumAlgorithm ?? [],
  };
  if (entry.ETag) listed.etag = entry.ETag;
  if (entry.ChecksumType) listed.checksumType = entry.ChecksumType;
  if (entry.RestoreStatus?.IsRestoreInProgress !== undefined) {
    listed.restoreInProgress = entry.RestoreStatus.IsRestoreInProgress;
  }
  if (entry.RestoreStatus?.RestoreExpiryDate)
    listed.restoreExpiry = entry.RestoreStatus.RestoreExpiryDate.toISOString();
  return listed;
}

interface Page {
  objects: ListedObject[];
  commonPrefixes: string[];
}

/**
 * Yields one page at a time so memory holds a page (≤ 1000 entries), not the bucket. With a delimiter,
 * objects below the first "/" come back as common prefixes instead of objects.
 */
export async function* listPages(
  client: S3Client,
  bucket: string,
  prefix: string,
  delimiter: string | undefined,
  signal?: AbortSignal,
): AsyncGenerator<Page> {
  const request = (token: string | undefined): Promise<ListObjectsV2CommandOutput> =>
    client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(delimiter ? { Delimiter: delimiter } : {}),
        ...(token ? { ContinuationToken: token } : {}),
        // Adds RestoreStatus for archived objects, saving a HeadObject per restored object.
        OptionalObjectAttributes: ['RestoreStatus'],
      }),
      signal ? { abortSignal: signal } : {},
    );
  let pending: Promise<ListObjectsV2CommandOutput> | undefined = request(undefined);
  try {
    while (pending) {
      const answer: ListObjectsV2CommandOutput = await pending;
      // A truncated page without a token would loop forever on a broken server; stop instead.
      const token: string | undefined = answer.IsTruncated ? answer.NextContinuationToken : undefined;
      // Ask for the next page before handling this one: the server prepares it while this page is
      // converted and matched.
      // Memory stays bounded: at most this page and the next one.
      pending = token ? request(token) : undefined;
      const objects: ListedObject[] = [];
      for (const entry of answer.Contents ?? []) {
        const listed = toListedObject(entry);
        if (listed) objects.push(listed);
      }
      const commonPrefixes = (answer.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : []));
      yield { objects, commonPrefixes };
    }
  } finally {
    // A consumer that stops early (an error, an abort) leaves the prefetched page unread: never unhandled.
    pending?.catch(() => undefined);
  }
}

/** Lists every object under the prefix and hands each to `onObject` as pages arrive. */
export async function listObjects(options: ListOptions, onObject: (object: ListedObject) => void): Promise<number> {
  const { client, bucket, prefix, signal } = options;
  let listed = 0;
  const drain = async (subPrefix: string, delimiter?: string): Promise<string[]> => {
    const prefixes: string[] = [];
    for await (const page of listPages(client, bucket, subPrefix, delimiter, signal)) {
      for (const object of page.objects) onObject(object);
      prefixes.push(...page.commonPrefixes);
      listed += page.objects.length;
      options.onPage?.(listed);
    }
    return prefixes;
  };
  if (options.concurrency <= 1) {
    await drain(prefix);
    return listed;
  }
  // One delimited listing finds the first-level "directories"; each is then listed on its own.
  const subPrefixes = await drain(prefix, '/');
  await runPool(subPrefixes, options.concurrency, (sub) => drain(sub).then(() => undefined));
  return listed;
}

/** Runs `work` over items with at most `limit` in flight; the first failure rejects (others finish). */
export async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}
