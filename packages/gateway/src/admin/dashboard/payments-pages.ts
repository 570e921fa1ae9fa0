/**
 * /dashboard/payments: every client's payments, newest first, filtered and
 * paged by cursor; /dashboard/payments/{paymentId}: the summary and the
 * timeline (the same `payment-timeline.ts` as `GET /admin/payments/{id}`), and
 * its disputes with, in sandbox mode, their controls (`dispute-parts.ts`).
 */
import type { FastifyInstance } from 'fastify';
import { PRODUCT_CODES } from '@amsgate/protocol';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';
import { options, queryOf, queryString, statusBadge, summaryRow, timeCell } from './format.js';
import { resendForm } from './notification-parts.js';
import { sendNotFound } from './not-found.js';
import { PAYMENT_RECORD_STATUSES, parsePaymentListQuery, type PaymentListQuery } from '../read-models/payment-list-filter.js';
import { moneyText } from '../../products/payments/money-text.js';
import { listPayments } from '../read-models/payment-queries.js';
import { loadPaymentTimeline, paymentTotals, type TimelineEvent } from '../read-models/payment-timeline.js';
import type { PaymentRecord } from '../../products/payments/payment-record.js';
import { disputesCard, registerDisputeActions } from './dispute-parts.js';

const FILTER_NAMES = ['clientId', 'status', 'paymentMethodType', 'productCode', 'q', 'from', 'to', 'limit'] as const;

export function registerPaymentsPages(scope: FastifyInstance, context: DashboardContext): void {
  const { services } = context;
  registerDisputeActions(scope, context);

  scope.get('/payments', async (request, reply) => {
    const query = queryOf(request.query);
    const filters: PaymentListQuery = Object.fromEntries(FILTER_NAMES.map((name) => [name, query[name]]));
    const parsed = parsePaymentListQuery({ ...filters, before: query.before });
    const clients = await services.clients.list();
    const form = filterForm(filters, clients.map((c) => ({ value: c.clientId, label: `${c.clientId} (${c.name})` })));
    if (!parsed.ok) {
      return context.page(request, reply, { title: 'Payments', section: 'payments', error: parsed.error, body: form }, 400);
    }
    const page = await listPayments(services.database.db, parsed.filter);
    const paging = html`<p id="paging">${parsed.filter.before ? html`<a href="/dashboard/payments${queryString(filters)}" id="newest">Newest</a> ` : ''}${
      page.nextBefore ? html`<a href="/dashboard/payments${queryString({ ...filters, before: page.nextBefore })}" id="older" rel="next">Older payments →</a>` : html`<span class="muted">No older payments.</span>`
    }</p>`;
    const body = html`${form}
<section class="card">${page.payments.length === 0 ? html`<p class="muted" id="no-payments">No payment matches.</p>` : paymentsTable(page.payments)}${paging}</section>`;
    return context.page(request, reply, { title: 'Payments', section: 'payments', body });
  });

  scope.get<{ Params: { paymentId: string } }>('/payments/:paymentId', async (request, reply) => {
    const { paymentId } = request.params;
    const found = await loadPaymentTimeline(services.database.db, services.requestLog, paymentId);
    if (!found) {
      return sendNotFound(context, request, reply, {
        title: 'Payment not found',
        section: 'payments',
        message: html`No payment <code>${paymentId}</code>.`,
        back: { href: '/dashboard/payments', label: 'All payments' },
      });
    }
    const { history, timeline } = found;
    const back = `/dashboard/payments/${history.payment.paymentId}`;
    const csrf = context.csrf(request);
    const body = html`${summary(history.payment, paymentTotals(history))}
${disputesCard(history.payment, history.disputes, context.sandbox && services.disputes ? csrf : undefined)}
<section class="card"><h2>Timeline</h2>
${context.sandbox
    ? html`<p class="muted">AMS requests are those of the sandbox request log naming this payment, its refunds, captures or uploaded files (the log keeps the last ${services.requestLog?.capacity ?? 0} requests).</p>`
    : html`<p class="muted">Gateway mode keeps no request log: AMS requests are not shown.</p>`}
${timelineTable(timeline, csrf, back)}</section>`;
    return context.page(request, reply, { title: `Payment ${history.payment.paymentId}`, section: 'payments', body });
  });
}

function filterForm(filters: PaymentListQuery, clients: { value: string; label: string }[]): SafeHtml {
  return html`<section class="card"><form class="filters" method="get" action="/dashboard/payments" id="payment-filters">
<div><label for="f-client">Client</label><select id="f-client" name="clientId">${options([{ value: '', label: 'All clients' }, ...clients], filters.clientId)}</select></div>
<div><label for="f-status">Status</label><select id="f-status" name="status">${options([{ value: '', label: 'Any' }, ...PAYMENT_RECORD_STATUSES.map((s) => ({ value: s }))], filters.status?.toUpperCase())}</select></div>
<div><label for="f-method">Payment method type</label><input id="f-method" name="paymentMethodType" value="${filters.paymentMethodType ?? ''}" placeholder="ALIPAY_CN"></div>
<div><label for="f-product">Product</label><input id="f-product" name="productCode" list="product-codes" value="${filters.productCode ?? ''}"><datalist id="product-codes">${PRODUCT_CODES.map((p) => html`<option value="${p}">`)}</datalist></div>
<div><label for="f-q">paymentId or paymentRequestId</label><input id="f-q" name="q" value="${filters.q ?? ''}"></div>
<div><label for="f-from">Created from (UTC)</label><input id="f-from" name="from" value="${filters.from ?? ''}" placeholder="YYYY-MM-DD[THH:MM]"></div>
<div><label for="f-to">to (UTC, inclusive)</label><input id="f-to" name="to" value="${filters.to ?? ''}" placeholder="YYYY-MM-DD[THH:MM]"></div>
<div><button id="apply-filters">Filter</button> <a href="/dashboard/payments">Clear</a></div>
</form></section>`;
}

