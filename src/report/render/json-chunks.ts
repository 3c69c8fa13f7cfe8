// JSON.stringify(value, null, gap), as a sequence of pieces instead of one string.

/*
 * Why: a report names every copy, several times over (the copies, and the evidence lists of `copies`,
 * `media` and `integrity`), and a big one as one string is longer than a string may be. Here only a subtree
 * of a few hundred values is ever stringified at once (one copy, one evidence item), and the rest of
 * the document is written around it.
 */

/** Values per subtree handed to JSON.stringify whole: a copy with its assessment is about 30. */
const SMALL_NODES = 256;

/** Items of a list written from an iterable (`WrittenAsList`) taken at a time: room for a run of small ones. */
const WINDOW = 1024;

/**
 * Picks the values to write as a JSON array of what the returned iterable yields, an item at a time,
 * instead of as JSON.stringify reaches them: a list made when read (an object whose toJSON() returns
 * those items) is then never made whole, and an array's items can be written from stand-ins. The
 * caller promises the same text either way; an array small enough to be stringified whole is.
 */
export type WrittenAsList = (value: object) => Iterable<unknown> | undefined;

/** An array or object being written: where it is, and its indentation. */
interface Open {
  /** An array's items, or those of a list written from an iterable taken so far (its window). */
  items: readonly unknown[] | undefined;
  /** The items of a list written from an iterable not taken yet. */
  rest: Iterator<unknown> | undefined;
  /** The index in the whole list of items[0] (0 but for an iterable's later windows). */
  base: number;
  /** The object that opened this frame, for the cycle check. */
  source: object;
  record: Record<string, unknown> | undefined;
  keys: string[] | undefined;
  next: number;
  /** Whether an object has written a member yet (skipped ones write nothing, not even the brace). */
  wrote: boolean;
  indent: string;
  inner: string;
}

/**
 * Yields pieces of at least `atLeast` characters (the last may be shorter) whose concatenation is
 * exactly `JSON.stringify(value, null, indentBy)`: the same toJSON calls, the same skipped keys (undefined,
 * functions, symbols), null in arrays for those, the same indentation. A value JSON.stringify would
 * drop at the top yields nothing. One generator with its own stack, not one per level: a value yielded
 * through nested generators costs a resumption per level.
 */
