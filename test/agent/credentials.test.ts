// Where the agent's token comes from (systemd's credential, the tokenFile, the environment, in that
// order), what is refused, and that the token itself never reaches a log line or an error.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { readReportCredentials } from '../../src/agent/credentials.js';

const TOKEN = 'b321a_secret-token-value';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

t.test("systemd's credential wins over tokenFile, which wins over BACKUP321_TOKEN", async (t) => {
  const dir = t.testdir({ creds: { token: `${TOKEN}-systemd\n` }, 'token.txt': `${TOKEN}-file\n` });
  chmodSync(join(dir, 'token.txt'), 0o600);
  const { logger } = capture();
  const report = { tokenFile: join(dir, 'token.txt'), outbox: { maxReports: 1, maxBytes: 1 } };
  const env = { CREDENTIALS_DIRECTORY: join(dir, 'creds'), BACKUP321_TOKEN: `${TOKEN}-env` };
  t.match(await readReportCredentials(report, env, logger), {
    token: `${TOKEN}-systemd`,
    tokenFrom: join(dir, 'creds/token'),
  });
  t.match(await readReportCredentials(report, { BACKUP321_TOKEN: `${TOKEN}-env` }, logger), {
    token: `${TOKEN}-file`,
  });
  t.match(await readReportCredentials({ outbox: report.outbox }, { BACKUP321_TOKEN: `${TOKEN}-env` }, logger), {
    token: `${TOKEN}-env`,
    tokenFrom: '$BACKUP321_TOKEN',
  });
  t.match(await readReportCredentials({ outbox: report.outbox }, {}, logger), { token: undefined });
  t.match(
    await readReportCredentials(report, { CREDENTIALS_DIRECTORY: join(dir, 'none') }, logger),
    { token: `${TOKEN}-file` },
    'a credentials directory without the token falls back to tokenFile',
  );
});

t.test('a missing or malformed token file is refused, without the token in the error', async (t) => {
  const dir = t.testdir({ 'two.txt': `${TOKEN}\nsecond line\n`, 'empty.txt': '\n' });
  const { logger } = capture();
  const outbox = { maxReports: 1, maxBytes: 1 };
  await t.rejects(readReportCredentials({ tokenFile: join(dir, 'none'), outbox }, {}, logger), {
    code: 'B321_CREDENTIALS',
    message: /cannot read the token file .*none: ENOENT/,
  });
  const malformed = await readReportCredentials({ tokenFile: join(dir, 'two.txt'), outbox }, {}, logger).catch(
    (error: Error) => error,
  );
  t.match(malformed, { code: 'B321_CREDENTIALS', message: /must hold the token alone/ });
  t.notOk(String((malformed as Error).message).includes(TOKEN), 'the token is not in the error');
  await t.rejects(readReportCredentials({ tokenFile: join(dir, 'empty.txt'), outbox }, {}, logger), {
    message: /must hold the token alone/,
  });
});

t.test('a token file every user can read is warned about, never printed', async (t) => {
  const dir = t.testdir({ 'token.txt': TOKEN });
  chmodSync(join(dir, 'token.txt'), 0o644);
  const { logger, lines } = capture();
  await readReportCredentials(
    { tokenFile: join(dir, 'token.txt'), outbox: { maxReports: 1, maxBytes: 1 } },
    {},
    logger,
  );
  t.match(lines.join(''), /readable by every user: chmod 600/);
  t.notOk(lines.join('').includes(TOKEN));
});

t.test('TLS files: read as given; a certificate without its key (or the reverse) is refused', async (t) => {
  const dir = t.testdir({ 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' });
  const { logger } = capture();
  const outbox = { maxReports: 1, maxBytes: 1 };
  const both = await readReportCredentials(
    { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), outbox },
    {},
    logger,
  );
  t.same([both.tls.ca?.toString(), both.tls.cert?.toString(), both.tls.key?.toString()], ['CA', 'CERT', 'KEY']);
  await t.rejects(readReportCredentials({ certFile: join(dir, 'cert.pem'), outbox }, {}, logger), {
    message: /certFile and report.keyFile go together/,
  });
  await t.rejects(readReportCredentials({ caFile: join(dir, 'nope.pem'), outbox }, {}, logger), {
    message: /report.caFile: cannot read .*nope.pem: ENOENT/,
  });
});
