// A dead mount never freezes the process: a location whose reads stop returning (a FUSE share whose
// server stops answering, as a hard-mounted NFS share does) is given up on after its readTimeout, its
// checks become unknown, the other location is read to the end, and the main thread's event loop keeps
// turning throughout. What blocks here blocks for real: the kernel's FUSE requests that no server answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { cannotMountFuse, endsWithin, mountMirrorFor } from '../../fixtures/fuse-mount.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const RUN = join(here, 'hung-mount-run.mjs');
const DIST = new URL('../../../dist/', import.meta.url).href;

interface LocationEnd {
  id: string;
  status: string;
  copies: number;
  issues: Array<{ code: string; params: Record<string, unknown> }>;
}

interface RunEnd {
  wallMs: number;
  maxDelayMs: number;
  p99DelayMs: number;
  /** The same, in the second before the run: the machine's own share. */
  idleP99DelayMs: number;
  locations: LocationEnd[];
}

/** Runs verify in a plain child process; resolves with its printed result, and the process itself. */
function runVerify(document: object, configFile: string): { ended: Promise<RunEnd>; child: ChildProcess } {
  const child = spawn(process.execPath, [RUN, DIST, JSON.stringify(document), configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const ended = new Promise<RunEnd>((done, fail) => {
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) done(JSON.parse(out.slice(0, out.indexOf('\n'))) as RunEnd);
    });
    child.once('exit', (code) => fail(new Error(`verify ended with ${code} before printing: ${err}`)));
  });
  return { ended, child };
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once('exit', done));

const skip = cannotMountFuse();
if (skip) t.comment(`hung-mount tests skipped: ${skip}`);

const CASES = [
  { hangOn: 'stopped', what: 'a server stopped before the run (SIGSTOP): the root stat waits' },
  { hangOn: 'readdir:sub', what: 'the server stops answering mid-walk, at a directory listing' },
  { hangOn: 'read:b.dump', what: 'the server stops answering mid-hash, at a backup file read' },
  // A sidecar held open by a walk thread while the other location's host facts start blkid: a program
  // started by this process would wait on the mount at its exec (the run's spawner child starts it).
  { hangOn: 'read:a.dump.sha256', what: 'the server stops answering at a sidecar read, while blkid starts' },
];

for (const { hangOn, what } of CASES) {
  t.test(what, { skip: skip ?? false }, async (t) => {
    const root = t.testdir({
      state: {},
      local: { erp: { 'x.dump': 'local copy', old: { 'y.dump': 'older' } } },
      export: {
        erp: { 'a.dump': 'aaaa', 'a.dump.sha256': `${'0'.repeat(64)}  a.dump\n`, sub: { 'b.dump': 'b'.repeat(4096) } },
      },
    });
    const hang = hangOn === 'stopped' ? '' : hangOn;
    const { mountPoint, server, release } = await mountMirrorFor(t, join(root, 'export'), hang);
    if (hangOn === 'stopped') server.kill('SIGSTOP');
    const document = {
      agent: { id: 'hung-mount', stateDir: join(root, 'state') },
      locations: [
        { id: 'share', type: 'disk', path: mountPoint, readTimeout: '2s' },
        { id: 'local', type: 'disk', path: join(root, 'local') },
      ],
      datasets: [{ id: 'erp', copies: { share: 'erp/**/*.dump', local: 'erp/**/*.dump' } }],
    };
    const configFile = join(root, 'agent.config.json');
    writeFileSync(configFile, JSON.stringify(document));
    const { ended, child } = runVerify(document, configFile);
    t.teardown(() => {
      child.kill('SIGKILL');
    });
    // Bounded, so a run that does hang still releases the mount (teardown) and fails here.
    const end = await endsWithin(ended, 60_000, 'verify');
    const share = end.locations.find((location) => location.id === 'share') as LocationEnd;
    const local = end.locations.find((location) => location.id === 'local') as LocationEnd;
    t.match(
      share.issues.find((found) => found.code === 'B321_NOT_ANSWERING'),
      { params: { within: '2s', root: mountPoint } },
      'the share did not answer within its readTimeout, and says so',
    );
    t.not(share.status, 'ok', 'its checks cannot pass');
    t.equal(local.status, 'ok', 'the other location is read to the end');
    t.equal(local.copies, 2);
    // A main thread held by the mount would show a delay of the whole readTimeout (2 s) or more. Under
    // 50 ms beyond what the busy machine costs an idle process (measured in the second before the run).
    t.ok(
      end.p99DelayMs < 50 + end.idleP99DelayMs,
      `event-loop delay p99 ${end.p99DelayMs.toFixed(1)} ms (max ${end.maxDelayMs.toFixed(1)} ms; idle p99 ${end.idleP99DelayMs.toFixed(1)} ms)`,
    );
    t.ok(end.maxDelayMs < 1000, `no turn of the event loop waited on the mount (max ${end.maxDelayMs.toFixed(1)} ms)`);
    // The thread given up on still waits in the kernel; once the server is gone, its read fails and
    // the process ends by itself.
    release();
    t.equal(await exited(child), 0, 'the process ends once the mount is gone');
  });
}

t.test(
  'the offline-media log on a stopped server: not answering within its readTimeout, the run goes on',
  { skip: skip ?? false },
  async (t) => {
    const root = t.testdir({
      state: {},
      local: { erp: { 'x.dump': 'local copy' } },
      export: {
        'media.jsonl': `${JSON.stringify({ ts: '2026-12-01T00:00:00Z', event: 'offline', media: 'T1' })}\n`,
      },
    });
    const { mountPoint, server, release } = await mountMirrorFor(t, join(root, 'export'), '');
    server.kill('SIGSTOP');
    const document = {
      agent: { id: 'hung-logs', stateDir: join(root, 'state') },
      locations: [
        { id: 'vault', type: 'offline-log', path: join(mountPoint, 'media.jsonl'), readTimeout: '2s' },
        { id: 'local', type: 'disk', path: join(root, 'local') },
      ],
      datasets: [{ id: 'erp', copies: { vault: 'erp', local: 'erp/*.dump' } }],
    };
    const configFile = join(root, 'agent.config.json');
    writeFileSync(configFile, JSON.stringify(document));
    const { ended, child } = runVerify(document, configFile);
    t.teardown(() => {
      child.kill('SIGKILL');
    });
    const end = await endsWithin(ended, 60_000, 'verify');
    const vault = end.locations.find((location) => location.id === 'vault') as LocationEnd;
    const local = end.locations.find((location) => location.id === 'local') as LocationEnd;
    t.match(vault.issues, [{ code: 'B321_NOT_ANSWERING', params: { within: '2s' } }], 'the media log did not answer');
    t.equal(local.status, 'ok', 'the disk location is read to the end');
    t.ok(
      end.p99DelayMs < 50 + end.idleP99DelayMs,
      `event-loop delay p99 ${end.p99DelayMs.toFixed(1)} ms (idle p99 ${end.idleP99DelayMs.toFixed(1)} ms)`,
    );
    release();
    t.equal(await exited(child), 0, 'the process ends once the mount is gone');
  },
);
