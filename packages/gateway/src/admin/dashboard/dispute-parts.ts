/**
 * Disputes on a payment's page: the list of its disputes and, in sandbox
 * mode, the controls — open a dispute on a successful payment, judge a
 * defended one (win or lose), cancel one as its buyer. The forms post to
 * the routes below (CSRF-checked like every dashboard POST) and come back
 * to the payment's page with what happened.
 */
import type { FastifyInstance } from 'fastify';
import { AmsError } from '@amsgate/protocol';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';
import { statusBadge, timeCell } from './format.js';
import { moneyText } from '../../products/payments/money-text.js';
import type { DisputeRecord } from '../../products/disputes/dispute-record.js';
import type { PaymentRecord } from '../../products/payments/payment-record.js';
import { DEFAULT_DISPUTE_REASON, DISPUTE_REASONS } from '../../products/disputes/dispute-service.js';
import { disputeState, judgeOutcomeOf, openDisputeInputOf } from '../read-models/disputes.js';

const paymentPath = (paymentId: string) => `/dashboard/payments/${encodeURIComponent(paymentId)}`;

export function registerDisputeActions(scope: FastifyInstance, context: DashboardContext): void {
  const disputes = context.services.disputes;
  if (!context.sandbox || !disputes) return;

  scope.post<{ Params: { paymentId: string } }>('/payments/:paymentId/disputes', async (request, reply) => {
    const { paymentId } = request.params;
    const form = context.form(request);
    try {
      const dispute = await disputes.open(paymentId, openDisputeInputOf(Object.fromEntries(form.entries())));
      const what = dispute.kind === 'RDR' ? 'resolved by RDR at once (RDR_RESOLVED notified)' : 'opened (DISPUTE_CREATED notified)';
      return context.redirect(reply, paymentPath(paymentId), { notice: `Dispute ${dispute.disputeId} of ${moneyText(dispute.currency, dispute.amount)} ${what}.` });
    } catch (error) {
      if (!(error instanceof AmsError)) throw error;
      return context.redirect(reply, error.code === 'ORDER_NOT_EXIST' ? '/dashboard/payments' : paymentPath(paymentId), { error: `${error.code}: ${error.message}` });
    }
  });

  for (const action of ['judge', 'cancel'] as const) {
    scope.post<{ Params: { disputeId: string } }>(`/disputes/:disputeId/${action}`, async (request, reply) => {
      const { disputeId } = request.params;
      const form = context.form(request);
      try {
        const dispute = action === 'judge' ? await disputes.judge(disputeId, judgeOutcomeOf(form.get('result'))) : await disputes.cancel(disputeId);
        const notice = action === 'judge'
          ? `Dispute ${disputeId} judged: the merchant ${dispute.judgedResult === 'WON' ? 'won' : 'lost'} (DISPUTE_JUDGED notified).`
          : `Dispute ${disputeId} cancelled by the buyer (DISPUTE_CANCELLED notified).`;
        return context.redirect(reply, paymentPath(dispute.paymentId), { notice });
      } catch (error) {
        if (!(error instanceof AmsError)) throw error;
        const found = await disputes.find(disputeId);
        return context.redirect(reply, found ? paymentPath(found.paymentId) : '/dashboard/payments', { error: `${error.code}: ${error.message}` });
      }
    });
  }
}

/** The disputes card of a payment's page; with the sandbox's controls when `csrf` is given. */
export function disputesCard(payment: PaymentRecord, disputes: readonly DisputeRecord[], csrf: SafeHtml | undefined): SafeHtml {
  const list = disputes.length === 0
    ? html`<p class="muted" id="no-disputes">No dispute.</p>`
    : html`<div class="table-wrap"><table id="disputes">
<thead><tr><th>Dispute</th><th>Amount</th><th>Reason</th><th>Opened (UTC)</th><th>Defense due (UTC)</th><th>State</th><th></th></tr></thead>
<tbody>${disputes.map((d) => html`<tr data-dispute-id="${d.disputeId}">
<td><code>${d.disputeId}</code>${d.kind === 'RDR' ? html` <span class="muted">RDR</span>` : ''}</td><td>${moneyText(d.currency, d.amount)}</td>
<td><code>${d.reasonCode}</code> ${d.reasonMsg}</td><td>${timeCell(d.opensAt)}</td><td>${timeCell(d.defenseDueAt)}</td><td>${statusBadge(disputeState(d))}</td>
<td>${csrf ? controls(d, csrf) : ''}</td></tr>`)}</tbody></table></div>`;
  const open = csrf && payment.status === 'SUCCESS' ? openForm(payment, csrf) : '';
  return html`<section class="card" id="disputes-card"><h2>Disputes</h2>${list}${open}</section>`;
}

function controls(dispute: DisputeRecord, csrf: SafeHtml): SafeHtml {
  const action = (path: string, field: SafeHtml | string, label: string, id: string) =>
    html`<form class="inline" method="post" action="/dashboard/disputes/${dispute.disputeId}/${path}">${csrf}${field}<button class="secondary" id="${id}">${label}</button></form> `;
  const judge = dispute.status === 'DEFENDED'
    ? html`${action('judge', html`<input type="hidden" name="result" value="WIN">`, 'Judge: merchant wins', `judge-win-${dispute.disputeId}`)}${action('judge', html`<input type="hidden" name="result" value="LOSE">`, 'Judge: merchant loses', `judge-lose-${dispute.disputeId}`)}`
    : '';
  const cancel = dispute.status === 'OPEN' || dispute.status === 'DEFENDED' ? action('cancel', '', 'Buyer cancels', `cancel-${dispute.disputeId}`) : '';
  return html`${judge}${cancel}`;
}

function openForm(payment: PaymentRecord, csrf: SafeHtml): SafeHtml {
  const reasons = Object.entries(DISPUTE_REASONS).map(([code, message]) => html`<option value="${code}"${code === DEFAULT_DISPUTE_REASON ? html` selected` : ''}>${code} ${message}</option>`);
  return html`<form method="post" action="/dashboard/payments/${payment.paymentId}/disputes" class="filters" id="open-dispute">${csrf}
<div><label for="d-reason">Reason</label><select id="d-reason" name="reasonCode">${reasons}</select></div>
<div><label for="d-amount">Amount (minor units of ${payment.currency})</label><input id="d-amount" name="amount" placeholder="all that is left" inputmode="numeric"></div>
<div><label for="d-due">Defense due in</label><input id="d-due" name="defenseDueIn" placeholder="7d"></div>
<div><label for="d-rdr"><input type="checkbox" id="d-rdr" name="rdr" value="true"> Rapid dispute resolution (RDR)</label></div>
<div><button id="open-dispute-button">Open a dispute</button></div>
</form>
<p class="muted">The buyer's bank disputes the payment: the amount leaves the merchant's balance and notifyDispute DISPUTE_CREATED is sent; the merchant then accepts or defends it (acceptDispute, supplyDefenseDocument) before the deadline, which the sandbox clock moves.</p>`;
}
