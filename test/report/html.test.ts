// The HTML report: one self-contained page where nothing from a disk or a log can become markup.
import t from 'tap';
import { escapeHtml, renderHtml } from '../../src/report/render/html.js';
import { copy, dataset, finding, findings, report, SHA_A, SHA_B, sampleReport, source } from './fixture.js';

t.test('a <script> in a description or a path is escaped', async (t) => {
  const r = sampleReport();
  if (r.datasets[0]) r.datasets[0].description = '<script>alert("d")</script>';
  r.datasets[0]?.copies.push(copy('erp-db', 'local', '/backup/<script>alert(1)</script>.dump'));
  r.sources[0]?.issues.push({
    severity: 'warning',
    code: 'B321_BAD_LINE',
    message: '<img src=x onerror=alert(2)>',
    path: '/a"b',
  });
  const output = renderHtml(r, { lang: 'en' });
  t.notMatch(output, /<script/i);
  t.notMatch(output, /<img/i);
  t.match(output, '&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;');
  // Shown relative to the location's directory (/backup/), which the location's row names once.
  t.match(output, '<code>&lt;script&gt;alert(1)&lt;/script&gt;.dump</code>');
});

t.test('the page is self-contained: inline style, no scripts, nothing fetched', async (t) => {
  const output = renderHtml(sampleReport(), { lang: 'vi' });
  t.match(output, /^<!DOCTYPE html>\n<html lang="vi">/);
  t.match(output, '<style>');
  t.notMatch(output, /\s(src|href)=/i);
  t.notMatch(output, /<(script|link|img|iframe)/i);
  t.match(output, "default-src 'none'", 'a CSP forbids scripts and fetches even if escaping ever failed');
});

t.test('escapeHtml covers quotes and control characters', async (t) => {
  t.equal(escapeHtml(`<a href='x'>&"\x07`), '&lt;a href=&#39;x&#39;&gt;&amp;&quot;\\x07');
});

t.test('sources, drill log, deep run and empty datasets are shown', async (t) => {
  const r = sampleReport();
  r.run.deep = true;
  if (r.datasets[1]) r.datasets[1].copies = [];
  r.sources = [
    source('nas', {
      status: 'degraded',
      issues: [
        { severity: 'warning', code: 'B321_BAD_LINE', message: 'bad', path: 'v.jsonl', line: 4, dataset: 'mail' },
      ],
    }),
  ];
  r.drills = {
    configured: true,
    readable: false,
    records: 0,
    issues: [{ severity: 'error', code: 'B321_READ_ERROR', message: 'EIO' }],
  };
  const output = renderHtml(r, { lang: 'en' });
  t.match(output, 'warning B321_BAD_LINE [mail] v.jsonl:4: bad');
  t.match(output, '<strong>Restore-drill log</strong>: unreadable, 0 records');
  t.match(output, '<li>error B321_READ_ERROR: EIO</li>');
  t.match(output, 'No copies found.');
  t.match(output, 'deep verify');
  r.drills = { configured: false, readable: false, records: 0, issues: [] };
  r.sources = [source('local')];
  const vi = renderHtml(r, { lang: 'vi' });
  t.match(vi, 'chưa cấu hình');
  t.match(vi, '<td>không có</td>');
});

/** The page's text as a reader sees it: tags (and so attributes such as title) removed, entities undone. */
const pageText = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&');

t.test('the policy is a plain table, not a collapsed <details> that printing would hide', async (t) => {
  const output = renderHtml(sampleReport(), { lang: 'en' });
  t.notMatch(output, /<details(?![^>]*\sopen)/, 'nothing is collapsed');
  t.equal(
    (output.match(/<h3>Policy<\/h3><table>\n<tr><td>minimum copies<\/td><td>3<\/td><\/tr>/g) ?? []).length,
    4,
    'each dataset shows its policy',
  );
});

t.test('every sha256 is whole in the page text: a copy own and one recorded in a media log', async (t) => {
  const r = sampleReport();
  r.datasets[0]?.copies.push(
    copy('erp-db', 'vault', 'media:T0001/a.dump', {
      locationType: 'offline-log',
      sha256: undefined,
      recorded: { value: SHA_B, source: 'media-log', ref: 'vault.jsonl:3' },
    }),
  );
  const text = pageText(renderHtml(r, { lang: 'en' }));
  t.match(text, SHA_A, 'a hashed copy');
  t.match(text, `${SHA_B}  (offline-media log)`, 'a recorded checksum, with where it is recorded');
});

t.test('copies are grouped by location: its directory once, each path relative to it', async (t) => {
  const ids = ['local:/backup/erp/a.dump', 'local:/backup/erp/b.dump', 'nas:/mnt/nas/erp/a.dump'];
  const r = report([
    dataset(
      'erp',
      'compliant',
      findings([finding('copies', 'pass', 'ok', { have: 3, need: 3 }, { counted: ids.map((copy) => ({ copy })) })]),
      {
        copies: ids.map((id) => {
          const [location = '', path = ''] = id.split(':');
          return copy('erp', location, path);
        }),
      },
    ),
  ]);
  const output = renderHtml(r, { lang: 'en' });
  t.match(output, '<li>counted:<ul><li>local <code>/backup/erp/</code>: a.dump, b.dump</li>');
  t.match(output, '<li>nas <code>/mnt/nas/erp/</code>: a.dump</li>');
  t.match(output, '<tr class="location"><th colspan="9">Location <strong>local</strong> <code>/backup/erp/</code>');
  t.match(output, /<tr><td><code>b\.dump<\/code><\/td><td>1\.5 GB<\/td>/, 'a row gives the path under the directory');
  t.equal((output.match(/\/backup\/erp\//g) ?? []).length, 2, 'the directory is named twice: evidence and table');
});
