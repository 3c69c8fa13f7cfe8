// Watches the tree under argv[2] (every file a pattern match) in a user namespace whose inotify limits the
// test lowered; logs JSON lines on stdout, then a last line { degraded, settled } once a change made after
// start-up has had time to settle.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { startWatch } from '../../src/agent/watch.js';
import { wholeTree } from './watch-helpers.js';

const root = process.argv[2] ?? '';
const target = wholeTree(root);
const logger = pino({ level: 'info' }, pino.destination({ fd: 1, sync: true }));
let settled = 0;
const watch = startWatch({ targets: [target], settleMs: 100, logger, onSettled: () => settled++ });
await watch.ready;
appendFileSync(join(root, 'd0/new.dump'), 'a backup made after start-up');
await sleep(1000);
process.stdout.write(`${JSON.stringify({ degraded: watch.degraded, settled })}\n`);
await watch.close();
