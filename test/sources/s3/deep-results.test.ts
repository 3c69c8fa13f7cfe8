// What --deep read is remembered: a later quick run knows the object was read, when, and what it hashed
// to — until the object changes, when it is unknown again.
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import type { SourceResult } from '../../../src/model.js';
import { deepResultsFile } from '../../../src/sources/s3/deep-results.js';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { credentialsFileText, s3Context, s3Location } from '../../helpers/s3-context.js';
import { createBucketWith, type RunningS3rver, startS3rver, testClient } from '../../helpers/s3rver.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const dump = 'the nightly dump\n';

let server: RunningS3rver;
let root: string;
let credentialsFile: string;

t.before(async () => {
  root = t.testdir({ s3: {}, state: {} });
  credentialsFile = join(root, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  server = await startS3rver(join(root, 's3'));
  const client = testClient(server.endpoint);
  await createBucketWith(client, 'backups', [{ key: 'erp/erp.dump', body: dump }]);
  client.destroy();
});
t.teardown(() => server.stop());

const DEEP_AT = new Date('2026-12-01T02:30:00Z');
const LATER = new Date('2026-12-06T10:00:00Z');

function run(options: { deep: boolean; now: Date; readOnly?: boolean }): Promise<SourceResult> {
  const location = s3Location({ id: 'cloud', bucket: 'backups', endpoint: server.endpoint, credentialsFile });
  return createS3Source(location).inventory(
    s3Context(
      { erp: ['erp/'] },
      { deep: options.deep, now: options.now, stateDir: join(root, 'state'), stateReadOnly: options.readOnly ?? false },
    ),
  );
}

t.test('a quick run after a deep one knows the object was read, and when', async (t) => {
  const before = await run({ deep: false, now: DEEP_AT });
  t.equal(before.copies[0]?.sha256, undefined, 'never read: no sha256');
  const deep = await run({ deep: true, now: DEEP_AT });
  t.match(deep.copies[0], { sha256: sha256(dump), hashedAt: DEEP_AT.toISOString() });
  const quick = await run({ deep: false, now: LATER });
  t.match(quick.copies[0], { sha256: sha256(dump), hashedAt: DEEP_AT.toISOString() }, 'read on Dec 1, not today');
});

t.test('a replaced object is unknown again: its new bytes were never read', async (t) => {
  const client = testClient(server.endpoint);
  await client.send(new PutObjectCommand({ Bucket: 'backups', Key: 'erp/erp.dump', Body: 'another dump\n' }));
  client.destroy();
  const quick = await run({ deep: false, now: LATER });
  t.equal(quick.copies[0]?.sha256, undefined);
  t.equal(quick.copies[0]?.hashedAt, undefined);
});

t.test('a run that may not write the state dir keeps nothing', async (t) => {
  const file = deepResultsFile(join(root, 'state'), 'cloud');
  const before = existsSync(file);
  await run({ deep: true, now: LATER, readOnly: true });
  const quick = await run({ deep: false, now: LATER, readOnly: true });
  t.equal(quick.copies[0]?.sha256, undefined, 'the read-only deep run remembered nothing');
  t.equal(existsSync(file), before);
});
