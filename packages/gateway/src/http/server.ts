/**
 * Fastify at the edge: raw bodies, absolute-form request targets, the AMS
 * routes, health checks, the checkout page and (sandbox mode) the control
 * API. Protocol logic lives in `ams-pipeline.ts`.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { AmsError, buildResult, JSON_CONTENT_TYPE } from '@amsgate/protocol';
import type { Database } from '../store/database.js';
import type { PaymentService } from '../payments/payment-service.js';
import type { AmsPipeline } from './ams-pipeline.js';
import { renderCheckoutPage } from './checkout-page.js';
import { decodeSessionData } from '../payments/payment-session-service.js';
import type { Clock } from '../clock.js';
import { registerControlRoutes, type ControlOptions } from './control-routes.js';
import { registerAuthorizationPage } from './authorization-page.js';
import type { AutoDebitService } from '../auto-debit/auto-debit-service.js';
import { registerDashboard, type DashboardOptions } from '../dashboard/dashboard.js';
import { DASHBOARD_PAGES } from '../dashboard/pages.js';

export interface ServerOptions {
  pipeline: AmsPipeline;
  payments: PaymentService;
  database: Database;
  mode: 'sandbox' | 'gateway';
  bodyLimitBytes: number;
  logger: FastifyServerOptions['logger'];
  https?: { key: string; cert: string };
  control: ControlOptions;
  /** Auto Debit: serves the authorisation page `/authorize/{consultId}`. */
  autoDebit?: AutoDebitService;
  clock: Clock;
  /** The dashboard at /dashboard (both modes; the admin token guards it unless open). */
  dashboard?: Omit<DashboardOptions, 'secure'>;
}

/** `POST https://host/ams/api/... HTTP/1.1` (the Python SDK) → `/ams/api/...`, keeping the rest byte for byte. */
export function requestTargetPath(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!match) return url;
  const rest = url.slice(match[0].length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger,
    // One log line per AMS request, written by the route itself.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    rewriteUrl: (req) => requestTargetPath(req.url ?? '/'),
    // Keep-alive clients (SDK connection pools, benchmarks) should not be cut mid-stream.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    ...(options.https ? { https: { key: options.https.key, cert: options.https.cert } } : {}),
  }) as unknown as FastifyInstance;

  // Every body arrives as raw bytes: signatures cover the exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    const code = status === 413 ? 'PARAM_ILLEGAL' : status < 500 ? 'PARAM_ILLEGAL' : 'UNKNOWN_EXCEPTION';
    const message = status === 413 ? `The body is larger than ${options.bodyLimitBytes} bytes` : status < 500 ? error.message : 'Unexpected error';
    void reply.status(status).header('content-type', JSON_CONTENT_TYPE).send(JSON.stringify({ result: buildResult(code, message) }));
  });

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/ams/*',
    handler: async (request, reply) => {
      const started = performance.now();
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const response = await options.pipeline.handle({ method: request.method, uri: request.url, headers: request.headers, body });
      request.log.info(
        {
          client: response.clientId,
          endpoint: response.endpoint,
          resultCode: response.result.resultCode,
          resultStatus: response.result.resultStatus,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'ams request',
      );
      void reply.status(200).headers(response.headers).send(response.body);
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await options.database.ready();
    void reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });

  const notFound = (reply: FastifyReply, text = 'No such payment.') => reply.status(404).type('text/html; charset=utf-8').send(`<!doctype html><p>${text}</p>`);

  const showCheckout = async (reply: FastifyReply, paymentId: string, notice?: string) => {
    const payment = await options.payments.findForCheckout(paymentId);
    if (!payment) return notFound(reply);
    return reply.type('text/html; charset=utf-8').send(renderCheckoutPage(payment, notice));
  };

  const submitCheckout = async (request: FastifyRequest, reply: FastifyReply, paymentId: string) => {
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    const action = form.get('action');
    let notice: string;
    try {
      if (action !== 'pay' && action !== 'decline') throw AmsError.paramIllegal('action', 'must be pay or decline');
      await options.payments.complete(paymentId, action === 'pay'
        ? { kind: 'success' }
        : { kind: 'fail', resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultMessage: 'The buyer declined the payment' });
      notice = action === 'pay' ? 'Payment completed.' : 'Payment declined.';
    } catch (error) {
      if (!(error instanceof AmsError)) throw error;
      notice = error.message;
    }
    return showCheckout(reply, paymentId, notice);
  };

  app.get<{ Params: { paymentId: string } }>('/checkout/:paymentId', (request, reply) => showCheckout(reply, request.params.paymentId));
  app.post<{ Params: { paymentId: string } }>('/checkout/:paymentId', (request, reply) => submitCheckout(request, reply, request.params.paymentId));

  // A payment session's link (createPaymentSession): the same page while the session lasts.
  const sessionPayment = (data: string): string | 'expired' | undefined => {
    const session = decodeSessionData(data);
    if (!session) return undefined;
    return session.expiresAt <= options.clock.now() ? 'expired' : session.paymentId;
  };
  app.get<{ Params: { data: string } }>('/checkout/session/:data', (request, reply) => {
    const paymentId = sessionPayment(request.params.data);
    if (paymentId === undefined) return notFound(reply, 'No such payment session.');
    if (paymentId === 'expired') return reply.status(410).type('text/html; charset=utf-8').send('<!doctype html><p>This payment session has expired.</p>');
    return showCheckout(reply, paymentId);
  });
  app.post<{ Params: { data: string } }>('/checkout/session/:data', (request, reply) => {
    const paymentId = sessionPayment(request.params.data);
    if (paymentId === undefined) return notFound(reply, 'No such payment session.');
    if (paymentId === 'expired') return reply.status(410).type('text/html; charset=utf-8').send('<!doctype html><p>This payment session has expired.</p>');
    return submitCheckout(request, reply, paymentId);
  });

  if (options.autoDebit) registerAuthorizationPage(app, options.autoDebit);
  registerControlRoutes(app, options.control);
  if (options.dashboard) registerDashboard(app, { ...options.dashboard, secure: options.https !== undefined }, DASHBOARD_PAGES);
  return app;
}
