// What the fuzz tests share: the number of inputs per property, and structured arbitraries that
// change one place of a valid document (a field removed, its value replaced by another of a wrong
// type, or changed within its type), so the inputs reach the checks deep inside, not only JSON.parse.
import fc from 'fast-check';

/** Inputs per property: at least 1000 (FUZZ_RUNS raises it for a longer hunt). */
export const RUNS = Math.max(1000, Number(process.env.FUZZ_RUNS ?? 0) || 0);

export type Segment = string | number;
export type Mutation =
  | { kind: 'remove'; path: Segment[] }
  | { kind: 'replace'; path: Segment[]; value: unknown }
  | { kind: 'add'; path: Segment[]; value: unknown };

/** Every place in a JSON document (not the root), parents before children. */
export function placesOf(document: unknown): Segment[][] {
  const places: Segment[][] = [];
  const walk = (node: unknown, path: Segment[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        places.push([...path, index]);
        walk(item, [...path, index]);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        places.push([...path, key]);
        walk(item, [...path, key]);
      }
    }
  };
  walk(document, []);
  return places;
}

export function valueAt(document: unknown, path: Segment[]): unknown {
  let node = document;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment as string];
  }
  return node;
}

/** A value of another JSON type than `like` (or any, when `like` is undefined). */
export function wrongTypeOf(like: unknown): fc.Arbitrary<unknown> {
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string({ maxLength: 40 })],
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 })],
    ['object', fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })],
  ];
  const kind = like === null ? 'null' : Array.isArray(like) ? 'array' : typeof like;
  return fc.oneof(...all.filter(([name]) => name !== kind).map(([, arbitrary]) => arbitrary));
}

/** A value of the same type as `like`, changed: strings and numbers edge cases included. */
export function sameTypeChange(like: unknown): fc.Arbitrary<unknown> {
  if (typeof like === 'string') {
    return fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom(
        ' ',
        '\u0000',
        '../../etc/passwd',
        '$' + '{HOME}',
        '9'.repeat(400),
        `${like} `,
        like.toUpperCase(),
      ),
      fc.constant(like.slice(0, Math.max(0, like.length - 1))),
    );
  }
  if (typeof like === 'number') {
    return fc.oneof(
      fc.constantFrom(0, -1, 0.5, -0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, like + 1, like - 1),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
  }
  if (typeof like === 'boolean') return fc.constant(!like);
  if (Array.isArray(like)) return fc.constantFrom([], [...like, ...like]);
  if (like !== null && typeof like === 'object') return fc.constant({});
  return fc.jsonValue({ maxDepth: 2 });
}

/** One mutation of `document`: remove a place, give it a wrong type, change its value, or add a key. */
export function mutationOf(document: unknown): fc.Arbitrary<Mutation> {
  const places = placesOf(document);
  return fc.constantFrom(...places).chain((path) => {
    const like = valueAt(document, path);
    return fc.oneof(
      fc.constant<Mutation>({ kind: 'remove', path }),
      wrongTypeOf(like).map<Mutation>((value) => ({ kind: 'replace', path, value })),
      sameTypeChange(like).map<Mutation>((value) => ({ kind: 'replace', path, value })),
      like !== null && typeof like === 'object' && !Array.isArray(like)
        ? fc
            .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
            .map<Mutation>(([key, value]) => ({ kind: 'add', path: [...path, key], value }))
        : fc.constant<Mutation>({ kind: 'remove', path }),
    );
  });
}

/** A deep copy of `document` with the mutation applied. */
export function applied<T>(document: T, mutation: Mutation): T {
  const copy = structuredClone(document);
  const parent = valueAt(copy, mutation.path.slice(0, -1)) as Record<string, unknown> | unknown[];
  const last = mutation.path[mutation.path.length - 1] as Segment;
  if (mutation.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last as string];
  } else (parent as Record<string, unknown>)[last as string] = mutation.value;
  return copy;
}

/** Whether two paths are on one branch (one is the other or lies under it). */
export function related(a: readonly Segment[], b: readonly Segment[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}

/** Text lines: junk, JSON of any shape, control characters, very long ones, CR LF. */
export const junkLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '[]',
    'null',
    '"x"',
    '{"a":',
    '\uFEFF{}',
    '\r',
    ',,,',
    '"',
    '""',
    'x'.repeat(5000),
  ),
);
