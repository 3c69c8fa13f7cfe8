// `verify --lang vi` through the built binary: the sources' issues read in Vietnamese in the text and
// markdown reports, and the JSON keeps the English message with the params beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Report } from '../../src/model.js';
import { runCli } from '../helpers/cli.js';

/** A location that does not exist and a media log with a misspelt event on line 2. */
function estate(t: { testdir: () => string }) {
  const root = t.testdir();
  mkdirSync(join(root, 'state'));
  mkdirSync(join(root, 'backup/erp'), { recursive: true });
  writeFileSync(join(root, 'backup/erp/a.dump'), 'a');
  const log = join(root, 'media.jsonl');
  const written = {
    ts: '2026-11-01T00:00:00Z',
    event: 'written',
    media: 'T1',
    mediumType: 'tape',
    dataset: 'erp-db',
    file: 'erp/a.dump',
    bytes: 1,
  };
  writeFileSync(
    log,
    `${JSON.stringify(written)}\n${JSON.stringify({ ts: '2026-11-02T00:00:00Z', event: 'ofline', media: 'T1' })}\n`,
  );
  const missing = join(root, 'nas');
  const config = {
    agent: { id: 'vi-test', stateDir: join(root, 'state') },
    locations: [
      { id: 'local', type: 'disk', path: join(root, 'backup') },
      { id: 'nas', type: 'disk', path: missing },
      { id: 'vault', type: 'offline-log', path: log },
    ],
    datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump', nas: 'erp/*.dump', vault: 'erp-db' } }],
  };
  const configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return { configFile, missing, log };
}

const MISSING_VI = 'thư mục của vị trí không tồn tại';
const BAD_LINE_VI =
  '"event" phải là một trong các giá trị written, offline, online, verified, retired (nhận được "ofline"); đã bỏ qua dòng này';

t.test('the text report names a missing location and a bad media-log line in Vietnamese', async (t) => {
  const { configFile, missing, log } = estate(t);
  const { code, stdout } = await runCli(['verify', '-c', configFile, '--lang', 'vi', '-f', 'text']);
  t.equal(code, 2, 'the unreadable location leaves checks unknown and the drill check fails');
  t.match(stdout, `✗ lỗi B321_LOCATION_MISSING ${missing}: ${MISSING_VI}: ${missing}`);
  t.match(stdout, `! cảnh báo B321_BAD_LINE ${log}:2: ${BAD_LINE_VI}`);
  t.notMatch(stdout, /does not exist|line skipped|must be one of/, 'no English issue text');
});

t.test('so does the markdown report', async (t) => {
  const { configFile } = estate(t);
  const { stdout } = await runCli(['verify', '-c', configFile, '--lang', 'vi', '-f', 'markdown']);
  t.match(stdout, /lỗi B321\\_LOCATION\\_MISSING .*: thư mục của vị trí không tồn tại: /);
  t.match(stdout, /cảnh báo B321\\_BAD\\_LINE .*:2: "event" phải là một trong các giá trị written, offline, online/);
  t.match(stdout, '(nhận được "ofline"); đã bỏ qua dòng này');
  t.notMatch(stdout, /does not exist|line skipped|must be one of/, 'no English issue text');
});

t.test('the JSON report keeps the English message, with the params a reader renders in its language', async (t) => {
  const { configFile, missing } = estate(t);
  const { stdout } = await runCli(['verify', '-c', configFile, '--lang', 'vi', '-f', 'json']);
  const report = JSON.parse(stdout) as Report;
  const issues = report.sources.flatMap((source) => source.issues);
  t.match(issues, [
    {
      code: 'B321_LOCATION_MISSING',
      message: `location directory does not exist: ${missing}`,
      params: { path: missing },
    },
    {
      code: 'B321_BAD_LINE',
      line: 2,
      message: '"event" must be one of written, offline, online, verified, retired (got "ofline"); line skipped',
      params: { problem: 'line.not-one-of', field: 'event', got: '"ofline"' },
    },
  ]);
});
