// Picks the source implementation for a location's type. The disk source is loaded with this module
// (nearly every server has one: loaded inside a run, it took a core its threads were starting on);
// the others only when a location of their type exists.
import type { LocationConfig } from '../config/types.js';
import { createDiskSource } from './disk/source.js';
import type { Source } from './source.js';

export async function createSource(location: LocationConfig): Promise<Source> {
  switch (location.type) {
    case 'disk':
      return createDiskSource(location);
    case 's3':
      // The AWS SDK is large: a disk-only server never loads it.
      return (await import('./s3/source.js')).createS3Source(location);
    case 'offline-log':
      return (await import('./offline-log/source.js')).createOfflineLogSource(location);
  }
}
