// A dataset's census: what the checks read of its assessed copies, taken in one pass over them.
import type { AssessedCopy } from '../model.js';
import { isDamaged, isFutureDated } from './assess.js';
import { younger } from './newest.js';

/*
 * One pass for every check: a pass over a dataset's copies costs its memory reads whatever it does. A
 * check that needs more than the census still has the copies (integrity reads each backup's notes).
 */
export interface DatasetCensus {
  /** The usable copies and the others, in the list's order. */
  readonly usable: readonly AssessedCopy[];
  readonly unusable: readonly AssessedCopy[];
  /** The newest usable copy on each device, the devices in the order first met. */
  readonly newestOnDevice: ReadonlyMap<string, AssessedCopy>;
  /** The medium classes of the usable copies. */
  readonly media: ReadonlySet<string>;
  /** Copies offline now, at an offline-log location or locked: the ones the offline check looks at. */
  readonly offlineCapable: readonly AssessedCopy[];
  /** The newest backup whose content is not damaged (stale or not), and the newest such on offline media. */
  readonly newestIntact: AssessedCopy | undefined;
  readonly newestIntactOffline: AssessedCopy | undefined;
  /** The newest usable backup: what a restore would bring back. */
  readonly newestUsableBackup: AssessedCopy | undefined;
  /** Backups dated ahead of the run's clock: their age is unknown, so none of them is the newest. */
  readonly futureDated: readonly AssessedCopy[];
}

/**
 * Takes the census of an assessed list. The caller takes it once per dataset and hands it to every
 * check; the checks share it (and evidence lists keep its lists), so it is read-only.
 */
export function takeCensus(copies: readonly AssessedCopy[]): DatasetCensus {
  const usable: AssessedCopy[] = [];
  const unusable: AssessedCopy[] = [];
  const newestOnDevice = new Map<string, AssessedCopy>();
  const media = new Set<string>();
  const offlineCapable: AssessedCopy[] = [];
  let newestIntact: AssessedCopy | undefined;
  let newestIntactOffline: AssessedCopy | undefined;
  let newestUsableBackup: AssessedCopy | undefined;
  const futureDated: AssessedCopy[] = [];
  // A location's copies come together, mostly on one device and medium: a run of them needs no map
  // or set lookup per copy.
  let lastDevice: string | undefined;
  let newestOnLast: AssessedCopy | undefined;
  let lastMedium: string | undefined;
  // Indexed, not for-of: this runs once per dataset, mostly unoptimised, where a for-of allocates per element.
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as AssessedCopy;
    const { assessment } = copy;
    const backup = copy.role === 'backup';
    const offlineLog = copy.locationType === 'offline-log';
    if (copy.offline || offlineLog || copy.immutable) offlineCapable.push(copy);
    // A clean copy has no notes, so it cannot be damaged or future-dated: no look at its notes.
    if (backup && assessment.notes.length > 0 && isFutureDated(copy)) futureDated.push(copy);
    else if (backup && (assessment.notes.length === 0 || !isDamaged(copy))) {
      newestIntact = younger(newestIntact, copy);
      if (offlineLog) newestIntactOffline = younger(newestIntactOffline, copy);
    }
    if (!assessment.usable) {
      unusable.push(copy);
      continue;
    }
    usable.push(copy);
    if (backup) newestUsableBackup = younger(newestUsableBackup, copy);
    if (copy.medium !== lastMedium) {
      lastMedium = copy.medium;
      media.add(lastMedium);
    }
    if (copy.device !== lastDevice) {
      lastDevice = copy.device;
      newestOnLast = newestOnDevice.get(lastDevice);
    }
    if (!newestOnLast || assessment.ageMs < newestOnLast.assessment.ageMs) {
      newestOnLast = copy;
      newestOnDevice.set(lastDevice, copy);
    }
  }
  return {
    usable,
    unusable,
    newestOnDevice,
    media,
    offlineCapable,
    newestIntact,
    newestIntactOffline,
    newestUsableBackup,
    futureDated,
  };
}
