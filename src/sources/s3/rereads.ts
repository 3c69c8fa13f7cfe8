// verify --deep --budget in a bucket: the objects --deep may download (not too big, not archived), and
// their download once the run chooses them, remembered for later runs as --deep's are.
import type { S3LocationConfig } from '../../config/types.js';
import { errorMessage } from '../../errors.js';
import type { Copy, SourceIssue } from '../../model.js';
import type { Rereadable, Rereads } from '../rereads.js';
import type { SourceContext } from '../source.js';
import { createS3Client } from './client.js';
import { applyDeepHash, hashObjects } from './deep-reads.js';
import type { DeepResults } from './deep-results.js';
import type { ListedObject } from './list.js';

export interface S3Rereads {
  /** A copy of an object --deep may download; several datasets' copies of one object are one download. */
  add(object: ListedObject, copy: Copy): void;
  /** What the location offers, reading into and saving `remembered` (its --deep results). */
  offer(remembered: DeepResults): Rereads;
}

export function createS3Rereads(location: S3LocationConfig, ctx: SourceContext, issues: SourceIssue[]): S3Rereads {
  const byKey = new Map<string, { object: ListedObject; item: Rereadable }>();
  return {
    add(object, copy) {
      const known = byKey.get(object.key);
      if (known) known.item.copies.push(copy);
      else {
        const item = {
          location: location.id,
          path: copy.path,
          bytes: object.bytes,
          readAtMs: undefined,
          copies: [copy],
        };
        byKey.set(object.key, { object, item });
      }
    },
    offer(remembered) {
      const objectOf = new Map<Rereadable, ListedObject>();
      for (const { object, item } of byKey.values()) objectOf.set(item, object);
      const reread = async (items: Rereadable[]): Promise<Rereadable[]> => {
        const read: Rereadable[] = [];
        const objects = items.flatMap((item) => objectOf.get(item) ?? []);
        // The listing's client was let go with the listing: a download a night needs no more than a new one.
        const client = createS3Client(location);
        try {
          const hashes = await hashObjects(client, location, objects, ctx, issues, 'scrub');
          for (const item of items) {
            const object = objectOf.get(item);
            const hash = object && hashes.get(object.key);
            if (!object || !hash) continue;
            if ('sha256' in hash) read.push(item);
            for (const copy of item.copies) {
              // What --deep would show: this download's hash, or why there is none (never the earlier one).
              delete copy.sha256;
              delete copy.hashedAt;
              delete copy.hashError;
              applyDeepHash(copy, object, hash, remembered, ctx.now);
            }
          }
        } catch (error) {
          // runPool rethrows what a download threw; deepHash catches all but an abort, which ends the run.
          ctx.logger.warn({ location: location.id, err: errorMessage(error) }, 'budgeted deep read stopped');
        } finally {
          client.destroy();
        }
        await remembered.save().catch((error: unknown) => {
          ctx.logger.warn({ location: location.id, err: errorMessage(error) }, 'cannot save what --deep read');
        });
        return read;
      };
      return { location: location.id, items: [...objectOf.keys()], reread };
    },
  };
}
