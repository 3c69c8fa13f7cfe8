// What a reader checks in every format: each dataset's verdict, each check, and Vietnamese that is really Vietnamese.
import t from 'tap';
import { CHECK_CODES } from '../../src/model.js';
import { catalogFor, findingMessage } from '../../src/report/i18n/index.js';
import { REPORT_FORMATS, isReportFormat, renderReport } from '../../src/report/render/index.js';
import { sampleReport } from './fixture.js';

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
