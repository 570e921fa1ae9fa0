/**
 * /dashboard/resources: the resource products' records (Billing, metering,
 * tax, the Business Account), newest first, filtered by kind, client and
 * status; /dashboard/resources/:id shows one with its document and its
 * timeline (every change the engine recorded). Read-only.
 */
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';
import { options, prettyBody, queryOf, statusBadge, timeCell } from './format.js';
import { RESOURCE_KINDS } from '../../products/resource-kinds.js';
import { recentResources, resourceDetail } from '../../resources/resource-views.js';

const LIST_LIMIT = 100;
const HIDDEN_KINDS = RESOURCE_KINDS.filter((k) => k.sensitive === true).map((k) => k.kind);

export function registerResourcesPages(scope: FastifyInstance, context: DashboardContext): void {
  const database = context.services.database;

  scope.get('/resources', async (request, reply) => {
    const query = queryOf(request.query);
    const kind = query.kind?.trim() || undefined;
    const clientId = query.clientId?.trim() || undefined;
    const status = query.status?.trim() || undefined;
    const clients = await context.services.clients.list();
    const rows = await database.read((db) => recentResources(db, { ...(kind ? { kind } : {}), ...(clientId ? { clientId } : {}), ...(status ? { status } : {}) }, LIST_LIMIT, HIDDEN_KINDS));
    const kindOptions = [{ value: '', label: 'All kinds' }, ...RESOURCE_KINDS.filter((k) => k.sensitive !== true).map((k) => ({ value: k.kind, label: `${k.kind} (${k.noun})` }))];
    const body = html`<section class="card"><form class="filters" method="get" action="/dashboard/resources" id="resource-filters">
<div><label for="rs-kind">Kind</label><select id="rs-kind" name="kind">${options(kindOptions, kind)}</select></div>
<div><label for="rs-client">Client</label><select id="rs-client" name="clientId">${options([{ value: '', label: 'All clients' }, ...clients.map((c) => ({ value: c.clientId, label: `${c.clientId} (${c.name})` }))], clientId)}</select></div>
<div><label for="rs-status">Status</label><input id="rs-status" name="status" value="${status ?? ''}"></div>
<div><button id="apply-filters">Filter</button> <a href="/dashboard/resources">Clear</a></div></form>
<p class="muted">The newest ${LIST_LIMIT}: customers, products, prices, coupons, invoices, credit notes, receipts, billing subscriptions, meters, credit grants, tax records, and Business Account quotes, exchanges, payments and cards.</p></section>
<section class="card">${rows.length === 0
      ? html`<p class="muted" id="no-resources">No record yet.</p>`
      : html`<div class="table-wrap"><table id="resources"><thead><tr><th>Created (UTC)</th><th>Kind</th><th>Id</th><th>Client</th><th>Status</th><th>Updated (UTC)</th></tr></thead><tbody>${rows.map((r) => html`<tr>
<td>${timeCell(r.createdAt)}</td><td>${r.kind}</td><td><a href="/dashboard/resources/${encodeURIComponent(r.id)}"><code>${r.id}</code></a></td><td><code>${r.clientId}</code></td><td>${statusBadge(r.status)}</td><td>${timeCell(r.updatedAt)}</td></tr>`)}</tbody></table></div>`}</section>`;
    return context.page(request, reply, { title: 'Resources', section: 'resources', body });
  });

  scope.get<{ Params: { id: string } }>('/resources/:id', async (request, reply) => {
    const detail = await database.read((db) => resourceDetail(db, request.params.id, HIDDEN_KINDS));
    if (detail === undefined) {
      return context.page(request, reply, { title: 'Not found', section: 'resources', body: html`<section class="card"><p id="not-found">No resource ${request.params.id}.</p></section>` }, 404);
    }
    const body = html`<section class="card"><h2><code>${detail.id}</code> ${statusBadge(detail.status)}</h2>
<table class="summary" id="resource-summary"><tbody>
<tr><th>Kind</th><td>${detail.kind}</td></tr><tr><th>Client</th><td><code>${detail.clientId}</code></td></tr>
<tr><th>Request id</th><td>${detail.requestId ?? '—'}</td></tr><tr><th>Version</th><td>${String(detail.version)}</td></tr>
<tr><th>Created</th><td>${timeCell(detail.createdAt)}</td></tr><tr><th>Updated</th><td>${timeCell(detail.updatedAt)}</td></tr></tbody></table></section>
<section class="card"><h2>Timeline</h2><div class="table-wrap"><table id="resource-timeline"><thead><tr><th>#</th><th>At (UTC)</th><th>Event</th><th>From</th><th>To</th><th>Detail</th></tr></thead><tbody>${detail.events.map((e) => html`<tr>
<td>${String(e.seq)}</td><td>${timeCell(e.at)}</td><td>${e.event}</td><td>${statusBadge(e.from)}</td><td>${statusBadge(e.to)}</td><td>${e.detail ?? ''}</td></tr>`)}</tbody></table></div></section>
<section class="card"><h2>Fields</h2><pre id="resource-document">${prettyBody(JSON.stringify(detail.document))}</pre></section>`;
    return context.page(request, reply, { title: detail.id, section: 'resources', body });
  });
}
