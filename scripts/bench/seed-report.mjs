// One seeded report and its canonical body (what the store hashes and keeps), made from a real
// report as template where only ids, times, seqs and verdicts change. A dataset's findings depend on
// its id, verdict and failing check only: each such array is made once and shared by every report
// (the store only reads them), and its canonical text is written once with a mark where the
// dataset's time goes. Writing the whole 32 KB body canonically each time was ≈ 60 % of making a report.

const CHECKS = ['copies', 'media', 'offline', 'freshness', 'integrity', 'restore-time', 'restore-drill'];
export const VERDICTS = ['compliant', 'at-risk', 'non-compliant', 'unknown'];
export const CHECK_COUNT = CHECKS.length;
const STATUS_OF = { compliant: 'pass', 'at-risk': 'warn', 'non-compliant': 'fail', unknown: 'unknown' };
/** How bad each verdict is (by VERDICTS index): the report's verdict is its worst dataset's. */
const SEVERITY = [0, 1, 3, 2];
const COUNTS = { copies: 4, usable: 3, devices: 3, media: 2, offline: 1 };
/** Stand-ins for the parts that change, replaced in the canonical text (no JSON escaping touches them). */
const AT = '@@seed-newest-copy-at@@';
const DATASETS = '@@seed-datasets@@';

function findings(id, verdict, failing) {
  return CHECKS.map((check, c) => {
    const status = c === failing ? STATUS_OF[verdict] : 'pass';
    return {
      check,
      status,
      reason: status === 'pass' ? 'ok' : status === 'unknown' ? 'no-data' : 'below-policy',
      params: {},
      message: `${check}: ${status} for ${id}`,
      evidence: { counted: [], notCounted: [] },
      evidenceTotals: { counted: 0, notCounted: 0 },
    };
  });
}

/**
 * make({ agent, instanceId, reportId, seq, at, states, delivery }) → { report, canonical }, where
 * states[d] is dataset d's verdict index × 8 + failing check index. `canonicalJson` is the store's.
 */
export function reportMaker(template, canonicalJson) {
  /** Per dataset id and state: its findings and its canonical text around the time. */
  const made = new Map();
  const partsOf = (d, state) => {
    const key = d * 256 + state;
    let parts = made.get(key);
    if (!parts) {
      const id = `ds-${String(d).padStart(2, '0')}`;
      const verdict = VERDICTS[state >> 3];
      const shared = { id, verdict, findings: findings(id, verdict, state & 7) };
      const [before, after] = canonicalJson(dataset(shared, AT)).split(`"${AT}"`);
      parts = { ...shared, before, after };
      made.set(key, parts);
    }
    return parts;
  };
  return ({ agent, instanceId, reportId, seq, at, states, delivery }) => {
    const newestCopyAt = new Date(at - 2 * 3_600_000).toISOString();
    const sets = [];
    let text = '[';
    let worst = 0;
    for (let d = 0; d < states.length; d++) {
      const parts = partsOf(d, states[d]);
      sets.push(dataset(parts, newestCopyAt));
      text += `${d > 0 ? ',' : ''}${parts.before}"${newestCopyAt}"${parts.after}`;
      if (SEVERITY[states[d] >> 3] > SEVERITY[worst]) worst = states[d] >> 3;
    }
    const report = {
      ...template,
      reportId,
      agent: { id: agent, instanceId, host: { ...template.agent.host, hostname: `host-${agent}` } },
      seq,
      trigger: 'schedule',
      startedAt: new Date(at - 60_000).toISOString(),
      finishedAt: new Date(at).toISOString(),
      nextRunAt: new Date(at + 86_400_000).toISOString(),
      run: { deep: false, datasetsSelected: null, durationMs: 60_000 },
      datasets: DATASETS,
      summary: { ...template.summary, verdict: VERDICTS[worst] },
      ...(delivery ? { delivery } : {}),
    };
    const canonical = canonicalJson(report).replace(`"${DATASETS}"`, `${text}]`);
    report.datasets = sets;
    return { report, canonical };
  };
}

function dataset({ id, verdict, findings }, newestCopyAt) {
  return {
    id,
    verdict,
    counts: COUNTS,
    newestCopyAt,
    restoreEstimateMs: 3_600_000,
    rtoMs: 28_800_000,
    findings,
  };
}
