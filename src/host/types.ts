// What the machine says about where a path lives and which media are attached now.
import type { MediumClass } from '../model.js';

export interface PathMedium {
  medium: MediumClass;
  /** Failure-domain id: disk serial or UUID, network export, tmpfs mount … */
  device: string;
  mount: string;
  fsType: string;
  /** The mounted source: /dev/vda1, server:/export, tmpfs … */
  source: string;
  removable: boolean;
  network: boolean;
  label?: string;
  serial?: string;
  uuid?: string;
}

export interface BlockDevice {
  /** Kernel name: vda, sdb1, loop0. */
  name: string;
  /** /dev/… path. */
  path: string;
  type: string;
  removable: boolean;
  label?: string;
  uuid?: string;
  serial?: string;
  model?: string;
  fsType?: string;
  mount?: string;
  /** Kernel name of the whole disk a partition belongs to. */
  parent?: string;
}

export interface HostMedia {
  /** Resolves the medium and device for a path (cached per mount for one run). */
  resolve(path: string): Promise<PathMedium>;
  /** The block devices attached right now, with labels/serials/UUIDs (blkid fallback where udev has none). */
  blockDevices(): Promise<BlockDevice[]>;
}
