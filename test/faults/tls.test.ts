// TLS between the real agent (`agent --once`, the built binary) and an HTTPS collector: a certificate
// from an unknown CA, an expired one, or one for another host name gets no request at all (the
// collector sees no HTTP request, so neither the token nor the report left); the configured private CA
// works; mTLS without a client certificate fails the handshake. Adjacent ground: the sender alone in
// test/agent/sender-tls.test.ts (self-signed, NODE_TLS_REJECT_UNAUTHORIZED, mTLS with a certificate).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startCollector } from '../agent/collector.js';
import { agentEstate, startAgent, TOKEN } from '../agent/harness.js';
import { makePki, type Pki } from './pki.js';

interface Case {
  what: string;
  server: string;
  mtls?: boolean;
  clientCert?: boolean;
  delivered: boolean;
}

const CASES: Case[] = [
  { what: 'a server certificate from an unknown CA', server: 'unknown-ca', delivered: false },
  { what: 'an expired server certificate', server: 'expired', delivered: false },
  { what: 'a certificate for another host name', server: 'wrong-host', delivered: false },
  { what: 'the configured private CA', server: 'good', delivered: true },
  { what: 'mTLS without a client certificate', server: 'good', mtls: true, delivered: false },
  { what: 'mTLS with the client certificate', server: 'good', mtls: true, clientCert: true, delivered: true },
];

const pkiDir = t.testdir({});
const pki: Pki = makePki(pkiDir);

for (const c of CASES) {
  t.test(`${c.what}: ${c.delivered ? 'delivered' : 'nothing sent'}`, async (t) => {
    const collector = await startCollector({
      token: TOKEN,
      tls: {
        key: pki.read(`${c.server}.key`),
        cert: pki.read(`${c.server}.crt`),
        ...(c.mtls ? { ca: pki.read('ca.crt'), requestCert: true } : {}),
      },
    });
    t.teardown(() => collector.close());
    const root = t.testdir({});
    const estate = agentEstate(root, collector.url);
    const report = estate.config.report as Record<string, unknown>;
    estate.rewrite({
      report: {
        ...report,
        caFile: pki.file('ca.crt'),
        ...(c.clientCert ? { certFile: pki.file('client.crt'), keyFile: pki.file('client.key') } : {}),
      },
    });
    const agent = startAgent(['-c', estate.configFile, '--once']);
    const { code } = await agent.exited;
    const queued = readdirSync(join(estate.stateDir, 'outbox')).filter((name) => /^\d{12}-.*\.json$/.test(name));
    const failure = agent.lines.find((line) => typeof line.reason === 'string' && (line.level as number) >= 40);
    if (c.delivered) {
      t.equal(code, 0, '--once exits 0: delivered');
      t.equal(collector.stored.size, 1, 'the collector stored the report');
      t.same(queued, [], 'the outbox is empty');
    } else {
      t.equal(code, 3, '--once exits 3: the report still waits');
      t.equal(collector.deliveries.length, 0, 'the collector saw no HTTP request (no token, no body)');
      t.equal(queued.length, 1, 'the report is kept in the outbox');
      // A refused client certificate may surface after the handshake as a reset (TLS 1.3).
      const reasons = c.mtls ? ['tls', 'network'] : ['tls'];
      t.ok(reasons.includes(String(failure?.reason)), `logged as a ${failure?.reason} failure: ${failure?.msg}`);
    }
    t.comment(
      `figure: ${c.server}${c.mtls ? `+mtls${c.clientCert ? '+cert' : ''}` : ''}: ${collector.deliveries.length} requests`,
    );
  });
}
