// Runs the built `backup321` binary (dist/cli/main.js) as a child process and collects its output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BINARY = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBinary(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run "npm run build" first (npm test does)`);
  return runProcess(process.execPath, [BINARY, ...args], env);
}

/** Any command line (e.g. the binary started through its `#!` interpreter), its output collected. */
export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
