// The terminal report: colour only when asked, nothing from a path can drive the terminal, evidence on --verbose.
import t from 'tap';
import { renderReportChunks } from '../../src/report/render/index.js';
import { renderText } from '../../src/report/render/text.js';
import { copy, dataset, findings, report, sampleReport, source } from './fixture.js';

const ESC = '\x1b';

t.test('without colour there is no escape byte; with colour there is', async (t) => {
  const plain = renderText(sampleReport(), { lang: 'en' });
  t.notOk(plain.includes(ESC), 'plain');
  t.ok(renderText(sampleReport(), { lang: 'en', color: true }).includes(`${ESC}[31m`), 'coloured (red for a fail)');
});

t.test('an escape sequence in a file name is shown, not sent to the terminal', async (t) => {
  const r = sampleReport();
  r.datasets[0]?.copies.push(copy('erp-db', 'local', '/backup/\x1b[2Jevil.dump'));
  const output = renderText(r, { lang: 'en' });
  t.notOk(output.includes(ESC));
  t.match(output, '\\x1b[2Jevil.dump');
});

t.test('the header names agent, host, time, overall verdict and exit code', async (t) => {
  const output = renderText(sampleReport(), { lang: 'en' });
  t.match(output, 'Agent: erp-01');
  t.match(output, 'erp-01.example.vn (linux 6.1.0, x64)');
  t.match(output, '2026-11-24T12:00:00.000Z');
  t.match(output, 'Overall: NON-COMPLIANT (exit code 2)');
});

t.test('one line per check with its status symbol', async (t) => {
  const lines = renderText(sampleReport(), { lang: 'en' }).split('\n');
  t.ok(lines.some((line) => /^ {2}✗ copies +too few usable copies on distinct devices: 1, required: 3$/.test(line)));
  t.ok(lines.some((line) => /^ {2}! integrity +copies without checksum verification: 1 of 2$/.test(line)));
  t.ok(lines.some((line) => /^ {2}\? copies +usable copies: 2 of 3 required, but nas could not be read$/.test(line)));
  t.ok(lines.some((line) => /^ {2}✓ freshness +newest copy is 11h old \(RPO 1d\)$/.test(line)));
});

t.test(
  'the copies table shows size, age, medium, device, short sha or "unverified", marks and why not counted',
  async (t) => {
    const r = report([
      dataset('erp-db', 'compliant', findings(), {
        copies: [
          copy('erp-db', 'local', '/backup/a.dump'),
          copy('erp-db', 'vault', 'media:T0001/a.dump', {
            locationType: 'offline-log',
            medium: 'tape',
            device: 'T0001',
            offline: true,
            sha256: undefined,
            immutable: { mode: 'COMPLIANCE', retainUntil: '2027-01-01T00:00:00.000Z' },
            assessment: { usable: false, notes: ['stale'], ageMs: 9 * 86_400_000 },
          }),
        ],
      }),
    ]);
    const output = renderText(r, { lang: 'en' });
    t.match(output, /local +a\.dump +1\.5 GB +11h +disk +dev-local +aaaaaaaaaaaa/);
    t.match(
      output,
      /vault +a\.dump +1\.5 GB +9d +tape +T0001 +unverified +offline, immutable COMPLIANCE → 2027-01-01T00:00:00\.000Z +not counted: too old/,
    );
    t.match(renderText(r, { lang: 'vi' }), /băng từ +T0001 +chưa xác minh +ngoại tuyến/);
  },
);

t.test('a dataset without copies says so', async (t) => {
  const output = renderText(report([dataset('empty', 'non-compliant', findings(), { copies: [] })]), { lang: 'vi' });
  t.match(output, 'Không tìm thấy bản sao nào.');
});

t.test('sources show their status and issues; the drill log its state', async (t) => {
  const r = sampleReport();
  r.sources = [
    source('nas', {
      status: 'unreadable',
      copies: 0,
      issues: [
        { severity: 'error', code: 'B321_EACCES', message: 'permission denied', path: '/mnt/nas', dataset: 'wiki' },
      ],
    }),
    source('vault', {
      type: 'offline-log',
      status: 'degraded',
      issues: [{ severity: 'warning', code: 'B321_BAD_LINE', message: 'not JSON', path: 'vault.jsonl', line: 7 }],
    }),
  ];
  r.drills = { configured: false, readable: false, records: 0, issues: [] };
  const output = renderText(r, { lang: 'en' });
  t.match(output, '✗ nas (disk): unreadable — 0 copies');
  t.match(output, '✗ error B321_EACCES wiki /mnt/nas: permission denied');
  t.match(output, '! vault (offline-log): read with warnings');
  t.match(output, '! warning B321_BAD_LINE vault.jsonl:7: not JSON');
  t.match(output, 'Restore-drill log: not configured');
  r.drills = {
    configured: true,
    readable: false,
    records: 0,
    issues: [{ severity: 'error', code: 'B321_READ_ERROR', message: 'EIO' }],
  };
  t.match(
    renderText(r, { lang: 'vi' }),
    /Nhật ký diễn tập khôi phục: không đọc được — 0 bản ghi\n.*B321_READ_ERROR: EIO/,
  );
});

t.test('--verbose adds the evidence, the policy and source facts', async (t) => {
  const r = sampleReport();
  r.run.deep = true;
  const quiet = renderText(r, { lang: 'en' });
  const verbose = renderText(r, { lang: 'en', verbose: true });
  const evidence = 'not counted: nas:/y (on the same device as another counted copy)';
  t.notOk(quiet.includes(evidence));
  t.match(verbose, evidence);
  t.match(verbose, 'calculation: size = 1.5 GB, read throughput = 300 MB/s, transfer = 5s, total = 2h');
  t.match(renderText(r, { lang: 'vi', verbose: true }), 'cách tính: dung lượng = 1.5 GB, tốc độ đọc = 300 MB/s');
  t.match(verbose, /RPO \(newest copy at most\) +1d/);
  t.match(verbose, 'mount: /backup');
  t.match(verbose, 'deep verify');
  t.match(verbose, 'Report id: 01JDEMO');
});

t.test('the summary counts the verdicts', async (t) => {
  t.match(
    renderText(sampleReport(), { lang: 'en' }),
    'Datasets: 4 — 1 compliant, 1 at risk, 1 non-compliant, 1 unknown; copies: 8; unreadable sources: 0',
  );
});

t.test('in pieces: the head, one piece per dataset, the tail; together the same text', async (t) => {
  const sample = sampleReport();
  const pieces = [...renderReportChunks(sample, 'text', { lang: 'en', verbose: true })];
  t.equal(pieces.length, sample.datasets.length + 2);
  t.equal(pieces.join(''), renderText(sample, { lang: 'en', verbose: true }));
  t.match(pieces[1], /^\n\nDataset /, 'a dataset piece starts with the blank line before it');
});
