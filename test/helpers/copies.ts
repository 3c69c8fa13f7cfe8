// Plain Copy and policy objects for policy tests: the policy reads data, so tests build data.
import { createHash } from 'node:crypto';
import type { Copy, DrillLog, EffectivePolicy } from '../../src/model.js';
import type { DatasetInput } from '../../src/policy/types.js';

export const NOW = new Date('2026-11-24T12:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);
export const SHA_C = 'c'.repeat(64);

export const POLICY: EffectivePolicy = {
  minCopies: 3,
  minMedia: 2,
  minOffline: 1,
  rpoMs: DAY,
  rtoMs: DAY,
  offlineMaxAgeMs: 7 * DAY,
  drillMaxAgeMs: 90 * DAY,
  verifyMaxAgeMs: 35 * DAY,
  offlineVerifyMaxAgeMs: 180 * DAY,
  countPrimary: false,
  immutableCountsAsOffline: false,
  restoreOverheadMs: 0,
  immutableHorizonMs: DAY,
  clockSkewMs: 5 * 60_000,
};

let counter = 0;

/**
 * The content of a backup made `ageMs` ago: the latest dump (an hour old) holds SHA_A; a dump made at
 * another time holds other bytes (the policy dates content by its oldest copy, so one content at two
 * ages would make the younger copy as old as the older one).
 */
export function contentAt(ageMs: number): string {
  return ageMs === HOUR ? SHA_A : createHash('sha256').update(`backup made ${ageMs} ms ago`).digest('hex');
}

/** The name of a backup made `ageMs` ago: the latest dump's, or a dated one. */
const nameAt = (ageMs: number): string => (ageMs === HOUR ? 'erp-latest.dump' : `erp-${ageMs}.dump`);

/** A fresh, hashed disk copy; override what the case is about. */
export function copy(overrides: Partial<Copy> & { ageMs?: number } = {}): Copy {
  const { ageMs = HOUR, ...rest } = overrides;
  counter += 1;
  const location = rest.location ?? 'local';
  const path = rest.path ?? `/backup/${location}/erp-${counter}.dump`;
  return {
    id: `${location}:${path}`,
    dataset: 'erp-db',
    location,
    locationType: 'disk',
    path,
    name: nameAt(ageMs),
    kind: 'file',
    role: 'backup',
    bytes: 1_000_000_000,
    modifiedAt: new Date(NOW.getTime() - ageMs).toISOString(),
    medium: 'disk',
    device: `disk-${counter}`,
    offline: false,
    sha256: contentAt(ageMs),
    // Read back half an hour ago: recent enough for integrity's verifyMaxAge.
    hashedAt: new Date(NOW.getTime() - 30 * 60_000).toISOString(),
    ...rest,
  };
}

/** A copy on a tape that is offline now, as the offline-log source reports it. */
export function tapeCopy(overrides: Partial<Copy> & { ageMs?: number } = {}): Copy {
  return copy({
    location: 'vault',
    locationType: 'offline-log',
    kind: 'media-file',
    medium: 'tape',
    device: 'media:LTO-000142',
    offline: true,
    sha256: undefined,
    hashedAt: undefined,
    recorded: { value: contentAt(overrides.ageMs ?? HOUR), source: 'media-log', ref: 'vault.jsonl:3' },
    // Read back by an operator (a media-log `verified` event) the day before: within offlineVerifyMaxAge.
    verifiedAt: new Date(NOW.getTime() - DAY).toISOString(),
    ...overrides,
  });
}

export const NO_DRILLS: DrillLog = { configured: true, readable: true, records: [], issues: [] };

export function input(copies: Copy[], overrides: Partial<DatasetInput> = {}): DatasetInput {
  return {
    id: 'erp-db',
    policy: POLICY,
    locations: ['local', 'nas', 'vault'],
    offlineLocations: ['vault'],
    copies,
    unreadable: [],
    drills: NO_DRILLS,
    now: NOW,
    ...overrides,
  };
}

/** The classic compliant estate: a local disk, a NAS, and a tape in the vault. */
export function compliantCopies(): Copy[] {
  return [
    copy({ location: 'local', device: 'disk-serial-1' }),
    copy({ location: 'nas', medium: 'network-share', device: 'net:nas:/export' }),
    tapeCopy(),
  ];
}
