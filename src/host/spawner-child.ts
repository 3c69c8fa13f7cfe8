// The child process that starts the host's programs (lsblk, blkid, dd) for a run (host/spawner.ts). It
// holds no file of any backup location, so the programs it starts never wait on a hung mount at their exec.
import type { ChildProcess } from 'node:child_process';
import { runFile } from './program.js';
import type { SpawnerAnswer, SpawnerRequest } from './spawner-protocol.js';

const running = new Map<number, ChildProcess>();

const answer = (message: SpawnerAnswer): void => {
  process.send?.(message);
};

function run(request: Extract<SpawnerRequest, { kind: 'run' }>): void {
  void runFile(request.file, request.args, request, (child) => running.set(request.id, child)).then((result) => {
    running.delete(request.id);
    answer({ id: request.id, kind: 'ran', ...result });
  });
}

process.on('message', (request: SpawnerRequest) => {
  if (request.kind === 'run') run(request);
  else if (request.kind === 'cancel') running.get(request.id)?.kill('SIGKILL');
  else if (request.kind === 'block-devices') {
    // Loaded when first asked: the spawner must be ready to start programs at once.
    import('systeminformation')
      .then(({ blockDevices }) => blockDevices())
      .then(
        (devices) => answer({ id: request.id, kind: 'block-devices', devices }),
        (error: unknown) => answer({ id: request.id, kind: 'failed', message: String(error) }),
      );
  }
});

// The run that started this process has ended, or its process has: so does every program started here.
process.on('disconnect', () => {
  for (const child of running.values()) child.kill('SIGKILL');
  process.exit(0);
});

answer({ id: 0, kind: 'ready' });
