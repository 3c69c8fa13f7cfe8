// Finds what an object is recorded to hold: its sidecar object, else a manifest in its "directory".
import { parseChecksumFile, SIDECAR_SUFFIXES, sidecarChecksumFor } from '../../integrity/checksum-file.js';
import type { IssueParams } from '../../codes.js';
import { sourceIssue } from '../../issues.js';
import type { RecordedChecksum } from '../../model.js';
import { CHECKSUM_FILE_MAX_BYTES, ChecksumFileTooLargeError, getSmallText } from './checksum.js';
import type { ListedObject } from './list.js';
import { baseName, dirName } from './plan.js';
import type { EvidenceContext, ObjectPart } from './types.js';

export const s3url = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

type Note = (what: ObjectPart, error: unknown) => void;

/**
 * A sidecar belongs to one object, which is inspected once: its warning comes once. A sidecar with one
 * good line for the object still counts (as on disk), with a warning for the rest.
 */
export async function sidecarChecksum(
  object: ListedObject,
  ctx: EvidenceContext,
  note: Note,
): Promise<RecordedChecksum | undefined> {
  const name = baseName(object.key);
  for (const suffix of SIDECAR_SUFFIXES) {
    const sidecarKey = object.key + suffix;
    if (!ctx.checksumFiles.has(sidecarKey)) continue;
    const ref = s3url(ctx.location.bucket, sidecarKey);
    let parsed: ReturnType<typeof parseChecksumFile>;
    try {
      parsed = parseChecksumFile(
        await getSmallText(ctx.client, ctx.location.bucket, sidecarKey, CHECKSUM_FILE_MAX_BYTES, ctx.signal),
      );
    } catch (error) {
      if (error instanceof ChecksumFileTooLargeError) warn(ctx, 'B321_BAD_SIDECAR', tooLarge(ref), undefined);
      else note('s3.objects-sidecar', error);
      continue;
    }
    const value = sidecarChecksumFor(parsed, name);
    const line = parsed.badLines[0];
    if (!value) {
      const why =
        line !== undefined
          ? 'checksum.no-entry-bad-line'
          : parsed.entries.length > 0
            ? 'checksum.other-file'
            : 'checksum.empty';
      warn(ctx, 'B321_BAD_SIDECAR', { path: ref, problem: why, name, ...(line === undefined ? {} : { line }) }, line);
      continue;
    }
    if (line !== undefined) warn(ctx, 'B321_BAD_SIDECAR', { path: ref, problem: 'checksum.bad-line', line }, line);
    return { value, source: 'sidecar', ref };
  }
  return undefined;
}

/** A manifest is read once for all the objects beside it, and its bad lines are named once. */
export async function manifestChecksum(
  object: ListedObject,
  ctx: EvidenceContext,
  note: Note,
): Promise<RecordedChecksum | undefined> {
  const dir = dirName(object.key);
  const name = baseName(object.key);
  for (const manifestName of ctx.manifestNames) {
    const manifestKey = dir + manifestName;
    if (!ctx.checksumFiles.has(manifestKey)) continue;
    const ref = s3url(ctx.location.bucket, manifestKey);
    let parsed = ctx.manifests.get(manifestKey);
    if (!parsed) {
      parsed = getSmallText(ctx.client, ctx.location.bucket, manifestKey, CHECKSUM_FILE_MAX_BYTES, ctx.signal).then(
        (text) => {
          const manifest = parseChecksumFile(text);
          const line = manifest.badLines[0];
          if (line !== undefined) {
            const params = { path: ref, problem: 'checksum.bad-lines', count: manifest.badLines.length, line } as const;
            warn(ctx, 'B321_BAD_MANIFEST', params, line);
          }
          return manifest;
        },
        (error: unknown) => {
          if (error instanceof ChecksumFileTooLargeError) warn(ctx, 'B321_BAD_MANIFEST', tooLarge(ref), undefined);
          else note('s3.objects-manifest', error);
          return undefined;
        },
      );
      ctx.manifests.set(manifestKey, parsed);
    }
    const entry = (await parsed)?.entries.find((line) => line.file === name);
    if (entry) return { value: entry.sha256, source: 'manifest', ref };
  }
  return undefined;
}

function warn<C extends 'B321_BAD_SIDECAR' | 'B321_BAD_MANIFEST'>(
  ctx: EvidenceContext,
  code: C,
  params: IssueParams<C>,
  line: number | undefined,
): void {
  ctx.issues.push(sourceIssue(code, params, { severity: 'warning', path: String(params.path), line }));
}

function tooLarge(ref: string) {
  return { path: ref, problem: 'checksum.too-large', maxBytes: CHECKSUM_FILE_MAX_BYTES } as const;
}
