// A verdict change is one log line: reported once when it happens, not on every run that keeps it.
import t from 'tap';
import { verdictChanges } from '../../src/agent/verdict-changes.js';
import type { Verdict } from '../../src/model.js';

const report = (verdicts: Record<string, Verdict>) => ({
  datasets: Object.entries(verdicts).map(([id, verdict]) => ({ id, verdict })) as never,
});

t.test('the first run names every dataset, from nothing', async (t) => {
  const { changes } = verdictChanges(new Map(), report({ erp: 'compliant', mail: 'at-risk' }));
  t.same(changes, [
    { dataset: 'erp', from: null, to: 'compliant' },
    { dataset: 'mail', from: null, to: 'at-risk' },
  ]);
});

t.test('a verdict that stays is not said again; one that moves is', async (t) => {
  const first = verdictChanges(new Map(), report({ erp: 'compliant', mail: 'at-risk' }));
  const second = verdictChanges(first.verdicts, report({ erp: 'compliant', mail: 'non-compliant' }));
  t.same(second.changes, [{ dataset: 'mail', from: 'at-risk', to: 'non-compliant' }]);
  const third = verdictChanges(second.verdicts, report({ erp: 'compliant', mail: 'non-compliant' }));
  t.same(third.changes, []);
});

t.test('a dataset removed from the config is forgotten; added back, it starts from nothing', async (t) => {
  const first = verdictChanges(new Map(), report({ erp: 'compliant', mail: 'at-risk' }));
  const without = verdictChanges(first.verdicts, report({ erp: 'compliant' }));
  t.same([...without.verdicts.keys()], ['erp']);
  const back = verdictChanges(without.verdicts, report({ erp: 'compliant', mail: 'at-risk' }));
  t.same(back.changes, [{ dataset: 'mail', from: null, to: 'at-risk' }]);
});
