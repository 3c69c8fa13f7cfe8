// A config on temp dirs, read by the real loader, for the watch tests: two disk locations, an offline-media
// log and the drill log in a state dir.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

export interface WatchFixture {
  root: string;
  config: Config;
  local: string;
  nas: string;
  offlineLog: string;
  drillLog: string;
}

export function watchFixture(t: Test, localPath?: (root: string) => string): WatchFixture {
  const root = mkdtempSync(join(tmpdir(), 'b321-watch-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const directory of ['backup/erp/old', 'nas/erp/2026-11/deeper', 'state']) {
    mkdirSync(join(root, directory), { recursive: true });
  }
  const local = localPath ? localPath(root) : join(root, 'backup');
  const document = {
    agent: { id: 'erp-01', stateDir: join(root, 'state') },
    policy: { minCopies: 2, rpo: '24h' },
    locations: [
      { id: 'local', type: 'disk', path: local },
      { id: 'nas', type: 'disk', path: join(root, 'nas') },
      { id: 'vault', type: 'offline-log', path: join(root, 'state/offline-media.jsonl') },
    ],
    datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump', nas: 'erp/*/*.dump', vault: 'erp-db' } }],
    restoreDrills: join(root, 'state/restore-drills.jsonl'),
  };
  const { config, problems } = configFromDocument(document, '', {});
  if (!config) throw new Error(JSON.stringify(problems));
  return {
    root,
    config,
    local,
    nas: join(root, 'nas'),
    offlineLog: join(root, 'state/offline-media.jsonl'),
    drillLog: join(root, 'state/restore-drills.jsonl'),
  };
}
