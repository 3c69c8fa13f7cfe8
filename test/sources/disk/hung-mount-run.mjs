// Child process of hung-mount.test.ts: the built product in a plain Node process, as an agent runs it.
// Runs one verify while measuring the main thread's event-loop delay, prints what each location ended
// with as one JSON line, then ends as a process does (the test checks it can, once the mount is gone).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';

const [distUrl, documentJson, configFile] = process.argv.slice(2);
const { configFromDocument } = await import(new URL('config/load.js', distUrl).href);
const { verify } = await import(new URL('verify/run.js', distUrl).href);
const { config, problems } = configFromDocument(JSON.parse(documentJson), configFile, {});
if (!config) throw new Error(JSON.stringify(problems));

// What this machine's scheduler alone costs the event loop, before the run (busy CI machines add tens of ms).
const idle = monitorEventLoopDelay({ resolution: 10 });
idle.enable();
await new Promise((done) => setTimeout(done, 1000));
idle.disable();
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = Date.now();
const { report } = await verify({ config, logger: pino({ level: 'silent' }) });
delay.disable();
const locations = report.sources.map((source) => ({
  id: source.id,
  status: source.status,
  copies: source.copies,
  issues: source.issues.map(({ code, params }) => ({ code, params })),
}));
process.stdout.write(
  `${JSON.stringify({
    wallMs: Date.now() - started,
    maxDelayMs: delay.max / 1e6,
    p99DelayMs: delay.percentile(99) / 1e6,
    idleP99DelayMs: idle.percentile(99) / 1e6,
    locations,
  })}\n`,
);
