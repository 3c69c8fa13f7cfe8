// Progress on a TTY for long runs (hashing, listing big buckets); nothing at all when piped.

export interface Progress {
  update: (event: { location: string; phase: string; done: number; total?: number }) => void;
  done: () => void;
}

export function createProgress(stream: NodeJS.WriteStream, intervalMs = 250): Progress | undefined {
  if (!stream.isTTY) return undefined;
  const latest = new Map<string, string>();
  let lastDraw = 0;
  let drawn = false;
  const draw = () => {
    const line = [...latest.entries()].map(([location, text]) => `${location}: ${text}`).join('  ');
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 80) - 1)}`);
    drawn = true;
  };
  return {
    update(event) {
      const total = event.total === undefined ? '' : `/${event.total}`;
      latest.set(event.location, `${event.phase} ${event.done}${total}`);
      const now = Date.now();
      if (now - lastDraw >= intervalMs) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
