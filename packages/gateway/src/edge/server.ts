/**
 * Fastify at the edge: raw bodies, absolute-form request targets, the AMS
 * routes and health checks, then the routes the composition root hands in
 * (buyer pages, control API, dashboard). Protocol logic lives in
 * `ams-pipeline.ts`.
 */
import type { Http2SecureServer, Http2Session } from 'node:http2';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { buildResult, endpointForRequestPath, JSON_CONTENT_TYPE, type Result } from '@amsgate/protocol';
import type { Database } from '../schema.js';
import { pathOf, type AmsPipeline } from './ams-pipeline.js';
import { registerOpenApiRoute } from './openapi-route.js';

/** Adds routes to a server; `secure`: the server is the HTTPS one. */
export type RouteRegistrar = (app: FastifyInstance, server: { secure: boolean }) => void;

/** Told of every AMS answer (metrics); synchronous and cheap, it runs on the request path. */
export interface AmsRequestObserver {
  /** `endpoint`: the definition the path routed to (`payments/pay`) or `unknown`, never the raw path. */
  observeRequest(endpoint: string, result: Result, seconds: number): void;
}

export interface ServerOptions {
  pipeline: AmsPipeline;
  database: Database;
  bodyLimitBytes: number;
  logger: FastifyServerOptions['logger'];
  https?: { key: string; cert: string };
  /** Registered in this order, after the AMS routes and health checks. */
  routes: readonly RouteRegistrar[];
  observer?: AmsRequestObserver;
}

/** `POST https://host/ams/api/... HTTP/1.1` (the Python SDK) → `/ams/api/...`, keeping the rest byte for byte. */
export function requestTargetPath(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!match) return url;
  const rest = url.slice(match[0].length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/** `a=1&a=2&b=x` → `{ a: '1', b: 'x' }`. */
export function firstValueQuery(query: string): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(query)) if (!(key in values)) values[key] = value;
  return values;
}

export function buildServer(options: ServerOptions): FastifyInstance {
  // One code path for the HTTP/1.1 and the HTTP/2 (+1.1) server: Fastify types them apart, the routes below need no difference.
  const createFastify = Fastify as unknown as (serverOptions: Record<string, unknown>) => FastifyInstance;
  const app = createFastify({
    logger: options.logger,
    // One log line per AMS request, written by the route itself.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    rewriteUrl: (req: { url?: string }) => requestTargetPath(req.url ?? '/'),
    routerOptions: {
      // Every query value is one string: a repeated key keeps its first value, so no route meets an array it did not expect.
      querystringParser: firstValueQuery,
      // `//ams/api/...` reaches the AMS route (and is answered there: NO_INTERFACE_DEF, signed), not a framework 404; request.url keeps the slashes as sent.
      ignoreDuplicateSlashes: true,
    },
    // Keep-alive clients (SDK connection pools, benchmarks) should not be cut mid-stream.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    // The HTTPS listener speaks HTTP/2 too (ALPN), as Antom does: the SDKs send `meter/uploadEvent` over HTTP/2 only.
    ...(options.https ? { http2: true, https: { allowHTTP1: true, key: options.https.key, cert: options.https.cert } } : {}),
  });
  if (options.https) trackHttp2Sessions(app);

  // Every body arrives as raw bytes: signatures cover the exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // An empty Content-Type is no Content-Type (which the pipeline tolerates), not an unparsable one.
  app.addHook('onRequest', async (request) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && contentType.trim() === '') delete request.headers['content-type'];
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    // On AMS paths a request refused before the pipeline saw it is still answered HTTP 200: the SDKs read a result only from a 200.
    const ams = /^\/+ams\//.test(request.url);
    const result = refusalResult(status, ams, request.headers['content-type'], error.message, options.bodyLimitBytes);
    if (ams) options.observer?.observeRequest(endpointForRequestPath(pathOf(request.url)) ?? 'unknown', result, reply.elapsedTime / 1000);
    if (ams && status < 500) {
      // Signed for a registered client (within its budget of unverified answers), as every other refusal is.
      const answer = await options.pipeline.refuse({ uri: request.url, headers: request.headers }, result);
      return reply.status(200).headers(answer.headers).send(answer.body);
    }
    return reply.status(status).header('content-type', JSON_CONTENT_TYPE).send(JSON.stringify({ result }));
  });

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/ams/*',
    handler: async (request, reply) => {
      const started = performance.now();
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const response = await options.pipeline.handle({ method: request.method, uri: request.url, headers: request.headers, body });
      const ms = performance.now() - started;
      options.observer?.observeRequest(response.route ?? 'unknown', response.result, ms / 1000);
      request.log.info(
        {
          client: response.clientId,
          endpoint: response.endpoint,
          resultCode: response.result.resultCode,
          resultStatus: response.result.resultStatus,
          ms: Math.round(ms * 10) / 10,
        },
        'ams request',
      );
      void reply.status(200).headers(response.headers).send(response.body);
    },
  });

  registerOpenApiRoute(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await options.database.ready();
    void reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });

  for (const register of options.routes) register(app, { secure: options.https !== undefined });
  return app;
}

/**
 * Stops accepting connections and lets the requests in flight finish, then
 * closes. Node's close drops only the keep-alive connections idle at that
 * moment: one answering a request then stays open, idle, until the 65 s
 * keep-alive timeout (or its client) ends it, and close waits for it. So
 * idle connections are dropped again as they appear, and after `graceMs`
 * whatever is left is cut.
 */
export async function closeServer(app: FastifyInstance, graceMs: number): Promise<void> {
  const started = Date.now();
  const sessions = HTTP2_SESSIONS.get(app);
  const sweeper = setInterval(() => {
    const late = Date.now() - started >= graceMs;
    if (sessions !== undefined) {
      // An HTTP/2 session is asked to finish its streams (GOAWAY), then cut after the grace time.
      for (const session of sessions) {
        if (late) session.destroy();
        else session.close();
      }
      // HTTP/1.1 connections on the same listener are plain sockets, which the HTTP/2 server cannot list: they end with their requests.
      return;
    }
    if (late) app.server.closeAllConnections();
    else app.server.closeIdleConnections();
  }, 25);
  try {
    await app.close();
  } finally {
    clearInterval(sweeper);
  }
}

/** The HTTP/2 sessions open on each HTTPS server, so closing can end them (an HTTP/2 server has no `closeIdleConnections`). */
const HTTP2_SESSIONS = new WeakMap<FastifyInstance, Set<Http2Session>>();

function trackHttp2Sessions(app: FastifyInstance): void {
  const sessions = new Set<Http2Session>();
  HTTP2_SESSIONS.set(app, sessions);
  (app.server as unknown as Http2SecureServer).on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
}

/** The result of a request Fastify refused (or failed) before any route ran. */
function refusalResult(status: number, ams: boolean, contentType: string | undefined, message: string, bodyLimitBytes: number): Result {
  if (status >= 500) return buildResult('UNKNOWN_EXCEPTION', 'Unexpected error');
  if (status === 413) return buildResult('PARAM_ILLEGAL', `The body is larger than ${bodyLimitBytes} bytes`);
  if (status === 415 && ams) {
    // Not a media type at all ("json"): answered as the pipeline answers any other unacceptable Content-Type.
    return buildResult('MEDIA_TYPE_NOT_ACCEPTABLE', `Content-Type "${(contentType ?? '').slice(0, 100)}" is not acceptable; send application/json; charset=UTF-8`);
  }
  return buildResult('PARAM_ILLEGAL', message);
}
