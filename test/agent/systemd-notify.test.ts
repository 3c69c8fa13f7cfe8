// Type=notify and the watchdog for real: a python3 datagram socket plays systemd's NOTIFY_SOCKET and
// receives READY=1, the watchdog's WATCHDOG=1 pings, STATUS= and STOPPING=1 through the one relay
// child, started once; without NOTIFY_SOCKET nothing is started.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import t, { type Test } from 'tap';
import { startSystemdNotify, watchdogInterval } from '../../src/agent/systemd-notify.js';

const logger = pino({ level: 'silent' });
const RECEIVER = fileURLToPath(new URL('./notify-socket.py', import.meta.url));

/** The pids whose parent is this process. */
function children(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) found.push(Number(entry));
    } catch {}
  }
  return found;
}

/** The notify socket: every assignment received, one per line of each datagram, in order. */
async function notifySocket(t: Test) {
  // A short path: AF_UNIX socket paths are limited to 107 bytes, and tap's test dirs are long.
  const dir = mkdtempSync(join(tmpdir(), 'b321-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'notify.sock');
  const receiver: ChildProcess = spawn('/usr/bin/python3', [RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => receiver.kill());
  const received: string[] = [];
  const waiters: (() => void)[] = [];
  const lines = createInterface({ input: receiver.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    receiver.once('exit', (code) => reject(new Error(`the notify socket exited (${code})`)));
    lines.on('line', (line) => {
      if (line === 'listening') return resolve();
      received.push(...(JSON.parse(line) as string).split('\n').filter(Boolean));
      for (const wake of waiters.splice(0)) wake();
    });
  });
  /** Waits until `count` assignments matching `pattern` have arrived (systemd-notify also sends BARRIER=1, MAINPID=). */
  const until = async (pattern: RegExp, count: number) => {
    while (received.filter((a) => pattern.test(a)).length < count) await new Promise<void>((w) => waiters.push(w));
    return received.filter((a) => pattern.test(a));
  };
  return { path, received, until, pid: receiver.pid as number };
}

t.test('without NOTIFY_SOCKET: disabled, every call a no-op, no process started', async (t) => {
  const before = children();
  const notify = startSystemdNotify({ env: { PATH: process.env.PATH, WATCHDOG_USEC: '1000000' }, logger });
  t.equal(notify.enabled, false);
  t.equal(notify.watchdogIntervalMs, undefined);
  notify.ready();
  notify.watchdog();
  notify.status('x');
  notify.stopping();
  await notify.close();
  t.same(children(), before);
});

t.test('READY=1, the watchdog pings, STATUS= and STOPPING=1 reach the socket, through one relay', async (t) => {
  const socket = await notifySocket(t);
  const timers: { ping: () => void; ms: number; cleared: boolean }[] = [];
  const before = children();
  const notify = startSystemdNotify({
    env: { PATH: process.env.PATH, NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '20000000' },
    logger,
    setInterval: (ping, ms) => {
      const timer = { ping, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearInterval: (timer: { cleared: boolean }) => {
      timer.cleared = true;
    },
  });
  t.equal(notify.enabled, true);
  t.equal(notify.watchdogIntervalMs, 10_000, 'half of WATCHDOG_USEC');
  const relays = children().filter((pid) => !before.includes(pid));
  t.equal(relays.length, 1, 'one relay child');

  t.equal(timers.length, 0, 'no ping before READY=1');
  notify.ready();
  t.same(await socket.until(/^READY=/, 1), ['READY=1']);
  t.equal(timers.length, 1, 'the watchdog timer starts with READY=1');
  t.equal(timers[0]?.ms, 10_000);
  for (let i = 0; i < 3; i++) timers[0]?.ping();
  t.equal((await socket.until(/^WATCHDOG=/, 3)).length, 3);
  notify.watchdog();
  await socket.until(/^WATCHDOG=/, 4);
  notify.status('verifying: 5 datasets\nsecond line');
  t.same(await socket.until(/^STATUS=/, 1), ['STATUS=verifying: 5 datasets second line'], 'one line, one assignment');
  t.same(
    children().filter((pid) => !before.includes(pid)),
    relays,
    'still only the relay: a ping spawns nothing from the agent',
  );
  notify.stopping();
  await socket.until(/^STOPPING=/, 1);
  t.equal(timers[0]?.cleared, true, 'the pings stop with STOPPING=1');
  await notify.close();
  t.same(
    socket.received.filter((a) => /^(READY|WATCHDOG|STATUS|STOPPING)=/.test(a)),
    [
      'READY=1',
      'WATCHDOG=1',
      'WATCHDOG=1',
      'WATCHDOG=1',
      'WATCHDOG=1',
      'STATUS=verifying: 5 datasets second line',
      'STOPPING=1',
    ],
    'in the order sent',
  );
  t.ok(
    socket.received.filter((a) => a.startsWith('MAINPID=')).every((a) => a === `MAINPID=${process.pid}`),
    "the messages name the agent's pid as the service's main pid",
  );
  t.same(
    children().filter((pid) => !before.includes(pid)),
    [],
    'close() ends the relay',
  );
});

t.test('a real timer pings on its own after READY=1', async (t) => {
  const socket = await notifySocket(t);
  // 2 ms: WATCHDOG_USEC 4000. Only the arrival of pings is awaited, never their timing.
  const notify = startSystemdNotify({
    env: { PATH: process.env.PATH, NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '4000' },
    logger,
  });
  t.teardown(() => notify.close());
  notify.ready();
  t.equal((await socket.until(/^WATCHDOG=/, 2)).length, 2);
  notify.stopping();
  await socket.until(/^STOPPING=/, 1);
});

t.test('NOTIFY_SOCKET set but no systemd-notify on PATH: a warning, and nothing started', async (t) => {
  const logs: string[] = [];
  const before = children();
  const notify = startSystemdNotify({
    env: { PATH: t.testdir(), NOTIFY_SOCKET: '/run/nothing.sock' },
    logger: pino({ level: 'warn' }, { write: (line: string) => logs.push(line) }),
  });
  t.equal(notify.enabled, false);
  notify.ready();
  t.match(logs.join(''), /"event":"systemd-notify-missing"/);
  t.same(children(), before);
});

t.test('the watchdog applies to this process only: WATCHDOG_USEC, and WATCHDOG_PID when set', async (t) => {
  t.equal(watchdogInterval({}, 10), undefined);
  t.equal(watchdogInterval({ WATCHDOG_USEC: '60000000' }, 10), 30_000);
  t.equal(watchdogInterval({ WATCHDOG_USEC: '60000000', WATCHDOG_PID: '10' }, 10), 30_000);
  t.equal(watchdogInterval({ WATCHDOG_USEC: '60000000', WATCHDOG_PID: '11' }, 10), undefined, "another process's");
  t.equal(watchdogInterval({ WATCHDOG_USEC: 'soon' }, 10), undefined);
  t.equal(watchdogInterval({ WATCHDOG_USEC: '0' }, 10), undefined);
});
