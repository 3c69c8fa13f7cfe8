// Picks the source implementation for a location's type, loading it only when a location of that type exists.
import type { LocationConfig } from '../config/types.js';
import type { Source } from './source.js';

export async function createSource(location: LocationConfig): Promise<Source> {
  switch (location.type) {
    case 'disk':
      return (await import('./disk.js')).createDiskSource(location);
    case 's3':
      // The AWS SDK is large: a disk-only server never loads it.
      return (await import('./s3.js')).createS3Source(location);
    case 'offline-log':
      return (await import('./offline-log/source.js')).createOfflineLogSource(location);
  }
}
