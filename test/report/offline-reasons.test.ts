// Why a copy did not count as offline is in its own row, in every human format, without --verbose.
import t from 'tap';
import type { Report } from '../../src/model.js';
import { renderReport } from '../../src/report/render/index.js';
import { copy, DAY, NOW, POLICY, tapeCopy } from '../helpers/copies.js';
import { evaluatedReport } from './evaluated-report.js';

/** A USB disk logged offline but still attached, beside two disk copies: the offline check fails. */
function attachedUsb(): Report {
  return evaluatedReport([
    copy({ location: 'local', path: '/backup/erp/a.dump' }),
    copy({ location: 'nas', path: '/mnt/nas/erp/a.dump', medium: 'network-share' }),
    tapeCopy({
      path: 'media:USB-0042/erp/a.dump',
      medium: 'removable-disk',
      device: 'media:USB-0042',
      offline: false,
      offlineReason: 'attached-now',
    }),
  ]);
}

/** The copy's own row in the copies table (the evidence lists of markdown and html name the copy too). */
const ROW: Record<'text' | 'markdown' | 'html', (line: string) => boolean> = {
  text: (line) => line.includes('media:USB-0042'),
  markdown: (line) => line.startsWith('| vault |'),
  html: (line) => line.startsWith('<tr><td>') && line.includes('<td>media:USB-0042</td>'),
};

t.test('a USB disk still attached: its row says so, in text (without -v), markdown and html', async (t) => {
  const report = attachedUsb();
  const offline = report.datasets[0]?.findings.find((finding) => finding.check === 'offline');
  t.equal(offline?.status, 'fail', 'the offline check fails');
  for (const [format, isRow] of Object.entries(ROW)) {
    for (const [lang, words] of [
      ['en', 'media is attached now, so not offline'],
      ['vi', 'phương tiện đang được gắn vào máy nên không được tính là ngoại tuyến'],
    ] as const) {
      const rows = renderReport(report, format as keyof typeof ROW, { lang })
        .split('\n')
        .filter(isRow);
      t.equal(rows.length, 1, `${format} ${lang}: one row for the USB copy`);
      t.match(rows[0], words, `${format} ${lang}: the reason is in the copy's row`);
    }
  }
});

t.test('each reason the offline-media log gives reads as words', async (t) => {
  const reasons: Record<string, RegExp> = {
    'attachment-unknown': /attached block devices could not be listed/,
    'state-online': /last logged event is online/,
    'state-written': /written but never logged offline/,
  };
  for (const [reason, words] of Object.entries(reasons)) {
    const report = evaluatedReport([
      copy(),
      tapeCopy({ offline: false, offlineReason: reason, path: 'media:T1/a.dump', device: 'media:T1' }),
    ]);
    t.match(renderReport(report, 'text', { lang: 'en' }), words, reason);
  }
});

t.test('a copy that is stale and attached gives both reasons', async (t) => {
  const report = evaluatedReport([
    copy(),
    tapeCopy({ offline: false, offlineReason: 'attached-now', ageMs: 10 * DAY, path: 'media:T1/a.dump' }),
  ]);
  t.match(renderReport(report, 'text', { lang: 'en' }), 'not counted: too old; media is attached now, so not offline');
});

t.test('an Object Lock the site counts as offline, but in GOVERNANCE mode, says why it does not count', async (t) => {
  const locked = (mode: 'COMPLIANCE' | 'GOVERNANCE') =>
    copy({
      location: 'cloud',
      locationType: 's3',
      path: `s3://bucket/erp/${mode}.dump`,
      medium: 'object-storage',
      immutable: { mode, retainUntil: new Date(NOW.getTime() + 30 * DAY).toISOString() },
    });
  const report = evaluatedReport([copy(), locked('GOVERNANCE'), locked('COMPLIANCE')]);
  for (const dataset of report.datasets) dataset.policy = { ...POLICY, immutableCountsAsOffline: true };
  const lines = renderReport(report, 'text', { lang: 'en' }).split('\n');
  t.match(
    lines.find((line) => line.includes('GOVERNANCE')),
    'object lock does not count as offline here',
  );
  t.notMatch(
    lines.find((line) => line.includes('COMPLIANCE →')),
    'does not count as offline',
    'a lock that counts',
  );
  for (const dataset of report.datasets) dataset.policy = POLICY;
  t.notMatch(
    renderReport(report, 'text', { lang: 'en' }),
    'does not count as offline',
    'where locks are not meant to count as offline, a lock is no candidate and needs no excuse',
  );
});
