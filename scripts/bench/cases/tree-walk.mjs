// Case: the disk walk alone (readdir + stat of every matching file in a nested tree) beside `find -printf`.
import { join } from 'node:path';
import { nestedTree } from '../data.mjs';
import { alternate, ours, peer } from '../measure.mjs';
import { timeRow } from '../row.mjs';

export const id = 'walk';

/** When each tree was made (epoch ms), by its root. */
const madeAt = new Map();

/** The nested tree is shared with the warm-verify case: made once per run. */
export function ensureTree(ctx) {
  const root = join(ctx.scratch, 'tree');
  if (!ctx.made.has(root)) {
    nestedTree(root, ctx.profile.treeFiles, 20);
    ctx.made.add(root);
    madeAt.set(root, Date.now());
  }
  return root;
}

/**
 * Waits until the tree is more than 2 s old: a file hashed within 2 s of its mtime is read again by
 * the next verify (the checksum cache's racily-clean rule), and a warm verify must read nothing.
 */
export async function settledTree(ctx) {
  const root = ensureTree(ctx);
  const wait = (madeAt.get(root) ?? 0) + 2100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return root;
}

export async function run(ctx) {
  const root = ensureTree(ctx);
  const count = ctx.profile.treeFiles;
  const samples = await alternate(
    {
      ours: () => ours('walk', { root, pattern: '**/*.dump' }),
      find: () => peer(`find '${root}' -type f -printf '%s %T@\\n' > /dev/null`, ctx.scratch),
    },
    ctx.profile.rounds,
  );
  const found = samples.ours.at(-1)?.files;
  if (found !== count) throw new Error(`walk found ${found} files, expected ${count}`);
  return timeRow({
    id,
    title: `walk + stat of ${count.toLocaleString('en')} files (disk/walk.ts walkPattern)`,
    size: `${count} files`,
    samples,
    peers: ['find'],
    max: 1.5,
    loadAtStart: ctx.loadAtStart,
  });
}
