// Builds the benchmark's data sets in a temp dir: one big file, many small files, nested trees, configs.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One file of `bytes` pseudo-random bytes (a 16 MiB random block, each repeat with a changed first word). */
export function bigFile(path, bytes) {
  const block = randomBytes(16 * 1024 * 1024);
  const fd = openSync(path, 'w');
  try {
    for (let done = 0, round = 0; done < bytes; round++) {
      block.writeUInt32LE(round, 0);
      const n = Math.min(block.length, bytes - done);
      done += writeSync(fd, block, 0, n);
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** `count` files of `size` bytes, 1,000 per directory, each with distinct content. */
export function smallFiles(root, count, size) {
  const pool = randomBytes(size + count * 8);
  for (let i = 0; i < count; i++) {
    const dir = join(root, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.bak`), pool.subarray(i * 8, i * 8 + size));
  }
  return root;
}

/**
 * A nested tree of `count` small files: `top` dataset directories, each with sub-directories of 100
 * files (`<root>/ds<i>/s<j>/f<n>.dump`, n unique as in dated backup names: same name and size with
 * other content would be "conflicting" copies of one restore point). Files hold a few distinct bytes
 * so each has its own checksum, or are empty (`content` false: inodes only, no data blocks).
 */
export function nestedTree(root, count, top, content = true) {
  const perTop = Math.ceil(count / top);
  let made = 0;
  for (let t = 0; t < top && made < count; t++) {
    for (let s = 0; made < count && s * 100 < perTop; s++) {
      const dir = join(root, `ds${t}`, `s${s}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 100 && s * 100 + f < perTop && made < count; f++, made++) {
        const path = join(dir, `f${made}.dump`);
        if (content) writeFileSync(path, `${made}\n`);
        else closeSync(openSync(path, 'w'));
      }
    }
  }
  return root;
}

/** A verify config: one disk location; `datasets` maps dataset id → glob. Throughput is configured, so no read probe runs. */
export function diskConfig(path, { stateDir, location, datasets }) {
  const config = {
    agent: { id: 'bench', stateDir },
    // One copy is enough: the run's cost, not its verdict, is measured.
    policy: { minCopies: 1, minMedia: 1, minOffline: 0 },
    locations: [{ id: 'local', type: 'disk', path: location, throughput: '300MB/s' }],
    datasets: Object.entries(datasets).map(([id, pattern]) => ({ id, copies: { local: pattern } })),
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** Datasets ds0…ds<n-1> of a nestedTree, each `ds<i>/**\/*.dump`. */
export function treeDatasets(n) {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`ds${i}`, `ds${i}/**/*.dump`]));
}
