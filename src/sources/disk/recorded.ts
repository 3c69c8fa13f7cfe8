// Finds what a file is recorded to hold: its `.sha256` sidecar, else a manifest in its directory.
import { readFileSync, statSync } from 'node:fs';
import type { IssueParams } from '../../codes.js';
import { errnoCode, errorMessage } from '../../errors.js';
import { parseChecksumFile, sidecarChecksumFor } from '../../integrity/checksum-file.js';
import { sourceIssue } from '../../issues.js';
import type { RecordedChecksum, SourceIssue } from '../../model.js';
import { readFailureCode } from '../common/read-failure.js';
import type { FileMatch } from './walk-types.js';

/** Checksum files bigger than this are not evidence anyone meant to keep; reading them would be a DoS. */
const MAX_SIDECAR_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Files of one directory come together in the walk, so a few parsed manifests are enough. */
const MANIFEST_CACHE_SIZE = 8;

interface ParsedManifest {
  byName: Map<string, string>;
  at: string;
}

type ChecksumFileCode =
  | 'B321_BAD_SIDECAR'
  | 'B321_BAD_MANIFEST'
  | 'B321_BAD_CHECKSUM_FILE'
  | 'B321_EACCES'
  | 'B321_IO_ERROR';

export type RecordedLookup = (file: FileMatch, dataset: string) => RecordedChecksum | undefined;

export function createRecordedLookup(issues: SourceIssue[]): RecordedLookup {
  const manifests = new Map<string, ParsedManifest | undefined>();
  const warned = new Set<string>();

  /** One warning per checksum file (`params.path`), however many copies it covers. */
  const warn = <C extends ChecksumFileCode>(code: C, params: IssueParams<C>, dataset: string, line?: number): void => {
    const path = String(params.path);
    if (warned.has(path)) return;
    warned.add(path);
    issues.push(sourceIssue(code, params, { severity: 'warning', dataset, path, line }));
  };

  function read(path: string, limit: number, dataset: string): { text: string; at: string } | undefined {
    try {
      const stats = statSync(path);
      if (stats.size > limit) {
        warn('B321_BAD_CHECKSUM_FILE', { path, problem: 'checksum.too-large', maxBytes: limit }, dataset);
        return undefined;
      }
      // 'r': read-only open; nothing under a location is ever opened for writing.
      return { text: readFileSync(path, { encoding: 'utf8', flag: 'r' }), at: stats.mtime.toISOString() };
    } catch (error) {
      const detail = errorMessage(error);
      const code = readFailureCode(errnoCode(error));
      if (code) warn(code, { target: 'target.checksum-file', path, detail }, dataset);
      else warn('B321_BAD_CHECKSUM_FILE', { path, problem: 'checksum.unreadable', detail }, dataset);
      return undefined;
    }
  }

  function manifest(path: string, dataset: string): ParsedManifest | undefined {
    if (manifests.has(path)) return manifests.get(path);
    const content = read(path, MAX_MANIFEST_BYTES, dataset);
    let parsed: ParsedManifest | undefined;
    if (content) {
      const { entries, badLines } = parseChecksumFile(content.text);
      const line = badLines[0];
      if (line !== undefined) {
        const params = { path, problem: 'checksum.bad-lines', count: badLines.length, line } as const;
        warn('B321_BAD_MANIFEST', params, dataset, line);
      }
      parsed = { byName: new Map(entries.map((entry) => [entry.file, entry.sha256])), at: content.at };
    }
    if (manifests.size >= MANIFEST_CACHE_SIZE) manifests.clear();
    manifests.set(path, parsed);
    return parsed;
  }

  return (file, dataset) => {
    for (const sidecar of file.sidecars) {
      const content = read(sidecar, MAX_SIDECAR_BYTES, dataset);
      if (!content) continue;
      const parsed = parseChecksumFile(content.text);
      const value = sidecarChecksumFor(parsed, file.name);
      const line = parsed.badLines[0];
      if (line !== undefined)
        warn('B321_BAD_SIDECAR', { path: sidecar, problem: 'checksum.bad-line', line }, dataset, line);
      if (value) return { value, source: 'sidecar', ref: sidecar, at: content.at };
      if (line === undefined)
        warn('B321_BAD_SIDECAR', { path: sidecar, problem: 'checksum.other-file', name: file.name }, dataset);
    }
    for (const path of file.manifests) {
      const parsed = manifest(path, dataset);
      const value = parsed?.byName.get(file.name);
      if (parsed && value) return { value, source: 'manifest', ref: path, at: parsed.at };
    }
    return undefined;
  };
}
