// The Node flags the `backup321` command runs with (its `#!/usr/bin/env -S node …` line), so the
// benchmark measures the product as operators start it, and a build without them (--dist) as it was.
import { readFileSync } from 'node:fs';

/** Flags after `node` on the first line of `<dist>/cli/main.js`; [] when it names none (or is missing). */
export function cliNodeFlags(dist) {
  let first;
  try {
    first = readFileSync(new URL('cli/main.js', dist), 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    return [];
  }
  const match = /^#!\s*\S*env\s+(?:-S\s+)?node((?:\s+--\S+)*)\s*$/.exec(first);
  return match ? match[1].trim().split(/\s+/).filter(Boolean) : [];
}
