// JSON paths in the form users read in problems: "locations[2].path", "datasets[0].copies.nas".

/** ["locations", 2, "path"] → "locations[2].path"; keys that are not identifiers are quoted. */
export function jsonPath(parts: ReadonlyArray<string | number>): string {
  let path = '';
  for (const part of parts) {
    if (typeof part === 'number' || /^\d+$/.test(part)) path += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) path += path ? `.${part}` : part;
    else path += `[${JSON.stringify(part)}]`;
  }
  return path;
}

/** The path of `key` under `path`: "a.b", "a[2]", 'a["odd key"]'. */
export function childPath(path: string, key: string | number): string {
  const child = jsonPath([key]);
  return path === '' || child.startsWith('[') ? `${path}${child}` : `${path}.${child}`;
}

/** A JSON pointer as ajv reports it ("/locations/2/path"), as a path; `extra` is a key below it. */
export function pointerPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return jsonPath(parts);
}
