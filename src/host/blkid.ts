// Reads LABEL/UUID/PTUUID with `blkid` where lsblk has none (no udev database, as in containers and CI).
import { runProgram } from './spawner.js';

export interface BlkidFacts {
  label?: string;
  uuid?: string;
  /** The partition table's UUID: one per whole disk, so it names the disk across its partitions. */
  ptuuid?: string;
  fsType?: string;
}

export function parseBlkidExport(text: string): BlkidFacts {
  const facts: BlkidFacts = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    if (value === '') continue;
    if (key === 'LABEL') facts.label = value;
    else if (key === 'UUID') facts.uuid = value;
    else if (key === 'PTUUID') facts.ptuuid = value;
    else if (key === 'TYPE') facts.fsType = value;
  }
  return facts;
}

/** Never throws: a missing blkid, a device it cannot read or a timeout all mean "no facts". */
export async function blkid(devicePath: string): Promise<BlkidFacts> {
  // No shell: the device path is never interpreted. `-c /dev/null`: no cache file. blkid trusts a cache
  // entry younger than 2 s without probing, so a USB disk swapped for another on the same device node
  // (or a loop device re-attached to another image) kept the old one's label.
  const ran = await runProgram('blkid', ['-c', '/dev/null', '-o', 'export', devicePath], { timeoutMs: 5000 });
  return ran.exitCode === 0 ? parseBlkidExport(ran.stdout) : {};
}
