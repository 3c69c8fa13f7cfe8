// Builds the read-only S3 client for one s3 location: credentials, timeouts, retries, quiet logging.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { S3LocationConfig } from '../../config/types.js';

/** Attempts per request (first try + retries): throttling (503 SlowDown) and network errors retry with backoff. */
export const S3_MAX_ATTEMPTS = 4;

/** The only HTTP methods this product may send to a bucket: it reads, never writes. */
export const READ_METHODS = new Set(['GET', 'HEAD']);

export class S3WriteBlockedError extends Error {
  readonly code = 'B321_S3_WRITE_BLOCKED';
  constructor(method: string) {
    super(`refused to send an S3 ${method} request: backup321 only reads buckets`);
    this.name = 'S3WriteBlockedError';
  }
}

// The SDK's logger and the HTTP handler's logger default to console for some warnings; backup321 logs
// through pino only, and never lets the SDK print request details (which may carry signed headers).
const silentLogger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * The SDK warns on Node 20 (process.emitWarning → stderr) that releases after early January 2027 need
 * Node >= 22. The version is pinned in package-lock.json, so the warning is noise in an agent's output.
 * AWS documents AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true as the switch
 * (aws/aws-sdk-js-v3#7983); it is read when a client is constructed. An operator's explicit value wins.
 */
export function suppressNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  }
}

/** Credentials: a credentials file, else the standard chain (env, shared files, SSO, instance role) with a profile. */
export function credentialsFor(location: S3LocationConfig): S3ClientConfig['credentials'] {
  if (location.credentialsFile) {
    return fromIni({
      filepath: location.credentialsFile,
      // Without this, a profile missing from the file would be looked up in ~/.aws/config instead.
      configFilepath: location.credentialsFile,
      logger: silentLogger,
      ...(location.profile ? { profile: location.profile } : {}),
    });
  }
  // The chain warns on console when a profile and env keys are both set; the profile wins either way.
  if (location.profile)
    return fromNodeProviderChain({
      profile: location.profile,
      logger: silentLogger,
    });
  return undefined; // the client's own default chain
}

export function createS3Client(location: S3LocationConfig): S3Client {
  suppressNodeVersionWarning();
  const credentials = credentialsFor(location);
  const client = new S3Client({
    // A custom endpoint rarely cares about the region but SigV4 needs one; us-east-1 is the S3 convention.
    region: location.region ?? 'us-east-1',
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.forcePathStyle,
    ...(credentials ? { credentials } : {}),
    // A bucket in another AWS region answers 301; follow it (with a HEAD) instead of failing.
    followRegionRedirects: true,
    maxAttempts: S3_MAX_ATTEMPTS,
    retryMode: 'standard',
    // Our own reads: we hash content ourselves, and validation of response checksums would only
    // turn a bad object into a thrown stream error instead of evidence (a differing sha256).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    logger: silentLogger,
    requestHandler: {
      requestTimeout: location.requestTimeoutMs,
      connectionTimeout: location.requestTimeoutMs,
      // requestTimeout stops at the response headers; this one also ends a body that stalls mid-download.
      socketTimeout: location.requestTimeoutMs,
      // Without this the handler only logs a warning on timeout and keeps waiting.
      throwOnRequestTimeout: true,
      logger: silentLogger,
    },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { method?: string } | undefined;
      const method = request?.method?.toUpperCase() ?? 'GET';
      if (!READ_METHODS.has(method)) throw new S3WriteBlockedError(method);
      return next(args);
    },
    // "finalizeRequest" runs after the HTTP request is built and before it is signed and sent.
    {
      step: 'finalizeRequest',
      name: 'backup321ReadOnlyGuard',
      priority: 'high',
    },
  );
  return client;
}

/** Host of the endpoint (with port), or "aws" when the client talks to AWS itself: part of the device id. */
export function endpointLabel(location: S3LocationConfig): string {
  if (!location.endpoint) return 'aws';
  try {
    return new URL(location.endpoint).host;
  } catch {
    return location.endpoint;
  }
}