function paymentsTable(payments: readonly PaymentRecord[]): SafeHtml {
  return html`<div class="table-wrap"><table id="payments-table">
<thead><tr><th>Created (UTC)</th><th>Payment</th><th>Client</th><th>paymentRequestId</th><th>Amount</th><th>Method</th><th>Product</th><th>Status</th></tr></thead>
<tbody>${payments.map((p) => html`<tr data-payment-id="${p.paymentId}">
<td>${timeCell(p.createdAt)}</td><td><a href="/dashboard/payments/${p.paymentId}"><code>${p.paymentId}</code></a></td><td><code>${p.clientId}</code></td>
<td><code>${p.paymentRequestId}</code></td><td>${moneyText(p.currency, p.amount)}</td><td>${p.paymentMethodType}</td><td>${p.productCode}</td>
<td>${statusBadge(p.status)} <span class="muted">${p.resultCode}</span></td></tr>`)}</tbody></table></div>`;
}

function summary(payment: PaymentRecord, totals: { refunded: bigint; captured: bigint; disputed: bigint }): SafeHtml {
  return html`<section class="card"><div class="table-wrap"><table id="payment-summary"><tbody>
${summaryRow('Status', html`${statusBadge(payment.status)} <code>${payment.resultCode}</code> ${payment.resultMessage}`)}
${summaryRow('Client', html`<code>${payment.clientId}</code>`)}
${summaryRow('paymentRequestId', html`<code>${payment.paymentRequestId}</code>`)}
${summaryRow('Amount', moneyText(payment.currency, payment.amount))}
${summaryRow('Refunded', moneyText(payment.currency, totals.refunded))}
${totals.captured > 0n ? summaryRow('Captured', moneyText(payment.currency, totals.captured)) : ''}
${totals.disputed > 0n ? summaryRow('Disputed', html`<span id="disputed">${moneyText(payment.currency, totals.disputed)}</span>`) : ''}
${summaryRow('Payment method', html`${payment.paymentMethodType}${payment.paymentMethodId ? html` <code>${payment.paymentMethodId}</code>` : ''}`)}
${payment.card ? summaryRow('Card', html`<span id="card">${payment.card.cardBrand} <code>${payment.card.maskedCardNo}</code> ${payment.card.funding.toLowerCase()}, ${payment.card.issuingCountry}${payment.card.authentication === 'challenge' ? ', 3-D Secure' : ''}${payment.card.authorizationCode ? html`, authorisation <code>${payment.card.authorizationCode}</code>` : ''}${payment.card.refusal ? html`, refused <code>${payment.card.refusal.codeRaw}</code> ${payment.card.refusal.reasonRaw}` : ''}</span>`) : ''}
${summaryRow('Product', payment.productCode)}
${summaryRow('referenceOrderId', html`<code>${payment.referenceOrderId}</code>`)}
${summaryRow('orderDescription', payment.orderDescription)}
${summaryRow('Notify URL', payment.notifyUrl === null ? null : html`<code>${payment.notifyUrl}</code>`)}
${summaryRow('Redirect URL', payment.redirectUrl === null ? null : html`<code>${payment.redirectUrl}</code>`)}
${summaryRow('Created', timeCell(payment.createdAt))}
${summaryRow('Expires', timeCell(payment.expiresAt))}
${summaryRow('Paid', timeCell(payment.paidAt))}
${summaryRow('Closed', timeCell(payment.closedAt))}
${summaryRow('Updated', timeCell(payment.updatedAt))}
</tbody></table></div></section>`;
}

function timelineTable(timeline: readonly TimelineEvent[], csrf: SafeHtml, back: string): SafeHtml {
  const title = (event: TimelineEvent) => {
    if (event.requestId !== undefined) return html`<a href="/dashboard/requests/${event.requestId}">${event.title}</a> <span class="muted">${event.requestId}</span>`;
    if (event.notificationId !== undefined) return html`<a href="/dashboard/notifications/${event.notificationId}">${event.title}</a>`;
    return html`${event.title}`;
  };
  return html`<div class="table-wrap"><table id="timeline">
<thead><tr><th>Time (UTC)</th><th>Kind</th><th>Event</th><th>Status</th><th>Detail</th><th></th></tr></thead>
<tbody>${timeline.map((event) => html`<tr class="event-${event.kind}" data-kind="${event.kind}">
<td>${timeCell(event.at)}</td><td>${event.kind}</td><td>${title(event)}</td><td>${statusBadge(event.status)}</td><td>${event.detail ?? ''}</td>
<td>${event.kind === 'notification' && event.notificationId !== undefined ? resendForm(csrf, event.notificationId, back) : ''}</td></tr>`)}</tbody></table></div>`;
}
