// The catalogs: every finding reason and copy note reads in English and in Vietnamese, with the same params.
import t from 'tap';
import {
  catalogFor,
  countText,
  durationText,
  en,
  findingMessage,
  interpolate,
  noteText,
  termText,
  timeFormatter,
  vi,
} from '../../src/report/i18n/index.js';
import { scrubLine } from '../../src/report/render/common.js';
import { finding } from './fixture.js';

// The reasons the policy emits, as the issue lists them (kept here, apart from the catalogs, on purpose).
const REASONS: Record<string, string[]> = {
  copies: ['ok', 'too-few', 'not-required', 'source-unreadable'],
  media: ['ok', 'too-few', 'not-required', 'source-unreadable'],
  offline: [
    'ok',
    'too-few',
    'not-required',
    'source-unreadable',
    'no-offline-location',
    'attached-now',
    'attachment-unknown',
  ],
  freshness: ['ok', 'stale', 'no-copies', 'offline-stale', 'source-unreadable', 'future-timestamp', 'future-only'],
  integrity: ['ok', 'corrupt', 'conflict', 'unverified', 'no-copies', 'source-unreadable', 'content-changed'],
  'restore-time': ['ok', 'too-slow', 'no-throughput', 'no-usable-copy', 'not-implemented', 'source-unreadable'],
  'restore-drill': ['ok', 'too-slow', 'failed', 'stale', 'none', 'not-required', 'not-implemented', 'log-unreadable'],
};
const NOTES = [
  'stale',
  'corrupt',
  'conflict',
  'primary',
  'hash-failed',
  'unverified',
  'same-device',
  'attached-now',
  'not-offline',
  'state-written',
  'state-online',
  'state-verified',
  'attachment-unknown',
  'lock-not-counted',
  'future-timestamp',
  'content-changed',
  // How content was checked, or why it could not be hashed: words an auditor reads in the evidence.
  'hashed',
  'sidecar',
  'manifest',
  's3-checksum',
  'media-log',
  'etag-md5',
  'changed-while-hashing',
  'aborted',
  'archived-not-restored',
  'content-mismatch',
];

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
// Vietnamese text without diacritics would be a sign of a lazy or missing translation.
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

t.test('every finding reason has an English and a Vietnamese message with the same params', async (t) => {
  for (const [check, reasons] of Object.entries(REASONS)) {
    for (const reason of reasons) {
      const key = `${check}.${reason}`;
      const english = (en.findings as Record<string, string | undefined>)[key];
      const vietnamese = (vi.findings as Record<string, string | undefined>)[key];
      t.type(english, 'string', `en ${key}`);
      t.type(vietnamese, 'string', `vi ${key}`);
      t.match(vietnamese, VIETNAMESE, `vi ${key} is Vietnamese`);
      t.not(vietnamese, english, `vi ${key} is translated`);
      t.same(placeholders(vietnamese ?? ''), placeholders(english ?? ''), `${key} uses the same params in both`);
    }
  }
  t.same(Object.keys(vi.findings).sort(), Object.keys(en.findings).sort(), 'no entry exists in one language only');
});

t.test('every copy note has an English and a Vietnamese text', async (t) => {
  for (const note of NOTES) {
    t.not(noteText('en', note), note, `en ${note}`);
    t.match(noteText('vi', note), VIETNAMESE, `vi ${note}`);
  }
  t.same(Object.keys(vi.notes).sort(), Object.keys(en.notes).sort());
});

t.test('every arithmetic term and string has both languages', async (t) => {
  t.same(Object.keys(vi.terms).sort(), Object.keys(en.terms).sort());
  t.equal(termText('vi', 'measured'), 'đo thực tế');
  t.equal(termText('vi', 'someNewTerm'), 'someNewTerm', 'a term the catalog does not know is shown as it is');
});

