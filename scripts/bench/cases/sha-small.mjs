// Case: SHA-256 of many small files (verify --deep over one disk location) beside find | xargs -P2 openssl / sha256sum.
import { join } from 'node:path';
import { diskConfig, smallFiles } from '../data.mjs';
import { alternate, ours, peer } from '../measure.mjs';
import { timeRow } from '../row.mjs';

export const id = 'sha-small';

export async function run(ctx) {
  const { smallFileCount: count, smallFileBytes: size } = ctx.profile;
  const root = smallFiles(join(ctx.scratch, 'small'), count, size);
  const config = diskConfig(join(ctx.scratch, 'small.json'), {
    stateDir: join(ctx.scratch, 'state', 'small'),
    location: root,
    datasets: { small: '**/*.bak' },
  });
  // Peers get the same walk to do: find lists the tree, xargs runs two hashers at a time, 256 files each.
  const xargs = (tool) => `find '${root}' -type f -print0 | xargs -0 -P2 -n 256 ${tool} > /dev/null`;
  const samples = await alternate(
    {
      // --deep: every file is read again, whatever the cache holds.
      ours: () => ours('verify', { config, deep: true }),
      'openssl pipeline': () => peer(xargs('openssl dgst -sha256'), ctx.scratch),
      ...(ctx.profile.unjudgedPeers ? { 'sha256sum pipeline': () => peer(xargs('sha256sum'), ctx.scratch) } : {}),
    },
    ctx.profile.rounds,
  );
  const hashed = samples.ours.at(-1)?.checksumStats;
  const row = timeRow({
    id,
    title: `SHA-256 of ${count.toLocaleString('en')} files of ${size / 1024} KiB (verify --deep)`,
    size: `${count} × ${size / 1024} KiB`,
    samples,
    peers: ctx.profile.unjudgedPeers ? ['openssl pipeline', 'sha256sum pipeline'] : ['openssl pipeline'],
    max: 1.1,
    loadAtStart: ctx.loadAtStart,
  });
  row.notes.push(
    `ours hashed ${hashed?.filesHashed} files, ${hashed?.bytesHashed} bytes per run (whole verify: walk, hash, policy, report)`,
  );
  return row;
}
