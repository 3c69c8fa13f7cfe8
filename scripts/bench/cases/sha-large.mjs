// Case: SHA-256 of one big file through the checksum service, beside `openssl dgst -sha256` and `sha256sum`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bigFile } from '../data.mjs';
import { alternate, ours, peer } from '../measure.mjs';
import { timeRow } from '../row.mjs';

export const id = 'sha-large';

/** The big file is shared with the event-loop case: made once per run. */
export function ensureBigFile(ctx) {
  const path = join(ctx.scratch, 'big', 'big.dump');
  if (!ctx.made.has(path)) {
    mkdirSync(join(ctx.scratch, 'big'), { recursive: true });
    bigFile(path, ctx.profile.bigFileBytes);
    ctx.made.add(path);
  }
  return path;
}

export async function run(ctx) {
  const file = ensureBigFile(ctx);
  const gib = ctx.profile.bigFileBytes / 2 ** 30;
  let sample = 0;
  const samples = await alternate(
    {
      // A fresh state dir each time: an empty cache, so this is the hash and nothing else.
      ours: () => ours('hash-file', { file, stateDir: join(ctx.scratch, 'state', `sha-large-${sample++}`) }),
      openssl: () => peer(`openssl dgst -sha256 '${file}' > /dev/null`, ctx.scratch),
      ...(ctx.profile.unjudgedPeers ? { sha256sum: () => peer(`sha256sum '${file}' > /dev/null`, ctx.scratch) } : {}),
    },
    ctx.profile.rounds,
  );
  const row = timeRow({
    id,
    title: `SHA-256 of one ${gib} GiB file`,
    size: `${gib} GiB`,
    samples,
    peers: ctx.profile.unjudgedPeers ? ['openssl', 'sha256sum'] : ['openssl'],
    max: 1.1,
    loadAtStart: ctx.loadAtStart,
  });
  const gbps = (ms) => (ctx.profile.bigFileBytes / 1e9 / (ms / 1000)).toFixed(2);
  const sha256sum = row.peers[1] ? `, sha256sum ${gbps(row.peers[1].median)} GB/s` : '';
  row.notes.push(
    `throughput: ours ${gbps(row.ours.median)} GB/s, openssl ${gbps(row.peers[0].median)} GB/s${sha256sum}`,
  );
  return row;
}
