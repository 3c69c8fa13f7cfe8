// The issues real sources raise read whole in Vietnamese: a disk tree full of odd entries, a media log
// and a drill log full of bad lines, each issue's message the English template and its params the rest.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { CODES } from '../../src/codes.js';
import { readDrillLog } from '../../src/drills/log.js';
import type { SourceIssue } from '../../src/model.js';
import { issueMessage } from '../../src/report/i18n/index.js';
import { createDiskSource } from '../../src/sources/disk/source.js';
import { createOfflineLogSource } from '../../src/sources/offline-log/source.js';
import { backup, diskLocation, sourceContext } from './disk/context.js';
import { ev, offlineLocation, realContext, SHA_A, SHA_B } from './offline-log/helpers.js';

const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

function readsInBothLanguages(t: Test, issues: SourceIssue[]): void {
  for (const issue of issues) {
    const label = `${issue.code} ${issue.path ?? ''}:${issue.line ?? ''}`;
    t.ok(issue.params, `${label} keeps its params`);
    t.equal(issueMessage('en', issue), issue.message, `${label}: English is the stored message`);
    const vietnamese = issueMessage('vi', issue);
    t.not(vietnamese, issue.message, `${label}: not the English fallback`);
    t.match(vietnamese, VIETNAMESE, `${label}: ${vietnamese}`);
    t.notMatch(vietnamese, /\{[\w.-]+\}/, `${label}: nothing left unfilled`);
  }
}

