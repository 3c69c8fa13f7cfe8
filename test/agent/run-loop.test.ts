// One run at a time: what comes during a run is skipped (schedule), waits (deep) or is gathered (watch),
// and a stop lets the run finish within its grace or aborts it.
import pino from 'pino';
import t from 'tap';
import type { RunRequest } from '../../src/agent/run-cycle.js';
import { createRunLoop } from '../../src/agent/run-loop.js';

const logger = pino({ level: 'silent' });

/** A run that lasts until the test releases it (or its signal aborts it). */
function controlledRuns() {
  const started: RunRequest[] = [];
  const releases: Array<() => void> = [];
  const execute = (request: RunRequest, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      started.push(request);
      releases.push(resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  const releaseNext = async () => {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, execute, releaseNext };
}

t.test('a scheduled run due during a run is skipped and counted; the next one starts after', async (t) => {
  const runs = controlledRuns();
  const skipped: RunRequest[] = [];
  const loop = createRunLoop({ execute: runs.execute, skipped: (r) => skipped.push(r), logger });
  t.equal(loop.request({ trigger: 'schedule' }), 'started');
  t.equal(loop.request({ trigger: 'schedule' }), 'skipped');
  t.equal(loop.request({ trigger: 'manual' }), 'skipped');
  t.equal(skipped.length, 2);
  await runs.releaseNext();
  t.equal(loop.running(), undefined);
  t.equal(loop.request({ trigger: 'schedule' }), 'started');
  t.equal(runs.started.length, 2, 'two runs, never two at once');
  await runs.releaseNext();
  await loop.idle();
});

t.test('a deep run due during a run waits for it; changes that waited are read by it', async (t) => {
  const runs = controlledRuns();
  const loop = createRunLoop({ execute: runs.execute, skipped: () => t.fail('nothing skipped'), logger });
  loop.request({ trigger: 'schedule' });
  t.equal(loop.request({ trigger: 'watch', locations: ['nas'] }), 'queued');
  t.equal(loop.request({ trigger: 'deep' }), 'queued');
  await runs.releaseNext();
  t.same(runs.started.at(-1), { trigger: 'deep' });
  await runs.releaseNext();
  await loop.idle();
  t.equal(runs.started.length, 2, 'the watched change was not read again after the deep run');
});

t.test('watched changes during a run are gathered into one run after it', async (t) => {
  const runs = controlledRuns();
  const loop = createRunLoop({ execute: runs.execute, skipped: () => t.fail('nothing skipped'), logger });
  loop.request({ trigger: 'schedule' });
  loop.request({ trigger: 'watch', locations: ['nas'] });
  loop.request({ trigger: 'watch', locations: ['local', 'nas'] });
  loop.request({ trigger: 'watch', locations: [], drillsChanged: true });
  await runs.releaseNext();
  t.same(runs.started.at(-1), { trigger: 'watch', locations: ['nas', 'local'], drillsChanged: true });
  await runs.releaseNext();
  await loop.idle();
  t.equal(runs.started.length, 2);
});

t.test('stop: a run that ends within the grace finishes; one that does not is aborted', async (t) => {
  const runs = controlledRuns();
  const loop = createRunLoop({ execute: runs.execute, skipped: () => undefined, logger });
  loop.request({ trigger: 'schedule' });
  const stopping = loop.stop(60_000);
  await runs.releaseNext();
  t.equal(await stopping, 'finished');
  t.equal(loop.request({ trigger: 'schedule' }), 'skipped', 'nothing starts after a stop');

  const hung = controlledRuns();
  const other = createRunLoop({ execute: hung.execute, skipped: () => undefined, logger });
  other.request({ trigger: 'deep' });
  t.equal(await other.stop(10), 'aborted');
  t.equal(other.running(), undefined);
  t.equal(await other.stop(10), 'idle');
});

t.test('a run that fails is logged and the loop goes on', async (t) => {
  let calls = 0;
  const loop = createRunLoop({
    execute: async () => {
      calls++;
      throw new Error('disk on fire');
    },
    skipped: () => undefined,
    logger,
  });
  loop.request({ trigger: 'schedule' });
  await loop.idle();
  t.equal(loop.request({ trigger: 'schedule' }), 'started');
  await loop.idle();
  t.equal(calls, 2);
});
