// Case: a second verify over an unchanged tree (checksum cache warm) beside `find -printf`; no file may be re-read.
import { join } from 'node:path';
import { diskConfig, treeDatasets } from '../data.mjs';
import { alternate, ours, peer } from '../measure.mjs';
import { timeRow } from '../row.mjs';
import { settledTree } from './tree-walk.mjs';

export const id = 'warm-verify';

export async function run(ctx) {
  const root = await settledTree(ctx);
  const count = ctx.profile.treeFiles;
  const config = diskConfig(join(ctx.scratch, 'warm.json'), {
    // A state dir of its own per attempt: a re-run's first verify must hash everything again.
    stateDir: join(ctx.scratch, 'state', `warm-${Date.now()}`),
    location: root,
    datasets: treeDatasets(20),
  });
  // The first verify hashes every file and fills the cache; it is set-up, not measured.
  const first = await ours('verify', { config });
  if (first.checksumStats.filesHashed !== count)
    throw new Error(`first verify hashed ${first.checksumStats.filesHashed} of ${count} files`);
  const samples = await alternate(
    {
      ours: () => ours('verify', { config }),
      find: () => peer(`find '${root}' -type f -printf '%s %T@\\n' > /dev/null`, ctx.scratch),
    },
    ctx.profile.rounds,
  );
  const bytesRead = Math.max(...samples.ours.map((s) => s.checksumStats.bytesHashed));
  const filesHashed = Math.max(...samples.ours.map((s) => s.checksumStats.filesHashed));
  const readChars = Math.max(...samples.ours.map((s) => s.readChars));
  const row = timeRow({
    id,
    title: `second verify over ${count.toLocaleString('en')} unchanged files (cache warm)`,
    size: `${count} files`,
    samples,
    peers: ['find'],
    max: ctx.profile.warmVerifyMax,
    loadAtStart: ctx.loadAtStart,
    extra: { bytesRead, filesHashed },
  });
  row.target += ', 0 bytes re-read';
  row.pass = row.pass && bytesRead === 0 && filesHashed === 0;
  row.notes.push(
    `backup bytes read by the hash workers: ${bytesRead} (files hashed: ${filesHashed}); all read() bytes of the process during verify(): ${(readChars / 2 ** 20).toFixed(1)} MiB (the checksum cache file, config, mount table)`,
    `first (cold) verify: ${Math.round(first.wallMs)} ms, ${first.copies} copies`,
  );
  return row;
}