t.test('a disk location with odd entries, and one that does not exist', async (t) => {
  const root = t.testdir({
    erp: { 'a.dump': 'a', 'a.dump.sha256': 'not a checksum\n', 'b.dump': 'b', SHA256SUMS: 'garbage\n' },
    other: { 'c.dump': 'c', 'c.dump.sha256': `${SHA_A}  elsewhere.dump\n` },
  });
  symlinkSync('nowhere.dump', join(root, 'erp/gone.dump'));
  symlinkSync('.', join(root, 'erp/loop'));
  execFileSync('mkfifo', [join(root, 'erp/pipe.dump')]);
  mkdirSync(join(root, 'tree'));
  symlinkSync('..', join(root, 'tree/up'));
  const ctx = await sourceContext(t, [
    backup('erp', 'erp/*.dump', 'erp/loop/*/x.dump'),
    backup('other', 'other/*.dump'),
    backup('none', 'nothing/*.dump', '../outside/*.dump'),
    backup('tree', 'tree'),
  ]);
  const { status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  const codes = new Set(status.issues.map((issue) => issue.code));
  for (const code of [
    'B321_BAD_SIDECAR',
    'B321_BAD_MANIFEST',
    'B321_DANGLING_SYMLINK',
    'B321_SPECIAL_FILE',
    'B321_NO_MATCH',
    'B321_BAD_PATTERN',
  ] as const) {
    t.ok(codes.has(code), `${code} raised`);
  }
  readsInBothLanguages(t, status.issues);

  const missing = await createDiskSource(diskLocation(join(root, 'not-there'))).inventory(ctx);
  t.match(missing.status.issues, [{ code: 'B321_LOCATION_MISSING' }]);
  readsInBothLanguages(t, missing.status.issues);
  t.equal(
    issueMessage('vi', missing.status.issues[0] as SourceIssue),
    `thư mục của vị trí không tồn tại: ${join(root, 'not-there')}`,
  );
});

t.test('a media log and a CSV media log with bad lines of every kind', async (t) => {
  const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T00:00:00Z`;
  const lines = [
    ev('written', day(1), 'T1'),
    '{not json',
    '[1]',
    ev('bogus', day(2), 'T1'),
    ev('offline', 'yesterday', 'T1'),
    ev('offline', '2026-02-30T00:00:00Z', 'T1'),
    ev('written', day(3), 'T2', { mediumType: undefined }),
    ev('written', day(4), 'T1', { sha256: undefined, file: 'erp/y.dump' }),
    ev('written', day(5), 'T1', { bytes: 200 }),
    ev('verified', day(6), 'T1', { dataset: 'erp-db', file: 'erp/x.dump', sha256: SHA_B }),
    ev('verified', day(6), 'T1', { dataset: 'erp-db', file: 'erp/never.dump', sha256: SHA_A }),
    ev('written', day(11), 'T1', { mediumType: 'optical', file: 'erp/w.dump' }),
    ev('offline', day(2), 'T1'),
    ev('online', day(7), 'T9'),
    ev('written', day(8), 'T9', { mediumType: 'optical', file: 'erp/z.dump' }),
    ev('retired', day(9), 'T9'),
    ev('online', day(10), 'T9'),
    ev('offline', '2062-11-01T00:00:00Z', 'T1'),
  ];
  const dir = t.testdir({ 'media.jsonl': `${lines.join('\n')}\n` });
  const ctx = realContext([backup('erp-db'), backup('crm')], {
    host: {
      resolve: () => Promise.reject(new Error('unused')),
      prefetch: async () => undefined,
      blockDevices: () => Promise.reject(new Error('lsblk failed')),
    },
  });
  const { status } = await createOfflineLogSource(offlineLocation(join(dir, 'media.jsonl'))).inventory(ctx);
  const codes = new Set(status.issues.map((issue) => issue.code));
  for (const code of Object.keys(CODES).filter((code) =>
    [
      'B321_BAD_LINE',
      'B321_NO_CHECKSUM',
      'B321_REWRITTEN',
      'B321_VERIFY_MISMATCH',
      'B321_UNKNOWN_FILE',
      'B321_OUT_OF_ORDER',
      'B321_UNKNOWN_MEDIA',
      'B321_MEDIA_CONFLICT',
      'B321_AFTER_RETIRED',
      'B321_FUTURE_TIME',
      'B321_DEVICES_UNKNOWN',
      'B321_NO_MATCH',
    ].includes(code),
  )) {
    t.ok(codes.has(code as SourceIssue['code']), `${code} raised`);
  }
  readsInBothLanguages(t, status.issues);

  const header = 'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator';
  const csv = [header, `${day(1)},offline,T1,,,,,,"vault B`, `${day(2)},offline,T1,,,,,,,"bad "quote" inside",ops`, ''];
  writeFileSync(join(dir, 'media.csv'), csv.join('\n'));
  const fromCsv = await createOfflineLogSource(offlineLocation(join(dir, 'media.csv'), { format: 'csv' })).inventory(
    ctx,
  );
  t.ok(fromCsv.status.issues.some((issue) => issue.code === 'B321_CSV_QUOTE'));
  readsInBothLanguages(t, fromCsv.status.issues);

  const missing = await createOfflineLogSource(offlineLocation(join(dir, 'none.jsonl'))).inventory(ctx);
  t.match(missing.status.issues, [{ code: 'B321_LOG_MISSING' }]);
  readsInBothLanguages(t, missing.status.issues);
});

t.test('a drill log with bad lines, times the wrong way round and a drill in the future', async (t) => {
  const drill = (extra: Record<string, unknown>) =>
    JSON.stringify({
      dataset: 'erp-db',
      startedAt: '2026-11-01T00:00:00Z',
      finishedAt: '2026-11-01T01:00:00Z',
      result: 'success',
      ...extra,
    });
  const lines = [
    drill({}),
    drill({ result: 'ok' }),
    drill({ finishedAt: '2026-10-31T00:00:00Z' }),
    drill({ finishedAt: '2062-11-01T00:00:00Z' }),
    drill({ bytes: 0 }),
    drill({ dataset: '' }),
  ];
  const dir = t.testdir({ 'drills.jsonl': `${lines.join('\n')}\n` });
  const log = await readDrillLog(join(dir, 'drills.jsonl'), {
    nowMs: Date.parse('2026-11-24T00:00:00Z'),
    skewMs: 300_000,
  });
  t.same(
    log.issues.map((issue) => issue.code),
    ['B321_BAD_LINE', 'B321_DRILL_TIMES', 'B321_FUTURE_TIME', 'B321_BAD_LINE', 'B321_BAD_LINE'],
  );
  readsInBothLanguages(t, log.issues);
  t.equal(
    issueMessage('vi', log.issues[0] as SourceIssue),
    '"result" phải là "success" hoặc "failure" (nhận được "ok"); đã bỏ qua dòng này',
  );
  const missing = await readDrillLog(join(dir, 'none.jsonl'), { nowMs: 0, skewMs: 0 });
  readsInBothLanguages(t, missing.issues);
});
