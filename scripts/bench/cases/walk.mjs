// Case: the disk walk alone (readdir + stat of every matching file in a nested tree) beside `find -printf`.
import { join } from 'node:path';
import { nestedTree } from '../data.mjs';
import { alternate, ours, peer } from '../measure.mjs';
import { timeRow } from '../row.mjs';

export const id = 'walk';

/** The nested tree is shared with the warm-verify case: made once per run. */
export function ensureTree(ctx) {
  const root = join(ctx.scratch, 'tree');
  if (!ctx.made.has(root)) {
    nestedTree(root, ctx.profile.treeFiles, 20);
    ctx.made.add(root);
  }
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
    title: `walk + stat of ${count.toLocaleString('en')} files (disk-walk.ts walkPattern)`,
    size: `${count} files`,
    samples,
    peers: ['find'],
    max: 1.5,
    loadAtStart: ctx.loadAtStart,
  });
}
