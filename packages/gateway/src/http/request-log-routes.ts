/**
 * The sandbox request log's control API routes, registered inside the
 * control API's guarded scope (sandbox mode only):
 * `GET /sandbox/requests?clientId=&endpoint=&status=F|S|U&failures=1&after=&limit=`
 * (summaries, newest first; `failures=1`: only header and signature failures) and `GET /sandbox/requests/{id}` (the full
 * entry with its diagnosis). Every client's entries are listed: the control
 * API is the developer's own, `clientId` only filters.
 */
import type { FastifyInstance } from 'fastify';
import type { ResultStatus } from '@amsgate/protocol';
import type { RequestLog } from '../request-log.js';

const STATUSES: readonly string[] = ['S', 'F', 'U'];

export function registerRequestLogRoutes(control: FastifyInstance, log: RequestLog): void {
  control.get<{ Querystring: { clientId?: string; endpoint?: string; status?: string; failures?: string; after?: string; limit?: string } }>('/sandbox/requests', async (request, reply) => {
    const { clientId, endpoint, after } = request.query;
    const status = request.query.status?.toUpperCase();
    if (status !== undefined && !STATUSES.includes(status)) return reply.status(400).send({ error: 'status must be S, F or U' });
    const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > log.capacity) {
      return reply.status(400).send({ error: `limit must be an integer from 1 to ${log.capacity}` });
    }
    return {
      capacity: log.capacity,
      requests: log.list({
        clientId: clientId || undefined, endpoint: endpoint || undefined, status: status as ResultStatus | undefined, after: after || undefined, limit,
        failuresOnly: request.query.failures === '1' || request.query.failures === 'true',
      }),
    };
  });

  control.get<{ Params: { id: string } }>('/sandbox/requests/:id', async (request, reply) => {
    const entry = log.get(request.params.id);
    if (!entry) return reply.status(404).send({ error: `no request ${request.params.id} in the log (it keeps the last ${log.capacity})` });
    return { request: entry };
  });
}
