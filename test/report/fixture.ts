// Builds Report documents as plain objects for the renderer and schema tests (no policy, no I/O).
import type {
  AssessedCopy,
  CheckCode,
  CheckStatus,
  DatasetReport,
  EffectivePolicy,
  Finding,
  LocationStatus,
  Report,
  Verdict,
} from '../../src/model.js';
import { findingMessage } from '../../src/report/i18n/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);

export function policy(over: Partial<EffectivePolicy> = {}): EffectivePolicy {
  return {
    minCopies: 3,
    minMedia: 2,
    minOffline: 1,
    rpoMs: DAY,
    rtoMs: DAY,
    offlineMaxAgeMs: 7 * DAY,
    drillMaxAgeMs: 90 * DAY,
    verifyMaxAgeMs: 35 * DAY,
    offlineVerifyMaxAgeMs: 180 * DAY,
    countPrimary: false,
    immutableCountsAsOffline: false,
    restoreOverheadMs: 0,
    immutableHorizonMs: 0,
    clockSkewMs: 300_000,
    ...over,
  };
}

export function copy(dataset: string, location: string, path: string, over: Partial<AssessedCopy> = {}): AssessedCopy {
  return {
    id: `${location}:${path}`,
    dataset,
    location,
    locationType: 'disk',
    path,
    name: path.split('/').pop() ?? path,
    kind: 'file',
    role: 'backup',
    bytes: 1_500_000_000,
    modifiedAt: '2026-11-24T01:00:00.000Z',
    medium: 'disk',
    device: `dev-${location}`,
    offline: false,
    sha256: SHA_A,
    assessment: { usable: true, notes: [], ageMs: 11 * HOUR },
    ...over,
  };
}

/** A finding whose English message is what the policy would store (the en catalog's rendering). */
export function finding(
  check: CheckCode,
  status: CheckStatus,
  reason: string,
  params: Record<string, string | number> = {},
  evidence: Finding['evidence'] = {},
): Finding {
  const draft: Finding = { check, status, reason, params, evidence, message: `${check}: ${reason}` };
  return { ...draft, message: findingMessage('en', draft) };
}

/** All seven checks passing, with the params the policy gives them; `changes` replaces some by check. */
export function findings(changes: Finding[] = []): Finding[] {
  const passing: Finding[] = [
    finding('copies', 'pass', 'ok', { have: 3, need: 3 }, { counted: [{ copy: 'local:/backup/a.dump' }] }),
    finding('media', 'pass', 'ok', { have: 2, need: 2, media: 'disk, tape' }),
    finding('offline', 'pass', 'ok', { have: 1, need: 1 }, { counted: [{ copy: 'vault:t1', note: 'offline' }] }),
    finding('freshness', 'pass', 'ok', { ageMs: 11 * HOUR, rpoMs: DAY }),
    finding('integrity', 'pass', 'ok', { verified: 3 }),
    finding(
      'restore-time',
      'pass',
      'ok',
      { estimateMs: 2 * HOUR, rtoMs: DAY, copy: 'local:/backup/a.dump' },
      {
        arithmetic: { bytes: 1_500_000_000, throughputBytesPerSec: 300_000_000, transferMs: 5000, totalMs: 7_200_000 },
      },
    ),
    finding(
      'restore-drill',
      'pass',
      'ok',
      { finishedAt: '2026-11-01T10:00:00.000Z', tookMs: 3 * HOUR },
      { drill: 'restore-drills.jsonl:3' },
    ),
  ];
  return passing.map((base) => changes.find((change) => change.check === base.check) ?? base);
}

export function dataset(
  id: string,
  verdict: Verdict,
  datasetFindings: Finding[],
  over: Partial<DatasetReport> = {},
): DatasetReport {
  return {
    id,
    verdict,
    policy: policy(),
    findings: datasetFindings,
    copies: [copy(id, 'local', `/backup/${id}/a.dump`), copy(id, 'nas', `/mnt/nas/${id}/a.dump`)],
    locations: ['local', 'nas'],
    ...over,
  };
}

export function source(id: string, over: Partial<LocationStatus> = {}): LocationStatus {
  return {
    id,
    type: 'disk',
    status: 'ok',
    copies: 2,
    issues: [],
    facts: { mount: '/backup' },
    durationMs: 12,
    ...over,
  };
}

const EXIT: Record<Verdict, 0 | 1 | 2 | 3> = { compliant: 0, 'at-risk': 1, 'non-compliant': 2, unknown: 3 };

export function report(datasets: DatasetReport[], over: Partial<Report> = {}): Report {
  const count = (verdict: Verdict) => datasets.filter((d) => d.verdict === verdict).length;
  const order: Verdict[] = ['non-compliant', 'unknown', 'at-risk', 'compliant'];
  const verdict = order.find((v) => count(v) > 0) ?? 'compliant';
  return {
    schemaVersion: 1,
    reportId: '01JDEMO0000000000000000000',
    generatedAt: '2026-11-24T12:00:00.000Z',
    product: { name: 'backup321', version: '0.1.0' },
    agent: {
      id: 'erp-01',
      host: { hostname: 'erp-01.example.vn', os: 'linux', kernel: '6.1.0', arch: 'x64', nodeVersion: 'v20.20.0' },
    },
    run: { deep: false, datasetsSelected: null, durationMs: 1234 },
    policy: policy(),
    datasets,
    sources: [source('local'), source('nas')],
    drills: { configured: true, readable: true, records: 2, issues: [] },
    summary: {
      verdict,
      exitCode: EXIT[verdict],
      datasets: datasets.length,
      compliant: count('compliant'),
      atRisk: count('at-risk'),
      nonCompliant: count('non-compliant'),
      unknown: count('unknown'),
      copies: datasets.reduce((sum, d) => sum + d.copies.length, 0),
      sourcesUnreadable: 0,
    },
    ...over,
  };
}

/** One dataset of each verdict, as the demo estate has them. */
export function sampleReport(): Report {
  return report([
    dataset('erp-db', 'compliant', findings(), { description: 'ERP database dumps' }),
    dataset(
      'mail',
      'at-risk',
      findings([
        finding(
          'integrity',
          'warn',
          'unverified',
          { unverified: 1, total: 2 },
          { notCounted: [{ copy: 'nas:/x', note: 'unverified' }] },
        ),
      ]),
    ),
    dataset(
      'files',
      'non-compliant',
      findings([
        finding(
          'copies',
          'fail',
          'too-few',
          { have: 1, need: 3 },
          { notCounted: [{ copy: 'nas:/y', note: 'same-device' }] },
        ),
        finding('freshness', 'fail', 'stale', { ageMs: DAY + 60_000, rpoMs: DAY }),
      ]),
      {
        copies: [
          copy('files', 'local', '/backup/files/a.tar'),
          copy('files', 'nas', '/backup/files/b.tar', {
            sha256: undefined,
            assessment: { usable: false, notes: ['stale', 'unverified'], ageMs: 3 * DAY },
          }),
        ],
      },
    ),
    dataset(
      'wiki',
      'unknown',
      findings([
        finding(
          'copies',
          'unknown',
          'source-unreadable',
          { have: 2, need: 3, locations: 'nas' },
          { unreadable: ['nas'] },
        ),
      ]),
    ),
  ]);
}
