// Durations ("24h", "7d"), sizes ("2GiB") and rates ("300MB/s"): parsed and formatted in this one place.

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses "24h", "90m", "7d", "1.5h", "0"; a bare number (86400 or "86400") is seconds. Returns ms, or undefined if malformed. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.round(text * 1000) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(text);
  if (!match) return undefined;
  const unit = DURATION_UNITS[match[2] ?? 's'] ?? 1000;
  return Math.round(Number(match[1]) * unit);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  p: 1e15,
  ki: 1024,
  mi: 1024 ** 2,
  gi: 1024 ** 3,
  ti: 1024 ** 4,
  pi: 1024 ** 5,
};

/** Parses "512MB", "2GiB", "1.5T", "0", 1024 (decimal units are powers of 1000, "i" units of 1024; a bare number is bytes). Returns bytes. */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.round(text) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kKmMgGtTpP]i?)B?|(B))?\s*$/.exec(text);
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

/** Parses "300MB/s", "80MiB/s", "1TB/h". Returns bytes per second. */
export function parseThroughput(text: string): number | undefined {
  const match = /^\s*(.+?)\s*\/\s*(s|m|h)\s*$/.exec(text);
  if (!match?.[1]) return undefined;
  const bytes = parseSize(match[1]);
  if (bytes === undefined) return undefined;
  const per = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
  return bytes / per;
}

/** "1d 2h", "3h 5m", "42s", "850ms": the two largest units, for reports. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0 || parts.length > 0) {
      if (count > 0) parts.push(`${count}${unit}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return sign + parts.join(' ');
}

/** "1.5 GB", "512 B": decimal units, as disk vendors and `df -H` use. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`;
}

export function formatThroughput(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}
