// The JSON writer leaves the model as it found it: writing a report does not make the heap keep a
// flat copy of every copy's id and path (json-stand-ins.ts says why), and the text is JSON.stringify's.
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { buildDemoEstate } from '../../src/demo/estate.js';
import type { AssessedCopy } from '../../src/model.js';
import { evidenceFor } from '../../src/policy/evidence.js';
import { renderInventoryChunks } from '../../src/report/render/inventory.js';
import { renderJson, renderJsonChunks } from '../../src/report/render/json.js';
import * as policyCopies from '../helpers/copies.js';
import { verify } from '../../src/verify/run.js';
import { dataset, finding, findings, report } from './fixture.js';

// A full garbage collection on demand, as `node --expose-gc` gives it, for this test's measurements.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after full collections: what is kept, not what is garbage. */
function keptBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Copies whose id and path are made as the disk source makes them: a directory with its slash, then a
 * file name as read from the directory (a flat string: JSON.parse makes them so here), and the
 * location's prefix before the path.
 */
function copies(n: number): AssessedCopy[] {
  const directories = Array.from({ length: 100 }, (_, d) => `/backup/estate/host-${d}/erp/`);
  const names = JSON.parse(JSON.stringify(Array.from({ length: n }, (_, i) => `erp-${i}.dump`))) as string[];
  return names.map((name, i) => ({
    ...policyCopies.copy({ device: `d${i % 3}`, path: (directories[i % 100] as string) + name }),
    assessment: { usable: true, notes: [], ageMs: 3_600_000 },
  }));
}

/** A report of these copies whose evidence names each of them, in a list made when read (as policy makes it). */
function reportOf(list: AssessedCopy[]) {
  const evidence = { notCounted: evidenceFor(list, 'same-device') };
  const listed = finding('copies', 'pass', 'ok', { have: 1, need: 1 }, evidence);
  return report([dataset('erp', 'compliant', findings([listed]), { copies: list })]);
}

/** Writes every piece somewhere that keeps none of them, as a file would. */
function drain(pieces: Iterable<string>): number {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length;
}

t.test('writing a report keeps no flat copy of its copies’ ids and paths', async (t) => {
  const written = reportOf(copies(100_000));
  const before = keptBytes();
  const length = drain(renderJsonChunks(written));
  const grown = keptBytes() - before;
  t.ok(length > 50_000_000, `${length} characters written`);
  // Flattened where they live, the 100,000 ids and paths would stay: 7 MB more (measured without the stand-ins).
  t.ok(grown < 2_000_000, `the heap kept ${(grown / 1e6).toFixed(1)} MB more after writing`);
});

t.test('the inventory as JSON, likewise', async (t) => {
  const list = copies(100_000);
  const before = keptBytes();
  drain(renderInventoryChunks(list, 'json', { lang: 'en' }));
  const grown = keptBytes() - before;
  t.ok(grown < 2_000_000, `the heap kept ${(grown / 1e6).toFixed(1)} MB more after writing`);
});

t.test('written from stand-ins, the text is the one JSON.stringify writes', async (t) => {
  const small = reportOf(copies(3000));
  t.equal(renderJson(small), `${JSON.stringify(small, null, 2)}\n`);
  const list = copies(3000);
  t.equal([...renderInventoryChunks(list, 'json', { lang: 'en' })].join(''), `${JSON.stringify(list, null, 2)}\n`);
});

t.test("the demo estate's report as verify builds it: the text JSON.stringify writes, to the byte", async (t) => {
  const { configFile } = buildDemoEstate(t.testdir(), new Date());
  const { report: built } = await verify({ config: await loadConfig(configFile), logger: pino({ level: 'silent' }) });
  t.equal(renderJson(built), `${JSON.stringify(built, null, 2)}\n`);
});
