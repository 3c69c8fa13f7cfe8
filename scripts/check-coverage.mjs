// Holds the line-coverage floor that tap 21 cannot express (it only knows "100% or fail").
import { readFileSync } from 'node:fs';

const FLOOR = Number(process.env.B321_COVERAGE_FLOOR ?? 90);
const file = '.tap/report/coverage-summary.json';
let summary;
try {
  summary = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`coverage: cannot read ${file} (${error.message}); run the tests with tap first`);
  process.exit(1);
}
const lines = summary.total.lines.pct;
if (lines < FLOOR) {
  console.error(`coverage: ${lines}% of lines covered, below the floor of ${FLOOR}%`);
  process.exit(1);
}
console.log(`coverage: ${lines}% of lines covered (floor ${FLOOR}%)`);
