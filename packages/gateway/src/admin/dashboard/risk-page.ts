/**
 * /dashboard/risk: what clients told the risk engine and what it decided —
 * decisions (with the sandbox rule that made each), risk reports, payment
 * results and refund results, each the newest first, for every client or
 * one (`?clientId=`). Read-only: the engine changes nothing here.
 */
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';
import { options, queryOf, statusBadge, timeCell } from './format.js';
import type { RiskActivity } from '../../products/risk/risk-repository.js';

const LIST_LIMIT = 50;

export function registerRiskPage(scope: FastifyInstance, context: DashboardContext): void {
  const risk = context.services.risk;
  if (!risk) return;

  scope.get('/risk', async (request, reply) => {
    const clientId = queryOf(request.query).clientId?.trim() || undefined;
    const clients = await context.services.clients.list();
    const activity = await risk.recent(LIST_LIMIT, clientId);
    const body = html`<section class="card"><form class="filters" method="get" action="/dashboard/risk" id="risk-filters">
<div><label for="r-client">Client</label><select id="r-client" name="clientId">${options([{ value: '', label: 'All clients' }, ...clients.map((c) => ({ value: c.clientId, label: `${c.clientId} (${c.name})` }))], clientId)}</select></div>
<div><button id="apply-filters">Filter</button> <a href="/dashboard/risk">Clear</a></div></form>
<p class="muted">The newest ${LIST_LIMIT} of each kind. In sandbox mode a decision is REJECT for the amount <code>11</code> or one ending in <code>9953</code>, or an order id ending in <code>#amsgate:reject</code>; ACCEPT with 3-D Secure (THREEDS) for an amount ending in <code>9954</code> or <code>#amsgate:challenge</code>; otherwise ACCEPT.</p></section>
${decisionsSection(activity)}${reportsSection(activity)}${paymentResultsSection(activity)}${refundResultsSection(activity)}`;
    return context.page(request, reply, { title: 'Risk', section: 'risk', body });
  });
}

function section(id: string, title: string, empty: string, head: SafeHtml, rows: SafeHtml[]): SafeHtml {
  return html`<section class="card"><h2>${title}</h2>${rows.length === 0
    ? html`<p class="muted" id="no-${id}">${empty}</p>`
    : html`<div class="table-wrap"><table id="${id}"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`}</section>`;
}

const amountText = (currency: string | null, amount: bigint | null) => (currency === null || amount === null ? html`<span class="muted">—</span>` : html`${currency} ${amount.toString()}`);

function decisionsSection(activity: RiskActivity): SafeHtml {
  return section('risk-decisions', 'Decisions', 'No decision yet.',
    html`<tr><th>Decided (UTC)</th><th>Client</th><th>Transaction</th><th>Phase</th><th>Amount (minor units)</th><th>Decision</th><th>Authentication</th><th>Rule</th><th>securityId</th></tr>`,
    activity.decisions.map((d) => html`<tr><td>${timeCell(d.createdAt)}</td><td><code>${d.clientId}</code></td><td><code>${d.referenceTransactionId}</code></td><td>${d.authorizationPhase}</td>
<td>${amountText(d.currency, d.amount)}</td><td class="decision"><span class="${d.decision === 'ACCEPT' ? 'status-S' : 'status-F'}">${d.decision}</span></td><td>${d.authenticationDecision ?? '—'}</td><td>${d.rule}</td><td><code>${d.securityId}</code></td></tr>`));
}

function reportsSection(activity: RiskActivity): SafeHtml {
  return section('risk-reports', 'Risk reports', 'No report yet.',
    html`<tr><th>Reported (UTC)</th><th>Client</th><th>Transaction</th><th>Risk type</th><th>Reason</th><th>Occurred</th><th>securityId</th></tr>`,
    activity.reports.map((r) => html`<tr><td>${timeCell(r.createdAt)}</td><td><code>${r.clientId}</code></td><td><code>${r.referenceTransactionId}</code></td><td>${r.riskType}</td>
<td>${r.reportReason ?? '—'}</td><td>${r.riskOccurrenceTime ?? '—'}</td><td><code>${r.securityId}</code></td></tr>`));
}

function paymentResultsSection(activity: RiskActivity): SafeHtml {
  return section('risk-payment-results', 'Payment results', 'No payment result yet.',
    html`<tr><th>Last sent (UTC)</th><th>Client</th><th>Transaction</th><th>Payment status</th><th>Authorisation error</th><th>Provider</th><th>securityId</th></tr>`,
    activity.paymentResults.map((p) => html`<tr><td>${timeCell(p.updatedAt)}</td><td><code>${p.clientId}</code></td><td><code>${p.referenceTransactionId}</code></td><td>${statusBadge(p.paymentStatus)}</td>
<td>${p.errorCode === null ? '—' : html`<code>${p.errorCode}</code> ${p.errorMessage ?? ''}`}</td><td>${p.paymentMethodProvider ?? '—'}</td><td><code>${p.securityId}</code></td></tr>`));
}

function refundResultsSection(activity: RiskActivity): SafeHtml {
  return section('risk-refund-results', 'Refund results', 'No refund result yet.',
    html`<tr><th>Last sent (UTC)</th><th>Client</th><th>Transaction</th><th>Refund</th><th>Refunded (minor units)</th><th>Records</th><th>securityId</th></tr>`,
    activity.refundResults.map((r) => html`<tr><td>${timeCell(r.updatedAt)}</td><td><code>${r.clientId}</code></td><td><code>${r.referenceTransactionId}</code></td><td><code>${r.referenceRefundId}</code></td>
<td>${amountText(r.currency, r.amount)}</td><td>${String(r.recordCount)}</td><td><code>${r.securityId}</code></td></tr>`));
}
