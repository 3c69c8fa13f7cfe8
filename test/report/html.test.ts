// The HTML report: one self-contained page where nothing from a disk or a log can become markup.
import t from 'tap';
import { escapeHtml, renderHtml } from '../../src/report/render/html.js';
import { copy, sampleReport, source } from './fixture.js';

t.test('a <script> in a description or a path is escaped', async (t) => {
  const r = sampleReport();
  if (r.datasets[0]) r.datasets[0].description = '<script>alert("d")</script>';
  r.datasets[0]?.copies.push(copy('erp-db', 'local', '/backup/<script>alert(1)</script>.dump'));
  r.sources[0]?.issues.push({
    severity: 'warning',
    code: 'B321_X',
    message: '<img src=x onerror=alert(2)>',
    path: '/a"b',
  });
  const output = renderHtml(r, { lang: 'en' });
  t.notMatch(output, /<script/i);
  t.notMatch(output, /<img/i);
  t.match(output, '&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;');
  t.match(output, '/backup/&lt;script&gt;alert(1)&lt;/script&gt;.dump');
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
