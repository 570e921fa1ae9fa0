/** Small pieces the clients pages share: paths and the unknown-client page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';
import { sendNotFound } from './not-found.js';

export interface ClientParams {
  id: string;
}

/** A path under a client's page, with the id URL-encoded. */
export function clientPath(clientId: string, rest = ''): string {
  return `/dashboard/clients/${encodeURIComponent(clientId)}${rest}`;
}

export function sendClientNotFound(context: DashboardContext, request: FastifyRequest, reply: FastifyReply, clientId: string): FastifyReply {
  return sendNotFound(context, request, reply, {
    title: 'No such client',
    section: 'clients',
    message: html`There is no client <code>${clientId}</code>.`,
    back: { href: '/dashboard/clients', label: 'All clients' },
  });
}
