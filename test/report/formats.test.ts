// What a reader checks in every format: each dataset's verdict, each check, and Vietnamese that is really Vietnamese.
import t from 'tap';
import { CHECK_CODES } from '../../src/report-schema/words.js';
import { catalogFor, findingMessage } from '../../src/report/i18n/index.js';
import { REPORT_FORMATS, isReportFormat, renderReport } from '../../src/report/render/index.js';
import { copy, dataset, finding, findings, report as reportOf, SHA_B, sampleReport, source } from './fixture.js';

const DAY = 86_400_000;

const report = sampleReport();
// JSON and JUnit speak in codes (stable for machines and CI history); the others in the reader's words.
const USES_CODES = new Set(['json', 'junit']);

for (const format of REPORT_FORMATS) {
  for (const lang of ['en', 'vi'] as const) {
    t.test(`${format} (${lang}) shows every dataset's verdict and every check`, async (t) => {
      const output = renderReport(report, format, { lang });
      const lower = output.toLowerCase();
      const cat = catalogFor(lang);
      for (const dataset of report.datasets) {
        t.match(output, dataset.id, `names ${dataset.id}`);
        const verdict = USES_CODES.has(format) ? dataset.verdict : cat.verdicts[dataset.verdict];
        t.ok(lower.includes(verdict.toLowerCase()), `${dataset.id} is ${verdict}`);
      }
      for (const check of CHECK_CODES) {
        const label = USES_CODES.has(format) ? check : cat.checks[check];
        t.ok(output.includes(label), `shows the ${label} check`);
      }
      if (format !== 'json') {
        for (const finding of report.datasets.flatMap((dataset) => dataset.findings)) {
          t.ok(output.includes(findingMessage(lang, finding)), `says "${findingMessage(lang, finding)}"`);
        }
      }
    });
  }
}

t.test('Vietnamese output is Vietnamese, with no English finding text where a translation exists', async (t) => {
  const findings = report.datasets.flatMap((dataset) => dataset.findings);
  for (const format of REPORT_FORMATS.filter((f) => f !== 'json')) {
    const output = renderReport(report, format, { lang: 'vi' });
    t.ok(
      output.toLowerCase().includes('không tuân thủ'),
      `${format}: the non-compliant dataset reads "không tuân thủ"`,
    );
    if (format !== 'junit') t.match(output, /tập dữ liệu/i, `${format}: says "tập dữ liệu"`);
    for (const finding of findings) {
      t.notOk(output.includes(finding.message), `${format}: no English "${finding.message}"`);
    }
  }
});

t.test('json is the same in every language: it is the document, not a rendering of it', async (t) => {
  t.equal(renderReport(report, 'json', { lang: 'vi' }), renderReport(report, 'json', { lang: 'en' }));
});

t.test('format names are checked before dispatch', async (t) => {
  t.ok(isReportFormat('junit'));
  t.notOk(isReportFormat('pdf'));
});

const HUMAN = ['text', 'markdown', 'html'] as const;

