// What the agent-side fault tests share: the shipped summary-report schema as a validator, and
// a small tmpfs (root only) for a state dir that can be filled.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = (
  typeof ajvFormats === 'function' ? ajvFormats : (ajvFormats as { default: AddFormats }).default
) as AddFormats;
const shipped = JSON.parse(readFileSync(new URL('../../schema/summary-report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(shipped);

/** Why `body` is not a valid summary report, or undefined when it is. */
export function summaryReportErrors(body: unknown): string | undefined {
  if (validate(body)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');
}

/** Why this process cannot mount a tmpfs (a reason to skip), or undefined when it can. */
export function cannotMountTmpfs(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  return undefined;
}

/** Writes zeros into `path` until its filesystem is full; returns the bytes written. */
export function fillFilesystem(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Mounts a tmpfs of `size` (e.g. "4m") at `dir`; the returned function unmounts it. */
export function mountTmpfs(dir: string, size: string): () => void {
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0) throw new Error(`mount -t tmpfs failed: ${mounted.stderr}`);
  return () => {
    spawnSync('umount', ['-l', dir]);
  };
}

export const PYTHON = '/usr/bin/python3';

export { cannotMountFuse } from '../fixtures/fuse-mount.js';
