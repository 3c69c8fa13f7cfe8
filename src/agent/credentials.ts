// What the agent shows the collector: its token and, for a private CA or mTLS, the PEM files. Read
// at start and on SIGHUP; the token is never logged, never put into an error.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { errnoCode } from '../errors.js';

export interface ReportCredentials {
  token: string | undefined;
  /** Where the token came from, for the log: a path or an environment variable, never the token. */
  tokenFrom: string | undefined;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer };
}

/** systemd's `LoadCredential=token:…` puts the token here; it wins over tokenFile. */
export const CREDENTIAL_NAME = 'token';
export const TOKEN_ENV = 'BACKUP321_TOKEN';

export class CredentialError extends Error {
  readonly code = 'B321_CREDENTIALS';
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

export async function readReportCredentials(
  report: Config['report'],
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<ReportCredentials> {
  const { token, tokenFrom } = await readToken(report.tokenFile, env, logger);
  const tls: ReportCredentials['tls'] = {};
  if (report.caFile) tls.ca = await readPem(report.caFile, 'caFile');
  if (report.certFile) tls.cert = await readPem(report.certFile, 'certFile');
  if (report.keyFile) tls.key = await readPem(report.keyFile, 'keyFile');
  if (Boolean(tls.cert) !== Boolean(tls.key)) {
    throw new CredentialError('report.certFile and report.keyFile go together: give both for mTLS, or neither');
  }
  return { token, tokenFrom, tls };
}

async function readToken(
  tokenFile: string | undefined,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<{ token: string | undefined; tokenFrom: string | undefined }> {
  const credential = env.CREDENTIALS_DIRECTORY ? join(env.CREDENTIALS_DIRECTORY, CREDENTIAL_NAME) : undefined;
  for (const path of [credential, tokenFile]) {
    if (!path) continue;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      // systemd's credential is optional; a tokenFile the config names must be there.
      if (path === credential && errnoCode(error) === 'ENOENT') continue;
      throw new CredentialError(`cannot read the token file ${path}: ${errnoCode(error) ?? 'error'}`);
    }
    const token = text.trim();
    if (token === '' || /\s/.test(token)) {
      throw new CredentialError(`the token file ${path} must hold the token alone, on one line`);
    }
    await warnIfOthersCanRead(path, logger);
    return { token, tokenFrom: path };
  }
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv, tokenFrom: `$${TOKEN_ENV}` };
  return { token: undefined, tokenFrom: undefined };
}

/** A token anyone on the host can read lets anyone report as this agent: said once, at each read. */
async function warnIfOthersCanRead(path: string, logger: Logger): Promise<void> {
  const mode = (await stat(path)).mode & 0o777;
  if (mode & 0o004) {
    logger.warn({ tokenFile: path, mode: mode.toString(8) }, 'the token file is readable by every user: chmod 600 it');
  }
}

async function readPem(path: string, key: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CredentialError(`report.${key}: cannot read ${path}: ${errnoCode(error) ?? 'error'}`);
  }
}