/** The text a reader sees: markdown's backslash escapes and html's entities undone. */
function shown(format: string, output: string): string {
  if (format === 'markdown') return output.replace(/\\(.)/g, '$1');
  if (format !== 'html') return output;
  const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
  return output.replace(/&(lt|gt|quot|#39|amp);/g, (entity) => entities[entity] ?? entity);
}

/** The sample report with a restore estimate, a source read and an arithmetic that all took under a second. */
function quickReport() {
  const r = sampleReport();
  const quick = finding(
    'restore-time',
    'pass',
    'ok',
    { estimateMs: 1, rtoMs: DAY, copy: 'local:/backup/erp-db/a.dump' },
    { arithmetic: { bytes: 141_000, throughputBytesPerSec: 1.4e9, transferMs: 1, overheadMs: 0, totalMs: 1 } },
  );
  for (const dataset of r.datasets) dataset.findings = findings([quick]);
  for (const source of r.sources) source.durationMs = 12;
  return r;
}

t.test('durations under a second read "< 1 s" in every human format and language; JSON keeps the ms', async (t) => {
  const r = quickReport();
  for (const format of HUMAN) {
    const en = shown(format, renderReport(r, format, { lang: 'en', verbose: true }));
    t.match(en, 'takes < 1 s (RTO 1d)', `${format}: the estimate`);
    t.notMatch(en, /\b\d+ms\b/, `${format}: no milliseconds anywhere`);
    const vi = shown(format, renderReport(r, format, { lang: 'vi', verbose: true }));
    t.match(vi, 'là < 1 giây (RTO 1 ngày)', `${format}: in Vietnamese`);
    t.notMatch(vi, /\b\d+ms\b/);
  }
  const json = JSON.parse(renderReport(r, 'json', { lang: 'en' })) as typeof r;
  t.equal(json.datasets[0]?.findings.find((f) => f.check === 'restore-time')?.params.estimateMs, 1, 'exact in JSON');
  t.equal(json.sources[0]?.durationMs, 12);
});

t.test('Vietnamese durations are Vietnamese: "1 phút 8 giây", "1 ngày", never "1m 8s" or "1d"', async (t) => {
  const r = sampleReport();
  const fresh = finding('freshness', 'pass', 'ok', { ageMs: 68_000, rpoMs: DAY });
  for (const dataset of r.datasets) dataset.findings = findings([fresh]);
  for (const source of r.sources) source.durationMs = 3_600_000 + 5_000;
  for (const format of HUMAN) {
    const vi = renderReport(r, format, { lang: 'vi', verbose: true });
    t.match(vi, 'cách đây 1 phút 8 giây (RPO 1 ngày)', `${format}: a finding's durations`);
    t.match(vi, /RPO \(bản sao mới nhất không cũ hơn\)(\s+|: |<\/td><td>)1 ngày/, `${format}: the policy's durations`);
    t.match(vi, '1 giờ 5 giây', `${format}: how long a source took`);
    t.notMatch(vi, /\b\d+(ms|[dhms])\b/, `${format}: no English unit is left`);
  }
});

t.test('counts agree with their noun: 1 copy, 2 copies, 1 record, 1 dataset (Vietnamese has no plural)', async (t) => {
  const r = reportOf([dataset('erp-db', 'compliant', findings())]);
  r.sources = [source('local', { copies: 1 }), source('nas', { copies: 2 })];
  r.drills.records = 1;
  const text = renderReport(r, 'text', { lang: 'en' });
  t.match(text, /^BACKUP321 OK - 1 dataset: /, 'the status line');
  t.match(text, 'local (disk): ok — 1 copy,');
  t.match(text, 'nas (disk): ok — 2 copies,');
  t.match(text, 'Restore-drill log: ok — 1 record');
  t.notMatch(text, /\b1 (copies|records|datasets)\b/);
  for (const format of ['markdown', 'html'] as const) {
    t.notMatch(renderReport(r, format, { lang: 'en' }), /\b1 (copies|records|datasets)\b/, format);
  }
  const vi = renderReport(r, 'text', { lang: 'vi' });
  t.match(vi, '— 1 bản sao,');
  t.match(vi, '— 2 bản sao,');
  t.match(vi, /^BACKUP321 OK - 1 tập dữ liệu: /);
});

t.test('evidence words are translated in every human format: hashed, sidecar, media-log, verified', async (t) => {
  const r = sampleReport();
  const integrity = finding(
    'integrity',
    'pass',
    'ok',
    { verified: 4 },
    {
      counted: [
        { copy: 'local:/backup/erp-db/a.dump', note: 'hashed' },
        { copy: 'nas:/mnt/nas/erp-db/a.dump', note: 'sidecar' },
        { copy: 'vault:media:T1/a.dump', note: 'media-log' },
        { copy: 'vault:media:T2/a.dump', note: 'verified' },
      ],
    },
  );
  const first = r.datasets[0];
  if (!first) throw new Error('the sample has datasets');
  first.findings = findings([integrity]);
  first.copies.push(
    copy('erp-db', 'nas', '/mnt/nas/erp-db/b.dump', {
      sha256: undefined,
      recorded: { value: SHA_B, source: 'sidecar', ref: '/mnt/nas/erp-db/b.dump.sha256' },
    }),
  );
  for (const format of [...HUMAN, 'junit'] as const) {
    const vi = renderReport(r, format, { lang: 'vi', verbose: true });
    for (const [word, words] of [
      ['hashed', 'đã đọc và tính mã băm'],
      ['sidecar', 'tệp mã băm đi kèm'],
      ['media-log', 'nhật ký phương tiện ngoại tuyến'],
      ['verified', 'đã xác minh'],
    ]) {
      t.match(vi, words, `${format}: "${word}" in Vietnamese`);
      t.notMatch(vi, `(${word})`, `${format}: no untranslated "(${word})"`);
    }
  }
});

t.test('Vietnamese calls the agent "tác nhân"', async (t) => {
  for (const format of HUMAN) {
    const vi = renderReport(sampleReport(), format, { lang: 'vi' });
    t.match(vi, 'Tác nhân', format);
    t.notMatch(vi, /tác tử/i, format);
  }
});

t.test('times are local with their offset in text, markdown and html; JSON and JUnit keep UTC', async (t) => {
  const r = sampleReport();
  const locked = copy('erp-db', 'cloud', 's3://bucket/erp-db/a.dump', {
    immutable: { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00.000Z' },
  });
  r.datasets[0]?.copies.push(locked);
  const options = { lang: 'en', timeZone: 'Asia/Ho_Chi_Minh', verbose: true } as const;
  for (const format of HUMAN) {
    const output = renderReport(r, format, options);
    t.match(output, '2026-11-24 19:00:00+07:00', `${format}: when the report was made`);
    t.match(output, 'succeeded at 2026-11-01 17:00:00+07:00', `${format}: a time in a finding`);
    t.match(output, '2027-01-01 07:00:00+07:00', `${format}: a lock's retain-until`);
    t.notMatch(output, /\d\d:\d\d:\d\d(\.\d+)?Z/, `${format}: no UTC time is left`);
    const utc = renderReport(r, format, { ...options, timeZone: 'UTC' });
    t.match(utc, '2026-11-24 12:00:00+00:00', `${format}: UTC says so too`);
  }
  t.equal(renderReport(r, 'json', options), renderReport(r, 'json', { lang: 'en' }), 'JSON: the stored UTC times');
  t.match(renderReport(r, 'junit', options), 'timestamp="2026-11-24T12:00:00.000Z"', 'JUnit: ISO 8601 UTC');
});

t.test('a copy shows when its data was made, and the hash it had before its content changed', async (t) => {
  const r = reportOf([
    dataset('erp-db', 'non-compliant', findings(), {
      copies: [
        copy('erp-db', 'usb', 'media:USB-0042/erp/a.dump', {
          modifiedAt: '2026-11-24T11:59:00.000Z',
          assessment: { usable: true, notes: [], ageMs: 16 * DAY, dataTime: '2026-11-08T12:00:00.000Z' },
        }),
        copy('erp-db', 'local', '/backup/erp/a.dump', {
          contentChanged: {
            previousSha256: SHA_B,
            previousHashedAt: '2026-11-20T02:30:00.000Z',
            detectedAt: '2026-11-24T12:00:00.000Z',
          },
          assessment: { usable: false, notes: ['content-changed'], ageMs: DAY },
        }),
      ],
    }),
  ]);
  const options = { lang: 'en', timeZone: 'Asia/Ho_Chi_Minh' } as const;
  for (const format of HUMAN) {
    const output = shown(format, renderReport(r, format, options));
    t.match(output, 'data from 2026-11-08 19:00:00+07:00', `${format}: the data's time beside the copy's age`);
    t.match(output, 'content changed although size and times did not (bit rot or tampering)', `${format}: why`);
    const before = format === 'text' ? SHA_B.slice(0, 12) : SHA_B;
    t.match(output, `SHA-256 before the change ${before} (hashed 2026-11-20 09:30:00+07:00)`, `${format}: before`);
    const vi = shown(format, renderReport(r, format, { ...options, lang: 'vi' }));
    t.match(vi, 'dữ liệu từ 2026-11-08 19:00:00+07:00', `${format}: in Vietnamese`);
  }
  t.match(renderReport(r, 'html', options), '<td>2026-11-24 18:59:00+07:00</td>', 'html: when the copy was written');
});
