/**
 * `GET /openapi.json`: the protocol's OpenAPI document with this gateway as
 * its server (the origin the request reached), for tools that import an API
 * from a URL. Public in both modes: it describes the protocol, nothing of a
 * client.
 */
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '@amsgate/protocol';

export function registerOpenApiRoute(app: FastifyInstance): void {
  // Built on the first request (about 5 ms, not worth adding to every start); only `servers` differs between requests.
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/openapi.json', async (request, reply) => {
    const { openapi, info, servers: _antom, ...rest } = (document ??= openApiDocument());
    const origin = `${request.protocol}://${request.host}`;
    void reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ openapi, info, servers: [{ url: origin }], ...rest }));
  });
}
