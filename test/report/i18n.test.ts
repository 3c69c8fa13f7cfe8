// The catalogs: every finding reason and copy note reads in English and in Vietnamese, with the same params.
import t from 'tap';
import { catalogFor, en, findingMessage, interpolate, noteText, termText, vi } from '../../src/report/i18n/index.js';
import { finding } from './fixture.js';

// The reasons the policy emits, as the issue lists them (kept here, apart from the catalogs, on purpose).
const REASONS: Record<string, string[]> = {
  copies: ['ok', 'too-few', 'not-required', 'source-unreadable'],
  media: ['ok', 'too-few', 'not-required', 'source-unreadable'],
  offline: ['ok', 'too-few', 'not-required', 'source-unreadable', 'no-offline-location'],
  freshness: ['ok', 'stale', 'no-copies', 'offline-stale', 'source-unreadable'],
  integrity: ['ok', 'corrupt', 'conflict', 'unverified', 'no-copies', 'source-unreadable'],
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
  t.equal(findingMessage('vi', stale), 'bản sao mới nhất được tạo cách đây 1d 1m, quá RPO 1d');
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
