// Source issues read in the report's language: every code and phrase has an English and a Vietnamese
// template with the same params, and each renders whole with the params its producers give.
import t from 'tap';
import { type IssueCode, ISSUE_CODES, PHRASES, type PhraseKey } from '../../src/codes.js';
import { sourceIssue } from '../../src/issues.js';
import type { SourceIssue } from '../../src/model.js';
import { en, issueMessage, vi } from '../../src/report/i18n/index.js';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
// Vietnamese text without diacritics would be a sign of a lazy or missing translation.
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

t.test('every source issue code has an English and a Vietnamese template with the same params', async (t) => {
  for (const code of ISSUE_CODES) {
    const english = (en.issues as Record<string, string | undefined>)[code];
    const vietnamese = (vi.issues as Record<string, string | undefined>)[code];
    t.type(english, 'string', `en ${code}`);
    t.type(vietnamese, 'string', `vi ${code}`);
    t.match(vietnamese, VIETNAMESE, `vi ${code} is Vietnamese`);
    t.not(vietnamese, english, `vi ${code} is translated`);
    t.same(placeholders(vietnamese ?? ''), placeholders(english ?? ''), `${code} uses the same params in both`);
  }
});

t.test('every phrase has an English and a Vietnamese text with the same params', async (t) => {
  for (const key of Object.keys(PHRASES) as PhraseKey[]) {
    const english = en.phrases[key];
    const vietnamese = vi.phrases[key];
    t.equal(english, PHRASES[key], `en ${key} is the registry's`);
    t.match(vietnamese, VIETNAMESE, `vi ${key} is Vietnamese`);
    t.not(vietnamese, english, `vi ${key} is translated`);
    t.same(placeholders(vietnamese), placeholders(english), `${key} uses the same params in both`);
  }
});

const isPhrase = (value: string | number) =>
  typeof value === 'string' && value.split('+').every((key) => Object.hasOwn(PHRASES, key));

const ROOT = '/backup';
const detail = "EACCES: permission denied, scandir '/backup/erp'";
const time = { time: '2062-11-01T00:00:00.000Z', skewMinutes: 5, clock: '2026-11-24T00:00:00.000Z' };
const s3Detail = 'AccessDenied (HTTP 403): Access Denied';

/**
 * The params each producer gives, one row per place that raises the code (and per phrase it picks),
 * as written in src/sources, src/verify: a code or a phrase with no row here fails the last test.
 */
