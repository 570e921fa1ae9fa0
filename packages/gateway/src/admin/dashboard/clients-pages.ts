/**
 * /dashboard/clients: the list, "Create client", and each client's page
 * with its key, agent-token and notification-URL routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClientKeyRecord, ClientRecord } from '../../auth/clients-repository.js';
import { importPrivateKey } from '@amsgate/protocol';
import { isSandboxClientId } from '../../ids.js';
import { registerClientAccessRoutes } from './client-access-routes.js';
import { sendClientDetail } from './client-detail-page.js';
import { registerClientKeyRoutes } from './client-key-routes.js';
import { clientPath, type ClientParams } from './client-views.js';
import { timeCell } from './format.js';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';
import { privateKeyPanel } from './secret-panels.js';

const MAX_CLIENT_NAME_LENGTH = 100;

export function registerClientsPages(scope: FastifyInstance, context: DashboardContext): void {
  scope.get('/clients', async (request, reply) => sendClientList(context, request, reply));

  scope.post('/clients', async (request, reply) => {
    const name = (context.form(request).get('name') ?? '').trim();
    if (name.length > MAX_CLIENT_NAME_LENGTH) {
      return sendClientList(context, request, reply, { name, error: `The name is longer than ${MAX_CLIENT_NAME_LENGTH} characters.` }, 400);
    }
    const { clients } = context.services;
    const created = await clients.create({ sandbox: context.sandbox, name: name === '' ? undefined : name });
    // The repository generated the merchant pair: its private key is shown in this response only.
    const secret = privateKeyPanel(importPrivateKey(created.merchantPrivateKey as string), created.keyVersion);
    return sendClientDetail(context, request, reply, created.client.clientId, { secret, notice: `Created client ${created.client.clientId} with key version ${created.keyVersion}.` });
  });

  scope.get<{ Params: ClientParams }>('/clients/:id', async (request, reply) => sendClientDetail(context, request, reply, request.params.id));

  registerClientKeyRoutes(scope, context);
  registerClientAccessRoutes(scope, context);
}

async function sendClientList(
  context: DashboardContext,
  request: FastifyRequest,
  reply: FastifyReply,
  refused?: { name: string; error: string },
  status = 200,
): Promise<FastifyReply> {
  const { clients } = context.services;
  const [list, keys] = await Promise.all([clients.list(), clients.keysByClient()]);
  const rows = list.map((client) => clientRow(client, keys.get(client.clientId) ?? []));
  const body = html`<section class="card"><div class="table-wrap"><table id="client-list">
<thead><tr><th>Client ID</th><th>Name</th><th>Sandbox</th><th>Key versions</th><th>Created</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${list.length === 0 ? html`<p class="muted">No clients yet.</p>` : ''}</section>
<section class="card" id="create-client"><h2>Create ${context.sandbox ? 'a sandbox' : 'a'} client</h2>
<p class="muted">The gateway generates the client's first merchant key pair and shows its private key once; you can add your own public key afterwards.</p>
<form method="post" action="/dashboard/clients">${context.csrf(request)}
<label for="client-name">Name</label><input id="client-name" name="name" maxlength="${MAX_CLIENT_NAME_LENGTH}" placeholder="${context.sandbox ? 'Sandbox client' : 'Client'}" value="${refused?.name ?? ''}">
<p><button id="create-client-button">Create client</button></p></form></section>`;
  return context.page(request, reply, { title: 'Clients', section: 'clients', body, error: refused?.error }, status);
}

function clientRow(client: ClientRecord, keys: readonly ClientKeyRecord[]) {
  const live = keys.filter((key) => key.revokedAt === null).map((key) => `v${key.keyVersion}`);
  const revoked = keys.filter((key) => key.revokedAt !== null).map((key) => `v${key.keyVersion}`);
  return html`<tr><td><a href="${clientPath(client.clientId)}"><code>${client.clientId}</code></a></td><td>${client.name}</td>
<td>${isSandboxClientId(client.clientId) ? 'yes' : 'no'}</td>
<td>${live.length > 0 ? html`<span class="status-S">live</span> ${live.join(', ')}` : html`<span class="status-F">no live key</span>`}${revoked.length > 0 ? html`; revoked ${revoked.join(', ')}` : ''}</td>
<td>${timeCell(client.createdAt)}</td></tr>`;
}
