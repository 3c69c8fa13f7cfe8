// verify --deep --budget: what a location can read again after a quick listing, so the run can choose,
// across all its locations, the copies confirmed longest ago (src/verify/scrub.ts) and read only those.
import type { Copy } from '../model.js';

/** One thing a source can read again — a file, a directory, an object — and the copies that are it. */
export interface Rereadable {
  location: string;
  path: string;
  /** What reading it again costs: the file's, the directory's or the object's size. */
  bytes: number;
  /** Its copies (one per dataset whose patterns match it): read once, they all get what the read found. */
  copies: Copy[];
  /** When its bytes were last read (epoch ms), undefined when never: the run sets it from its copies to choose. */
  readAtMs: number | undefined;
}

/** What one location offers: the things it read in an earlier run (or never), and how to read them again. */
export interface Rereads {
  location: string;
  items: Rereadable[];
  /**
   * Reads these items (its own) again now, as --deep reads them, and gives their copies what the read
   * found: a fresh sha256 and hashedAt, or the hashError --deep would give (the earlier hash is dropped,
   * as --deep never shows it). Stores the fresh reads in the state dir, as --deep does. Never throws.
   * Resolves to the items it read and hashed.
   */
  reread(items: Rereadable[]): Promise<Rereadable[]>;
}
