// Child process of abort.test.ts: the built product in a plain Node process (no test loader, no
// coverage instrumentation), as an agent runs it. Runs a whole deep verify, then one aborted at each
// point given, and prints what each did as JSON: how it ended, how long it took to stop after the
// abort, and the threads, child processes and handles the process held afterwards.
import { readdirSync, readFileSync } from 'node:fs';
import pino from 'pino';

const [distUrl, documentJson, configFile, pointsJson] = process.argv.slice(2);
const { configFromDocument } = await import(new URL('config/load.js', distUrl).href);
const { verify } = await import(new URL('verify/run.js', distUrl).href);
const { config, problems } = configFromDocument(JSON.parse(documentJson), configFile, {});
if (!config) throw new Error(JSON.stringify(problems));
const logger = pino({ level: 'silent' });

const threadCount = () => readdirSync('/proc/self/task').length;
function childProcesses() {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) children.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return children;
}
const handles = () =>
  process
    .getActiveResourcesInfo()
    .filter((kind) => !['Timeout', 'TTYWrap', 'SimpleWriteWrap', 'WriteWrap'].includes(kind))
    .sort();
async function settledTo(read, ok, ms) {
  const until = Date.now() + ms;
  let value = read();
  while (!ok(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = read();
  }
  return value;
}

const wholeStarted = Date.now();
await verify({ config, logger, deep: true });
const wholeMs = Date.now() - wholeStarted;
const threadsAtRest = await settledTo(threadCount, () => false, 300);
const handlesAtRest = handles();
const points =
  pointsJson === 'random'
    ? [0, 1, 5, ...Array.from({ length: 9 }, () => Math.floor(Math.random() * wholeMs))]
    : JSON.parse(pointsJson);
const runs = [];
for (const at of points) {
  const controller = new AbortController();
  let abortedAt = 0;
  const timer = setTimeout(() => {
    abortedAt = Date.now();
    controller.abort();
  }, at);
  const outcome = await verify({ config, logger, deep: true, signal: controller.signal }).then(
    () => ({ report: true }),
    (error) => ({ report: false, errorName: error?.name, message: String(error?.message) }),
  );
  clearTimeout(timer);
  const stoppedInMs = abortedAt === 0 ? undefined : Date.now() - abortedAt;
  const threads = await settledTo(threadCount, (n) => n <= threadsAtRest, 2_000);
  runs.push({
    at,
    aborted: abortedAt !== 0,
    ...outcome,
    stoppedInMs,
    threads,
    children: childProcesses(),
    handles: await settledTo(handles, (h) => h.length <= handlesAtRest.length, 2_000),
  });
}
process.stdout.write(JSON.stringify({ wholeMs, threadsAtRest, handlesAtRest, runs }));
