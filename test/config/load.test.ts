// Config loading: defaults, units, per-dataset overrides, and problems that name the JSON path and the fix.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { configFromDocument, loadConfig, loadConfigWithProblems } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { ConfigProblem } from '../../src/errors.js';
import { problemText } from '../../src/messages/index.js';

const base = () => ({
  agent: { id: 'erp-01', stateDir: '/tmp/state' },
  locations: [{ id: 'local', type: 'disk', path: '/backup' }],
  datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump' } }],
});

const problemsOf = (doc: unknown, env: NodeJS.ProcessEnv = {}) =>
  configFromDocument(doc, '/etc/b/agent.json', env).problems;

t.test(
  'defaults come from DESIGN.md: 3 copies, 2 media, 1 offline, 24h RPO and RTO, 7d offline, 90d drills',
  async (t) => {
    const { config } = configFromDocument(base(), '/etc/b/agent.json', {});
    t.ok(config);
    t.match(config?.policy, {
      minCopies: 3,
      minMedia: 2,
      minOffline: 1,
      rpoMs: 86_400_000,
      rtoMs: 86_400_000,
      offlineMaxAgeMs: 7 * 86_400_000,
      drillMaxAgeMs: 90 * 86_400_000,
      countPrimary: false,
      immutableCountsAsOffline: false,
      immutableHorizonMs: 86_400_000,
      clockSkewMs: 300_000,
    });
    t.same(config?.datasets[0]?.copies, { local: ['erp/*.dump'] });
    t.equal(config?.agent.hashWorkers, availableParallelism(), 'one hash thread per core unless configured');
  },
);

t.test('a dataset overrides policy values for itself only', async (t) => {
  const doc = base();
  doc.datasets.push({ id: 'mail', copies: { local: 'mail/*' } });
  Object.assign(doc.datasets[0] as object, { rto: '8h', minCopies: 4 });
  Object.assign(doc, { policy: { rpo: '12h' } });
  const { config } = configFromDocument(doc, '/x/a.json', {});
  t.equal(config?.datasets[0]?.policy.rtoMs, 8 * 3_600_000);
  t.equal(config?.datasets[0]?.policy.minCopies, 4);
  t.equal(config?.datasets[0]?.policy.rpoMs, 12 * 3_600_000, 'global policy still applies under the override');
  t.equal(config?.datasets[1]?.policy.rtoMs, 24 * 3_600_000);
  t.equal(config?.datasets[1]?.policy.minCopies, 3);
});

t.test('deep.budget: a size, refused when it is no size or nothing at all', async (t) => {
  t.same(configFromDocument(base(), '/x/a.json', {}).config?.deep, {}, 'no budget: a deep verify reads everything');
  const withBudget = (budget: unknown) => ({ ...base(), deep: { budget } });
  t.same(configFromDocument(withBudget('2TB'), '/x/a.json', {}).config?.deep, { budgetBytes: 2e12 });
  t.same(configFromDocument(withBudget(1_048_576), '/x/a.json', {}).config?.deep, { budgetBytes: 1_048_576 });
  t.match(problemsOf(withBudget('lots')), [
    { path: 'deep.budget', code: 'config.not-valid-here', message: /"lots"/, hint: /"512MB"/ },
  ]);
  t.match(problemsOf(withBudget('0GB')), [
    { path: 'deep.budget', code: 'config.budget-zero', message: /never read anything again/, hint: /"500GB"/ },
  ]);
  t.match(problemsOf({ ...base(), deep: { budjet: '1TB' } }), [
    { path: 'deep.budjet', message: /unknown key "budjet"/, hint: /did you mean "budget"/ },
  ]);
});

