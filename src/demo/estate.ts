// Builds a small demo estate in a directory: backup files, an offline-media log, a drill log and a config,
// and, given the demo's object store, an offsite copy in one of its buckets.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface DemoFile {
  location: 'local' | 'nas' | 'cloud';
  path: string;
  content: Buffer;
  ageMs: number;
  sidecar?: boolean;
}

/** Where the demo's object store (object-store.ts) serves the estate's bucket. */
export interface DemoBucket {
  endpoint: string;
  /** The folder the store serves, each subfolder a bucket. */
  directory: string;
  bucket: string;
}

function write(folder: string, file: DemoFile, now: number): void {
  const full = join(folder, file.path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, file.content);
  const time = new Date(now - file.ageMs);
  utimesSync(full, time, time);
  if (file.sidecar) {
    const name = file.path.split('/').at(-1);
    writeFileSync(`${full}.sha256`, `${sha256(file.content)}  ${name}\n`);
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The demo's story: one compliant dataset, one at risk, and three non-compliant for different reasons.
 * Without a bucket the estate has no s3 location (tests and benchmarks that need no endpoint).
 */
export function buildDemoEstate(
  root: string,
  now: Date,
  options: { bucket?: DemoBucket } = {},
): { configFile: string } {
  const t = now.getTime();
  const iso = (ageMs: number) => new Date(t - ageMs).toISOString();
  const erp = randomBytes(256 * 1024);
  const erpYesterday = randomBytes(200 * 1024);
  const mail = randomBytes(128 * 1024);
  const files = randomBytes(192 * 1024);
  const filesDamaged = Buffer.from(files);
  filesDamaged.fill(0, 4096, 8192); // a bad sector's worth of zeros on the NAS copy
  const crm = randomBytes(64 * 1024);
  const wiki = randomBytes(96 * 1024);
  const demoFiles: DemoFile[] = [
    {
      location: 'local',
      path: 'erp/erp-db-yesterday.dump',
      content: erpYesterday,
      ageMs: 26 * HOUR,
      sidecar: true,
    },
    { location: 'local', path: 'erp/erp-db-latest.dump', content: erp, ageMs: 2 * HOUR, sidecar: true },
    { location: 'nas', path: 'erp/erp-db-latest.dump', content: erp, ageMs: 90 * 60_000 },
    { location: 'local', path: 'mail/mail-latest.tar', content: mail, ageMs: 5 * HOUR },
    { location: 'local', path: 'files/files-latest.tar.zst', content: files, ageMs: 3 * HOUR, sidecar: true },
    { location: 'nas', path: 'files/files-latest.tar.zst', content: filesDamaged, ageMs: 3 * HOUR },
    { location: 'local', path: 'crm/crm-latest.sql.gz', content: crm, ageMs: 3 * DAY },
    { location: 'nas', path: 'crm/crm-latest.sql.gz', content: crm, ageMs: 3 * DAY },
    { location: 'local', path: 'wiki/wiki-latest.tar', content: wiki, ageMs: 4 * HOUR },
    { location: 'nas', path: 'wiki/wiki-latest.tar', content: wiki, ageMs: 4 * HOUR },
  ];
  // The offsite copy, uploaded after the NAS copy: the store computes its SHA-256 ("store" evidence).
  if (options.bucket)
    demoFiles.push({ location: 'cloud', path: 'erp/erp-db-latest.dump', content: erp, ageMs: 80 * 60_000 });
  const folderOf = (location: DemoFile['location']): string =>
    location === 'cloud' && options.bucket
      ? join(options.bucket.directory, options.bucket.bucket)
      : join(root, location);
  for (const file of demoFiles) write(folderOf(file.location), file, t);

  const media = (ts: number, event: string, id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      ts: iso(ts),
      event,
      media: id,
      mediumType: id.startsWith('LTO') ? 'tape' : 'removable-disk',
      ...extra,
    });
  const written = (ts: number, id: string, dataset: string, file: string, content: Buffer, withSha = true) =>
    media(ts, 'written', id, { dataset, file, ...(withSha ? { sha256: sha256(content) } : {}), bytes: content.length });
  const verified = (ts: number, id: string, dataset: string, file: string, content: Buffer) =>
    media(ts, 'verified', id, { dataset, file, sha256: sha256(content), bytes: content.length });
  const log = [
    written(25 * HOUR, 'LTO-000141', 'erp-db', 'erp/erp-db-yesterday.dump', erpYesterday),
    // Tapes are read back before they leave: a `verified` event is a read of their content.
    verified(24.5 * HOUR, 'LTO-000141', 'erp-db', 'erp/erp-db-yesterday.dump', erpYesterday),
    media(24 * HOUR, 'offline', 'LTO-000141', { notes: 'to vault, box 6' }),
    written(60 * 60_000, 'LTO-000142', 'erp-db', 'erp/erp-db-latest.dump', erp),
    written(58 * 60_000, 'LTO-000142', 'files', 'files/files-latest.tar.zst', files),
    verified(50 * 60_000, 'LTO-000142', 'erp-db', 'erp/erp-db-latest.dump', erp),
    verified(49 * 60_000, 'LTO-000142', 'files', 'files/files-latest.tar.zst', files),
    media(45 * 60_000, 'offline', 'LTO-000142', { notes: 'to vault, box 7' }),
    // The crm USB disk was never read back: its checksum is only declared.
    written(3 * DAY, 'USB-0007', 'crm', 'crm/crm-latest.sql.gz', crm),
    media(3 * DAY - HOUR, 'offline', 'USB-0007'),
    written(3 * HOUR, 'USB-0009', 'wiki', 'wiki/wiki-latest.tar', wiki, false),
    media(2 * HOUR, 'offline', 'USB-0009', { notes: 'safe, 2nd floor' }),
  ];
  // An append-only log is in time order: operators append events as they happen.
  const ordered = log.map((line) => ({ line, ts: Date.parse(JSON.parse(line).ts) })).sort((a, b) => a.ts - b.ts);
  writeFileSync(join(root, 'offline-media.jsonl'), `${ordered.map((e) => e.line).join('\n')}\n`);

  const drill = (dataset: string, finishedAgoMs: number, tookMs: number, result = 'success') =>
    JSON.stringify({
      dataset,
      startedAt: iso(finishedAgoMs + tookMs),
      finishedAt: iso(finishedAgoMs),
      result,
      location: 'vault',
    });
  const drills = [
    drill('erp-db', 20 * DAY, 3 * HOUR),
    drill('files', 40 * DAY, 5 * HOUR),
    drill('crm', 10 * DAY, 2 * HOUR),
    drill('wiki', 30 * DAY, HOUR),
  ];
  writeFileSync(join(root, 'restore-drills.jsonl'), `${drills.join('\n')}\n`);

  const config = {
    $schema: '../schema/agent.config.schema.json',
    agent: { id: 'demo-01', stateDir: join(root, 'state') },
    policy: {
      minCopies: 3,
      minMedia: 2,
      minOffline: 1,
      rpo: '24h',
      rto: '24h',
      offlineMaxAge: '7d',
      drillMaxAge: '90d',
    },
    locations: [
      { id: 'local', type: 'disk', path: join(root, 'local'), throughput: '500MB/s' },
      // A demo cannot mount an NFS share: the override says what a real mount would resolve to.
      {
        id: 'nas',
        type: 'disk',
        path: join(root, 'nas'),
        medium: 'network-share',
        device: 'nas-01:/export/backup',
        throughput: '110MB/s',
      },
      {
        id: 'vault',
        type: 'offline-log',
        path: join(root, 'offline-media.jsonl'),
        retrievalTime: '6h',
        throughput: '160MB/s',
      },
      ...(options.bucket ? [cloudLocation(options.bucket)] : []),
    ],
    datasets: [
      {
        id: 'erp-db',
        description: 'ERP PostgreSQL dumps',
        rto: '8h',
        restoreOverhead: '1h',
        copies: {
          local: 'erp/*.dump',
          nas: 'erp/*.dump',
          vault: 'erp-db',
          ...(options.bucket ? { cloud: 'erp/*.dump' } : {}),
        },
      },
      { id: 'wiki', description: 'Wiki export', copies: { local: 'wiki/*.tar', nas: 'wiki/*.tar', vault: 'wiki' } },
      { id: 'mail', description: 'Mail store (local copy only)', copies: { local: 'mail/*.tar' } },
      {
        id: 'files',
        description: 'File shares',
        copies: { local: 'files/*.tar.zst', nas: 'files/*.tar.zst', vault: 'files' },
      },
      {
        id: 'crm',
        description: 'CRM database (backup job stopped 3 days ago)',
        copies: { local: 'crm/*.sql.gz', nas: 'crm/*.sql.gz', vault: 'crm' },
      },
    ],
    restoreDrills: join(root, 'restore-drills.jsonl'),
  };
  const configFile = join(root, 'agent.config.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return { configFile };
}

/** The bucket as an s3 location: its keys come from the environment (demoS3Environment), never from here. */
function cloudLocation(bucket: DemoBucket) {
  return {
    id: 'cloud',
    type: 's3',
    bucket: bucket.bucket,
    endpoint: bucket.endpoint,
    forcePathStyle: true,
    // Its objects are too small for a read probe to time: the rate a restore would see, said outright.
    throughput: '100MB/s',
  };
}
