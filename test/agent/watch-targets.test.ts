// What the agent watches, from a config read by the real loader.
import t from 'tap';
import { locationsAffectedBy, watchTargets } from '../../src/agent/watch-targets.js';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

function config(): Config {
  const document = {
    agent: { id: 'erp-01', stateDir: '/var/lib/backup321' },
    policy: { minCopies: 2, rpo: '24h' },
    locations: [
      { id: 'local', type: 'disk', path: '/backup' },
      { id: 'nas', type: 'disk', path: '/mnt/nas/backup' },
      { id: 'cloud', type: 's3', bucket: 'corp-backup', region: 'ap-southeast-1' },
      { id: 'vault', type: 'offline-log', path: '/var/lib/backup321/offline-media.jsonl' },
    ],
    datasets: [
      {
        id: 'erp-db',
        copies: { local: ['erp/*.dump', 'erp/current.dump'], nas: 'erp/*/*.dump', cloud: 'erp/', vault: 'erp-db' },
        primary: { location: 'local', pattern: 'live/**' },
      },
      { id: 'mail', copies: { local: 'mail/**', nas: 'erp/*/*.dump' } },
    ],
    restoreDrills: '/var/lib/backup321/restore-drills.jsonl',
  };
  const { config, problems } = configFromDocument(document, '/etc/backup321/agent.config.json', {});
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
}

t.test('the logs, and each disk pattern base as deep as the pattern reaches', async (t) => {
  const targets = watchTargets(config());
  const local = { kind: 'location', location: 'local' };
  const nas = { kind: 'location', location: 'nas' };
  t.same(
    targets.map(({ directory, depth, owner, source, pattern }) => [directory, depth, owner, source, pattern]),
    [
      ['/backup/erp', 0, local, 'pattern', 'erp/*.dump'],
      // A pattern without wildcards names one file: its directory is watched for that name.
      ['/backup/erp', 0, local, 'pattern', 'erp/current.dump'],
      ['/backup/mail', Number.POSITIVE_INFINITY, local, 'pattern', 'mail/**'],
      // Two datasets with one pattern: one target.
      ['/mnt/nas/backup/erp', 1, nas, 'pattern', 'erp/*/*.dump'],
      ['/var/lib/backup321', 0, { kind: 'location', location: 'vault' }, 'offline-log', undefined],
      ['/var/lib/backup321', 0, { kind: 'drills' }, 'drill-log', undefined],
    ],
    'no target for S3, nor for the primary (live data)',
  );
});

t.test(
  'a changed path affects the locations whose patterns match it, or whose watched directories hold it',
  async (t) => {
    const targets = watchTargets(config());
    const affected = (...paths: string[]) => locationsAffectedBy(paths, targets);
    t.same(affected('/backup/erp/2026-12-06.dump'), { locations: ['local'], drills: false });
    t.same(affected('/backup/erp/notes.txt'), { locations: [], drills: false }, 'a file no pattern matches');
    t.same(affected('/backup/erp/old/2026.dump'), { locations: [], drills: false }, 'deeper than erp/*.dump reaches');
    t.same(affected('/backup/live/db/base/1234'), { locations: [], drills: false }, 'the primary is not watched');
    t.same(affected('/backup/mail/a/b/c/cur/1.eml'), { locations: ['local'], drills: false });
    t.same(affected('/mnt/nas/backup/erp/2026-12/db.dump'), { locations: ['nas'], drills: false });
    t.same(affected('/mnt/nas/backup/erp/2026-12'), { locations: ['nas'], drills: false }, 'a new month directory');
    t.same(affected('/mnt/nas/backup/erp/2026-12/x/db.dump'), { locations: [], drills: false });
    t.same(affected('/var/lib/backup321/restore-drills.jsonl'), { locations: [], drills: true });
    t.same(affected('/var/lib/backup321/state.json'), { locations: [], drills: false });
    t.same(
      affected('/var/lib/backup321/offline-media.jsonl', '/mnt/nas/backup/erp/a/b.dump', '/backup/erp/current.dump'),
      { locations: ['local', 'nas', 'vault'], drills: false },
      'in config order, once each',
    );
    t.same(affected('/backup'), { locations: [], drills: false }, 'the location root itself is no pattern');
  },
);
