// The dashboard's HTTP details: its security headers, cookies, language choice and the origin check
// that keeps other sites from posting its forms.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGS, type Lang } from '../../lang.js';

export const SESSION_COOKIE = 'b321_session';
export const LANG_COOKIE = 'b321_lang';

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
 * Whether a POST came from one of our own pages: its Origin (or, without one, its Referer) must be
 * this host. With the SameSite=Strict cookie this stops login CSRF (a site signing a reader in as
 * someone else) and a forged sign-out; a request naming neither is refused.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const host = request.headers.host;
  if (!host) return false;
  const origin = request.headers.origin;
  const source = typeof origin === 'string' && origin !== '' ? origin : request.headers.referer;
  if (typeof source !== 'string' || source === '' || source === 'null') return false;
  try {
    // Both through URL, so a default port ("localhost:80" and "http://localhost") compares equal.
    const ours = new URL(`${request.protocol}://${host}`);
    const theirs = new URL(source);
    return theirs.host === ours.host && theirs.protocol === ours.protocol;
  } catch {
    return false;
  }
}
