// The read probe: a real timed read of a real copy, kept in the state dir and reused for a week.

import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { probeReadSpeed } from '../../src/host/read-probe.js';
import type { Copy, SourceResult } from '../../src/model.js';
import { fillMeasuredThroughput, MIN_DISK_SAMPLE_BYTES } from '../../src/verify/throughput.js';
import { copy } from '../helpers/copies.js';
import { diskLocation } from '../sources/disk/context.js';

const logger = pino({ level: 'silent' });

function resultWith(copies: Copy[]): SourceResult {
  return {
    copies,
    status: { id: 'local', type: 'disk', status: 'ok', copies: copies.length, issues: [], facts: {}, durationMs: 0 },
  };
}

t.test('probeReadSpeed reads a bounded sample and reports a rate', async (t) => {
  const dir = t.testdir({ 'big.dump': randomBytes(3 * 1024 * 1024) });
  const result = await probeReadSpeed(join(dir, 'big.dump'), 2 * 1024 * 1024);
  t.equal(result.sampleBytes, 2 * 1024 * 1024, 'stops at the bound, not at the end of the file');
  t.ok(result.bytesPerSec > 0);
  t.type(result.direct, 'boolean');
});

const SAMPLE = MIN_DISK_SAMPLE_BYTES;

/** A probe that answers `result` without reading, and counts how often it was asked. */
function fixedProbe(result: { bytesPerSec: number; sampleBytes: number; direct: boolean }) {
  let calls = 0;
  return {
    read: async () => {
      calls += 1;
      return result;
    },
    calls: () => calls,
  };
}

