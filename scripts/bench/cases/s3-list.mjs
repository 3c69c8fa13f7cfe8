// Case: the s3 source's listing of N objects on a local s3rver beside a plain ListObjectsV2 loop, in objects/s.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { alternate, ours, spread, summary } from '../measure.mjs';
import { startS3rver, verifyServed, writeObjects } from '../s3rver.mjs';

export const id = 's3-list';
const BUCKET = 'bench';
const PREFIX = 'backups/';
const PLAIN = 'plain ListObjectsV2 loop';

function side(samples, rate) {
  return {
    ...summary(samples, rate),
    cpuMs: summary(samples, (s) => s.cpuMs).median,
    maxRssMB: Math.max(...samples.map((s) => s.maxRssMB)),
    wallMs: summary(samples).median,
  };
}

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
    // Both sides read credentials from the environment (the SDK's default chain); s3rver knows only S3RVER.
    const env = {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const sides = {
      ours: () => ours('s3-list', { config }, { env }),
      [PLAIN]: () => ours('s3-plain', { endpoint: server.endpoint, bucket: BUCKET, prefix: PREFIX }, { env }),
    };
    if (ctx.profile.s3SourceSide) sides.source = () => ours('s3-source', { config }, { env });
    const samples = await alternate(sides, ctx.profile.s3Rounds);
    for (const [name, list] of Object.entries(samples)) {
      for (const s of list)
        if (s.objects !== count)
          throw new Error(
            `${name} found ${s.objects} objects (${s.status ?? ''} ${s.issues ?? ''}), expected ${count}`,
          );
    }
    const rate = (s) => count / (s.wallMs / 1000);
    const mine = side(samples.ours, rate);
    const plain = side(samples[PLAIN], rate);
    const source = samples.source ? side(samples.source, rate) : undefined;
    const ratio = mine.median / plain.median;
    return {
      id,
      title: `S3 listing of ${count.toLocaleString('en')} objects (the s3 source's listing step, local s3rver)`,
      size: `${count} objects`,
      unit: 'obj/s',
      ours: mine,
      peers: [{ name: PLAIN, ...plain }],
      ratio,
      target: '≥ 0.90× plain loop',
      pass: ratio >= 0.9,
      spread: Math.max(spread(mine), spread(plain)),
      loadAtStart: ctx.loadAtStart,
      loadAtEnd: Number(loadavg()[0].toFixed(2)),
      source,
      notes: [
        source
          ? `whole s3 source inventory (bucket region, versioning and Object Lock requests, listing, evidence, copies): ${Math.round(source.median)} obj/s (${Math.round(source.wallMs)} ms), ${(source.median / plain.median).toFixed(2)}× the plain loop; s3rver answers ?versioning and ?object-lock with a full listing page, so those two requests cost it as much as a page each; source status ${samples.source[0].status}, issues: ${[...new Set(samples.source.flatMap((s) => s.issues))].join(', ') || 'none'}`
          : 'whole s3 source inventory: not measured in quick runs (a note, never judged; the full run prints it)',
        `${ctx.profile.s3Rounds} rounds; objects written in s3rver's disk layout, served by s3rver pid ${server.pid}`,
      ],
    };
  } finally {
    await server.stop();
  }
}
