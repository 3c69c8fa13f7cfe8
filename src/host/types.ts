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
  /**
   * Resolves the medium and device for a path (cached per mount for one run). `located`: the path
   * with its links resolved and its st_dev, found by the caller (off the main thread, for a path that
   * may hang); without it the host resolves and states the path itself.
   */
  resolve(path: string, located?: { real: string; dev: number | undefined }): Promise<PathMedium>;
  /**
   * Learns, before any location is read, what resolve() will need of the devices under `paths` (by the
   * paths as written, touching none of them): the processes that asks for (lsblk, blkid) start now,
   * while no file of a location is open. A process started while a file of a hung FUSE mount is open
   * in this process waits on that mount at its exec (the kernel flushes the descriptor it inherited).
   */
  prefetch(paths: string[]): Promise<void>;
  /** The block devices attached right now, with labels/serials/UUIDs (blkid fallback where udev has none). */
  blockDevices(): Promise<BlockDevice[]>;
}