const PRODUCERS: Array<[IssueCode, Record<string, string | number>]> = [
  ['B321_LOCATION_MISSING', { path: ROOT }],
  ['B321_NOT_A_DIRECTORY', { path: ROOT }],
  ['B321_HOST_MEDIA', { path: ROOT, detail: 'lsblk failed' }],
  ['B321_ABORTED', { root: ROOT, detail: 'This operation was aborted' }],
  ['B321_NOT_ANSWERING', { root: ROOT, path: `${ROOT}/erp/a.dump`, within: '5m' }],
  ['B321_EACCES', { target: 'target.directory', path: '/backup/erp', detail }],
  ['B321_EACCES', { target: 'target.entry', path: '/backup/erp/x', detail }],
  ['B321_EACCES', { target: 'target.location', path: ROOT, detail }],
  ['B321_EACCES', { target: 'target.checksum-file', path: '/backup/x.sha256', detail }],
  ['B321_EACCES', { target: 'target.file', path: '/backup/x.dump', detail }],
  ['B321_EACCES', { target: 'target.media-log', path: '/var/lib/backup321/media.jsonl', detail }],
  ['B321_IO_ERROR', { target: 'target.file', path: '/backup/x.dump', detail: 'EIO: i/o error, read' }],
  ['B321_READ_ERROR', { target: 'target.drill-log', path: '/var/lib/backup321/drills.jsonl', detail: 'EISDIR' }],
  ['B321_STAT_ERROR', { target: 'target.entry', path: '/backup/x', detail: 'ENAMETOOLONG' }],
  ['B321_VANISHED', { target: 'target.directory', path: '/backup/erp' }],
  ['B321_VANISHED', { target: 'target.entry', path: '/backup/erp/x' }],
  ['B321_VANISHED', { target: 'target.file', path: '/backup/erp/x.dump' }],
  ['B321_CHANGED_WHILE_HASHING', { path: '/backup/x.dump', detail: 'the file changed while it was read' }],
  ['B321_BAD_PATTERN', { pattern: '../out/*.dump', root: ROOT }],
  ['B321_NO_MATCH', { pattern: 'erp/*.dump', where: 'where.directory', root: ROOT }],
  ['B321_NO_MATCH', { pattern: 'erp/*.dump', where: 'where.s3-prefix', prefix: 'erp/' }],
  ['B321_NO_MATCH', { pattern: 'crm", "crm-old', where: 'where.media-log' }],
  ['B321_DANGLING_SYMLINK', { path: '/backup/gone.dump' }],
  ['B321_SYMLINK_LOOP', { path: '/backup/loop' }],
  ['B321_SYMLINK_NOT_FOLLOWED', { path: '/backup/link.dump' }],
  ['B321_SYMLINK_OUTSIDE_LOCATION', { path: '/backup/link.dump', target: '/srv/payroll/2026.dump' }],
  ['B321_SPECIAL_FILE', { path: '/backup/pipe.dump', kind: 'special.fifo' }],
  ['B321_SPECIAL_FILE', { path: '/backup/s', kind: 'special.socket' }],
  ['B321_SPECIAL_FILE', { path: '/backup/c', kind: 'special.character-device' }],
  ['B321_SPECIAL_FILE', { path: '/backup/b', kind: 'special.block-device' }],
  ['B321_SPECIAL_FILE', { path: '/backup/o', kind: 'special.other' }],
  [
    'B321_OTHER_FILESYSTEM',
    { path: '/backup/a.dump', filesystem: '/mnt/a (tmpfs)', device: 'dev:tmpfs-a', dataset: 'erp-db', count: 2 },
  ],
  [
    'B321_OTHER_FILESYSTEM',
    { path: '/backup/a.dump', filesystem: 'st_dev 42', device: 'dev:42', dataset: 'erp-db', count: 1 },
  ],
  ['B321_BAD_SIDECAR', { path: '/backup/a.dump.sha256', problem: 'checksum.bad-line', line: 2 }],
  ['B321_BAD_SIDECAR', { path: '/backup/a.dump.sha256', problem: 'checksum.other-file', name: 'a.dump' }],
  [
    'B321_BAD_SIDECAR',
    { path: 's3://b/a.dump.sha256', problem: 'checksum.no-entry-bad-line', name: 'a.dump', line: 1 },
  ],
  ['B321_BAD_SIDECAR', { path: 's3://b/a.dump.sha256', problem: 'checksum.empty', name: 'a.dump' }],
  ['B321_BAD_SIDECAR', { path: 's3://b/a.dump.sha256', problem: 'checksum.too-large', maxBytes: 65536 }],
  ['B321_BAD_MANIFEST', { path: '/backup/SHA256SUMS', problem: 'checksum.bad-lines', count: 3, line: 2 }],
  ['B321_BAD_MANIFEST', { path: 's3://b/SHA256SUMS', problem: 'checksum.too-large', maxBytes: 65536 }],
  ['B321_BAD_CHECKSUM_FILE', { path: '/backup/SHA256SUMS', problem: 'checksum.too-large', maxBytes: 67108864 }],
  ['B321_BAD_CHECKSUM_FILE', { path: '/backup/a.sha256', problem: 'checksum.unreadable', detail: 'EISDIR' }],
  ['B321_LOG_MISSING', {}],
  ['B321_DRILL_LOG_MISSING', {}],
  ['B321_BAD_LINE', { problem: 'line.not-json', detail: 'Unexpected token' }],
  ['B321_BAD_LINE', { problem: 'line.not-object' }],
  ['B321_BAD_LINE', { problem: 'line.not-one-of', field: 'event', allowed: 'written, offline', got: '"x"' }],
  ['B321_BAD_LINE', { problem: 'line.not-one-of-none', field: 'event', allowed: 'written, offline' }],
  ['B321_BAD_LINE', { problem: 'line.missing', field: 'dataset' }],
  ['B321_BAD_LINE', { problem: 'line.media-missing' }],
  ['B321_BAD_LINE', { problem: 'line.not-string', field: 'notes' }],
  ['B321_BAD_LINE', { problem: 'line.sha256', field: 'sha256' }],
  ['B321_BAD_LINE', { problem: 'line.bytes', field: 'bytes' }],
  ['B321_BAD_LINE', { problem: 'line.result', got: '"ok"' }],
  ['B321_BAD_LINE', { problem: 'line.drill-bytes', got: '0' }],
  ['B321_BAD_LINE', { problem: 'line.required-on', field: 'file', event: 'written' }],
  ['B321_BAD_LINE', { problem: 'line.first-written-type', mediaId: 'T2' }],
  ['B321_BAD_LINE', { problem: 'time.format', field: 'ts', got: '"yesterday"' }],
  ['B321_BAD_LINE', { problem: 'time.format-none', field: 'ts' }],
  ['B321_BAD_LINE', { problem: 'time.month', field: 'ts', got: '"2026-13-01T00:00:00Z"', month: '13' }],
  ['B321_BAD_LINE', { problem: 'time.day', field: 'ts', got: '"2026-02-30T00:00:00Z"', month: '2026-02', days: 28 }],
  ['B321_BAD_LINE', { problem: 'time.clock', field: 'ts', got: '"2026-11-24T24:00:00Z"' }],
  ['B321_BAD_LINE', { problem: 'time.offset', field: 'ts', got: '"2026-11-24T08:00:00+15:00"' }],
  ['B321_BAD_LINE', { problem: 'csv.width', fields: 3, columns: 11 }],
  ['B321_BAD_LINE', { problem: 'csv.width+csv.unclosed', fields: 9, columns: 11, openColumn: '"location"' }],
  ['B321_CSV_QUOTE', { problem: 'csv.unclosed', openColumn: '"operator"' }],
  ['B321_CSV_QUOTE', { problem: 'csv.stray', strayColumn: '"notes", 4', strayRead: '"x y", "z"' }],
  [
    'B321_CSV_QUOTE',
    { problem: 'csv.stray+csv.unclosed', strayColumn: '"notes"', strayRead: '"x y"', openColumn: '11' },
  ],
  [
    'B321_DRILL_TIMES',
    { problem: 'line.drill-times', finishedAt: '2026-11-01T00:59:00.000Z', startedAt: '2026-11-01T01:00:00.000Z' },
  ],
  ['B321_FUTURE_TIME', { when: 'future.event-at', means: 'future.written', event: 'written', ...time }],
  ['B321_FUTURE_TIME', { when: 'future.event-at', means: 'future.state', event: 'offline', ...time }],
  ['B321_FUTURE_TIME', { when: 'future.event-at', means: 'future.verified', event: 'verified', ...time }],
  ['B321_FUTURE_TIME', { when: 'future.finished-at', means: 'future.drill', ...time }],
  [
    'B321_OUT_OF_ORDER',
    { event: 'offline', time: '2026-11-01T00:00:00.000Z', previousLine: 2, previousTime: '2026-11-02T00:00:00.000Z' },
  ],
  ['B321_UNKNOWN_MEDIA', { event: 'offline', mediaId: 'T9' }],
  ['B321_AFTER_RETIRED', { event: 'online', mediaId: 'T1', retiredLine: 2 }],
  ['B321_MEDIA_CONFLICT', { mediaId: 'T1', mediumType: 'optical', firstType: 'tape' }],
  ['B321_NO_CHECKSUM', { file: 'erp/x.dump', mediaId: 'T1' }],
  ['B321_REWRITTEN', { file: 'erp/x.dump', mediaId: 'T1', earlierLine: 1 }],
  ['B321_UNKNOWN_FILE', { file: 'erp/y.dump', mediaId: 'T1' }],
  [
    'B321_VERIFY_MISMATCH',
    { file: 'erp/x.dump', mediaId: 'T1', sha256: 'b'.repeat(64), writtenLine: 1, writtenSha256: 'a'.repeat(64) },
  ],
  ['B321_DEVICES_UNKNOWN', { detail: 'lsblk failed' }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.bucket', bucket: 'corp', endpoint: 'https://s3.example.vn', detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.region', detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.versioning', detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.object-lock', detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.objects-head', count: 3, detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.objects-sidecar', count: 1, detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.objects-manifest', count: 1, detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.objects-lock', count: 2, detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.list', url: 's3://corp/erp/', detail: s3Detail }],
  ['B321_S3_ACCESS_DENIED', { what: 's3.denied-or-missing', url: 's3://corp/erp/x.dump', detail: s3Detail }],
  [
    'B321_S3_NO_BUCKET',
    { what: 's3.bucket', bucket: 'corp', endpoint: 'http://127.0.0.1:4568', detail: 'NoSuchBucket' },
  ],
  ['B321_S3_MISSING', { what: 's3.object', url: 's3://corp/erp/x.dump', detail: 'NotFound (HTTP 404)' }],
  ['B321_S3_MISSING', { what: 's3.list', url: 's3://corp/erp/', detail: 'NotFound (HTTP 404)' }],
  [
    'B321_S3_UNREACHABLE',
    { what: 's3.bucket', bucket: 'corp', endpoint: 'http://127.0.0.1:1', detail: 'ECONNREFUSED' },
  ],
  ['B321_S3_ERROR', { what: 's3.read', url: 's3://corp/erp/x.dump', detail: 'InternalError (HTTP 500)' }],
  ['B321_S3_NO_LIST', { url: 's3://corp/erp/', detail: s3Detail }],
  ['B321_SOURCE_FAILED', { detail: 'boom' }],
];

t.test('each code renders whole, in English and in Vietnamese, with the params its producers give', async (t) => {
  for (const [code, params] of PRODUCERS) {
    const issue = sourceIssue(code, params as never, { severity: 'warning' as never, path: '/p' });
    const label = `${code} ${params.problem ?? params.what ?? params.target ?? params.where ?? ''}`;
    t.notMatch(issue.message, /\{\w[\w.-]*\}/, `${label}: the English message has no unfilled placeholder`);
    t.equal(issueMessage('en', issue), issue.message, `${label}: the English report shows the JSON's message`);
    const vietnamese = issueMessage('vi', issue);
    t.not(vietnamese, issue.message, `${label}: Vietnamese, not the English fallback`);
    t.notMatch(vietnamese, /\{\w[\w.-]*\}/, `${label}: the Vietnamese message has no unfilled placeholder`);
    t.match(vietnamese, VIETNAMESE, `${label}: reads Vietnamese`);
    for (const value of Object.values(params).filter((value) => !isPhrase(value))) {
      t.ok(vietnamese.includes(String(value)), `${label}: the value ${value} is shown as it is`);
    }
  }
});

t.test('the table above covers every code and every phrase', async (t) => {
  const codes = new Set(PRODUCERS.map(([code]) => code));
  t.same(
    ISSUE_CODES.filter((code) => !codes.has(code)),
    [],
    'every code',
  );
  const phrases = new Set(
    PRODUCERS.flatMap(([, params]) =>
      Object.values(params).flatMap((value) => (typeof value === 'string' ? value.split('+') : [])),
    ),
  );
  t.same(
    Object.keys(PHRASES).filter((key) => !phrases.has(key)),
    [],
    'every phrase',
  );
});

t.test('an issue from a report written before params existed shows its stored message', async (t) => {
  const old: SourceIssue = { severity: 'error', code: 'B321_EACCES', message: 'permission denied', path: '/mnt/nas' };
  t.equal(issueMessage('vi', old), 'permission denied');
  const unknownPhrase = { ...old, params: { target: 'target.tomorrow', path: '/mnt/nas', detail: 'x' } };
  t.equal(issueMessage('vi', unknownPhrase), 'permission denied', "a newer agent's phrase: the stored message");
  const missing = { ...old, params: { target: 'target.directory', path: '/mnt/nas' } };
  t.equal(
    issueMessage('vi', missing),
    'permission denied',
    'a param the template needs is missing: the stored message',
  );
  const newer = { ...old, code: 'B321_FROM_THE_FUTURE' as IssueCode, params: {} };
  t.equal(issueMessage('vi', newer), 'permission denied', "a newer agent's code: the stored message");
});

t.test('a mistaken producer shows the missing param rather than a blank', async (t) => {
  const issue = sourceIssue('B321_NO_MATCH', { pattern: 'x' } as never, { severity: 'warning' });
  t.equal(issue.message, 'nothing matches "x" {where}');
});
