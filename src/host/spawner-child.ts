// The child process that starts the host's programs (lsblk, blkid, dd) for a run (host/spawner.ts). It
// holds no file of any backup location, so the programs it starts never wait on a hung mount at their exec.
import { type ChildProcess, execFile } from 'node:child_process';
import type { SpawnerAnswer, SpawnerRequest } from './spawner-protocol.js';

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const running = new Map<number, ChildProcess>();

const answer = (message: SpawnerAnswer): void => {
  process.send?.(message);
};

function run(request: Extract<SpawnerRequest, { kind: 'run' }>): void {
  const child = execFile(
    request.file,
    request.args,
    {
      timeout: request.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: MAX_OUTPUT_BYTES,
      encoding: 'utf8',
      env: { ...process.env, ...request.env },
    },
    (error, stdout, stderr) => {
      running.delete(request.id);
      const failure = error as NodeJS.ErrnoException | null;
      answer({
        id: request.id,
        kind: 'ran',
        // A program that never started has no exit code (libuv reports -ENOENT there).
        exitCode: failure && typeof failure.code === 'string' ? null : child.exitCode,
        signal: child.signalCode,
        stdout: String(stdout),
        stderr: String(stderr),
        // A program that could not start at all (ENOENT): what a caller tells apart from a failure.
        ...(failure && typeof failure.code === 'string' ? { startError: `${failure.code}: ${failure.message}` } : {}),
      });
    },
  );
  running.set(request.id, child);
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
