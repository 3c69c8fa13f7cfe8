// The list routes' keyset cursors: the last row's sort key (an agent id; an agent and dataset id) as
// base64url JSON. Opaque to clients, so the key can change; decoding refuses what we did not write.

export function cursorOf(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor of `size` strings holds, or null when it is not one of ours. */
export function keyOf(cursor: string, size: number): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === size && key.every((part) => typeof part === 'string')) return key;
  } catch {
    // Not JSON: not ours.
  }
  return null;
}

/** The same request's URL (path and query) with `after` set to the cursor: the Link header's next page. */
export function nextPageUrl(requestUrl: string, cursor: string): string {
  const url = new URL(requestUrl, 'http://collector.invalid');
  url.searchParams.set('after', cursor);
  return `${url.pathname}${url.search}`;
}
