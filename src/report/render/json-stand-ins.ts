// What the JSON writer writes in place of copies and evidence items: the same text, without changing the model's strings.
import type { Copy, EvidenceItem } from '../../model.js';
import { CopyEvidence } from '../../policy/evidence.js';
import type { WrittenAsList } from './json-chunks.js';

/*
 * Why: JSON.stringify turns a string made by concatenation into one flat string in place, and where
 * the string lives in the old heap, so does its flat copy, for as long as the string. A copy's id and
 * path are concatenations (a location's prefix and the path, the directory and the file name), kept
 * since the walk: writing a report of a million copies grew the heap by ≈ 140 MB for good
 * (docs/report.md, "Big reports"). Each is read through a new concatenation instead, which is
 * flattened where it was made, in the young heap, and dies with the piece of text it went into.
 */
const unshared = (text: string): string => `\0${text}`.slice(1);

/** A copy as the JSON names it: the same keys in the same order, its id and path in strings of their own. */
function standIn<C extends Copy>(copy: C): C {
  return { ...copy, id: unshared(copy.id), path: unshared(copy.path) };
}

function* copyStandIns<C extends Copy>(copies: readonly C[]): Generator<C> {
  for (const copy of copies) yield standIn(copy);
}

/** The items of an evidence list made when read, one at a time (the list is never made whole). */
function* evidenceStandIns(list: CopyEvidence): Generator<EvidenceItem> {
  for (const item of list) yield { ...item, copy: unshared(item.copy) };
}

/**
 * For jsonChunks: the given lists of copies, and every evidence list policy makes when read, written
 * an item at a time from stand-ins. A list made whole (10,000 items for a dataset of 10,000 copies)
 * lived long enough to be moved to the old heap, where it stayed until the heap had doubled.
 */
export function jsonStandIns(copyLists: Iterable<readonly Copy[]>): WrittenAsList {
  const lists = new Set<object>(copyLists);
  return (value) =>
    value instanceof CopyEvidence
      ? evidenceStandIns(value)
      : lists.has(value)
        ? copyStandIns(value as readonly Copy[])
        : undefined;
}
