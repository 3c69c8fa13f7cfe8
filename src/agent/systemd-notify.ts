// systemd's notify protocol (Type=notify, WatchdogSec=) without a native module. The protocol is a
// datagram on an AF_UNIX SOCK_DGRAM socket, which Node cannot open; and spawning a process from the
// agent while one of its hash threads is stuck on a hung NFS/FUSE read freezes the main thread (the
// child's exec waits on the inherited file table). So one relay child is started at start-up, before
// any backup is read, and lives as long as the agent: it reads one assignment a line from its stdin
// and hands it to systemd-notify. A ping is then a write to a pipe. docs/operations.md says why this
// design, and what the unit needs for it (NotifyAccess=all).
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Logger } from 'pino';

export interface SystemdNotify {
  /** False without NOTIFY_SOCKET (not under systemd, or Type= is not notify): every call is then a no-op. */
  readonly enabled: boolean;
  /** Half of WATCHDOG_USEC, when the watchdog is on for this process; undefined otherwise. */
  readonly watchdogIntervalMs: number | undefined;
  /** READY=1, and the watchdog pings from then on (when it is on). */
  ready(): void;
  watchdog(): void;
  status(text: string): void;
  /** STOPPING=1, and the watchdog pings stop. */
  stopping(): void;
  /** Ends the relay once it has passed on what it was given. */
  close(): Promise<void>;
}

export interface SystemdNotifyOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The agent's pid, sent as the messages' sender where the kernel allows it (default: this process). */
  pid?: number;
  /** The watchdog's timer; tests pass their own to fire it by hand. */
  setInterval?: (ping: () => void, ms: number) => unknown;
  clearInterval?: (timer: never) => void;
}

// $1 systemd-notify, $2 the agent's pid. A failed systemd-notify is said on stderr (the journal) and
// the loop goes on: the next ping may pass. EOF on stdin (the agent closed it, or died) ends it.
const RELAY = 'while IFS= read -r line; do "$1" --pid="$2" "$line" || echo "systemd-notify failed: $line" >&2; done';

/** The watchdog applies to this process: WATCHDOG_USEC set, and WATCHDOG_PID (when set) naming it. */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  // Half the timeout, as sd_watchdog_enabled(3) advises: one late ping is not a restart.
  return Math.max(1, Math.floor(usec / 2000));
}

function findOnPath(command: string, path: string | undefined): string | undefined {
  for (const dir of (path || '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

const disabled = (watchdogIntervalMs?: number): SystemdNotify => ({
  enabled: false,
  watchdogIntervalMs,
  ready() {},
  watchdog() {},
  status() {},
  stopping() {},
  close: async () => {},
});

export function startSystemdNotify(options: SystemdNotifyOptions): SystemdNotify {
  const { env, logger, pid = process.pid } = options;
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return disabled();
  const watchdogIntervalMs = watchdogInterval(env, pid);
  const notifier = findOnPath('systemd-notify', env.PATH);
  if (!notifier) {
    logger.warn({ event: 'systemd-notify-missing' }, 'NOTIFY_SOCKET is set but systemd-notify is not on PATH');
    return disabled(watchdogIntervalMs);
  }

  const relay: ChildProcess = spawn('/bin/sh', ['-c', RELAY, 'backup321-notify', notifier, String(pid)], {
    // Only what systemd-notify needs: the agent's own variables (and secrets) stay with the agent.
    env: { NOTIFY_SOCKET: socket, PATH: env.PATH ?? '/usr/bin:/bin' },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  let open = true;
  const exited = new Promise<void>((resolve) => {
    relay.once('exit', (code, signal) => {
      if (open) logger.warn({ event: 'systemd-notify-relay-exited', code, signal }, 'the systemd notify relay exited');
      open = false;
      resolve();
    });
    relay.once('error', (error) => {
      logger.warn({ event: 'systemd-notify-relay-failed', err: error }, 'the systemd notify relay failed');
      open = false;
      resolve();
    });
  });
  // A relay gone (EPIPE) is reported once by the exit above; a ping after that is simply lost.
  relay.stdin?.on('error', () => {});
  // The relay must not keep the agent's event loop alive, nor be waited for on exit.
  relay.unref();
  (relay.stdin as unknown as { unref?: () => void } | null)?.unref?.();

  const send = (assignment: string) => {
    if (open) relay.stdin?.write(`${assignment.replace(/[\r\n]+/g, ' ')}\n`);
  };
  const setTimer = options.setInterval ?? setInterval;
  const clearTimer = options.clearInterval ?? clearInterval;
  let timer: unknown;
  const stopWatchdog = () => {
    if (timer !== undefined) clearTimer(timer as never);
    timer = undefined;
  };

  return {
    enabled: true,
    watchdogIntervalMs,
    ready() {
      send('READY=1');
      if (watchdogIntervalMs !== undefined && timer === undefined) {
        // On the main thread's event loop on purpose: a main thread that stops turning stops the pings,
        // and systemd restarts the agent.
        timer = setTimer(() => send('WATCHDOG=1'), watchdogIntervalMs);
        (timer as { unref?: () => void }).unref?.();
      }
    },
    watchdog: () => send('WATCHDOG=1'),
    status: (text) => send(`STATUS=${text}`),
    stopping() {
      stopWatchdog();
      send('STOPPING=1');
    },
    async close() {
      stopWatchdog();
      if (open) relay.stdin?.end();
      open = false;
      await exited;
    },
  };
}
