// docs/collector-api.md: its OpenAPI block is what the server serves, and the document names every
// route the server answers (and only those).
import { readFileSync } from 'node:fs';
import t from 'tap';
import { API_ROUTES } from '../../src/collector/api-routes.js';
import { openApiDocument } from '../../src/collector/openapi.js';
import { startApi } from './api-fixture.js';
import { sqliteBackend } from './store-backends.js';

const doc = readFileSync(new URL('../../docs/collector-api.md', import.meta.url), 'utf8');
const prose = doc.slice(0, doc.indexOf('<!-- openapi:begin -->'));

t.test('the committed OpenAPI document is the one the server serves', async (t) => {
  const block = /<!-- openapi:begin -->\n```json\n([\s\S]*?)\n```\n<!-- openapi:end -->/.exec(doc)?.[1];
  t.ok(block, 'docs/collector-api.md has the OpenAPI block');
  const api = await startApi(t, sqliteBackend);
  const served = await api.get('/api/v1/openapi.json');
  t.equal(served.status, 200);
  t.same(
    JSON.parse(block as string),
    served.json(),
    'after a change: npm run build && node scripts/write-collector-api-doc.mjs',
  );
});

t.test('every route is in the document with its answers, and described in the text', async (t) => {
  const paths = openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
  for (const route of API_ROUTES) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation = paths[path]?.[route.method.toLowerCase()];
    t.ok(operation, `${route.method} ${path}`);
    t.same(Object.keys(operation?.responses ?? {}).sort(), Object.keys(route.answers).sort());
    t.ok(prose.includes(`${route.method} ${path}`), `${route.method} ${path} is explained in the text`);
  }
});
