// Parses recorded checksums: `.sha256` sidecars and sha256sum-style manifests (SHA256SUMS), as evidence.

export const SIDECAR_SUFFIXES = ['.sha256', '.sha256sum'] as const;
export const MANIFEST_NAMES = ['SHA256SUMS', 'SHA256SUMS.txt', 'sha256sums.txt', 'CHECKSUMS.sha256'] as const;

/** True for files that hold checksums and so are never backup copies themselves. */
export function isChecksumFile(fileName: string): boolean {
  return (
    SIDECAR_SUFFIXES.some((suffix) => fileName.endsWith(suffix)) ||
    (MANIFEST_NAMES as readonly string[]).includes(fileName)
  );
}

export interface ChecksumFileLine {
  /** The file name as written (relative path; leading "*" binary marker and "./" removed). */
  file: string;
  sha256: string;
}

export interface ParsedChecksumFile {
  entries: ChecksumFileLine[];
  /** 1-based line numbers that were neither blank, comments, nor valid entries. */
  badLines: number[];
}

const LINE = /^\\?([0-9a-fA-F]{64})\s+[* ]?(.+)$/;
const BSD_LINE = /^SHA256\s*\((.+)\)\s*=\s*([0-9a-fA-F]{64})$/;
const BARE_HASH = /^([0-9a-fA-F]{64})$/;

/**
 * Reads `sha256sum` output ("<hex>  name" or "<hex> *name"), BSD style ("SHA256 (name) = <hex>"),
 * or a bare hash (a sidecar holding only the digest; `file` is then "").
 */
export function parseChecksumFile(text: string): ParsedChecksumFile {
  const entries: ChecksumFileLine[] = [];
  const badLines: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const gnu = LINE.exec(line);
    const bsd = gnu ? undefined : BSD_LINE.exec(line);
    const bare = gnu || bsd ? undefined : BARE_HASH.exec(line);
    if (gnu?.[1] && gnu[2]) entries.push({ sha256: gnu[1].toLowerCase(), file: normaliseName(gnu[2]) });
    else if (bsd?.[1] && bsd[2]) entries.push({ sha256: bsd[2].toLowerCase(), file: normaliseName(bsd[1]) });
    else if (bare?.[1]) entries.push({ sha256: bare[1].toLowerCase(), file: '' });
    else badLines.push(index + 1);
  });
  return { entries, badLines };
}

function normaliseName(name: string): string {
  return name.trim().replace(/^\.\//, '');
}

/**
 * The checksum a sidecar records for `fileName`: its one entry when that entry names the file (or
 * names nothing, as a bare digest); undefined when the sidecar is about another file or unreadable.
 */
export function sidecarChecksumFor(parsed: ParsedChecksumFile, fileName: string): string | undefined {
  const match = parsed.entries.find((entry) => entry.file === '' || baseName(entry.file) === fileName);
  return match?.sha256;
}

function baseName(path: string): string {
  const index = path.lastIndexOf('/');
  return index === -1 ? path : path.slice(index + 1);
}
