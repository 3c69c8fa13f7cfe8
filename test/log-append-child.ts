// Child process for the append test: appends COUNT lines tagged TAG to PATH as fast as it can.
import { appendLine } from '../src/log-append.js';

const [path, tag, count, size] = process.argv.slice(2);
// Padding makes each line larger than PIPE_BUF (4096): atomicity must not depend on small writes.
const padding = 'x'.repeat(Number(size));
for (let seq = 0; seq < Number(count); seq++) {
  appendLine(String(path), JSON.stringify({ tag, seq, padding }));
}
