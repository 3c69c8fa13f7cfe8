// The config's digest: sha256 of the resolved config as canonical JSON (keys sorted), so two agents
// with the same settings show the same digest, whatever the order or spacing of their files.
import { createHash } from 'node:crypto';
import type { Config } from './types.js';

export function configDigest(config: Config): string {
  // Where the file lies is not a setting: two hosts with the same settings in other paths agree.
  const { file: _file, ...settings } = config;
  return `sha256:${createHash('sha256').update(canonicalJson(settings)).digest('hex')}`;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined && typeof item !== 'function')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
