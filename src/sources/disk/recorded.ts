// Finds what a file is recorded to hold: its `.sha256` sidecar, else a manifest in its directory. The
// checksum files are read on the walk's threads (probe.ts): a FIFO or a hung mount never holds this one.
import type { IssueParams } from '../../codes.js';
import { parseChecksumFile, sidecarChecksumFor } from '../../integrity/checksum-file.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, RecordedChecksum, SourceIssue } from '../../model.js';
import { readFailureCode } from '../common/read-failure.js';
import type { ProbeAnswerOf } from './walk-pool.js';
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
  | 'B321_IO_ERROR'
  | 'B321_SYMLINK_NOT_FOLLOWED'
  | 'B321_SYMLINK_OUTSIDE_LOCATION';

/** Finds what files are recorded to hold, reading their checksum files on the walk's threads. */
export interface RecordedLookup {
  /** A file with checksum files beside it: its copy gets `recorded` once they are read (settle()). */
  add(file: FileMatch, dataset: string, copy: Copy): void;
  /** Reads the checksum files of every file added so far, and gives each copy what they record. */
  settle(): Promise<void>;
}

/** Sidecars read ahead of the file being looked up: each read is a message to a thread and back. */
const READ_AHEAD = 64;

type ReadText = (path: string, limit: number) => Promise<ProbeAnswerOf<'read-text'>>;

export function createRecordedLookup(issues: SourceIssue[], readText: ReadText): RecordedLookup {
  const manifests = new Map<string, ParsedManifest | undefined>();
  const warned = new Set<string>();
  let waiting: Array<{ file: FileMatch; dataset: string; copy: Copy }> = [];

  /** One warning per checksum file (`params.path`), however many copies it covers. */
  const warn = <C extends ChecksumFileCode>(code: C, params: IssueParams<C>, dataset: string, line?: number): void => {
    const path = String(params.path);
    if (warned.has(path)) return;
    warned.add(path);
    issues.push(sourceIssue(code, params, { severity: 'warning', dataset, path, line }));
  };

  /** A checksum file's text and mtime, or a warning (too large, unreadable, no plain file). */
  function contentOf(
    path: string,
    limit: number,
    dataset: string,
    answer: ProbeAnswerOf<'read-text'>,
  ): { text: string; at: string } | undefined {
    if (answer.error) {
      const code = readFailureCode(answer.error.code);
      const detail = answer.error.message;
      // A link the location's followSymlinks does not let the walk follow (probe.ts, openChecksumFile).
      if (answer.error.code === 'NOT_FOLLOWED') warn('B321_SYMLINK_NOT_FOLLOWED', { path }, dataset);
      else if (answer.error.code === 'OUTSIDE')
        warn('B321_SYMLINK_OUTSIDE_LOCATION', { path, target: detail }, dataset);
      else if (code) warn(code, { target: 'target.checksum-file', path, detail }, dataset);
      else warn('B321_BAD_CHECKSUM_FILE', { path, problem: 'checksum.unreadable', detail }, dataset);
      return undefined;
    }
    if (answer.text === undefined) {
      warn('B321_BAD_CHECKSUM_FILE', { path, problem: 'checksum.too-large', maxBytes: limit }, dataset);
      return undefined;
    }
    return { text: answer.text, at: new Date(answer.mtimeMs ?? 0).toISOString() };
  }

  async function manifest(path: string, dataset: string): Promise<ParsedManifest | undefined> {
    if (manifests.has(path)) return manifests.get(path);
    const content = contentOf(path, MAX_MANIFEST_BYTES, dataset, await readText(path, MAX_MANIFEST_BYTES));
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

  async function recordedFor(
    file: FileMatch,
    dataset: string,
    sidecars: Array<Promise<ProbeAnswerOf<'read-text'>>>,
  ): Promise<RecordedChecksum | undefined> {
    for (const [i, sidecar] of file.sidecars.entries()) {
      const content = contentOf(
        sidecar,
        MAX_SIDECAR_BYTES,
        dataset,
        await (sidecars[i] as Promise<ProbeAnswerOf<'read-text'>>),
      );
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
      const parsed = await manifest(path, dataset);
      const value = parsed?.byName.get(file.name);
      if (parsed && value) return { value, source: 'manifest', ref: path, at: parsed.at };
    }
    return undefined;
  }

  return {
    add(file, dataset, copy) {
      waiting.push({ file, dataset, copy });
    },
    async settle() {
      const files = waiting;
      waiting = [];
      // Read ahead, applied in order: the same warnings in the same order as one read after another.
      const reads = files.map(() => undefined as Array<Promise<ProbeAnswerOf<'read-text'>>> | undefined);
      const readSidecars = (i: number): void => {
        const entry = files[i];
        if (entry && !reads[i]) reads[i] = entry.file.sidecars.map((path) => readText(path, MAX_SIDECAR_BYTES));
      };
      for (let i = 0; i < files.length; i++) {
        for (let ahead = i; ahead < Math.min(files.length, i + READ_AHEAD); ahead++) readSidecars(ahead);
        const { file, dataset, copy } = files[i] as (typeof files)[number];
        const recorded = await recordedFor(file, dataset, reads[i] ?? []);
        reads[i] = undefined;
        if (recorded) copy.recorded = recorded;
      }
    },
  };
}
