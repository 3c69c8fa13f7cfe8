// The checksum cache's index: (dev, ino) → record number, as an open-addressing hash table in one Int32Array.

/*
 * Why not Map<dev, Map<ino, record>>: building one from a loaded cache was slow and it is big. The keys live in the
 * records already, so the table holds only record numbers (4 bytes a slot, at most half full) and
 * compares keys by reading them from the records.
 */

const EMPTY = -1;
/** A removed entry: probing goes on past it, an insert may reuse it. */
const REMOVED = -2;
const TWO_32 = 2 ** 32;

export interface RecordIndex {
  /** The record holding (dev, ino), or -1. */
  find(dev: number, ino: number): number;
  /** Points (dev, ino) at `record`; true when the key was new. */
  set(dev: number, ino: number, record: number): boolean;
  /** Drops (dev, ino); true when it was there. */
  remove(dev: number, ino: number): boolean;
  clear(): void;
}

/**
 * `records()` returns the current record array (it is replaced when the cache grows); each record is
 * `stride` numbers with dev at `devAt` and ino at `inoAt`.
 */
export function createRecordIndex(
  records: () => Float64Array,
  layout: { stride: number; devAt: number; inoAt: number },
  expected = 0,
): RecordIndex {
  const { stride, devAt, inoAt } = layout;
  let bits = 10;
  while (2 ** bits < expected * 2) bits++;
  let slots = new Int32Array(2 ** bits).fill(EMPTY);
  /** Slots not EMPTY (entries and REMOVED marks): what makes probes long. */
  let used = 0;

  // Inode numbers are often consecutive: a multiplicative (Fibonacci) hash spreads them over the table.
  const home = (dev: number, ino: number): number => {
    const mixed = (ino >>> 0) ^ Math.imul((ino / TWO_32) >>> 0, 0x85ebca6b) ^ Math.imul(dev >>> 0, 0xc2b2ae35);
    return Math.imul(mixed ^ ((dev / TWO_32) >>> 0), 0x9e3779b1) >>> (32 - bits);
  };

  /** The slot holding (dev, ino), or -1. */
  const slotOf = (dev: number, ino: number): number => {
    const f64 = records();
    const mask = slots.length - 1;
    for (let slot = home(dev, ino); ; slot = (slot + 1) & mask) {
      const record = slots[slot] as number;
      if (record === EMPTY) return -1;
      if (record !== REMOVED && f64[record * stride + inoAt] === ino && f64[record * stride + devAt] === dev)
        return slot;
    }
  };

  const place = (dev: number, ino: number, record: number): void => {
    const mask = slots.length - 1;
    let slot = home(dev, ino);
    while ((slots[slot] as number) >= 0) slot = (slot + 1) & mask;
    if (slots[slot] === EMPTY) used++;
    slots[slot] = record;
  };

  /** A table kept at most half used; rebuilt (bigger if the entries need it) without REMOVED marks. */
  const rebuild = (entries: number): void => {
    const old = slots;
    while (2 ** bits < (entries + 1) * 2) bits++;
    slots = new Int32Array(2 ** bits).fill(EMPTY);
    used = 0;
    const f64 = records();
    for (const record of old)
      if (record >= 0) place(f64[record * stride + devAt] as number, f64[record * stride + inoAt] as number, record);
  };

  let entries = 0;
  return {
    find(dev, ino) {
      const slot = slotOf(dev, ino);
      return slot === -1 ? -1 : (slots[slot] as number);
    },
    set(dev, ino, record) {
      const slot = slotOf(dev, ino);
      if (slot !== -1) {
        slots[slot] = record;
        return false;
      }
      if ((used + 1) * 2 > slots.length) rebuild(entries + 1);
      place(dev, ino, record);
      entries++;
      return true;
    },
    remove(dev, ino) {
      const slot = slotOf(dev, ino);
      if (slot === -1) return false;
      slots[slot] = REMOVED;
      entries--;
      return true;
    },
    clear() {
      bits = 10;
      slots = new Int32Array(2 ** bits).fill(EMPTY);
      used = 0;
      entries = 0;
    },
  };
}
