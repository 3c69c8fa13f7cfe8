// The agent as the bench measures it: the measured build's `backup321 agent` in a process of its own
// (with the command's Node flags), its JSON log lines read as they come, a receiver answering 201.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { measuredCliFlags, measuredDist } from './measured-build.mjs';

/** A collector that stores nothing: reads each body and answers 201. */
export async function startReceiver() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/api/v1/reports`,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** A free TCP port on 127.0.0.1, for health.listen (a config names its port). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function startAgent(configFile, args = []) {
  const main = fileURLToPath(new URL('cli/main.js', measuredDist()));
  const child = spawn(process.execPath, [...measuredCliFlags(), main, 'agent', '-c', configFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const waiters = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        lines.push(JSON.parse(text));
      } catch {
        lines.push({ unparsed: text });
      }
    }
    for (const check of waiters.splice(0)) check();
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    /** The first log line from `from` on that matches. */
    waitFor(match, timeoutMs = 120_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.slice(from).find(match);
          if (found) return resolve(found);
          if (child.exitCode !== null) return reject(new Error(`the agent exited: ${stderr.slice(-1000)}`));
          if (Date.now() > deadline) return reject(new Error(`no such agent log line within ${timeoutMs} ms`));
          waiters.push(check);
          setTimeout(check, 200);
        };
        check();
      });
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** utime + stime of a process in ms, and its resident set in MB, from /proc. */
export function processUsage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // USER_HZ is 100 on Linux.
  return { cpuMs: ticks * 10, rssMB: rssKb / 1024, peakRssMB: hwmKb / 1024 };
}