t.test('the parameters listed in the issue fill every template', async (t) => {
  const params = {
    have: 2,
    need: 3,
    locations: 'nas',
    media: 'disk, tape',
    ageMs: 90_000_000,
    rpoMs: 86_400_000,
    maxAgeMs: 604_800_000,
    verified: 3,
    corrupt: 1,
    names: 'a.dump',
    unverified: 1,
    unreadable: 1,
    total: 3,
    estimateMs: 7_200_000,
    rtoMs: 28_800_000,
    copy: 'local:/backup/a.dump',
    finishedAt: '2026-11-01T10:00:00Z',
    tookMs: 5_400_000,
    mediaIds: 'USB-0042',
    future: 1,
    modifiedAt: '2030-01-01T00:00:00Z',
    skewMs: 300_000,
    changed: 1,
    previousSha256: 'a'.repeat(64),
    previousHashedAt: '2026-11-01T02:30:00Z',
    sha256: 'b'.repeat(64),
    detectedAt: '2026-11-24T11:00:00Z',
    notRead: 2,
    neverRead: 1,
    verifyMaxAgeMs: 35 * 86_400_000,
    offlineVerifyMaxAgeMs: 180 * 86_400_000,
  };
  for (const lang of ['en', 'vi'] as const) {
    for (const template of Object.values(catalogFor(lang).findings)) {
      const text = interpolate(template, params, lang);
      t.type(text, 'string', `${lang}: ${template}`);
      t.notMatch(text ?? '', /[{}]/, 'no placeholder is left');
    }
  }
});

t.test('durations and sizes are formatted from the param name', async (t) => {
  const stale = finding('freshness', 'fail', 'stale', { ageMs: 86_460_000, rpoMs: 86_400_000 });
  t.equal(findingMessage('en', stale), 'newest copy is 1d 1m old, older than the RPO of 1d');
  t.equal(findingMessage('vi', stale), 'bản sao mới nhất được tạo cách đây 1 ngày 1 phút, quá RPO 1 ngày');
  const media = finding('media', 'fail', 'too-few', { have: 1, need: 2, media: 'disk' });
  t.match(findingMessage('vi', media), '(ổ đĩa)', 'medium classes are named in the report language');
  t.equal(
    interpolate('{sizeBytes} at {rateBytesPerSec}', { sizeBytes: 1_500_000_000, rateBytesPerSec: 3e8 }),
    '1.5 GB at 300 MB/s',
  );
});

t.test('a reason the catalog does not know falls back to the policy message', async (t) => {
  const unknownReason = { ...finding('copies', 'fail', 'ok'), reason: 'brand-new', message: 'policy says so' };
  t.equal(findingMessage('vi', unknownReason), 'policy says so');
  const missingParam = { ...finding('copies', 'pass', 'ok', { have: 3 }), message: 'three copies' };
  t.equal(findingMessage('vi', missingParam), 'three copies', 'a template whose param is missing is not half-filled');
});

t.test('notes joined by the policy are each translated; free text stays as it is', async (t) => {
  t.equal(noteText('vi', 'stale,corrupt'), 'quá cũ; bị hỏng (nội dung không khớp mã băm đã ghi)');
  t.equal(noteText('en', '7200000ms'), '2h');
  t.equal(noteText('vi', 'tape'), 'băng từ');
  t.equal(noteText('en', 'checked by hand'), 'checked by hand');
});

t.test('durations in each language: two units at most, "< 1 s" under a second', async (t) => {
  const cases: Array<[number, string, string]> = [
    [0, '0s', '0 giây'],
    [1, '< 1 s', '< 1 giây'],
    [999, '< 1 s', '< 1 giây'],
    [-400, '< 1 s', '< 1 giây'],
    [1000, '1s', '1 giây'],
    [68_000, '1m 8s', '1 phút 8 giây'],
    [86_400_000, '1d', '1 ngày'],
    [86_460_000, '1d 1m', '1 ngày 1 phút'],
    [26 * 3_600_000 + 5 * 60_000 + 7000, '1d 2h', '1 ngày 2 giờ'],
    [-7_200_000, '-2h', '-2 giờ'],
    [Number.POSITIVE_INFINITY, '∞', '∞'],
  ];
  for (const [ms, english, vietnamese] of cases) {
    t.equal(durationText('en', ms), english, `en ${ms}`);
    t.equal(durationText('vi', ms), vietnamese, `vi ${ms}`);
  }
  t.equal(noteText('vi', '5400000ms'), '1 giờ 30 phút', 'a duration the policy notes');
});

