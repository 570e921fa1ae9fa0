/**
 * The dashboard at /dashboard: server-rendered pages over the gateway's own
 * services. This module owns the frame every page shares — login, session,
 * CSRF check of every POST, security headers — and hands each page module
 * a `DashboardContext`; page modules register their routes on the scoped
 * Fastify instance and never deal with authentication themselves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardAuth } from './auth.js';
import { crossSiteProblem } from '../../web/capability-csrf.js';
import { nonLoopbackHostProblem } from '../../web/loopback-host.js';
import { formBody, newNonce, pageHeaders } from '../../web/page-security.js';
import { html } from '../../web/html.js';
import { csrfField, renderPage, type PageContent } from './layout.js';
import type { SafeHtml } from '../../web/html.js';
import type { DashboardServices } from './services.js';

export interface DashboardOptions {
  mode: 'sandbox' | 'gateway';
  /** Sandbox mode on a loopback bind: no admin token needed. */
  open: boolean;
  adminToken?: string;
  services: DashboardServices;
  now: () => number;
  /** Set on the HTTPS listener: session cookies get `Secure`. */
  secure: boolean;
}

/** What a page module gets: its routes are already behind login and CSRF checks. */
export interface DashboardContext {
  readonly sandbox: boolean;
  readonly services: DashboardServices;
  /** Sends a full page (status 200 unless given). */
  page: (request: FastifyRequest, reply: FastifyReply, content: PageContent, status?: number) => FastifyReply;
  /** The submitted form of a POST (already CSRF-checked). */
  form: (request: FastifyRequest) => URLSearchParams;
  /** A hidden `_csrf` input for a form on this request's page. */
  csrf: (request: FastifyRequest) => SafeHtml;
  /** 303 to a dashboard path, with a notice or error shown there. */
  redirect: (reply: FastifyReply, path: string, message?: { notice?: string; error?: string }) => FastifyReply;
}

export type DashboardPageModule = (scope: FastifyInstance, context: DashboardContext) => void;

interface RequestState {
  session: string;
  form?: URLSearchParams;
}

export function registerDashboard(app: FastifyInstance, options: DashboardOptions, pages: readonly DashboardPageModule[]): void {
  const auth = new DashboardAuth({ open: options.open, adminToken: options.adminToken, now: options.now, secure: options.secure });
  const state = new WeakMap<FastifyRequest, RequestState>();
  const sandbox = options.mode === 'sandbox';

  const sendPage = (reply: FastifyReply, status: number, render: (nonce: string) => string, policy: PageContent['policy'] = {}) => {
    const nonce = newNonce();
    return reply.status(status).headers(pageHeaders(nonce, { ...policy, formsStayHere: true, fetchesHere: true })).send(render(nonce));
  };

  /** The notice / error a redirect carried, when its tag proves the dashboard wrote it. */
  const flash = (request: FastifyRequest): { notice?: string; error?: string } => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const out: { notice?: string; error?: string } = {};
    for (const kind of ['notice', 'error'] as const) {
      const text = query[kind];
      const tag = query[`${kind}Tag`];
      if (typeof text === 'string' && typeof tag === 'string' && auth.flashTagMatches(`${kind}\0${text}`, tag)) out[kind] = text;
    }
    return out;
  };

  const context: DashboardContext = {
    sandbox,
    services: options.services,
    page: (request, reply, content, status = 200) => {
      const session = state.get(request)?.session ?? '';
      const carried = flash(request);
      return sendPage(
        reply,
        status,
        (nonce) => renderPage({ ...content, notice: content.notice ?? carried.notice, error: content.error ?? carried.error }, { sandbox, loggedIn: !auth.open, csrfToken: session === '' ? '' : auth.csrfToken(session), nonce }),
        content.policy,
      );
    },
    form: (request) => state.get(request)?.form ?? formBody(request),
    csrf: (request) => csrfField(auth.csrfToken(state.get(request)?.session ?? '')),
    redirect: (reply, path, message = {}) => {
      const query = new URLSearchParams();
      for (const kind of ['notice', 'error'] as const) {
        const text = message[kind]?.slice(0, 500);
        if (!text) continue;
        query.set(kind, text);
        query.set(`${kind}Tag`, auth.flashTag(`${kind}\0${text}`));
      }
      const target = query.size > 0 ? `${path}${path.includes('?') ? '&' : '?'}${query.toString()}` : path;
      return reply.status(303).header('location', target).send();
    },
  };

  app.register(
    async (scope) => {
      const loginPage = (reply: FastifyReply, error?: string, status = 200) =>
        sendPage(reply, status, (nonce) =>
          renderPage(
            {
              title: 'Log in',
              section: 'overview',
              error,
              body: html`<section class="card"><form method="post" action="/dashboard/login">
<label for="admin-token">Admin token</label><input id="admin-token" name="token" type="password" autocomplete="current-password" required>
<p class="muted">The token the gateway printed at start (or <code>--admin-token</code> / <code>AMSGATE_ADMIN_TOKEN</code>).</p>
<button id="login">Log in</button></form></section>`,
            },
            { sandbox, loggedIn: false, csrfToken: '', nonce },
          ),
        );

      scope.get('/login', async (_request, reply) => (auth.open ? reply.redirect('/dashboard', 303) : loginPage(reply)));
      scope.post('/login', async (request, reply) => {
        if (auth.open) return reply.redirect('/dashboard', 303);
        if (crossSiteProblem(request.headers) !== undefined) return loginPage(reply, 'Cross-site login refused.', 403);
        const token = formBody(request).get('token') ?? '';
        if (!auth.tokenMatches(token)) return loginPage(reply, 'That is not the admin token.', 401);
        auth.setSessionCookie(reply, auth.newSession());
        return reply.redirect('/dashboard', 303);
      });

      scope.addHook('preHandler', async (request, reply) => {
        if (auth.open) {
          const foreignHost = nonLoopbackHostProblem(request.headers);
          if (foreignHost !== undefined) {
            return reply.status(403).type('text/plain; charset=utf-8').send(`Refused: ${foreignHost}. Without an admin token the dashboard answers only http://127.0.0.1 or http://localhost.`);
          }
        }
        // The route, not the raw URL: `//dashboard/login` reaches the same route (the router ignores doubled slashes).
        if (request.routeOptions.url === '/dashboard/login') return;
        let session = auth.session(request);
        if (session === undefined) {
          if (!auth.open) {
            if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect('/dashboard/login', 303);
            return reply.status(403).type('text/plain; charset=utf-8').send('Log in first: /dashboard/login');
          }
          if (request.method !== 'GET' && request.method !== 'HEAD') {
            return reply.status(403).type('text/plain; charset=utf-8').send('No dashboard session: reload the page and try again.');
          }
          session = auth.newSession();
          auth.setSessionCookie(reply, session);
        }
        const requestState: RequestState = { session };
        state.set(request, requestState);
        if (request.method === 'POST') {
          requestState.form = formBody(request);
          const problem = auth.csrfProblem(request, session, requestState.form.get('_csrf'));
          if (problem) return reply.status(403).type('text/plain; charset=utf-8').send(`Refused: ${problem}.`);
        }
      });

      scope.post('/logout', async (_request, reply) => {
        auth.clearSessionCookie(reply);
        return reply.redirect(auth.open ? '/dashboard' : '/dashboard/login', 303);
      });

      for (const register of pages) register(scope, context);
    },
    { prefix: '/dashboard' },
  );
}