export function* jsonChunks(
  value: unknown,
  indentBy = '  ',
  atLeast = 1 << 16,
  asList: WrittenAsList = () => undefined,
): Generator<string> {
  // As JSON.stringify: a gap longer than 10 characters is cut to 10; an empty one lays out nothing.
  const gap = indentBy.slice(0, 10);
  if (gap === '') throw new RangeError('jsonChunks writes indented JSON: give a gap of 1 to 10 characters');
  /** What JSON.stringify serialises in a value's place; one written as a list as itself (write() opens it). */
  const toJsonValue = (value: unknown, key: string | number): unknown =>
    value !== null && typeof value === 'object' && asList(value) !== undefined ? value : serialised(value, key);
  const top = toJsonValue(value, '');
  if (top === undefined) return;
  const stack: Open[] = [];
  // The arrays and objects being written: one met again inside itself is a cycle, as JSON.stringify says.
  const writing = new Set<object>();
  let out = '';
  const write = (item: unknown, indent: string): void => {
    if (item === null || typeof item !== 'object' || isSmall(item)) {
      const text = JSON.stringify(item, null, gap) as string;
      // A nested value is the same text with every line after the first indented further: a string
      // value never holds a raw newline (JSON escapes it), so each "\n" is the layout's own.
      out += indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
      return;
    }
    const inner = indent + gap;
    if (writing.has(item)) throw new TypeError('Converting circular structure to JSON');
    const rest = asList(item)?.[Symbol.iterator]();
    const items = rest ? take(rest, WINDOW) : Array.isArray(item) ? item : undefined;
    if (items) {
      if (items.length === 0) out += '[]';
      else {
        out += '[';
        writing.add(item);
        stack.push({
          items,
          rest,
          base: 0,
          source: item,
          record: undefined,
          keys: undefined,
          next: 0,
          wrote: false,
          indent,
          inner,
        });
      }
      return;
    }
    const record = item as Record<string, unknown>;
    writing.add(record);
    stack.push({
      items: undefined,
      rest: undefined,
      base: 0,
      source: record,
      record,
      keys: Object.keys(record),
      next: 0,
      wrote: false,
      indent,
      inner,
    });
  };
  write(top, '');
  while (stack.length > 0) {
    const open = stack[stack.length - 1] as Open;
    if (open.items) {
      if (open.next === open.items.length && open.rest) {
        // The next window of a list written from an iterable; the last one is empty.
        open.base += open.items.length;
        open.items = take(open.rest, WINDOW);
        open.next = 0;
      }
      if (open.next === open.items.length) {
        out += `\n${open.indent}]`;
        writing.delete(open.source);
        stack.pop();
      } else {
        const at = open.next;
        const first = open.base + at === 0;
        const run = smallRun(open.items, at);
        if (run > 1) {
          // Small neighbours in one call, as JSON.stringify lays out an array of them:
          // "[\n<gap>a,\n<gap>b\n]" without its brackets is the elements as this array writes them.
          const text = JSON.stringify(open.items.slice(at, at + run), null, gap) as string;
          out += `${first ? '\n' : ',\n'}${open.indent}${text.slice(2, -2).replaceAll('\n', `\n${open.indent}`)}`;
          open.next += run;
        } else {
          open.next++;
          out += first ? `\n${open.inner}` : `,\n${open.inner}`;
          const item = toJsonValue(open.items[at], open.base + at);
          if (item === undefined) out += 'null';
          else write(item, open.inner);
        }
      }
    } else {
      const keys = open.keys as string[];
      if (open.next === keys.length) {
        out += open.wrote ? `\n${open.indent}}` : '{}';
        writing.delete(open.source);
        stack.pop();
      } else {
        const key = keys[open.next++] as string;
        const item = toJsonValue((open.record as Record<string, unknown>)[key], key);
        if (item !== undefined) {
          out += `${open.wrote ? ',' : '{'}\n${open.inner}${JSON.stringify(key)}: `;
          open.wrote = true;
          write(item, open.inner);
        }
      }
    }
    if (out.length >= atLeast) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

/** Up to n items from an iterator, in a new array. */
function take(items: Iterator<unknown>, n: number): unknown[] {
  const taken: unknown[] = [];
  while (taken.length < n) {
    const next = items.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

/** What JSON.stringify serialises in a value's place: its toJSON(key); undefined where it would skip it. */
function serialised(value: unknown, key: string | number): unknown {
  let result = value;
  if (result !== null && typeof result === 'object' && typeof (result as { toJSON?: unknown }).toJSON === 'function')
    result = (result as { toJSON: (key: string) => unknown }).toJSON(String(key));
  if (result === undefined || typeof result === 'function' || typeof result === 'symbol') return undefined;
  return result;
}

/**
 * Values per run of small array elements stringified in one call: about 32 copies, ≈ 50 KB of text.
 * A string over 128 KiB is a large object to V8, moved to the old heap whole by the first minor GC it
 * outlives; with runs of 4,096 values (≈ 190 KB for copies) a JSON report of a million copies left
 * ≈ 100 MB of such garbage there.
 */
const RUN_NODES = 1024;

/**
 * How many elements from `at` on are small (primitives, or objects isSmall accepts) and together hold
 * at most RUN_NODES values. Objects with a toJSON are never in a run: JSON.stringify would pass them
 * their index in the slice, not in the array.
 */
function smallRun(items: readonly unknown[], at: number): number {
  let budget = RUN_NODES;
  let end = at;
  for (; end < items.length; end++) {
    const item = items[end];
    const size = item !== null && typeof item === 'object' ? nodesIfSmall(item) : 1;
    if (size < 0 || size > budget) break;
    budget -= size;
  }
  return end - at;
}

/** True when the subtree holds at most SMALL_NODES values and nothing with a toJSON (which could be large). */
function isSmall(value: object): boolean {
  return nodesIfSmall(value) >= 0;
}

/** The values in a small subtree (isSmall), or -1 when it is not small. */
function nodesIfSmall(value: object): number {
  let budget = SMALL_NODES;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object') continue;
    if (typeof (next as { toJSON?: unknown }).toJSON === 'function') return -1;
    // A boxed primitive is written as its value, however many characters or properties it has.
    if (next instanceof String || next instanceof Number || next instanceof Boolean || next instanceof BigInt) {
      budget -= 1;
      continue;
    }
    const values = Array.isArray(next) ? next : Object.values(next);
    budget -= values.length;
    if (budget < 0) return -1;
    for (const item of values) if (item !== null && typeof item === 'object') pending.push(item);
  }
  return SMALL_NODES - budget + 1;
}
