// What an entry is by its mode's format bits, as stat() and a directory listing both tell it.
import type { Dirent } from 'node:fs';
import type { PhraseKey } from '../../codes.js';

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

/** What a FIFO, socket or device (by its mode's format bits) is called: its phrase key in src/codes.ts. */
export function specialKind(format: number): PhraseKey {
  return format === S_IFIFO
    ? 'special.fifo'
    : format === S_IFSOCK
      ? 'special.socket'
      : format === S_IFCHR
        ? 'special.character-device'
        : format === S_IFBLK
          ? 'special.block-device'
          : 'special.other';
}

/** The format bits of an entry a listing says is no file, directory or link. */
export function direntFormat(entry: Dirent): number {
  return entry.isFIFO()
    ? S_IFIFO
    : entry.isSocket()
      ? S_IFSOCK
      : entry.isCharacterDevice()
        ? S_IFCHR
        : entry.isBlockDevice()
          ? S_IFBLK
          : 0;
}
