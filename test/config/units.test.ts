// Durations, sizes and rates parse as operators write them and format for reports.
import t from 'tap';
import { formatBytes, formatDuration, parseDuration, parseSize, parseThroughput } from '../../src/config/units.js';

t.test('durations', async (t) => {
  const table: Array<[string, number | undefined]> = [
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['90m', 5_400_000],
    ['1.5h', 5_400_000],
    ['30s', 30_000],
    ['250ms', 250],
    ['2w', 1_209_600_000],
    ['0', 0],
    ['10', 10_000],
    ['1 day', undefined],
    ['-1h', undefined],
    ['h', undefined],
  ];
  for (const [text, ms] of table) t.equal(parseDuration(text), ms, text);
});

t.test('sizes and throughputs', async (t) => {
  t.equal(parseSize('512MB'), 512e6);
  t.equal(parseSize('2GiB'), 2 * 1024 ** 3);
  t.equal(parseSize('1.5T'), 1.5e12);
  t.equal(parseSize('100'), 100);
  t.equal(parseSize('12 parsecs'), undefined);
  t.equal(parseThroughput('300MB/s'), 300e6);
  t.equal(parseThroughput('80MiB/s'), 80 * 1024 ** 2);
  t.equal(parseThroughput('3.6TB/h'), 1e9);
  t.equal(parseThroughput('300MB'), undefined);
});

t.test('formatting for reports', async (t) => {
  t.equal(formatDuration(0), '0ms');
  t.equal(formatDuration(90_000), '1m 30s');
  t.equal(formatDuration(26 * 3_600_000 + 5 * 60_000), '1d 2h');
  t.equal(formatDuration(3 * 3_600_000), '3h');
  t.equal(formatDuration(-7_200_000), '-2h');
  t.equal(formatBytes(512), '512 B');
  t.equal(formatBytes(1_500_000_000), '1.5 GB');
  t.equal(formatBytes(262_144), '262 kB');
});
