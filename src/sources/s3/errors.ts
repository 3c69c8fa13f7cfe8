// Turns SDK and network errors into the stable issue codes users and tests match on.

export type S3ErrorCode =
  | 'B321_S3_ACCESS_DENIED'
  | 'B321_S3_NO_BUCKET'
  | 'B321_S3_MISSING'
  | 'B321_S3_UNREACHABLE'
  | 'B321_S3_ERROR';

export interface ClassifiedS3Error {
  code: S3ErrorCode;
  /** True when the problem is the credentials themselves, so every request of the location will fail. */
  credentials: boolean;
  message: string;
}

const CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

export function classifyS3Error(error: unknown): ClassifiedS3Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkLikeError;
  const name = e.Code ?? e.name ?? '';
  const errno = e.code ?? (e.cause as SdkLikeError | undefined)?.code ?? '';
  const status = e.$metadata?.httpStatusCode;
  const detail = `${name || errno || 'error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`;
  if (CREDENTIAL_ERRORS.has(name))
    return {
      code: 'B321_S3_ACCESS_DENIED',
      credentials: true,
      message: detail,
    };
  if (name === 'NoSuchBucket') return { code: 'B321_S3_NO_BUCKET', credentials: false, message: detail };
  if (name === 'AccessDenied' || status === 403) {
    return {
      code: 'B321_S3_ACCESS_DENIED',
      credentials: false,
      message: detail,
    };
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return { code: 'B321_S3_MISSING', credentials: false, message: detail };
  }
  if (NETWORK_ERRORS.has(name) || NETWORK_ERRORS.has(errno) || (status === undefined && name !== 'AbortError')) {
    // No HTTP status at all means no answer from a server: refused, reset, DNS, or timed out.
    return { code: 'B321_S3_UNREACHABLE', credentials: false, message: detail };
  }
  return { code: 'B321_S3_ERROR', credentials: false, message: detail };
}

/** The S3 error name when the server answered one (e.g. "ObjectLockConfigurationNotFoundError"). */
export function s3ErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkLikeError;
  return e.Code ?? e.name;
}