t.test('the agent keys: watch.settle, report.outbox and health.listen, with their defaults and refusals', async (t) => {
  const defaults = configFromDocument(base(), '/x/a.json', {}).config;
  t.same(defaults?.watch, { settleMs: 120_000 }, 'a change settles after 2 still minutes');
  t.same(defaults?.report.outbox, { maxReports: 10_000, maxBytes: 512 * 1024 ** 2 });
  t.same(defaults?.health, {}, 'no listener unless asked for');
  const set = configFromDocument(
    {
      ...base(),
      watch: { settle: '30s' },
      report: { endpoint: 'https://c.example/api/v1/reports', outbox: { maxReports: 50, maxBytes: '1MiB' } },
      health: { listen: '[::1]:9321' },
    },
    '/x/a.json',
    {},
  ).config;
  t.same(set?.watch, { settleMs: 30_000 });
  t.same(set?.report, {
    endpoint: 'https://c.example/api/v1/reports',
    outbox: { maxReports: 50, maxBytes: 1_048_576 },
  });
  t.same(set?.health, { listen: { host: '::1', port: 9321 } }, 'brackets around an IPv6 address go');
  t.match(problemsOf({ ...base(), health: { listen: '127.0.0.1:70000' } }), [
    { path: 'health.listen', code: 'config.port-range', message: /70000/, hint: /1 to 65535/ },
  ]);
  t.match(problemsOf({ ...base(), health: { listen: '9321' } }), [
    { path: 'health.listen', message: /"9321"/, hint: /"127.0.0.1:9321"/ },
  ]);
  t.match(problemsOf({ ...base(), report: { outbox: { maxBytes: 0 } } }), [
    { path: 'report.outbox.maxBytes', code: 'config.outbox-zero', hint: /"512MiB"/ },
  ]);
  t.match(problemsOf({ ...base(), report: { outbox: { maxReports: 0 } } }), [{ path: 'report.outbox.maxReports' }]);
  t.match(problemsOf({ ...base(), watch: { settle: 'soon' } }), [{ path: 'watch.settle', hint: /"24h"/ }]);
});

t.test(
  'the schedule is checked with the config: a wrong expression or time zone is an error at its path',
  async (t) => {
    t.match(problemsOf({ ...base(), schedule: { verify: '*/15 * * *', timezone: 'Mars/Olympus' } }), [
      { path: 'schedule.timezone', code: 'config.schedule-timezone', severity: 'error' },
      { path: 'schedule.verify', code: 'config.schedule-expression', message: /4/, hint: /\*\/15 \* \* \* \*/ },
    ]);
    const { config, problems } = configFromDocument(
      { ...base(), schedule: { verify: '* * * * * *' } },
      '/x/a.json',
      {},
    );
    t.ok(config, 'a schedule every second is allowed (tests use it)');
    t.match(problems, [{ path: 'schedule.verify', code: 'config.schedule-frequent', severity: 'warning' }]);
    const frequentOf = (verify: string) =>
      configFromDocument({ ...base(), schedule: { verify } }, '/x/a.json', {}).problems.filter(
        (p) => p.code === 'config.schedule-frequent',
      ).length;
    t.equal(frequentOf('0,30 * * * * *'), 1, 'twice a minute, all day: warned');
    t.equal(frequentOf('0,30 * 9 * * *'), 0, 'twice a minute within one hour only: a long gap each day');
    t.equal(frequentOf('* * * * *'), 0, 'every minute (five fields): runs a minute apart');
    t.equal(frequentOf('*/15 * * * *'), 0);
  },
);

t.test('followSymlinks: "inside" unless written; true, false and "inside" taken; anything else refused', async (t) => {
  const withFollow = (followSymlinks?: unknown) => ({
    ...base(),
    locations: [{ ...base().locations[0], ...(followSymlinks === undefined ? {} : { followSymlinks }) }],
  });
  const followOf = (doc: unknown) => {
    const location = configFromDocument(doc, '/x/a.json', {}).config?.locations[0];
    return location?.type === 'disk' ? location.followSymlinks : undefined;
  };
  t.equal(followOf(withFollow()), 'inside', 'the default follows links only inside the location');
  for (const value of [true, false, 'inside']) t.equal(followOf(withFollow(value)), value, `${value} as written`);
  for (const value of ['yes', 'outside', 1, null]) {
    const problems = problemsOf(withFollow(value));
    t.match(
      problems,
      [{ path: 'locations[0].followSymlinks', code: 'config.not-allowed', hint: /"inside", true, false/ }],
      `${JSON.stringify(value)} refused at its path, with the values to write`,
    );
    t.equal(problems.length, 1, 'and nothing else');
    t.match(problemText('vi', problems[0] as ConfigProblem), {
      message: /không thuộc các giá trị được phép/,
      hint: /"inside", true, false/,
    });
  }
});

t.test('relative paths resolve against the config file directory', async (t) => {
  const doc = base();
  (doc.locations[0] as { path: string }).path = 'backups';
  const { config } = configFromDocument(doc, '/etc/b/agent.json', {});
  t.equal((config?.locations[0] as { path: string } | undefined)?.path, '/etc/b/backups');
});

const PLACEHOLDER = ['$', '{BACKUP_ROOT}'].join('');

t.test('environment placeholders are expanded; an unset variable is a problem with its path', async (t) => {
  const doc = base();
  (doc.locations[0] as { path: string }).path = `${PLACEHOLDER}/daily`;
  const { config } = configFromDocument(doc, '/x/a.json', { BACKUP_ROOT: '/srv' });
  t.equal((config?.locations[0] as { path: string } | undefined)?.path, '/srv/daily');
  t.match(problemsOf(doc), [{ path: 'locations[0].path', message: /BACKUP_ROOT is not set/ }]);
});

