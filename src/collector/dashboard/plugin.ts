// The collector's dashboard as a fastify plugin: the server registers it beside its API with the store,
// the silence threshold, its clock and its auth. Every page needs a reader (a Bearer header or the
// b321_session cookie the login form sets); without one it redirects to the login form, never shows data.
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../../lang.js';
import { retryAfterSeconds } from '../problems.js';
import { type RateLimit, rateLimiter } from '../rate-limit.js';
import type { CollectorStore, Liveness } from '../store/types.js';
import { isTokenShaped } from '../tokens.js';
import { agentPage } from './agent-page.js';
import { agentView } from './agent-view.js';
import { datasetPage } from './dataset-page.js';
import { fleetPage } from './fleet-page.js';
import { parseFleetQuery } from './fleet-query.js';
import { fleetView } from './fleet-view.js';
import {
  chooseLang,
  clearedSessionCookie,
  formToken,
  isOwnForm,
  securityHeaders,
  sendHtmlStream,
  sessionCookie,
} from './http.js';
import { frame } from './labels.js';
import { printChunks } from './print-page.js';
import { type PageName, pageRenderer } from './render.js';
import { DASHBOARD_CSS } from './templates/css.js';
import { clocksIn } from './time.js';

export interface DashboardIdentity {
  tokenId: string;
  kind: 'agent' | 'reader';
  subject: string;
}

export interface DashboardAuth {
  /** Who sent the request (a Bearer header or the b321_session cookie, whose value is the reader token), or null. */
  identify(request: FastifyRequest): Promise<DashboardIdentity | null>;
}

export interface DashboardOptions {
  store: CollectorStore;
  /** An agent that sent nothing for longer is silent (and non-compliant in the totals). */
  silentAfterMs: number;
  now: () => number;
  auth: DashboardAuth;
  /** The zone the pages' times are shown in (with their offset); the collector's own by default. */
  timeZone?: string;
  /** The collector's name in the printable report; the host name by default. */
  collectorName?: string;
  /** Agents per page of the fleet table and of a dataset's page (100 by default). */
  pageSize?: number;
}

const FORM = 'application/x-www-form-urlencoded';
/**
 * Wrong sign-ins a client address may make: 10 at once, then one every 10 s. Only refusals count, so
 * a reader signing in is never held back by their own successes; a guesser gets 429 with Retry-After.
 */
export const LOGIN_FAILURES: RateLimit = { burst: 10, perSecond: 0.1 };

export async function dashboardPlugin(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const { store, auth } = options;
  const render = pageRenderer();
  const clocks = clocksIn(options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const pageSize = options.pageSize ?? 100;
  const collectorName = options.collectorName ?? hostname();
  const liveness = (): Liveness => ({ now: new Date(options.now()), silentAfterMs: options.silentAfterMs });
  // By address: request.ip is the client's behind a proxy the collector trusts (--trust-proxy).
  const loginFailures = rateLimiter(LOGIN_FAILURES, options.now);

  app.addHook('onRequest', async (_request, reply) => securityHeaders(reply));
  if (!app.hasContentTypeParser(FORM)) {
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    lang: Lang,
    signedIn: boolean,
    page: PageName,
    data: object,
  ) => {
    const csrf = formToken(request, reply);
    return reply
      .type('text/html; charset=utf-8')
      .send(render(page, { ...frame(lang, clocks, signedIn), csrf, ...data }));
  };

  /** A page for readers only: anyone else is sent to the login form. */
  const readerPage =
    (handler: (request: FastifyRequest, reply: FastifyReply, lang: Lang) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const lang = chooseLang(request, reply);
      const identity = await auth.identify(request);
      if (identity?.kind !== 'reader') return reply.redirect('/login', 303);
      return handler(request, reply, lang);
    };

  const notFound = (request: FastifyRequest, reply: FastifyReply, lang: Lang) =>
    send(request, reply.code(404), lang, true, 'message', { heading: frame(lang, clocks, true).t.notFound });

  app.get('/assets/dashboard.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(DASHBOARD_CSS),
  );

  app.get(
    '/',
    readerPage(async (request, reply, lang) => {
      const query = parseFleetQuery(request.query as Record<string, unknown>);
      const view = await fleetView(store, liveness(), query, pageSize);
      return send(request, reply, lang, true, 'fleet', fleetPage(lang, clocks, query, view));
    }),
  );

  app.get(
    '/agents/:id',
    readerPage(async (request, reply, lang) => {
      const view = await agentView(store, liveness(), (request.params as { id: string }).id);
      if (!view) return notFound(request, reply, lang);
      return send(request, reply, lang, true, 'agent', agentPage(lang, clocks, view));
    }),
  );

  app.get(
    '/datasets/:id',
    readerPage(async (request, reply, lang) => {
      const page = Number((request.query as Record<string, unknown>).page);
      const data = await datasetPage(lang, clocks, store, {
        datasetId: (request.params as { id: string }).id,
        page: Number.isInteger(page) && page > 0 ? page : 1,
        pageSize,
      });
      if (data.rows.length === 0) return notFound(request, reply, lang);
      return send(request, reply, lang, true, 'dataset', data);
    }),
  );

  app.get(
    '/print',
    readerPage(async (request, reply, lang) => {
      const query = parseFleetQuery(request.query as Record<string, unknown>);
      const around = { ...frame(lang, clocks, true), csrf: formToken(request, reply) };
      const chunks = printChunks(
        lang,
        clocks,
        { store, liveness: liveness(), collectorName, render: (part, data) => render(part, { ...around, ...data }) },
        query,
      );
      return sendHtmlStream(request, reply, chunks);
    }),
  );

  app.get('/login', async (request, reply) => {
    const lang = chooseLang(request, reply);
    if ((await auth.identify(request))?.kind === 'reader') return reply.redirect('/', 303);
    return send(request, reply, lang, false, 'login', { error: null });
  });

  app.post('/login', async (request, reply) => {
    const lang = chooseLang(request, reply);
    const t = frame(lang, clocks, false).t;
    const body = request.body as Record<string, unknown> | undefined;
    if (!isOwnForm(request, body)) return send(request, reply.code(403), lang, false, 'login', { error: t.badOrigin });
    const waitMs = loginFailures.wait(request.ip);
    if (waitMs > 0) {
      request.log.info({ ip: request.ip }, 'dashboard sign-in refused: too many wrong tokens');
      reply.code(429).header('retry-after', retryAfterSeconds(waitMs));
      return send(request, reply, lang, false, 'login', { error: t.tooManyLogins });
    }
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    const found = isTokenShaped(token) ? await store.findToken(token) : null;
    if (!found || found.revoked || found.kind !== 'reader') {
      loginFailures.take(request.ip);
      request.log.info({ tokenId: found?.id ?? null }, 'dashboard sign-in refused');
      return send(request, reply.code(401), lang, false, 'login', { error: t.wrongToken });
    }
    request.log.info({ tokenId: found.id, subject: found.subject }, 'dashboard sign-in');
    return reply.header('set-cookie', sessionCookie(request, token)).redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    const lang = chooseLang(request, reply);
    if (!isOwnForm(request, request.body as Record<string, unknown> | undefined)) {
      return send(request, reply.code(403), lang, false, 'message', {
        heading: frame(lang, clocks, false).t.badOrigin,
      });
    }
    return reply.header('set-cookie', clearedSessionCookie(request)).redirect('/login', 303);
  });
}