t.test('counts: English has a singular, Vietnamese one form', async (t) => {
  t.equal(countText('en', 1, 'copies'), '1 copy');
  t.equal(countText('en', 0, 'copies'), '0 copies');
  t.equal(countText('en', 2, 'records'), '2 records');
  t.equal(countText('vi', 1, 'datasets'), '1 tập dữ liệu');
  t.equal(countText('vi', 2, 'datasets'), '2 tập dữ liệu');
});

t.test('times show the offset in force at that instant, and only times are changed', async (t) => {
  const berlin = timeFormatter('Europe/Berlin');
  t.equal(berlin('2026-01-15T12:00:00.000Z'), '2026-01-15 13:00:00+01:00', 'winter');
  t.equal(berlin('2026-07-15T12:00:00Z'), '2026-07-15 14:00:00+02:00', 'summer');
  t.equal(timeFormatter('Asia/Kathmandu')('2026-11-24T12:00:00Z'), '2026-11-24 17:45:00+05:45');
  t.equal(timeFormatter('America/St_Johns')('2026-11-24T12:00:00Z'), '2026-11-24 08:30:00-03:30');
  t.equal(timeFormatter('Not/A_Zone')('2026-11-24T12:00:00Z'), '2026-11-24 12:00:00+00:00', 'an unknown zone is UTC');
  t.equal(timeFormatter(undefined)('2026-11-24T12:00:00.000Z'), '2026-11-24T12:00:00.000Z', 'no zone: as stored');
  t.equal(berlin('restore-drills.jsonl:3'), 'restore-drills.jsonl:3', 'not a time');
  t.equal(berlin('2026-02-30T00:00:00Z'), '2026-02-30T00:00:00Z', 'an impossible date is shown as written');
  const finished = finding('restore-drill', 'fail', 'failed', { finishedAt: '2026-11-01T10:00:00Z' });
  t.equal(
    findingMessage('vi', finished, timeFormatter('Asia/Ho_Chi_Minh')),
    'lần diễn tập khôi phục gần nhất, kết thúc lúc 2026-11-01 17:00:00+07:00, đã thất bại',
  );
});

t.test('how an offline copy counts reads in the report language', async (t) => {
  t.equal(noteText('en', 'object-lock COMPLIANCE'), 'Object Lock COMPLIANCE');
  t.equal(noteText('vi', 'hashed'), 'đã đọc và tính mã băm');
  t.equal(noteText('vi', 'verified'), 'đã xác minh', '(in English the note is its own word)');
});

t.test('the line of a deep verify within a budget, in both languages', async (t) => {
  const scrub = {
    budgetBytes: 2e12,
    readBytes: 1.95e12,
    copiesRead: 14,
    totalBytes: 9.1e12,
    copiesTotal: 5000,
    copiesNotReadRecently: 1,
  };
  t.same(placeholders(vi.ui.scrubRun), placeholders(en.ui.scrubRun), 'the same params in both');
  t.equal(
    scrubLine('en', scrub),
    'deep verify within a budget of 2.0 TB: 1.9 TB read again (14 of 5000 copies); 1 copy not read within verifyMaxAge; a full pass over 9.1 TB takes about 5 runs',
  );
  t.equal(
    scrubLine('vi', scrub),
    'xác minh sâu theo hạn mức 2.0 TB: đã đọc lại 1.9 TB (14 trên 5000 bản sao); 1 bản sao chưa được đọc lại trong verifyMaxAge; đọc hết một lượt 9.1 TB mất khoảng 5 lần chạy',
  );
  t.match(scrubLine('en', { ...scrub, totalBytes: 0, readBytes: 0 }), /about 1 run$/, 'an empty estate: one run');
});