t.test('every bad value is reported at once, each with its JSON path and a hint', async (t) => {
  const doc = {
    agent: { id: 'erp 01' },
    policy: { rpo: '1 day', minCopies: 'three' },
    locations: [
      { id: 'local', type: 'disk', path: '/backup', medum: 'disk' },
      { id: 'cloud', type: 's3' },
      { id: 'x', type: 'ftp', path: '/' },
    ],
    datasets: [{ id: 'erp', copies: { local: 42 } }],
    extra: true,
  };
  const problems = problemsOf(doc);
  const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
  t.match(byPath['agent.id'], { message: /not valid/, hint: /letters, digits/ });
  t.match(byPath['policy.rpo'], { message: /"1 day"/, hint: /"24h"/ });
  t.match(byPath['policy.minCopies'], { message: /must be an integer/, hint: /string "three"/ });
  t.match(byPath['locations[0].medum'], { message: /unknown key "medum"/, hint: /did you mean "medium"/ });
  t.match(byPath['locations[1].bucket'], { message: /is required/ });
  t.match(byPath['locations[2].type'], { message: /unknown location type/, hint: /"disk", "s3" or "offline-log"/ });
  t.match(byPath['datasets[0].copies.local'], { message: /non-empty string/ });
  t.match(byPath.extra, { message: /unknown key "extra"/ });
  t.notOk(
    problems.some((p) => p.path.startsWith('locations[1]') && /path/.test(p.path)),
    'no noise from the other location shapes',
  );
});

t.test('secrets in the file are refused with a pointer to tokenFile / the credential chain', async (t) => {
  const doc = base();
  Object.assign(doc, { report: { endpoint: 'https://c.example', token: 'abc' } });
  t.match(problemsOf(doc), [{ path: 'report.token', hint: /secrets never go in the config file/ }]);
});

t.test('unknown location ids and duplicate ids are named', async (t) => {
  const doc = base();
  doc.locations.push({ id: 'local', type: 'disk', path: '/b2' });
  doc.datasets.push({ id: 'erp-db', copies: { nas: 'x' } } as never);
  const problems = problemsOf(doc);
  t.match(problems, [
    { path: 'locations[1].id', message: /used more than once/ },
    { path: 'datasets[1].id', message: /used more than once/ },
    { path: 'datasets[1].copies.nas', message: /no location has the id "nas"/, hint: /local/ },
  ]);
});

t.test('malformed JSON gives the line and column', async (t) => {
  const dir = t.testdir({ 'bad.json': '{\n  "agent": { "id": "a", },\n}\n' });
  const { problems } = await loadConfigWithProblems(join(dir, 'bad.json'));
  t.match(problems, [{ path: 'agent', message: /not valid JSON at line 2, column 23/ }]);
  await t.rejects(loadConfig(join(dir, 'bad.json')), { code: 'B321_CONFIG' });
  await t.rejects(loadConfig(join(dir, 'missing.json')), {
    code: 'B321_CONFIG',
    message: /cannot read the config file/,
  });
});

t.test('the shipped example config is valid and the shipped schema is the one in the code', async (t) => {
  const example = JSON.parse(readFileSync('agent.config.example.json', 'utf8'));
  t.same(problemsOf(example), []);
  t.equal(example.$schema, './schema/agent.config.schema.json');
  const shipped = JSON.parse(readFileSync('schema/agent.config.schema.json', 'utf8'));
  t.same(shipped, JSON.parse(JSON.stringify(configSchema)), 'run `npm run schema` after changing src/config/schema.ts');
});

t.test(
  'integrity ages: verifyMaxAge 35d and offlineVerifyMaxAge 180d by default, set globally or per dataset',
  async (t) => {
    const { config } = configFromDocument(base(), '/etc/b/agent.json', {});
    t.match(config?.policy, { verifyMaxAgeMs: 35 * 86_400_000, offlineVerifyMaxAgeMs: 180 * 86_400_000 });
    const doc = base();
    Object.assign(doc, { policy: { offlineVerifyMaxAge: '90d' } });
    Object.assign(doc.datasets[0] as object, { verifyMaxAge: '7d' });
    const { config: set } = configFromDocument(doc, '/etc/b/agent.json', {});
    t.match(set?.datasets[0]?.policy, { verifyMaxAgeMs: 7 * 86_400_000, offlineVerifyMaxAgeMs: 90 * 86_400_000 });
    t.match(problemsOf({ ...doc, policy: { verifyMaxAge: 'monthly' } }), [
      { path: 'policy.verifyMaxAge', severity: 'error' },
    ]);
  },
);
