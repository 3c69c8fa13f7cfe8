// One dataset of 200,000 copies (one pattern over a big tree) renders in every format. The text,
// markdown and html renderers once passed a table's rows as a call's arguments, and a dataset that
// big overflowed the stack: `verify` ended "could not run: Maximum call stack size exceeded".
import t from 'tap';
import { REPORT_FORMATS, renderReportChunks } from '../../src/report/render/index.js';
import { copy, dataset, findings, report } from './fixture.js';

const COPIES = 200_000;
const many = Array.from({ length: COPIES }, (_, i) => copy('erp', 'local', `/backup/erp/n${i}.dump`));
const big = report([dataset('erp', 'compliant', findings(), { copies: many })]);

for (const format of REPORT_FORMATS) {
  t.test(`${format}: every copy is in the report`, async (t) => {
    const text = [...renderReportChunks(big, format, { lang: 'en' })].join('');
    // Each copy's path or name appears in the formats that list copies (junit lists findings only).
    const named = (text.match(/n\d+\.dump/g) ?? []).length;
    if (format === 'junit') t.ok(text.includes('<testsuite'), 'a junit document');
    else t.ok(named >= COPIES, `${named} mentions of the ${COPIES} copies`);
    t.ok(text.includes('n199999.dump') || format === 'junit', 'the last copy too');
  });
}
