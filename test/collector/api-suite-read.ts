// The GET routes against a real collector and store: who may read what, the answers' shapes (the
// OpenAPI document's schemas), paging, filters, silence and seq gaps on an injected clock, the CSV.
import { Ajv } from 'ajv';
import type { Test } from 'tap';
import { API_ROUTES } from '../../src/collector/api-routes.js';
import { API_SCHEMAS } from '../../src/collector/api-schemas.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { type Answer, startApi } from './api-fixture.js';
import type { Backend } from './store-backends.js';
import { HOUR, type Variation, vary } from './store-fixture.js';

/** Checks an answer against the OpenAPI document's schema of it. */
function schemaChecker() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', true);
  ajv.addSchema({ $id: 'api', components: { schemas: API_SCHEMAS } });
  return (t: Test, answer: Answer, name: keyof typeof API_SCHEMAS) => {
    const validate = ajv.getSchema(`api#/components/schemas/${name}`);
    if (!validate) throw new Error(`no schema ${name}`);
    const json = answer.json();
    t.ok(validate(json), `${name}: ${ajv.errorsText(validate.errors)}`);
  };
}

export function readSuite(t: Test, backend: Backend, base: () => SummaryReport): void {
  const make = (v: Variation = {}) => vary(base(), { agentId: 'agent-1', ...v });
  const conforms = schemaChecker();

  t.test(`${backend.name}: every GET but /healthz needs a token; an agent's reads only its own agent`, async (t) => {
    const api = await startApi(t, backend);
    t.equal((await api.post(make({ seq: 1 }))).status, 201);
    for (const route of API_ROUTES.filter((r) => r.method === 'GET' && r.access !== 'public')) {
      const path = route.url.replace(':id', 'agent-1').replace(':reportId', 'x');
      t.equal((await api.get(path, '')).status, 401, `${path} without a token`);
    }
    const health = await api.get('/healthz', '');
    t.equal(health.status, 200);
    t.same(health.json(), { status: 'ok' }, 'nothing but "up"');
    const agent = api.tokens.agent;
    t.equal((await api.get('/api/v1/agents/agent-1', agent)).status, 200, 'its own agent');
    t.equal((await api.get('/api/v1/agents/agent-1/reports', agent)).status, 200);
    t.equal((await api.get('/api/v1/agents/agent-2', agent)).status, 403, 'not another agent');
    for (const path of ['/api/v1/agents', '/api/v1/fleet', '/api/v1/datasets', '/api/v1/export.csv', '/metrics']) {
      t.equal((await api.get(path, agent)).status, 403, `${path}: readers only`);
    }
    t.equal((await api.get('/api/v1/openapi.json', agent)).status, 200, 'the API document: any token');
    const viaCookie = await api.get('/api/v1/agents', '', { cookie: `theme=dark; b321_session=${api.tokens.reader}` });
    t.equal(viaCookie.status, 200, "the dashboard's session cookie reads");
    await api.store.revokeToken({ id: api.tokenIds.reader });
    t.equal((await api.get('/api/v1/agents')).status, 403, 'a revoked reader');
    const unknown = await api.get('/api/v1/nothing');
    t.equal(unknown.status, 404);
    t.equal(unknown.json().error, 'not-found');
    const logs = api.logText();
    for (const token of Object.values(api.tokens)) t.notOk(logs.includes(token), 'no token in the log');
  });

  t.test(`${backend.name}: agents, an agent, its reports a page at a time, one report, datasets, fleet`, async (t) => {
    const api = await startApi(t, backend);
    for (const seq of [1, 2, 3, 4, 5]) t.equal((await api.post(make({ seq, at: seq }))).status, 201);
    const agents = await api.get('/api/v1/agents');
    conforms(t, agents, 'Agents');
    t.same(
      agents.json().agents.map((a: { id: string }) => a.id),
      ['agent-1'],
    );
    const detail = await api.get('/api/v1/agents/agent-1');
    conforms(t, detail, 'AgentDetail');
    t.equal(detail.json().lastSeq, 5);
    t.equal((await api.get('/api/v1/agents/nobody')).status, 404);
    const first = await api.get('/api/v1/agents/agent-1/reports?limit=2');
    conforms(t, first, 'ReportsPage');
    t.same(
      first.json().reports.map((r: { seq: number }) => r.seq),
      [5, 4],
    );
    const second = await api.get(
      `/api/v1/agents/agent-1/reports?limit=2&before=${encodeURIComponent(first.json().next)}`,
    );
    t.same(
      second.json().reports.map((r: { seq: number }) => r.seq),
      [3, 2],
    );
    t.match((await api.get('/api/v1/agents/agent-1/reports?limit=0')).json(), {
      error: 'invalid',
      in: 'query',
      path: '/limit',
    });
    t.match((await api.get('/api/v1/agents/agent-1/reports?limit=x')).json(), { error: 'invalid', in: 'query' });
    t.match((await api.get('/api/v1/agents/agent-1/reports?before=nonsense')).json(), {
      error: 'invalid',
      path: '/before',
    });
    const one = await api.get(`/api/v1/agents/agent-1/reports/${encodeURIComponent(make({ seq: 3, at: 3 }).reportId)}`);
    conforms(t, one, 'StoredReport');
    t.equal(one.json().body.seq, 3);
    t.equal(
      (await api.get(`/api/v1/agents/agent-2/reports/${encodeURIComponent(make({ seq: 3, at: 3 }).reportId)}`)).status,
      404,
    );
    const datasets = await api.get('/api/v1/datasets');
    conforms(t, datasets, 'Datasets');
    const all = datasets.json().datasets as Array<{ verdict: string }>;
    t.ok(all.length > 0);
    for (const verdict of ['compliant', 'at-risk', 'non-compliant', 'unknown']) {
      const some = (await api.get(`/api/v1/datasets?verdict=${verdict}`)).json().datasets as Array<{ verdict: string }>;
      t.same(some.length, all.filter((d) => d.verdict === verdict).length, `?verdict=${verdict}`);
    }
    t.match((await api.get('/api/v1/datasets?verdict=fine')).json(), {
      error: 'invalid',
      in: 'query',
      path: '/verdict',
    });
    const fleet = await api.get('/api/v1/fleet');
    conforms(t, fleet, 'Fleet');
    t.match(fleet.json(), { agents: 1, silentAfterSeconds: 7200 });
  });

  t.test(
    `${backend.name}: silence after --silent-after and seq gaps as "reports missing" (injected clock)`,
    async (t) => {
      const api = await startApi(t, backend, { silentAfterMs: 2 * HOUR });
      for (const seq of [1, 2, 5]) t.equal((await api.post(make({ seq, at: seq, verdict: 'compliant' }))).status, 201);
      const detail = (await api.get('/api/v1/agents/agent-1')).json();
      t.equal(detail.status, 'compliant');
      t.equal(detail.missingReports, 2);
      t.match(detail.gaps, [{ firstSeq: 3, lastSeq: 4, missing: 2 }]);
      api.clock.at += 2 * HOUR + 1;
      const silent = (await api.get('/api/v1/agents/agent-1')).json();
      t.equal(silent.status, 'silent');
      t.equal(silent.silent, true);
      const fleet = (await api.get('/api/v1/fleet')).json();
      t.match(fleet, { byStatus: { silent: 1, compliant: 0 }, compliance: { nonCompliant: 1 } });
      const csv = (await api.get('/api/v1/export.csv')).text;
      t.ok(
        csv
          .split('\r\n')
          .slice(1, -1)
          .every((line) => line.endsWith(',silent')),
        'the CSV says silent',
      );
      t.equal(
        (await api.post(make({ seq: 6, at: 200, verdict: 'compliant' }))).status,
        201,
        'a report ends the silence',
      );
      t.equal((await api.get('/api/v1/agents/agent-1')).json().status, 'compliant');
    },
  );

  t.test(`${backend.name}: the CSV export: one row per agent × dataset × check, RFC 4180, no formulas`, async (t) => {
    const api = await startApi(t, backend);
    const sneaky = await api.store.createToken({ kind: 'agent', subject: '=HYPERLINK("x")' });
    const report = vary(base(), { agentId: '=HYPERLINK("x")', seq: 1 });
    (report.datasets[0] as { id: string }).id = '@SUM(1,2)';
    t.equal((await api.post(report, { token: sneaky.token })).status, 201);
    t.equal((await api.post(make({ seq: 1 }))).status, 201);
    const answer = await api.get('/api/v1/export.csv');
    t.equal(answer.status, 200);
    t.match(answer.headers['content-type'], /^text\/csv/);
    const lines = answer.text.split('\r\n');
    t.equal(lines.at(-1), '', 'CRLF after every row');
    t.equal(
      lines[0],
      'agent,dataset,verdict,check,status,reason,newest_copy_at,restore_estimate_seconds,rto_seconds,last_report_at,agent_status',
    );
    const checks = report.datasets.reduce((n, d) => n + Math.max(1, d.findings.length), 0);
    t.equal(
      lines.filter((l) => l.startsWith('"\'=HYPERLINK(""x"")"')).length,
      checks,
      'quoted, quotes doubled, defused',
    );
    t.ok(
      lines.some((l) => l.includes(',"\'@SUM(1,2)",')),
      'a dataset id is defused too',
    );
    t.notOk(
      lines.some((l) => /(^|,)[=+@]/.test(l)),
      'no cell starts a formula',
    );
    t.equal(
      lines.filter((l) => l.startsWith('agent-1,')).length,
      base().datasets.reduce((n, d) => n + Math.max(1, d.findings.length), 0),
    );
  });
}
