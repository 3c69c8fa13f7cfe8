// Tests the ISO-time converter that lets consecutive copies share one timestamp string.
import t from 'tap';
import { createIsoTime } from '../../src/integrity/iso-time.js';

t.test('gives the same text as Date#toISOString, sub-millisecond fractions included', async (t) => {
  const iso = createIsoTime();
  for (const ms of [0, 1_795_000_000_123.456, 1_795_000_000_123.999, 1_795_000_000_124, -1.5]) {
    t.equal(iso(ms), new Date(ms).toISOString(), String(ms));
  }
});

t.test('hands out one shared string for calls within the same millisecond', async (t) => {
  const iso = createIsoTime();
  const first = iso(1_795_000_000_123.1);
  t.equal(iso(1_795_000_000_123.9), first);
  t.not(iso(1_795_000_000_124), first);
});
