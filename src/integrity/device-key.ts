// The number the checksum cache and the record of changed content keep for a file's filesystem: a
// hash of the filesystem's identity (host/device-identity.ts), which outlives a reboot, not st_dev.
import { createHash } from 'node:crypto';

/**
 * 52 bits of the identity's SHA-256: a float64 holds it exactly (the cache's records are float64s),
 * and two filesystems of one machine share a key with a chance of about n²/2⁵³.
 */
export function deviceKeyOf(identity: string): number {
  return Number.parseInt(createHash('sha256').update(identity).digest('hex').slice(0, 13), 16);
}

/** What stands for a filesystem without an identity that outlives a reboot (tmpfs, overlay …): its st_dev. */
export function stDevIdentity(stDev: number): string {
  return `st_dev:${stDev}`;
}

/**
 * A record written by a release that kept st_dev itself: below zero, so that no key can equal it,
 * until a file on a filesystem with that st_dev is met and the record takes that filesystem's key.
 */
export function legacyDeviceKey(stDev: number): number {
  return -1 - stDev;
}
