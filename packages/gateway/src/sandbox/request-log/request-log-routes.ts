/**
 * The sandbox request log's control API routes, registered inside the
 * control API's guarded scope (sandbox mode only):
 * `GET /sandbox/requests?clientId=&endpoint=&status=F|S|U&failures=1&after=&limit=`
 * (summaries, newest first; the query as `request-log-query.ts` reads it) and `GET /sandbox/requests/{id}` (the full
 * entry with its diagnosis). Every client's entries are listed: the control
 * API is the developer's own, `clientId` only filters.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestLog } from './request-log.js';
import { parseRequestLogQuery, type RequestLogQuery } from './request-log-query.js';

const DEFAULT_LIMIT = 50;

export function registerRequestLogRoutes(control: FastifyInstance, log: RequestLog): void {
  control.get<{ Querystring: RequestLogQuery }>('/sandbox/requests', async (request, reply) => {
    const parsed = parseRequestLogQuery(request.query, { default: DEFAULT_LIMIT, max: log.capacity });
    if (!parsed.ok) return reply.status(400).send({ error: parsed.error });
    return { capacity: log.capacity, requests: log.list(parsed.filter) };
  });

  control.get<{ Params: { id: string } }>('/sandbox/requests/:id', async (request, reply) => {
    const entry = log.get(request.params.id);
    if (!entry) return reply.status(404).send({ error: `no request ${request.params.id} in the log (it keeps the last ${log.capacity})` });
    return { request: entry };
  });
}
