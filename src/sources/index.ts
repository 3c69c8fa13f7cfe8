// Picks the source implementation for a location's type.
import type { LocationConfig } from '../config/types.js';
import { createDiskSource } from './disk.js';
import { createOfflineLogSource } from './offline-log/source.js';
import { createS3Source } from './s3.js';
import type { Source } from './source.js';

export function createSource(location: LocationConfig): Source {
  switch (location.type) {
    case 'disk':
      return createDiskSource(location);
    case 's3':
      return createS3Source(location);
    case 'offline-log':
      return createOfflineLogSource(location);
  }
}