t.test('a disk location without a configured throughput gets a measured one, reused on the next run', async (t) => {
  const dir = t.testdir({ 'a.dump': randomBytes(SAMPLE), state: {} });
  const path = join(dir, 'a.dump');
  const mtimeBefore = statSync(path).mtimeMs;
  let probes = 0;
  const countingProbe: typeof probeReadSpeed = async (...args) => {
    probes += 1;
    return probeReadSpeed(...args);
  };
  const location = diskLocation(dir);
  const options = { stateDir: join(dir, 'state'), now: new Date(), logger, probes: { disk: countingProbe } };
  const first = resultWith([copy({ path, bytes: SAMPLE, device: 'd1', restore: { retrievalMs: 0 } })]);
  await fillMeasuredThroughput([first], [location], options);
  t.equal(probes, 1);
  t.ok((first.copies[0]?.restore?.throughputBytesPerSec ?? 0) > 0);
  t.equal(first.copies[0]?.restore?.throughputSource, 'measured');
  t.match(first.status.facts.throughputMeasured, /\/s \(/);
  const stored = JSON.parse(readFileSync(join(dir, 'state', 'read-probe.json'), 'utf8'));
  t.equal(stored.local.path, path);

  const second = resultWith([copy({ path, bytes: SAMPLE, device: 'd1', restore: { retrievalMs: 0 } })]);
  await fillMeasuredThroughput([second], [location], options);
  t.equal(probes, 1, 'a fresh measurement of the same device is reused');
  t.equal(second.copies[0]?.restore?.throughputBytesPerSec, stored.local.bytesPerSec);

  const moved = resultWith([copy({ path, bytes: SAMPLE, device: 'd2', restore: { retrievalMs: 0 } })]);
  await fillMeasuredThroughput([moved], [location], options);
  t.equal(probes, 2, 'another device is measured again');
  const later = { ...options, now: new Date(Date.now() + 8 * 86_400_000) };
  await fillMeasuredThroughput(
    [resultWith([copy({ path, bytes: SAMPLE, device: 'd2', restore: { retrievalMs: 0 } })])],
    [location],
    later,
  );
  t.equal(probes, 3, 'a week-old measurement is renewed');
  t.equal(statSync(path).mtimeMs, mtimeBefore, 'the probe only reads');
});

t.test('a configured throughput is never overridden by the probe', async (t) => {
  const dir = t.testdir({ 'a.dump': 'x'.repeat(1000) });
  const location = diskLocation(dir, { throughputBytesPerSec: 5e8 });
  const result = resultWith([
    copy({
      path: join(dir, 'a.dump'),
      restore: { retrievalMs: 0, throughputBytesPerSec: 5e8, throughputSource: 'configured' },
    }),
  ]);
  const probe = fixedProbe({ bytesPerSec: 1, sampleBytes: 1, direct: true });
  await fillMeasuredThroughput([result], [location], {
    stateDir: join(dir, 'state'),
    now: new Date(),
    logger,
    probes: { disk: probe.read },
  });
  t.equal(probe.calls(), 0);
  t.equal(result.copies[0]?.restore?.throughputSource, 'configured');
});

t.test('an unreadable probe target leaves the throughput unknown and says why in the log', async (t) => {
  const dir = t.testdir({});
  const location = diskLocation(dir);
  const result = resultWith([copy({ path: join(dir, 'vanished.dump'), bytes: SAMPLE, restore: { retrievalMs: 0 } })]);
  const lines: string[] = [];
  const capture = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  await fillMeasuredThroughput([result], [location], {
    stateDir: join(dir, 'state'),
    now: new Date(),
    logger: capture,
  });
  t.equal(result.copies[0]?.restore?.throughputBytesPerSec, undefined);
  t.match(lines.join(''), /read probe failed/);
  t.match(result.status.facts.throughputMeasured, /^unknown: the read probe of .*vanished\.dump failed/);
});

t.test('a copy too small to time gives no throughput: unknown, and the location says why', async (t) => {
  const dir = t.testdir({ 'small.dump': randomBytes(141 * 1024), state: {} });
  const location = diskLocation(dir);
  const result = resultWith([copy({ path: join(dir, 'small.dump'), bytes: 141 * 1024, restore: { retrievalMs: 0 } })]);
  result.status.facts.source = 'overlay';
  const probe = fixedProbe({ bytesPerSec: 1.4e9, sampleBytes: 141 * 1024, direct: true });
  await fillMeasuredThroughput([result], [location], {
    stateDir: join(dir, 'state'),
    now: new Date(),
    logger,
    probes: { disk: probe.read },
  });
  t.equal(probe.calls(), 0, 'a 141 kB read says nothing about a restore');
  t.equal(result.copies[0]?.restore?.throughputBytesPerSec, undefined);
  t.match(
    result.status.facts.throughputMeasured,
    /^unknown: the largest copy \(.*\) is smaller than the 67.1 MB a read probe needs: configure `throughput` on location local$/,
  );
});

t.test('a measurement kept from a sample below the minimum is not reused', async (t) => {
  const dir = t.testdir({ 'a.dump': randomBytes(SAMPLE), state: {} });
  const path = join(dir, 'a.dump');
  const measuredAt = new Date().toISOString();
  const stale = {
    local: { bytesPerSec: 1.4e9, sampleBytes: 141 * 1024, direct: true, device: 'd1', measuredAt, path },
  };
  writeFileSync(join(dir, 'state', 'read-probe.json'), JSON.stringify(stale));
  const location = diskLocation(dir);
  const result = resultWith([copy({ path, bytes: SAMPLE, device: 'd1', restore: { retrievalMs: 0 } })]);
  await fillMeasuredThroughput([result], [location], { stateDir: join(dir, 'state'), now: new Date(), logger });
  t.equal(JSON.parse(readFileSync(join(dir, 'state', 'read-probe.json'), 'utf8')).local.sampleBytes, SAMPLE);
});

t.test('with only small copies, the block device under the location is read instead', async (t) => {
  const dir = t.testdir({ 'small.dump': 'x'.repeat(1000), device: randomBytes(SAMPLE), state: {} });
  const location = diskLocation(dir);
  const result = resultWith([copy({ path: join(dir, 'small.dump'), bytes: 1000, restore: { retrievalMs: 0 } })]);
  // A real block device needs root and a loop device (test/verify/throughput-device.test.ts); the
  // choice of target is what this case is about, so a big file stands in for the device node here.
  result.status.facts.source = '/dev/fake-device';
  const read: string[] = [];
  await fillMeasuredThroughput([result], [location], {
    stateDir: join(dir, 'state'),
    now: new Date(),
    logger,
    isBlockDevice: (path) => path === '/dev/fake-device',
    probes: {
      disk: async (path, maxBytes) => {
        read.push(path);
        return probeReadSpeed(join(dir, 'device'), maxBytes);
      },
    },
  });
  t.same(read, ['/dev/fake-device']);
  t.ok((result.copies[0]?.restore?.throughputBytesPerSec ?? 0) > 0);
  t.match(result.status.facts.throughputMeasured, /sample of \/dev\/fake-device/);
});
