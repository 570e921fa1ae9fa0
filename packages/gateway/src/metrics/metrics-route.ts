/**
 * `GET /metrics`, the Prometheus text exposition. Access as for the control
 * API (`../web/admin-access.ts`): open in sandbox mode on a loopback bind,
 * else `Authorization: Bearer <admin token>`, or the read-only metrics
 * token (`metricsToken`, what a scrape config should hold: its
 * `authorization: { credentials: <token> }` sends exactly that); a refused
 * scrape gets 401 with a one-line JSON reason.
 */
import type { FastifyInstance } from 'fastify';
import { adminAccessGuard, type AdminAccess } from '../web/admin-access.js';
import type { Scrape } from './gateway-metrics.js';

export function registerMetricsRoute(app: FastifyInstance, access: AdminAccess, scrape: () => Promise<Scrape>): void {
  app.register(async (scope) => {
    scope.addHook('onRequest', adminAccessGuard(access, 'metrics endpoint'));
    scope.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await scrape();
      return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
    });
  });
}
