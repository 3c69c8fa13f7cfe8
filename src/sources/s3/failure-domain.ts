// The failure domain (device) of an s3 location: the endpoint it talks to (the region on AWS), unless configured.
import type { S3LocationConfig } from '../../config/types.js';

export interface FailureDomain {
  failureDomain: string;
  /** configured: the location's `failureDomain` (or old `device`) key; derived: from endpoint and region. */
  failureDomainSource: 'configured' | 'derived';
}

/** AWS's own endpoints (regional, dual-stack, FIPS, China): one provider whose failure domains are regions. */
const AWS_HOST = /(^|\.)amazonaws\.com(\.cn)?$/;

/**
 * The endpoint as an identity: host with a non-default port, and a path without trailing slashes, so
 * "https://S3.example.vn/" and "http://s3.example.vn" are the same store. Undefined for AWS itself.
 */
export function normaliseEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint.replace(/\/+$/, '').toLowerCase();
  }
  if (AWS_HOST.test(url.hostname)) return undefined;
  return url.host + url.pathname.replace(/\/+$/, '');
}

/**
 * Buckets behind one endpoint share its servers, its operator and its account's fate: one failure
 * domain, however many buckets. On AWS the endpoint is chosen by region, so the region is the domain:
 * the one the bucket reports, else the configured one. A custom endpoint's region is left out: many
 * stores accept any signing region, and a typo would split one store into two domains. Only the
 * config may say two buckets on one endpoint fail apart (another account, a replicated site …).
 */
export function failureDomainOf(location: S3LocationConfig, reportedRegion: string | undefined): FailureDomain {
  if (location.failureDomain) return { failureDomain: location.failureDomain, failureDomainSource: 'configured' };
  const endpoint = normaliseEndpoint(location.endpoint);
  if (endpoint !== undefined) return { failureDomain: `s3:${endpoint}`, failureDomainSource: 'derived' };
  const regionReported = reportedRegion && reportedRegion !== 'unknown' && reportedRegion !== 'not-reported';
  return {
    failureDomain: `aws:${regionReported ? reportedRegion : (location.region ?? 'unknown')}`,
    failureDomainSource: 'derived',
  };
}

/** Whether the location talks to AWS itself (no endpoint, or one of AWS's own). */
export function isAwsEndpoint(location: S3LocationConfig): boolean {
  return normaliseEndpoint(location.endpoint) === undefined;
}
