// The CLI's log on a pipe: JSON lines, and pino-pretty (for a person at a terminal) never loaded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { BINARY, runProcess } from './cli/run-binary.js';

/**
 * Preloaded into the child: at exit, says on stderr how many of pino-pretty's files were required. Only
 * the main thread says it: worker threads inherit the preload, and the log is the main thread's.
 */
const PROBE = `if (require('node:worker_threads').isMainThread) process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => file.includes('/node_modules/pino-pretty/'));
  require('node:fs').writeSync(2, 'PRETTY-FILES ' + loaded.length + '\\n');
});
`;

t.test('with stderr piped the log is JSON lines and pino-pretty is not loaded', async (t) => {
  const probe = join(t.testdir(), 'probe.cjs');
  writeFileSync(probe, PROBE);
  const run = await runProcess(process.execPath, [
    '-r',
    probe,
    BINARY,
    'demo',
    '--format',
    'json',
    '--log-level',
    'debug',
  ]);
  t.equal(run.code, 0, run.stderr);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  t.equal(lines.at(-1), 'PRETTY-FILES 0', 'no file of pino-pretty was required');
  const logLines = lines.slice(0, -1);
  t.ok(logLines.length > 0, 'debug logs something');
  for (const line of logLines)
    t.match(JSON.parse(line), { level: Number, time: Number, pid: Number, msg: String }, line);
});
