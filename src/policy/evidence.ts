// Evidence lists over many copies, whose items are made only when the list is read.
import type { AssessedCopy, Copy, EvidenceItem, LazyEvidence } from '../model.js';

export const item = (copy: Copy, note?: string): EvidenceItem => (note ? { copy: copy.id, note } : { copy: copy.id });

/** The note of every item of a part: one text for all, or one per copy (read when the item is made). */
export type EvidenceNote = string | undefined | ((copy: AssessedCopy) => string | undefined);

interface Part {
  copies: readonly AssessedCopy[];
  note: EvidenceNote;
}

/**
 * Items for the copies of one or more lists, in their order. The lists are the checks' own (the usable
 * copies, those on a counted device …), kept as they are: one array slot per copy instead of an item
 * object per copy. Assessments never change once made, and nothing changes a list once it is given
 * here (hence readonly), so the items and the length are the same whenever they are read.
 */
export class CopyEvidence implements LazyEvidence {
  readonly #parts: Part[] = [];
  #length = 0;

  /** Adds the items for `copies` after those already in the list. */
  add(copies: readonly AssessedCopy[], note: EvidenceNote): this {
    if (copies.length > 0) {
      this.#parts.push({ copies, note });
      this.#length += copies.length;
    }
    return this;
  }

  get length(): number {
    return this.#length;
  }

  *[Symbol.iterator](): Iterator<EvidenceItem> {
    for (const { copies, note } of this.#parts) {
      for (let i = 0; i < copies.length; i++) {
        const copy = copies[i] as AssessedCopy;
        const text = typeof note === 'function' ? note(copy) : note;
        // The same object as item() makes, from literals of its own: V8 moves an allocation site's
        // objects to the old heap from the start once most of them outlive a minor GC, and the few
        // items policy keeps in the report (the newest copy …) all do. Items made here are garbage
        // once read: allocated in the old heap (3,000,000 at a million copies), they grew a JSON
        // report's heap by ≈ 100 MB (docs/report.md, "Big reports").
        yield text ? { copy: copy.id, note: text } : { copy: copy.id };
      }
    }
  }

  toJSON(): EvidenceItem[] {
    return [...this];
  }
}

/** One list's items with one note, or a note per copy. */
export function evidenceFor(copies: readonly AssessedCopy[], note?: EvidenceNote): CopyEvidence {
  return new CopyEvidence().add(copies, note);
}
