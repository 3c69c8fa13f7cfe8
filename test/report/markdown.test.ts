// The Markdown report: tables that stay tables whatever a path contains, and evidence under every finding.
import t from 'tap';
import { escapeMarkdown, renderMarkdown } from '../../src/report/render/markdown.js';
import { copy, sampleReport, source } from './fixture.js';

/** Cells of a table row, splitting only on pipes that are not escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);

t.test('a pipe in a path is escaped, so the copies table keeps its columns', async (t) => {
  const r = sampleReport();
  r.datasets[0]?.copies.push(copy('erp-db', 'local', '/backup/a|b.dump'));
  const output = renderMarkdown(r, { lang: 'en' });
  const row = output.split('\n').find((line) => line.includes('a\\|b.dump'));
  t.ok(row, 'the path is there, escaped');
  const header = output.split('\n').find((line) => line.startsWith('| Location | Path'));
  t.equal(cells(row ?? '').length, cells(header ?? '').length, 'same number of cells as the header');
});

t.test('markup in names is shown literally', async (t) => {
  t.equal(escapeMarkdown('a*b_c [x](y) <img> `z` \\'), 'a\\*b\\_c \\[x\\](y) \\<img\\> \\`z\\` \\\\');
  t.equal(escapeMarkdown('two\nlines'), 'two lines', 'a newline would end the table row');
});

t.test('headings give the overall and per-dataset verdicts; each finding has its evidence', async (t) => {
  const output = renderMarkdown(sampleReport(), { lang: 'en' });
  t.match(output, /^# backup321 report: non-compliant$/m);
  t.match(output, /^## Dataset files: non-compliant$/m);
  t.match(output, /^\| copies \| ✗ fail \| too few usable copies on distinct devices: 1, required: 3 \|$/m);
  t.match(output, /^- \*\*copies\*\* \(`copies\.too-few`\): .*\n {2}- not counted: nas:\/y \(on the same device/m);
  t.match(output, /^ {2}- unreadable locations: nas$/m);
  t.match(output, '(exit code 2)');
});

t.test('sources list their issues; no copies and a deep run are said', async (t) => {
  const r = sampleReport();
  r.run.deep = true;
  if (r.datasets[0]) r.datasets[0].copies = [];
  r.sources = [
    source('nas', {
      status: 'unreadable',
      issues: [
        { severity: 'error', code: 'B321_EACCES', message: 'denied', path: '/mnt/a|b', dataset: 'wiki' },
        { severity: 'warning', code: 'B321_BAD_LINE', message: 'bad', path: 'v.jsonl', line: 2 },
      ],
    }),
  ];
  r.drills = {
    configured: false,
    readable: false,
    records: 0,
    issues: [{ severity: 'warning', code: 'B321_BAD_LINE', message: 'm' }],
  };
  const output = renderMarkdown(r, { lang: 'en' });
  t.match(
    output,
    '| nas | disk | unreadable | 2 | < 1 s | error B321\\_EACCES \\[wiki\\] /mnt/a\\|b: denied<br>warning B321\\_BAD\\_LINE v.jsonl:2: bad |',
  );
  t.match(output, 'No copies found.');
  t.match(output, 'deep verify');
  t.match(output, '**Restore-drill log**: not configured');
  r.drills = { configured: true, readable: true, records: 3, issues: [] };
  r.sources = [source('local')];
  t.match(renderMarkdown(r, { lang: 'vi' }), '| local | disk | bình thường | 2 | < 1 giây | không có |');
});
