// TLS to the collector: verified always; a private CA through `ca`, a client certificate for mTLS;
// a certificate nothing vouches for is refused and the report kept. Throwaway keys made by openssl.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createSender } from '../../src/agent/sender.js';
import type { TlsMaterial } from '../../src/agent/http-post.js';
import { startCollector } from './collector.js';
import { captureLogger, queuedOutbox } from './fixtures.js';

const TOKEN = 'tls-test-token';

interface Pki {
  ca: Buffer;
  serverKey: Buffer;
  serverCert: Buffer;
  clientKey: Buffer;
  clientCert: Buffer;
  selfSignedKey: Buffer;
  selfSignedCert: Buffer;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate it signed, and a self-signed server certificate. */
function makePki(dir: string): Pki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=backup321 test CA');
  for (const who of ['server', 'client']) {
    openssl(
      'req',
      ...ec,
      '-keyout',
      `${who}.key`,
      '-out',
      `${who}.csr`,
      '-subj',
      `/CN=${who === 'server' ? '127.0.0.1' : 'erp-01'}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${who}.crt`,
      '-days',
      '2',
      '-extfile',
      `${who}.ext`,
    );
  }
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'self.key',
    '-out',
    'self.crt',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  const read = (name: string) => readFileSync(join(dir, name));
  return {
    ca: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    clientKey: read('client.key'),
    clientCert: read('client.crt'),
    selfSignedKey: read('self.key'),
    selfSignedCert: read('self.crt'),
  };
}

async function sendOne(t: Test, collectorTls: Parameters<typeof startCollector>[0]['tls'], tls: TlsMaterial) {
  const collector = await startCollector({ token: TOKEN, tls: collectorTls });
  t.teardown(() => collector.close());
  const log = captureLogger();
  const outbox = await queuedOutbox(t, 1, log.logger, 10);
  const failed: string[] = [];
  const sender = createSender({
    outbox,
    endpoint: collector.url,
    token: () => TOKEN,
    tls,
    logger: log.logger,
    events: { failed: (reason) => failed.push(reason) },
  });
  t.teardown(() => sender.stop());
  const result = await sender.drain();
  return { result, collector, failed, outbox, log };
}

t.test('TLS', async (t) => {
  const pki = makePki(t.testdir({}));
  const server = { key: pki.serverKey, cert: pki.serverCert };

  t.test('a server certified by the private CA given as `ca`: stored', async (t) => {
    const { result, collector } = await sendOne(t, server, { ca: pki.ca });
    t.same(result, { sent: 1, remaining: 0 });
    t.equal(collector.stored.size, 1);
  });

  t.test('the same server without `ca`: refused (the system CAs do not know it), report kept', async (t) => {
    const { result, collector, failed, outbox, log } = await sendOne(t, server, {});
    t.same(result, { sent: 0, remaining: 1, stoppedBy: 'tls' });
    t.same(failed, ['tls']);
    t.equal(collector.deliveries.length, 0, 'no request reached the collector');
    t.equal(outbox.depth().reports, 1);
    t.match(log.text(), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/);
  });

  t.test('a self-signed server certificate without `ca`: refused', async (t) => {
    const { result, collector } = await sendOne(t, { key: pki.selfSignedKey, cert: pki.selfSignedCert }, {});
    t.same(result, { sent: 0, remaining: 1, stoppedBy: 'tls' });
    t.equal(collector.deliveries.length, 0);
  });

  t.test('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn verification off', async (t) => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    t.teardown(() => {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    });
    const { result, collector } = await sendOne(t, { key: pki.selfSignedKey, cert: pki.selfSignedCert }, {});
    t.same(result, { sent: 0, remaining: 1, stoppedBy: 'tls' });
    t.equal(collector.deliveries.length, 0);
  });

  t.test('a self-signed server certificate with another CA as `ca`: refused', async (t) => {
    const { result } = await sendOne(t, { key: pki.selfSignedKey, cert: pki.selfSignedCert }, { ca: pki.ca });
    t.same(result, { sent: 0, remaining: 1, stoppedBy: 'tls' });
  });

  const mtls = { ...server, ca: pki.ca, requestCert: true };
  t.test('mTLS: the client certificate and key are presented and accepted', async (t) => {
    const { result, collector } = await sendOne(t, mtls, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
    t.same(result, { sent: 1, remaining: 0 });
    t.equal(collector.stored.size, 1);
  });

  t.test('mTLS without a client certificate: the server refuses, the report stays', async (t) => {
    const { result, collector, outbox } = await sendOne(t, mtls, { ca: pki.ca });
    t.ok(result.stoppedBy === 'tls' || result.stoppedBy === 'network', `refused (${result.stoppedBy})`);
    t.equal(collector.deliveries.length, 0);
    t.equal(outbox.depth().reports, 1);
  });
});
