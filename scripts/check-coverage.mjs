// Fails `npm test` when the whole run is below the coverage floor set in .taprc (tap itself only
// reports it there, so that running a few test files is not a failure).
import { readFileSync } from 'node:fs';

const KINDS = ['statements', 'branches', 'functions', 'lines'];
const taprc = readFileSync('.taprc', 'utf8');
const floor = Object.fromEntries(
  KINDS.map((kind) => [kind, Number(new RegExp(`^${kind}:\\s*(\\d+(\\.\\d+)?)\\s*$`, 'm').exec(taprc)?.[1] ?? 100)]),
);
const file = '.tap/report/coverage-summary.json';
let summary;
try {
  summary = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`coverage: cannot read ${file} (${error.message}); run the tests with tap first`);
  process.exit(1);
}
const below = KINDS.filter((kind) => summary.total[kind].pct < floor[kind]);
for (const kind of below) {
  console.error(
    `coverage: ${summary.total[kind].pct}% of ${kind} covered, below the floor of ${floor[kind]}% (.taprc)`,
  );
}
if (below.length > 0) process.exit(1);
console.log(
  `coverage: ${KINDS.map((kind) => `${kind} ${summary.total[kind].pct}% (floor ${floor[kind]}%)`).join(', ')}`,
);
