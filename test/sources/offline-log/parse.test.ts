// Parsing the offline-media log: bad lines with line numbers, a half-written last line, CSV quoting.
import t from 'tap';
import { csvField, csvHeader, csvRow, parseCsv } from '../../../src/sources/offline-log/csv.js';
import { problemText } from '../../../src/issues.js';
import { formatForPath, parseMediaLog } from '../../../src/sources/offline-log/parse.js';
import { ev, SHA_A } from './helpers.js';

const LOG = '/var/lib/backup321/offline-media.jsonl';

t.test('a malformed line is a B321_BAD_LINE warning with path and line number; the rest is read', async (t) => {
  const text = [
    ev('written', '2026-11-01T00:00:00Z', 'T1'),
    '{not json',
    '',
    ev('offline', '2026-11-02T00:00:00Z', 'T1'),
    '[1,2]',
    ev('launched', '2026-11-03T00:00:00Z', 'T1'),
    ev('offline', 'yesterday', 'T1'),
    ev('offline', '2026-11-03T00:00:00', 'T1'),
    ev('written', '2026-11-03T00:00:00Z', 'T2', { sha256: 'xyz' }),
    ev('written', '2026-11-03T00:00:00Z', 'T2', { bytes: -1 }),
    ev('written', '2026-11-03T00:00:00Z', 'T2', { mediumType: 'floppy' }),
    ev('written', '2026-11-03T00:00:00Z', 'T2', { file: undefined }),
    ev('verified', '2026-11-03T00:00:00Z', 'T1', {
      dataset: 'erp-db',
      file: 'x',
    }),
    ev('offline', '2026-11-03T00:00:00Z', ''),
    ev('offline', '2026-11-03T00:00:00Z', 'T1', { notes: 5 }),
    ev('written', '2026-11-03T00:00:00Z', 'T2', { bytes: undefined }),
    '',
  ].join('\n');
  const parsed = parseMediaLog(text, 'jsonl', LOG);
  t.same(
    parsed.events.map((e) => e.line),
    [1, 4],
  );
  t.same(
    parsed.issues.map((i) => i.line),
    [2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
  );
  for (const issue of parsed.issues) {
    t.match(issue, { severity: 'warning', code: 'B321_BAD_LINE', path: LOG });
    // The renderers print path:line from the issue's fields; the message does not repeat them.
    t.notOk(issue.message.includes(LOG), 'the message does not repeat the path');
  }
  const why = (line: number) => parsed.issues.find((i) => i.line === line)?.message;
  t.match(why(2), /not valid JSON/);
  t.match(why(5), /not a JSON object/);
  t.match(why(6), /"event" must be one of written, offline, online, verified, retired \(got "launched"\)/);
  t.match(why(7), /"ts" must be an ISO 8601 time with a zone/);
  t.match(why(8), /"ts" must be an ISO 8601 time with a zone/, 'a time without a zone is ambiguous');
  t.match(why(9), /"sha256" must be 64 hex digits/);
  t.match(why(10), /"bytes" must be a whole number/);
  t.match(why(11), /"mediumType" must be one of tape, removable-disk, optical/);
  t.match(why(12), /"file" is required on "written"/);
  t.match(why(13), /"sha256" is required on "verified"/);
  t.match(why(14), /"media" \(the media id\) is missing/);
  t.match(why(15), /"notes" must be a string/);
  t.match(why(16), /"bytes" is required on "written"/);
  t.equal(parsed.pendingLine, undefined);
});

t.test('a truncated last line without a newline (being written) is not an issue', async (t) => {
  const whole = ev('written', '2026-11-01T00:00:00Z', 'T1');
  const half = ev('offline', '2026-11-02T00:00:00Z', 'T1').slice(0, 30);
  const parsed = parseMediaLog(`${whole}\n${half}`, 'jsonl', LOG);
  t.same(parsed.issues, []);
  t.equal(parsed.events.length, 1);
  t.equal(parsed.pendingLine, 2);

  // The same half line in the middle of the file IS a bad line: someone's write was cut and more followed.
  const middle = parseMediaLog(`${whole}\n${half}\n${whole}\n`, 'jsonl', LOG);
  t.match(middle.issues, [{ code: 'B321_BAD_LINE', line: 2 }]);

  // A complete JSON object without its final newline (a hand-edited file) is whole and is read.
  t.equal(parseMediaLog(whole, 'jsonl', LOG).events.length, 1);
});

t.test('times are normalised to UTC; CRLF, a BOM and the alias "type" are accepted', async (t) => {
  const line = JSON.stringify({
    ts: '2026-11-24T08:00:00+07:00',
    type: 'offline',
    media: ' T1 ',
  });
  const parsed = parseMediaLog(`\uFEFF${line}\r\n`, 'jsonl', LOG);
  t.match(parsed.events, [
    {
      ts: '2026-11-24T01:00:00.000Z',
      event: 'offline',
      media: 'T1',
      line: 1,
    },
  ]);
});

t.test('CSV with a header, RFC 4180 quoting, blank optional columns and a quoted line break', async (t) => {
  const text = [
    'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator',
    `2026-11-01T00:00:00Z,written,USB-0042,removable-disk,erp-db,"erp/a,b.dump",${SHA_A},2048,"vault ""B""",,ops`,
    '2026-11-02T00:00:00Z,offline,USB-0042,,,,,,,"taken to the vault,',
    'second line of notes",ops',
    '2026-11-03T00:00:00Z,online,USB-0042',
    '2026-11-04T00:00:00Z,bogus,USB-0042,,,,,,,,',
    '2026-11-05T00:00:00Z,online,USB-0042,,,,,,,,',
  ].join('\r\n');
  const parsed = parseMediaLog(`${text}\r\n`, 'csv', '/logs/media.csv');
  t.match(parsed.events, [
    {
      line: 2,
      event: 'written',
      file: 'erp/a,b.dump',
      bytes: 2048,
      location: 'vault "B"',
      operator: 'ops',
    },
    {
      line: 3,
      event: 'offline',
      notes: 'taken to the vault,\r\nsecond line of notes',
    },
    { line: 7, event: 'online' },
  ]);
  t.equal(parsed.events[0]?.notes, undefined);
  t.match(parsed.issues, [
    {
      code: 'B321_BAD_LINE',
      line: 5,
      message: /the header has 11 fields, this row 3/,
    },
    { code: 'B321_BAD_LINE', line: 6, message: /"event" must be one of/ },
  ]);
});

t.test('CSV: an unterminated last row is skipped as being written, even when it looks valid', async (t) => {
  const header = 'ts,event,media,mediumType,dataset,file,sha256,bytes';
  const row = `2026-11-01T00:00:00Z,written,T1,tape,erp-db,x.dump,${SHA_A},123`;
  const parsed = parseCsv(`${header}\n${row}\n${row.slice(0, -1)}`);
  t.equal(parsed.records.length, 1);
  t.equal(parsed.pendingLine, 3);
  t.same(parseCsv(''), { records: [], bad: [], quoting: [] });
  t.equal(parseCsv('ts,event').pendingLine, 1, 'a header still being written');
});

t.test('CSV: only a quote open at the very end of a file without its last line break is "being written"', async (t) => {
  const header = 'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator';
  const row = `2026-11-01T00:00:00Z,written,T1,tape,erp-db,x.dump,${SHA_A},123,,,ops`;
  const open = '2026-11-02T00:00:00Z,offline,T1,,,,,,"vault B';
  const cut = parseMediaLog(`${header}\n${row}\n${open}`, 'csv', '/logs/media.csv');
  t.same(cut.issues, [], 'no line break after it: a writer is still at it');
  t.equal(cut.pendingLine, 3);
  t.equal(cut.events.length, 1);

  const whole = parseMediaLog(`${header}\n${row}\n${open}\n`, 'csv', '/logs/media.csv');
  t.equal(whole.pendingLine, undefined, 'with its line break the line is complete: the quote is just never closed');
  t.match(whole.issues, [
    {
      severity: 'warning',
      code: 'B321_BAD_LINE',
      line: 3,
      message:
        'the header has 11 fields, this row 9; a quote opened in column "location" is not closed on its line; the field ends at the end of the line; line skipped',
    },
  ]);
});

t.test(
  'CSV: an unterminated quote ends with its line, is warned with its line, and the rows after it are read',
  async (t) => {
    const text = [
      'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator',
      `2026-11-01T00:00:00Z,written,T1,tape,erp-db,a.dump,${SHA_A},100,,,ops`,
      `2026-11-01T00:00:00Z,written,T2,tape,erp-db,b.dump,${SHA_A},100,,,ops`,
      '2026-11-02T00:00:00Z,offline,T1,,,,,,,,"ops',
      '2026-11-02T00:00:00Z,offline,T2,,,,,,,,ops',
      '2026-11-03T00:00:00Z,retired,T2,,,,,,"shredder, room 2",,ops',
      '',
    ].join('\n');
    const parsed = parseMediaLog(text, 'csv', '/logs/media.csv');
    t.same(
      parsed.events.map((e) => [e.line, e.event, e.media]),
      [
        [2, 'written', 'T1'],
        [3, 'written', 'T2'],
        [4, 'offline', 'T1'],
        [5, 'offline', 'T2'],
        [6, 'retired', 'T2'],
      ],
    );
    t.equal(parsed.events[2]?.operator, 'ops', 'the open field ends at the end of its line');
    t.same(parsed.issues, [
      {
        severity: 'warning',
        code: 'B321_CSV_QUOTE',
        message:
          'a quote opened in column "operator" is not closed on its line; the field ends at the end of the line; row read',
        params: { problem: 'csv.unclosed', openColumn: '"operator"' },
        path: '/logs/media.csv',
        line: 4,
      },
    ]);
    t.equal(parsed.pendingLine, undefined);
  },
);

t.test('CSV: a quote inside a quoted field ("bad "quote" inside") is warned with its line and column', async (t) => {
  const text = [
    'ts,event,media,mediumType,dataset,file,sha256,bytes,location,notes,operator',
    '2026-11-02T00:00:00Z,offline,T1,,,,,,,"bad "quote" inside",ops',
    '2026-11-02T00:00:00Z,offline,T1,,,,,,,"fine ""quote"" inside",ops',
    '2026-11-02T00:00:00Z,offline,T1,,,,,,,x "y",ops',
    '',
  ].join('\n');
  const parsed = parseMediaLog(text, 'csv', '/logs/media.csv');
  t.same(
    parsed.events.map((e) => e.notes),
    ['bad quote inside', 'fine "quote" inside', 'x y'],
  );
  t.match(parsed.issues, [
    {
      code: 'B321_CSV_QUOTE',
      line: 2,
      message:
        'column "notes" has a quote inside a field (read as "bad quote inside"); inside quotes write a quote as ""; row read',
    },
    { code: 'B321_CSV_QUOTE', line: 4, message: /column "notes" has a quote inside a field \(read as "x y"\)/ },
  ]);
  t.equal(parsed.issues.length, 2, 'a correctly doubled quote is no problem');
});

t.test('the appender reads a CSV header alone: after blank lines, and whatever follows it', async (t) => {
  t.same(csvHeader('\uFEFF\n\nts,event, media \n"never closed,\n'), ['ts', 'event', 'media']);
  t.equal(csvHeader('ts,event'), undefined, 'a header still being written is none yet');
  t.equal(csvHeader(''), undefined);
  const quoted = parseCsv('ts,"event" x,media\n2026-11-01T00:00:00Z,offline,T1\n');
  t.same(quoted.quoting, [
    { line: 1, why: { problem: 'csv.stray', strayColumn: '"event x"', strayRead: '"event x"' } },
  ]);
  t.equal(
    problemText(quoted.quoting[0]?.why ?? { problem: 'csv.stray' }),
    'column "event x" has a quote inside a field (read as "event x"); inside quotes write a quote as ""',
  );
});

t.test('CSV writing quotes only what needs it', async (t) => {
  t.equal(csvField('plain'), 'plain');
  t.equal(csvField('a,b'), '"a,b"');
  t.equal(csvField('say "hi"'), '"say ""hi"""');
  t.equal(csvField('two\nlines'), '"two\nlines"');
  t.equal(csvRow(['a', 'b', 'c'], { a: 1, c: 'x,y' }), '1,,"x,y"');
});

t.test('the format follows the file extension when not configured', async (t) => {
  t.equal(formatForPath('/x/media.CSV'), 'csv');
  t.equal(formatForPath('/x/media.jsonl'), 'jsonl');
  t.equal(formatForPath('/x/media.log'), 'jsonl');
});

t.test('CSV: a row of one field is counted without "1 fields"', async (t) => {
  const text = 'ts,event,media\n2026-11-01T00:00:00Z\n';
  const parsed = parseMediaLog(text, 'csv', '/logs/media.csv');
  t.match(parsed.issues, [
    { code: 'B321_BAD_LINE', line: 2, message: /^the header has 3 fields, this row 1; line skipped$/ },
  ]);
});
