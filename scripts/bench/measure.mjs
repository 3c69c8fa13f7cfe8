// Runs one sample of "ours" (a driver child process) or of a peer (a shell command under /usr/bin/time), and sums samples up.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredCliFlags, measuredDist } from './measured-build.mjs';

const DRIVER = fileURLToPath(new URL('./driver.mjs', import.meta.url));

/** Children still running, so an interrupted run can stop them before deleting their data. */
const running = new Set();

export function stopChildren() {
  for (const child of running) child.kill('SIGTERM');
}

function run(command, args, { env, stdin = 'ignore' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [stdin, 'pipe', 'pipe'], env: { ...process.env, ...env } });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * One sample of the product: `node <the CLI's flags> driver.mjs <operation> <args>`; resolves to the
 * driver's JSON figures.
 */
export async function ours(operation, args, { env, nodeFlags = measuredCliFlags() } = {}) {
  const { code, stdout, stderr } = await run(
    process.execPath,
    [...nodeFlags, DRIVER, operation, JSON.stringify(args)],
    { env },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{'))
    throw new Error(`driver ${operation} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  return JSON.parse(last);
}

/**
 * One sample of a peer: `sh -c COMMAND` under `/usr/bin/time`, which reports the CPU time (user+sys) of
 * the shell and every process it waited for, and the largest RSS among them. Wall time is taken here.
 */
export async function peer(command, scratch) {
  const timeFile = join(scratch, `time-${process.pid}-${Date.now()}.txt`);
  const started = process.hrtime.bigint();
  const { code, stderr } = await run('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', 'sh', '-c', command]);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const timed = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
  rmSync(timeFile, { force: true });
  if (code !== 0) throw new Error(`peer failed (exit ${code}): ${command}: ${stderr.trim()}`);
  const [user, sys, maxKB] = timed.split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, maxRssMB: (maxKB ?? 0) / 1024 };
}

/**
 * One run of the measured build's command itself, as an operator starts it (`node <the flags of its
 * #! line> dist/cli/main.js ARGS`), under `/usr/bin/time`: the whole process's CPU time (user+sys,
 * every thread) and peak RSS; wall time from spawn to exit, Node's start and module loading included.
 * An exit code outside `exitCodes` (3: could not run) is an error.
 */
export async function oursCommand(args, scratch, { exitCodes = [0, 1, 2] } = {}) {
  const timeFile = join(scratch, `time-${process.pid}-${Date.now()}.txt`);
  const main = fileURLToPath(new URL('cli/main.js', measuredDist()));
  const started = process.hrtime.bigint();
  const { code, stdout, stderr } = await run('/usr/bin/time', [
    '-o',
    timeFile,
    '-f',
    '%U %S %M',
    process.execPath,
    ...measuredCliFlags(),
    main,
    ...args,
  ]);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const timed = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
  rmSync(timeFile, { force: true });
  if (!exitCodes.includes(code))
    throw new Error(`backup321 ${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`);
  const [user, sys, maxKB] = timed.split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, maxRssMB: (maxKB ?? 0) / 1024, code, stdout };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** median, min, max of one figure over samples. */
export function summary(samples, pick = (s) => s.wallMs) {
  const values = samples.map(pick);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

/** Spread of a summary: (max − min) / median; a wide one means the box was busy during the case. */
export function spread(s) {
  return s.median > 0 ? (s.max - s.min) / s.median : 0;
}

/**
 * Runs one warm-up round, then `rounds` rounds; within a round every side runs once, in an order
 * that rotates each round so a load change hits every side alike. Returns the samples per side.
 */
export async function alternate(sides, rounds) {
  const names = Object.keys(sides);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) await sides[name]();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      samples[name].push(await sides[name]());
    }
  }
  return samples;
}
