// A streamed answer's pause between chunks. SQLite answers synchronously, and a client on a fast link
// drains each chunk at once, so an export's loop could run from its first chunk to its last without the
// event loop ever polling: every other request (a /healthz, an agent's report) waited for the whole
// export (14 s behind the CSV of 10,000 agents). Waiting for the next turn lets them in between chunks.
import { setImmediate } from 'node:timers/promises';

export function nextTurn(): Promise<void> {
  return setImmediate();
}
