// S3's answers as the Amazon S3 API Reference writes them: XML bodies, error responses and the
// ListObjectsV2 result. The demo's object store answers with them, and so does the tests' S3 fixture.
import type http from 'node:http';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Marks that a handler answered: handlers end with `return send…(…)`. */
export type Sent = true;

export function sendS3Xml(response: http.ServerResponse, status: number, body: string, requestId: string): Sent {
  response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  return true;
}

export interface S3ErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** HEAD answers carry no body: the SDK names the error from the status code alone. */
  head: boolean;
  requestId: string;
  /** The bucket or object the request named (`/bucket/key`). */
  resource?: string;
}

export function sendS3Error(response: http.ServerResponse, error: S3ErrorAnswer): Sent {
  if (error.head) {
    response.writeHead(error.status, { 'x-amz-request-id': error.requestId });
    response.end();
    return true;
  }
  const resource = error.resource === undefined ? '' : `<Resource>${xmlEscape(error.resource)}</Resource>`;
  return sendS3Xml(
    response,
    error.status,
    `<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message>${resource}` +
      `<RequestId>${error.requestId}</RequestId></Error>`,
    error.requestId,
  );
}

/** If-Match as S3 documents it for GetObject and HeadObject: "*" or one of the ETags, quoted or not. */
export function ifMatchHolds(header: string | undefined, etag: string): boolean {
  if (header === undefined || header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/"/g, '') === etag);
}

/** One `<Contents>` entry of a listing. */
export interface ListedEntryXml {
  key: string;
  /** ISO 8601, as S3 lists it. */
  lastModified: string;
  /** Without quotes; none: the entry has no ETag element. */
  etag?: string;
  checksumAlgorithm?: 'SHA256';
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  size: number;
  storageClass: string;
  /** Elements after StorageClass (RestoreStatus …), already XML. */
  more?: string;
}

export interface ListResultXml {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  startAfter?: string;
  continuationToken?: string;
  /** Present when the listing is truncated: the token of the next page. */
  nextContinuationToken?: string;
  /** `encoding-type=url`: keys, prefixes and delimiter come URL-encoded. */
  urlEncoded?: boolean;
  contents: ListedEntryXml[];
  commonPrefixes: string[];
}

/** A ListObjectsV2 result (ListBucketResult); KeyCount counts keys and common prefixes, as S3 does. */
export function listObjectsV2Xml(result: ListResultXml): string {
  const text = (value: string): string =>
    xmlEscape(result.urlEncoded ? encodeURIComponent(value).replace(/%2F/g, '/') : value);
  const element = (name: string, value: string | undefined): string =>
    value === undefined ? '' : `<${name}>${value}</${name}>`;
  const contents = result.contents.map(
    (entry) =>
      `<Contents><Key>${text(entry.key)}</Key><LastModified>${entry.lastModified}</LastModified>` +
      element('ETag', entry.etag === undefined ? undefined : `"${entry.etag}"`) +
      element('ChecksumAlgorithm', entry.checksumAlgorithm) +
      element('ChecksumType', entry.checksumType) +
      `<Size>${entry.size}</Size><StorageClass>${entry.storageClass}</StorageClass>${entry.more ?? ''}</Contents>`,
  );
  const prefixes = result.commonPrefixes.map(
    (prefix) => `<CommonPrefixes><Prefix>${text(prefix)}</Prefix></CommonPrefixes>`,
  );
  const optional = (name: string, value: string | undefined): string =>
    element(name, value === undefined ? undefined : text(value));
  return (
    `<ListBucketResult xmlns="${S3_NS}"><Name>${xmlEscape(result.bucket)}</Name><Prefix>${text(result.prefix)}</Prefix>` +
    optional('Delimiter', result.delimiter) +
    optional('StartAfter', result.startAfter) +
    element('ContinuationToken', result.continuationToken && xmlEscape(result.continuationToken)) +
    element('NextContinuationToken', result.nextContinuationToken && xmlEscape(result.nextContinuationToken)) +
    element('EncodingType', result.urlEncoded ? 'url' : undefined) +
    `<KeyCount>${contents.length + prefixes.length}</KeyCount><MaxKeys>${result.maxKeys}</MaxKeys>` +
    `<IsTruncated>${result.nextContinuationToken !== undefined}</IsTruncated>` +
    `${contents.join('')}${prefixes.join('')}</ListBucketResult>`
  );
}
