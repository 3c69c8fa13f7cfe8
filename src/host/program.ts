// Starts one program (no shell) and gives its output once it has exited: the run's spawner child does
// this for every program of a run, and host/spawner.ts itself where no run reads locations.
import { type ChildProcess, execFile } from 'node:child_process';

export interface ProgramResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (not installed, no spawner to start it). */
  startError?: string;
}

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** `onStarted` gets the process, to kill it (SIGKILL) on an abort; the promise settles once it has exited. */
export function runFile(
  file: string,
  args: string[],
  options: { timeoutMs: number; env?: Record<string, string> | undefined },
  onStarted?: (child: ChildProcess) => void,
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
        env: { ...process.env, ...options.env },
      },
      (error, stdout, stderr) => {
        // A program that could not start at all (ENOENT) has no exit code (libuv reports -ENOENT there).
        const failure = error as NodeJS.ErrnoException | null;
        const notStarted = failure !== null && typeof failure.code === 'string';
        resolve({
          exitCode: notStarted ? null : child.exitCode,
          signal: child.signalCode,
          stdout: String(stdout),
          stderr: String(stderr),
          ...(notStarted ? { startError: `${failure.code}: ${failure.message}` } : {}),
        });
      },
    );
    onStarted?.(child);
  });
}
