// The dashboard's HTTP details: its security headers, cookies, language choice, the form token
// that keeps other sites from posting its forms, and HTML streamed (gzipped when the client takes it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGS, type Lang } from '../../lang.js';

export const SESSION_COOKIE = 'b321_session';
export const LANG_COOKIE = 'b321_lang';
export const FORM_COOKIE = 'b321_form';

/** No script at all: nothing a report's strings could reach runs, whatever a template does. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  // Pages carry the fleet's state: no shared cache may keep them.
  reply.header('cache-control', 'no-store');
}

export function cookiesOf(request: FastifyRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    const raw = part.slice(at + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      // A cookie we did not write (bad percent-encoding): not ours to read.
    }
  }
  return cookies;
}

function isTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** The reader's session: the reader token itself (the API's auth reads it), never readable by a page. */
export function sessionCookie(request: FastifyRequest, token: string): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/${isTls(request) ? '; Secure' : ''}`;
}

export function clearedSessionCookie(request: FastifyRequest): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${isTls(request) ? '; Secure' : ''}`;
}

function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** `?lang=vi` chooses and is remembered in a cookie; else the cookie; else English. */
export function chooseLang(request: FastifyRequest, reply: FastifyReply): Lang {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) {
    const secure = isTls(request) ? '; Secure' : '';
    reply.header('set-cookie', `${LANG_COOKIE}=${asked}; Path=/; SameSite=Strict; Max-Age=31536000${secure}`);
    return asked;
  }
  const remembered = cookiesOf(request).get(LANG_COOKIE);
  return isLang(remembered) ? remembered : 'en';
}

/**
 * The form token of this browser (double-submit): a random value in an HttpOnly SameSite=Strict cookie,
 * written into each form; made on the first page that needs it.
 */
export function formToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = cookiesOf(request).get(FORM_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{24}$/.test(existing)) return existing;
  const token = randomBytes(18).toString('base64url');
  const secure = isTls(request) ? '; Secure' : '';
  reply.header('set-cookie', `${FORM_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/${secure}`);
  return token;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Whether a POST came from one of our own pages (login CSRF: a site signing a reader in as someone
 * else; a forged sign-out). The pages send no referrer, so browsers send "Origin: null" for their
 * forms: the check is the form token (its cookie is SameSite=Strict, so another site's POST carries
 * none), plus the browser's Sec-Fetch-Site and a real Origin when it names one.
 */
export function isOwnForm(request: FastifyRequest, body: Record<string, unknown> | undefined): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null' && !isThisHost(request, origin)) return false;
  const cookie = cookiesOf(request).get(FORM_COOKIE);
  const field = body?.csrf;
  return typeof cookie === 'string' && cookie !== '' && typeof field === 'string' && sameToken(cookie, field);
}

function isThisHost(request: FastifyRequest, origin: string): boolean {
  const host = request.headers.host;
  if (!host) return false;
  try {
    // Both through URL, so a default port ("localhost:80" and "http://localhost") compares equal.
    const ours = new URL(`${request.protocol}://${host}`);
    const theirs = new URL(origin);
    return theirs.host === ours.host && theirs.protocol === ours.protocol;
  } catch {
    return false;
  }
}

/** Whether the client takes a gzip body: Accept-Encoding names gzip, with no q=0. */
function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * HTML made a piece at a time (the printable report: the whole fleet), one piece rendered ahead of
 * what the client has read; gzipped when the client takes it: ≈ 38 KB of HTML an agent, 17 times
 * less gzipped, at the fastest level (the CPU is the ingest's too).
 */
export function sendHtmlStream(request: FastifyRequest, reply: FastifyReply, pieces: AsyncIterable<string>) {
  const html = Readable.from(pieces, { highWaterMark: 1 });
  reply.type('text/html; charset=utf-8').header('vary', 'accept-encoding');
  if (!acceptsGzip(request)) return reply.send(html);
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  // An error ends both (the client sees a cut-off body); the pieces say so themselves when the store fails.
  pipeline(html, gzip, () => undefined);
  return reply.header('content-encoding', 'gzip').send(gzip);
}
