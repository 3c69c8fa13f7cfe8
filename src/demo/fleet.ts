// The demo fleet: three servers' estates, each with its agent's config. demo-01 is the demo estate
// (five datasets, every kind of verdict); demo-02 keeps only its compliant ERP dumps; demo-03 has the
// ERP dumps on two disks and no offline copy, so its offline check fails. demo-01 and demo-02 keep an
// offsite copy in a bucket of their own on the demo's object store.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoEstate, type DemoBucket } from './estate.js';

export interface DemoAgent {
  id: string;
  root: string;
  configFile: string;
}

export interface FleetReporting {
  endpoint: string;
  /** The agent's token file, by agent id. */
  tokenFile: (agentId: string) => string;
}

/** Where the demo's object store is and the folder it serves (object-store.ts). */
export interface FleetObjectStore {
  endpoint: string;
  directory: string;
}

export function buildDemoFleet(
  root: string,
  now: Date,
  reporting: FleetReporting,
  objectStore: FleetObjectStore,
): DemoAgent[] {
  const shapes: Array<{ id: string; shape: (config: DemoConfig) => void }> = [
    { id: 'demo-01', shape: () => undefined },
    {
      id: 'demo-02',
      shape: (config) => {
        config.datasets = config.datasets.filter((dataset) => dataset.id === 'erp-db');
      },
    },
    {
      id: 'demo-03',
      shape: (config) => {
        config.datasets = config.datasets
          .filter((dataset) => dataset.id === 'erp-db')
          .map(({ copies: { vault: _offline, cloud: _offsite, ...disks }, ...dataset }) => ({
            ...dataset,
            copies: disks,
          }));
        config.policy = { ...config.policy, minCopies: 2 };
      },
    },
  ];
  return shapes.map(({ id, shape }) => {
    const estate = join(root, id);
    const bucket: DemoBucket = { ...objectStore, bucket: `${id}-offsite` };
    const { configFile } = buildDemoEstate(estate, now, { bucket });
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as DemoConfig;
    config.agent = { ...config.agent, id };
    shape(config);
    config.report = { endpoint: reporting.endpoint, tokenFile: reporting.tokenFile(id) };
    // The schema beside a config in a temp dir is not there: editors need no hint in a demo.
    delete config.$schema;
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    return { id, root: estate, configFile };
  });
}

interface DemoConfig {
  $schema?: string;
  agent: { id: string; stateDir: string };
  policy: Record<string, unknown>;
  datasets: Array<{ id: string; copies: Record<string, string> }>;
  report?: { endpoint: string; tokenFile: string };
}
