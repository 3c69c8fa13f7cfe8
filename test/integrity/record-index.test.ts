// The checksum cache's hash index agrees with a plain Map through inserts, replacements and removals.
import t from 'tap';
import { createRecordIndex } from '../../src/integrity/record-index.js';

const STRIDE = 3;

/** Records as the cache keeps them: [dev, ino, unused] per record, in an array that grows. */
function recordStore() {
  let f64 = new Float64Array(STRIDE * 4);
  let count = 0;
  return {
    records: () => f64,
    add(dev: number, ino: number): number {
      if ((count + 1) * STRIDE > f64.length) {
        const next = new Float64Array(f64.length * 2);
        next.set(f64);
        f64 = next;
      }
      f64[count * STRIDE] = dev;
      f64[count * STRIDE + 1] = ino;
      return count++;
    },
  };
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

t.test('50,000 mixed operations give the same answers as a Map', async (t) => {
  const store = recordStore();
  const index = createRecordIndex(store.records, { stride: STRIDE, devAt: 0, inoAt: 1 });
  const reference = new Map<string, number>();
  const next = random(42);
  // Consecutive inodes (as a fresh filesystem hands out), huge ones (beyond 32 bits) and several devices:
  // small and huge numbers, a filesystem's 52-bit key, and the negative key of an older release's st_dev.
  const keyAt = (i: number): [number, number] => {
    const dev = [2049, 64768, 2 ** 40 + 5, 2 ** 52 - 3, -64769][i % 5] as number;
    const ino = i % 7 === 0 ? 2 ** 33 + i : 1000 + i;
    return [dev, ino];
  };
  let mismatches = 0;
  for (let step = 0; step < 50_000; step++) {
    const [dev, ino] = keyAt(Math.floor(next() * 8000));
    const name = `${dev}:${ino}`;
    const action = next();
    if (action < 0.55) {
      const record = store.add(dev, ino);
      const isNew = index.set(dev, ino, record);
      if (isNew !== !reference.has(name)) mismatches++;
      reference.set(name, record);
    } else if (action < 0.7) {
      if (index.remove(dev, ino) !== reference.delete(name)) mismatches++;
    } else if (index.find(dev, ino) !== (reference.get(name) ?? -1)) mismatches++;
  }
  t.equal(mismatches, 0, 'every set, remove and find answered as the Map did');
  let found = 0;
  for (const [name, record] of reference) {
    const [dev, ino] = name.split(':').map(Number) as [number, number];
    if (index.find(dev, ino) === record) found++;
  }
  t.equal(found, reference.size, `all ${reference.size} live keys found at the end`);
  t.equal(index.find(1, 1), -1, 'a key never stored is not found');
});

t.test('keys that differ only in the device, or only above 32 bits of the inode, are different keys', async (t) => {
  const store = recordStore();
  const index = createRecordIndex(store.records, { stride: STRIDE, devAt: 0, inoAt: 1 });
  const keys: Array<[number, number]> = [
    [1, 7],
    [2, 7],
    [1, 7 + 2 ** 32],
    [1 + 2 ** 32, 7],
    [-2, 7],
  ];
  for (const [dev, ino] of keys) t.ok(index.set(dev, ino, store.add(dev, ino)), `${dev}:${ino} is new`);
  keys.forEach(([dev, ino], record) => {
    t.equal(index.find(dev, ino), record);
  });
  t.ok(index.remove(2, 7));
  t.equal(index.find(2, 7), -1);
  t.equal(index.find(1 + 2 ** 32, 7), 3, 'found past the removed entry');
  index.clear();
  t.equal(index.find(1, 7), -1, 'clear() forgets everything');
});
