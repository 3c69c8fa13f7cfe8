// A folder as a bucket: each regular file below it is an object, its key the path below the folder.
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface FolderObject {
  key: string;
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** S3 lists keys in UTF-8 byte order. */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The file a key names, or undefined for a key no file below the folder can have (an empty, "." or
 * ".." segment, a NUL): such a key is simply not in the bucket, and no key reaches outside it.
 */
export function pathOfKey(folder: string, key: string): string | undefined {
  const segments = key.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\0')))
    return undefined;
  if (sep !== '/' && key.includes(sep)) return undefined;
  return join(folder, ...segments);
}

/**
 * The object a key names: a regular file (never a link or a directory) really below the folder (a
 * linked directory on its way leads elsewhere), or undefined.
 */
export async function objectAt(folder: string, key: string): Promise<FolderObject | undefined> {
  const path = pathOfKey(folder, key);
  if (!path) return undefined;
  try {
    const stats = await lstat(path);
    if (!stats.isFile() || !(await realpath(path)).startsWith(`${await realpath(folder)}${sep}`)) return undefined;
    return { key, path, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
  } catch {
    return undefined;
  }
}

/** The objects whose key starts with `prefix`, in key order. Only the directory the prefix names is walked. */
export async function objectsUnder(folder: string, prefix: string): Promise<FolderObject[]> {
  const directory = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const start = directory === '' ? folder : pathOfKey(folder, directory.slice(0, -1));
  if (!start) return [];
  const found: FolderObject[] = [];
  const walk = async (dir: string, keyPrefix: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // no such "directory": no keys under it
    }
    for (const entry of entries) {
      const key = keyPrefix + entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${key}/`);
      else if (entry.isFile() && key.startsWith(prefix)) {
        const object = await objectAt(folder, key);
        if (object) found.push(object);
      }
    }
  };
  await walk(start, directory);
  return found.sort((a, b) => compareKeys(a.key, b.key));
}

export interface PageRequest {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  startAfter?: string;
  /** What the previous page ended with (from its continuation token). */
  after?: PageEnd;
}

/** The last key, or common prefix, of a page. */
export interface PageEnd {
  item: string;
  commonPrefix: boolean;
}

export interface Page {
  objects: FolderObject[];
  commonPrefixes: string[];
  /** What this page ended with, when more follow. */
  last?: PageEnd;
}

/**
 * One ListObjectsV2 page of objects in key order: keys below a delimiter fold into one common prefix,
 * and keys and common prefixes together count toward max-keys, as S3 counts them.
 */
export function pageOf(objects: readonly FolderObject[], request: PageRequest): Page {
  const page: Page = { objects: [], commonPrefixes: [] };
  let count = 0;
  let last: PageEnd | undefined;
  const { after } = request;
  for (const object of objects) {
    if (!object.key.startsWith(request.prefix)) continue;
    if (request.startAfter !== undefined && compareKeys(object.key, request.startAfter) <= 0) continue;
    const rest = object.key.slice(request.prefix.length);
    const cut = request.delimiter ? rest.indexOf(request.delimiter) : -1;
    const common = cut >= 0 ? request.prefix + rest.slice(0, cut + (request.delimiter?.length ?? 0)) : undefined;
    const item = common ?? object.key;
    if (after && compareKeys(item, after.item) <= 0) continue;
    // A common prefix a page ended with covers its keys on the pages after it.
    if (after?.commonPrefix && object.key.startsWith(after.item)) continue;
    if (item === last?.item) continue;
    if (count === request.maxKeys) {
      if (last) page.last = last;
      break;
    }
    if (common) page.commonPrefixes.push(common);
    else page.objects.push(object);
    last = { item, commonPrefix: common !== undefined };
    count++;
  }
  return page;
}
