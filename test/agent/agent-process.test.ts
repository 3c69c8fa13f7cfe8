// `backup321 agent` as a real child process on a seconds-level schedule, over the demo estate, sending
// to a real HTTP receiver on 127.0.0.1: what arrives, in which order, with which token; a receiver that
// refuses for a while; SIGTERM, SIGHUP with a broken config, --once. Nothing waits on wall-clock minutes.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { agentEstate, startAgent, startReceiver, TOKEN, until } from './harness.js';

const FAST_RETRY = ['--retry-min', '50ms', '--retry-max', '200ms'];

t.test('reports arrive with the token, in seq order, one per run; SIGTERM exits 0', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await until(() => receiver.acknowledged.size >= 3, 'three reports');
  const posts = receiver.posts.filter((p) => p.status === 201);
  t.ok(posts.every((p) => p.authorization === `Bearer ${TOKEN}`), 'every report carries the agent token');
  t.same(
    posts.slice(0, 3).map((p) => p.seq),
    [1, 2, 3],
    'seq 1, 2, 3 in the order sent',
  );
  t.match(posts[0]?.body, { kind: 'summary', agent: { id: 'demo-01' }, trigger: 'schedule' });
  t.notOk(
    agent.lines.some((line) => JSON.stringify(line).includes(TOKEN)),
    'the token is in no log line',
  );
  const changed = agent.lines.filter((line) => line.event === 'verdict-changed');
  t.ok(changed.length >= 5, 'each dataset’s first verdict is logged as a change');
  t.match(changed[0], { dataset: 'erp-db', from: null });
  agent.child.kill('SIGTERM');
  const exit = await agent.exited;
  t.same(exit, { code: 0, signal: null }, 'SIGTERM: exit 0');
});

t.test('a receiver that refuses for a while: reports wait on disk and all arrive once, in order', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
  receiver.refuseWith = 503;
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await agent.waitForLine((line) => line.event === 'run-finished' && Number(line.seq) >= 4);
  const outbox = join(estate.stateDir, 'outbox');
  t.ok(
    readdirSync(outbox).filter((name) => name.endsWith('.json') && !name.startsWith('drops')).length >= 3,
    'the refused reports wait in the outbox',
  );
  receiver.refuseWith = undefined;
  await until(() => receiver.acknowledged.size >= 5, 'the waiting reports and more');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
  const stored = receiver.posts.filter((p) => p.status === 201).map((p) => p.seq);
  t.same(
    stored,
    stored.map((_, i) => i + 1),
    'every seq from 1 stored once, none missing, none twice',
  );
  t.ok([...receiver.acknowledged.values()].every((n) => n === 1), 'no report acknowledged twice');
});

t.test('SIGHUP with a broken config keeps the old one; a good one is taken', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await until(() => receiver.acknowledged.size >= 1, 'a first report');
  estate.rewrite({ policy: { minCopies: 'three' } });
  agent.child.kill('SIGHUP');
  const refused = await agent.waitForLine((line) => line.event === 'reload-refused' && line.path === 'policy.minCopies');
  t.ok(refused.msg, 'the problem is logged, with its JSON path');
  const after = receiver.acknowledged.size;
  await until(() => receiver.acknowledged.size >= after + 2, 'reports go on under the old config');
  estate.rewrite({ policy: { minCopies: 2, minMedia: 2, minOffline: 1, rpo: '24h', rto: '24h' } });
  agent.child.kill('SIGHUP');
  await agent.waitForLine((line) => line.event === 'reloaded');
  const reloadedAt = receiver.posts.length;
  await until(
    () => receiver.posts.slice(reloadedAt).some((p) => (p.body.policy as { minCopies?: number }).minCopies === 2),
    'a report judged by the new policy',
  );
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
});

t.test('--once: one run, the outbox delivered, exit 0; exit 3 when the collector refuses', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url);
  const once = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.same(await once.exited, { code: 0, signal: null });
  t.equal(receiver.acknowledged.size, 1);
  t.match(receiver.posts[0], { seq: 1, trigger: 'manual' });

  receiver.refuseWith = 503;
  const refused = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.equal((await refused.exited).code, 3, 'the report waits in the outbox: exit 3');
  receiver.refuseWith = undefined;
  const later = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.equal((await later.exited).code, 0);
  t.same(
    receiver.posts.filter((p) => p.status === 201).map((p) => p.seq),
    [1, 2, 3],
    'the waiting report went with the next cycle, in order',
  );
});

t.test('one agent per state dir: a second one is refused with exit 3', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url);
  const first = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => first.child.kill('SIGKILL'));
  await first.waitForLine((line) => line.event === 'started');
  const second = startAgent(['-c', estate.configFile, '--state-wait', '0', ...FAST_RETRY]);
  t.equal((await second.exited).code, 3);
  t.match(second.stderr(), /held by agent \(pid \d+/);
  first.child.kill('SIGTERM');
  t.equal((await first.exited).code, 0);
});
