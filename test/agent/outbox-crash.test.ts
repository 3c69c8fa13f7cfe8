// kill -9 at random moments while reports are written to the outbox and sent: after each restart no
// partial file, every report stored is either at the collector or still in the outbox, no seq reused.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseReportFileName } from '../../src/agent/outbox-entry.js';
import { openOutbox } from '../../src/agent/outbox.js';
import { createSender } from '../../src/agent/sender.js';
import { isTempName } from '../../src/state/durable-file.js';
import { openSequence } from '../../src/state/sequence.js';
import { startCollector } from './collector.js';
import { captureLogger } from './fixtures.js';

const TS_LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./outbox-crash-child.ts', import.meta.url));
const ROUNDS = 20;
const TOKEN = 'crash-token';

interface Round {
  taken: number[];
  stored: Map<number, string>;
}

/** Runs the child until it has printed `lines` lines (plus a random few ms), then SIGKILLs it. */
function runAndKill(stateDir: string, endpoint: string, lines: number): Promise<Round> {
  const round: Round = { taken: [], stored: new Map() };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TS_LOADER, CHILD, stateDir, endpoint], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CRASH_TOKEN: TOKEN },
    });
    let seen = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [what, seq, reportId] = line.split(' ');
      if (what === 'taken') round.taken.push(Number(seq));
      if (what === 'stored') round.stored.set(Number(seq), reportId as string);
      if (++seen === lines) setTimeout(() => child.kill('SIGKILL'), Math.random() * 15);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(round) : reject(new Error(`the child ended by itself: ${code} ${signal}`)),
    );
  });
}

t.test(`kill -9 at random moments, ${ROUNDS} rounds: nothing lost, nothing partial, no seq reused`, async (t) => {
  const stateDir = t.testdir({});
  const collector = await startCollector({ token: TOKEN });
  t.teardown(() => collector.close());
  // Now and then the collector is busy, so reports wait and are retried.
  collector.override = () => (Math.random() < 0.1 ? { status: 503 } : undefined);
  const outboxDir = join(stateDir, 'outbox');
  const storedAll = new Map<number, string>();
  const takenAll: number[] = [];
  let tempFilesFound = 0;
  let lastBefore = 0;

  for (let round = 0; round < ROUNDS; round++) {
    // 'ready' plus 2 to 60 more lines: kills while taking a seq, writing, or sending.
    const { taken, stored } = await runAndKill(stateDir, collector.url, 3 + Math.floor(Math.random() * 59));
    t.ok(
      taken.every((seq) => seq > lastBefore),
      `round ${round}: every seq above the ones before the kill`,
    );
    lastBefore = Math.max(lastBefore, ...taken);
    takenAll.push(...taken);
    for (const [seq, reportId] of stored) storedAll.set(seq, reportId);

    // What the kill left: temp files perhaps, but every report file under its final name is whole.
    for (const name of readdirSync(outboxDir)) {
      if (isTempName(name)) {
        tempFilesFound++;
        continue;
      }
      const parsed = parseReportFileName(name);
      if (!parsed) continue;
      const body = JSON.parse(readFileSync(join(outboxDir, name), 'utf8'));
      if (body.seq !== parsed.seq || body.reportId !== parsed.reportId) t.fail(`${name} holds another report`);
    }
    // Restart: no temp file left anywhere, every stored report at the collector or in the outbox.
    const outbox = await openOutbox({
      dir: outboxDir,
      maxReports: 100_000,
      maxBytes: 2 ** 40,
      logger: captureLogger().logger,
    });
    await openSequence(stateDir, { atLeast: outbox.highestSeq() });
    const temps = [stateDir, outboxDir, join(stateDir, 'dead-letter')].flatMap((dir) =>
      readdirSync(dir).filter(isTempName),
    );
    t.same(temps, [], `round ${round}: no temp file after reopening`);
    const queued = new Map(outbox.entries().map((e) => [e.seq, e.reportId]));
    const lost = [...storedAll].filter(
      ([seq, reportId]) => queued.get(seq) !== reportId && collector.stored.get(reportId) === undefined,
    );
    t.same(lost, [], `round ${round}: nothing lost`);
  }

  t.same(
    takenAll,
    [...new Set(takenAll)].sort((a, b) => a - b),
    'no seq taken twice, in increasing order',
  );
  t.ok(storedAll.size >= ROUNDS, `${storedAll.size} reports stored across the rounds`);
  t.comment(`${tempFilesFound} temp file(s) of cut-short writes found after the kills and removed on reopening`);

  // A last, quiet run sends what is left: every report stored reaches the collector.
  collector.override = undefined;
  const log = captureLogger();
  const outbox = await openOutbox({ dir: outboxDir, maxReports: 100_000, maxBytes: 2 ** 40, logger: log.logger });
  const sender = createSender({ outbox, endpoint: collector.url, token: () => TOKEN, logger: log.logger });
  t.same((await sender.drain()).remaining, 0);
  await sender.stop();
  for (const [seq, reportId] of storedAll) {
    if (!collector.stored.has(reportId)) t.fail(`seq ${seq} (${reportId}) never reached the collector`);
  }
  const answered = collector.deliveries;
  t.same(
    answered.filter((d) => d.status === 409),
    [],
    'a report id never came with another body',
  );
  const reportOfSeq = new Map<number, string>();
  for (const d of answered) {
    if (reportOfSeq.has(d.seq) && reportOfSeq.get(d.seq) !== d.reportId) t.fail(`seq ${d.seq} used by two reports`);
    reportOfSeq.set(d.seq, d.reportId);
  }
  const storedTwice = answered.filter((d) => d.status === 201).length - collector.stored.size;
  t.equal(storedTwice, 0, 'each report stored once (a re-send after a kill is answered 200)');
  t.comment(
    `${answered.filter((d) => d.status === 200).length} re-send(s) answered 200 (killed between the answer and the removal)`,
  );
});
