// schema/report.schema.json is the schema in the code, as `npm run schema` writes it: one source for the file and the types.
import { readFileSync } from 'node:fs';
import t from 'tap';
import type { Report } from '../../src/model.js';
import { reportSchema } from '../../src/report-schema/schema.js';
import type { ReportDocument } from '../../src/report-schema/types.js';
import { renderJson } from '../../src/report/render/json.js';
import { sampleReport } from '../report/fixture.js';

t.test('the committed schema file is the schema in the code, byte for byte', async (t) => {
  const committed = readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8');
  t.equal(
    committed,
    `${JSON.stringify(reportSchema, null, 2)}\n`,
    'run `npm run schema` after changing src/report-schema/',
  );
});

t.test('a report the process holds reads back from its JSON as the document type', async (t) => {
  const report: Report = sampleReport();
  // Typed both ways: the in-memory Report and the JSON's ReportDocument come from the one schema.
  const document: ReportDocument = JSON.parse(renderJson(report));
  t.equal(document.schemaVersion, report.schemaVersion);
  t.same(document.summary, report.summary);
});
