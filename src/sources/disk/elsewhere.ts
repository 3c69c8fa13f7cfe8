// Copies of a disk location that live on another filesystem than the location (reached through a
// symlink out of it, or on a filesystem mounted inside it): each gets its own filesystem's device.

/*
 * Why: the device is the failure domain the copies check counts. A symlink in location B to a file in
 * location A once gave that file B's device too, and one file counted as two copies. A file's st_dev
 * says which filesystem holds it; the host is asked once per st_dev (not per file), and a copy on the
 * same (st_dev, inode) reached from two locations then has one device and counts once. The location's
 * `medium` and `device` settings describe the location's own filesystem, so they do not apply here.
 */

import type { PathMedium } from '../../host/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, SourceIssue } from '../../model.js';

export interface Elsewhere {
  /** The location's own st_dev: a copy with another is added. */
  readonly dev: number;
  add(dev: number, path: string, copy: Copy): void;
  /**
   * Gives the added copies their filesystem's medium and device, with one warning per dataset and
   * filesystem. `location` is the host's answer for the location; `mediumOf` asks for a path.
   */
  resolve(location: PathMedium, mediumOf: (path: string) => Promise<PathMedium>, issues: SourceIssue[]): Promise<void>;
}

export function createElsewhere(dev: number): Elsewhere {
  const byDevice = new Map<number, { path: string; copies: Copy[] }>();
  return {
    dev,
    add(fileDev, path, copy) {
      const group = byDevice.get(fileDev);
      if (group) group.copies.push(copy);
      else byDevice.set(fileDev, { path, copies: [copy] });
    },
    async resolve(location, mediumOf, issues) {
      for (const [fileDev, group] of byDevice) {
        const medium = await mediumOf(group.path);
        // Another st_dev on the same mount of the same device (a btrfs subvolume): the location's own.
        if (medium.device === location.device && medium.mount === location.mount) continue;
        const byDataset = new Map<string, Copy[]>();
        for (const copy of group.copies) {
          copy.medium = medium.medium;
          copy.device = medium.device;
          const copies = byDataset.get(copy.dataset);
          if (copies) copies.push(copy);
          else byDataset.set(copy.dataset, [copy]);
        }
        const filesystem = medium.mount ? `${medium.mount} (${medium.fsType})` : `st_dev ${fileDev}`;
        for (const [dataset, copies] of byDataset) {
          const { path } = copies[0] as Copy;
          const params = { path, filesystem, device: medium.device, dataset, count: copies.length };
          issues.push(sourceIssue('B321_OTHER_FILESYSTEM', params, { severity: 'warning', dataset, path }));
        }
      }
    },
  };
}
