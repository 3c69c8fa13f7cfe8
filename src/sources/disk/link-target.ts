// followSymlinks "inside": where a symbolic link leads, and whether that is inside the location. Asked
// only of entries a listing or an lstat already said are links, on a walk thread: never a realpath per
// plain file, never on the thread that waits for answers.

/** Whether `real` (a path with its links resolved) is `root` or below it; `root` is resolved too. */
export function isInside(real: string, root: string): boolean {
  if (root === '/') return true;
  return real === root || (real.startsWith(root) && real.charCodeAt(root.length) === 47) /* "/" */;
}

/**
 * Where the link at `path` leads (all its links resolved) when that is outside `root`; undefined when
 * it is inside, or when it cannot be resolved: the stat that follows then reports the dangling link,
 * the loop or the denied read as it always did.
 */
export function outsideTarget(realpath: (path: string) => string, path: string, root: string): string | undefined {
  let real: string;
  try {
    real = realpath(path);
  } catch {
    return undefined;
  }
  return isInside(real, root) ? undefined : real;
}
