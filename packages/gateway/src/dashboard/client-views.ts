/** Small pieces the clients pages share: paths, times, key fingerprints, the unknown-client page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html } from '../http/html.js';

export interface ClientParams {
  id: string;
}

/** A path under a client's page, with the id URL-encoded. */
export function clientPath(clientId: string, rest = ''): string {
  return `/dashboard/clients/${encodeURIComponent(clientId)}${rest}`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export { keyFingerprint } from '../auth/client-detail.js';

export function sendClientNotFound(context: DashboardContext, request: FastifyRequest, reply: FastifyReply, clientId: string): FastifyReply {
  return context.page(
    request,
    reply,
    {
      title: 'No such client',
      section: 'clients',
      body: html`<section class="card" id="not-found"><p>There is no client <code>${clientId}</code>.</p><p><a href="/dashboard/clients">All clients</a></p></section>`,
    },
    404,
  );
}
