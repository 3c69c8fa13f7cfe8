// A backup file that grows or is cut short while the agent hashes it: the finding says it changed while
// it was read (B321_CHANGED_WHILE_HASHING, the copy unverified), never "corrupt", never verified — even
// though a sidecar records the file's first content, so a hash of the mixed bytes would disagree with
// it. The change lands mid-hash every time: the file is served through a FUSE mirror (fuse-gate.py) whose
// read past the first MiB waits until the test has changed the file underneath. Adjacent ground:
// src/integrity/hash-job.ts's unit tests (test/integrity/**), test/sources/s3/deep-hash.test.ts (an
// object replaced mid-download), test/sources/disk/hung-mount.test.ts (the same mirror, hanging).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startCollector } from '../agent/collector.js';
import { agentEstate, startAgent, TOKEN, until } from '../agent/harness.js';
import { cannotMountFuse, PYTHON } from './support.js';

const GATE = fileURLToPath(new URL('./fuse-gate.py', import.meta.url));
const MIB = 2 ** 20;
const NAME = 'vault-2026-12-06.dump';

const skip = cannotMountFuse();
if (skip) t.comment(`changed-while-hashed skipped: ${skip}`);

interface Source {
  id: string;
  status: string;
  issues: Array<{ code: string; path?: string; message: string }>;
}
interface Finding {
  check: string;
  status: string;
  reason: string;
  message: string;
}

const CHANGES = [
  { what: 'grows', change: (path: string) => appendFileSync(path, randomBytes(MIB)) },
  { what: 'is cut short', change: (path: string) => truncateSync(path, 2 * MIB) },
];

for (const { what, change } of CHANGES) {
  t.test(
    `a backup that ${what} while it is hashed: changed while read, not corrupt, not verified`,
    { skip: skip ?? false },
    async (t) => {
      const root = t.testdir({ export: {} });
      const content = randomBytes(8 * MIB);
      const file = join(root, 'export', NAME);
      writeFileSync(file, content);
      writeFileSync(`${file}.sha256`, `${createHash('sha256').update(content).digest('hex')}  ${NAME}\n`);
      const mountPoint = mkdtempSync(join(tmpdir(), 'b321-gate-'));
      // Outside the test's folder, which tap removes before the teardown that opens the gate runs.
      const release = `${mountPoint}.release`;
      let stderr = '';
      const server: ChildProcess = spawn(PYTHON, [GATE, join(root, 'export'), mountPoint], {
        env: { ...process.env, GATE_NAME: NAME, GATE_OFFSET: String(MIB), GATE_RELEASE: release },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      server.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      t.teardown(() => {
        writeFileSync(release, '');
        server.kill('SIGKILL');
        spawnSync('fusermount', ['-u', '-z', mountPoint]);
        rmdirSync(mountPoint);
        rmSync(release, { force: true });
      });
      await until(() => spawnSync('mountpoint', ['-q', mountPoint]).status === 0, 'the FUSE mirror mounted', 30_000);

      const collector = await startCollector({ token: TOKEN });
      t.teardown(() => collector.close());
      mkdirSync(join(root, 'estate'));
      const estate = agentEstate(join(root, 'estate'), collector.url);
      estate.rewrite({
        locations: [
          ...(estate.config.locations as unknown[]),
          // A throughput given: no read probe reads the file before the hashing does.
          {
            id: 'share',
            type: 'disk',
            path: mountPoint,
            medium: 'network-share',
            device: 'nas-02:/vault',
            throughput: '100MB/s',
          },
        ],
        datasets: [...(estate.config.datasets as unknown[]), { id: 'vault', copies: { share: '*.dump' } }],
      });
      const agent = startAgent(['-c', estate.configFile, '--once']);
      t.teardown(() => {
        agent.child.kill('SIGKILL');
      });
      await until(() => stderr.includes('paused'), 'the hashing to reach the gate', 120_000);
      const pausedAt = Number(/paused (\d+)/.exec(stderr)?.[1]);
      change(file);
      writeFileSync(release, '');
      t.equal((await agent.exited).code, 0, 'the run is made and sent');

      const report = JSON.parse([...collector.stored.values()][0] as string) as {
        datasets: Array<{ id: string; verdict: string; findings: Finding[] }>;
        sources: Source[];
      };
      const share = report.sources.find((s) => s.id === 'share');
      const changed = share?.issues.filter((i) => i.code === 'B321_CHANGED_WHILE_HASHING') ?? [];
      t.equal(changed.length, 1, `the change is said: ${changed[0]?.message}`);
      const integrity = report.datasets.find((d) => d.id === 'vault')?.findings.find((f) => f.check === 'integrity');
      t.not(integrity?.status, 'pass', `integrity is not passed (${integrity?.status}: ${integrity?.message})`);
      t.equal(integrity?.reason, 'unverified', 'the copy is unverified, not corrupt');
      const words = JSON.stringify(report.datasets.find((d) => d.id === 'vault'));
      t.notMatch(words, /corrupt|mismatch/i, 'no word of damage anywhere in the dataset');
      t.comment(
        `figure: paused at byte ${pausedAt} of ${content.length}; ${changed.length} B321_CHANGED_WHILE_HASHING; integrity ${integrity?.status} (${integrity?.reason})`,
      );
    },
  );
}
