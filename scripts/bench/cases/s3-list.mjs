// Case: the s3 source's inventory of N objects on a local s3rver beside a plain ListObjectsV2 loop, in objects/s.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { alternate, ours, summary } from '../measure.mjs';
import { startS3rver, verifyServed, writeObjects } from '../s3rver.mjs';

export const id = 's3-list';
const BUCKET = 'bench';
const PREFIX = 'backups/';

export async function run(ctx) {
  const count = ctx.profile.s3Objects;
  const directory = join(ctx.scratch, 's3rver');
  writeObjects(directory, BUCKET, PREFIX, count);
  const server = await startS3rver(directory);
  ctx.onCleanup(() => server.stop());
  try {
    await verifyServed(server.endpoint, BUCKET, `${PREFIX}obj-000000.dump`, 'backup object 0\n');
    const config = join(ctx.scratch, 's3.json');
    writeFileSync(
      config,
      JSON.stringify({
        agent: { id: 'bench', stateDir: join(ctx.scratch, 'state', 's3') },
        locations: [{ id: 'cloud', type: 's3', bucket: BUCKET, endpoint: server.endpoint, forcePathStyle: true }],
        datasets: [{ id: 'objects', copies: { cloud: PREFIX } }],
      }),
    );
    // The product reads credentials from the standard chain; s3rver only knows S3RVER/S3RVER.
    const env = {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const samples = await alternate(
      {
        ours: () => ours('s3-source', { config }, { env }),
        'plain ListObjectsV2 loop': () =>
          ours('s3-plain', { endpoint: server.endpoint, bucket: BUCKET, prefix: PREFIX }, { env }),
      },
      ctx.profile.rounds,
    );
    for (const s of samples.ours)
      if (s.objects !== count)
        throw new Error(`s3 source found ${s.objects} objects (${s.status}: ${s.issues}), expected ${count}`);
    for (const s of samples['plain ListObjectsV2 loop'])
      if (s.objects !== count) throw new Error(`plain loop listed ${s.objects}, expected ${count}`);
    const rate = (s) => count / (s.wallMs / 1000);
    const mine = summary(samples.ours, rate);
    const plain = summary(samples['plain ListObjectsV2 loop'], rate);
    const ratio = mine.median / plain.median;
    return {
      id,
      title: `S3 listing of ${count.toLocaleString('en')} objects (s3 source inventory, local s3rver)`,
      size: `${count} objects`,
      unit: 'obj/s',
      ours: {
        ...mine,
        cpuMs: summary(samples.ours, (s) => s.cpuMs).median,
        maxRssMB: Math.max(...samples.ours.map((s) => s.maxRssMB)),
        wallMs: summary(samples.ours).median,
      },
      peers: [
        {
          name: 'plain ListObjectsV2 loop',
          ...plain,
          cpuMs: summary(samples['plain ListObjectsV2 loop'], (s) => s.cpuMs).median,
          maxRssMB: Math.max(...samples['plain ListObjectsV2 loop'].map((s) => s.maxRssMB)),
        },
      ],
      ratio,
      target: '≥ 0.90× plain loop',
      pass: ratio >= 0.9,
      spread: 0,
      loadAtStart: ctx.loadAtStart,
      loadAtEnd: Number(loadavg()[0].toFixed(2)),
      notes: [
        `source status ${samples.ours[0].status}, issues: ${[...new Set(samples.ours.flatMap((s) => s.issues))].join(', ') || 'none'}; s3rver pid ${server.pid} lists from its own disk layout`,
      ],
    };
  } finally {
    await server.stop();
  }
}
