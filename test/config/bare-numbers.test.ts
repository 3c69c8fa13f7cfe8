// docs/configuration.md: a bare number is seconds for a duration and bytes for a size, in JSON as in a string.
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { parseDuration, parseSize } from '../../src/config/units.js';

const doc = (extra: { policy?: object; cloud?: object; vault?: object }) => ({
  agent: { id: 'erp-01' },
  policy: extra.policy,
  locations: [
    { id: 'cloud', type: 's3', bucket: 'corp-backup', ...extra.cloud },
    { id: 'vault', type: 'offline-log', path: '/var/lib/backup321/media.jsonl', ...extra.vault },
  ],
  datasets: [{ id: 'erp-db', copies: { cloud: 'erp/', vault: 'erp-db' }, rto: 28800 }],
});

t.test('numbers parse as the strings of the same digits do', async (t) => {
  t.equal(parseDuration(86400), parseDuration('86400'));
  t.equal(parseDuration(1.5), 1500);
  t.equal(parseDuration(-1), undefined);
  t.equal(parseSize(1024), parseSize('1024'));
  t.equal(parseSize(-1), undefined);
});

t.test('"rpo": 86400 is 24 hours, a dataset\'s "rto": 28800 is 8 hours', async (t) => {
  const { config, problems } = configFromDocument(
    doc({ policy: { rpo: 86400, offlineMaxAge: 604800 } }),
    '/e/a.json',
    {},
  );
  t.same(problems, []);
  t.equal(config?.policy.rpoMs, 86_400_000);
  t.equal(config?.policy.offlineMaxAgeMs, 604_800_000);
  t.equal(config?.datasets[0]?.policy.rtoMs, 28_800_000);
});

t.test('sizes and location durations as numbers; 0 means zero, not "unset"', async (t) => {
  const { config, problems } = configFromDocument(
    doc({
      policy: { immutableHorizon: 0 },
      cloud: { deepMaxBytes: 0, requestTimeout: 5, retrievalTime: 0 },
      vault: { retrievalTime: 21600 },
    }),
    '/e/a.json',
    {},
  );
  t.same(problems, []);
  t.match(config?.locations[0], { deepMaxBytes: 0, requestTimeoutMs: 5000, retrievalMs: 0 });
  t.match(config?.locations[1], { retrievalMs: 21_600_000 });
  t.equal(config?.policy.immutableHorizonMs, 0, 'a horizon of 0, not the RPO');
});

t.test('a negative number or a fraction of a byte is refused with its path', async (t) => {
  const { problems } = configFromDocument(doc({ policy: { rpo: -60 }, cloud: { deepMaxBytes: 1.5 } }), '/e/a.json', {});
  t.match(problems, [
    { path: 'policy.rpo', message: '-60 is below the minimum of 0', hint: 'use 0 or more' },
    { path: 'locations[0].deepMaxBytes', message: 'must be a size', hint: /found number 1\.5/ },
  ]);
});
