// Throwaway certificates made with openssl for the TLS fault tests: a private CA, server certificates it
// signed (good, expired, for another host name), one an unknown CA signed, and a client certificate.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  /** Paths of PEM files, by name: ca.crt, client.crt, client.key, and <server>.crt/.key for each server. */
  file: (name: string) => string;
  read: (name: string) => Buffer;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export const SERVERS = {
  good: { ca: 'ca', san: 'IP:127.0.0.1', days: '2' },
  // notAfter a day before notBefore: expired whatever the clock says now.
  expired: { ca: 'ca', san: 'IP:127.0.0.1', days: '-1' },
  'wrong-host': { ca: 'ca', san: 'DNS:collector.example.net', days: '2' },
  'unknown-ca': { ca: 'other-ca', san: 'IP:127.0.0.1', days: '2' },
} as const;

export function makePki(dir: string): Pki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', ...EC, '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=${ca}`);
  }
  const sign = (name: string, ca: string, ext: string, days: string, cn: string) => {
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    const signing = ['-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial'];
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      ...signing,
      '-out',
      `${name}.crt`,
      '-days',
      days,
      '-extfile',
      `${name}.ext`,
    );
  };
  for (const [name, server] of Object.entries(SERVERS)) {
    sign(name, server.ca, `subjectAltName=${server.san}`, server.days, name);
  }
  sign('client', 'ca', 'extendedKeyUsage=clientAuth', '2', 'erp-01');
  const file = (name: string) => join(dir, name);
  return { dir, file, read: (name) => readFileSync(file(name)) };
}
