// docs/prometheus-alerts.yml: promtool accepts the rules, and its unit tests (prometheus-alerts.rules-test.yml)
// show each alert firing on the series it is about, after its delay, and on no other.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { promtool } from './promtool.js';

const RULES = fileURLToPath(new URL('../../docs/prometheus-alerts.yml', import.meta.url));
const RULES_TEST = fileURLToPath(new URL('./prometheus-alerts.rules-test.yml', import.meta.url));

t.test('promtool check rules accepts the shipped alerts', async (t) => {
  const check = promtool(['check', 'rules', RULES]);
  t.equal(check.code, 0, check.output);
  t.match(check.output, /SUCCESS: 6 rules found/);
});

t.test('promtool test rules: each alert fires on the right series', async (t) => {
  const tested = promtool(['test', 'rules', RULES_TEST]);
  t.equal(tested.code, 0, tested.output);
  const names = [...readFileSync(RULES, 'utf8').matchAll(/- alert: (\S+)/g)].map((m) => m[1]);
  const covered = new Set([...readFileSync(RULES_TEST, 'utf8').matchAll(/alertname: (\S+)/g)].map((m) => m[1]));
  t.same(
    names.filter((name) => !covered.has(name)),
    [],
    'every alert has a test',
  );
});

t.test('the rule tests fail on a rule that fires too early', async (t) => {
  const dir = t.testdir();
  const rules = readFileSync(RULES, 'utf8').replace('for: 30m', 'for: 10m');
  writeFileSync(join(dir, 'alerts.yml'), rules);
  writeFileSync(
    join(dir, 'rules-test.yml'),
    readFileSync(RULES_TEST, 'utf8').replace('../../docs/prometheus-alerts.yml', 'alerts.yml'),
  );
  const tested = promtool(['test', 'rules', join(dir, 'rules-test.yml')]);
  t.not(tested.code, 0);
  t.match(tested.output, /Backup321DatasetNonCompliant/);
});
