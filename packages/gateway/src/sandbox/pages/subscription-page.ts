/**
 * The subscription authorisation page `subscriptions/create` points at
 * (`/subscribe/{subscriptionId}`): what the merchant asks the buyer to
 * subscribe to (amount a period, period rule, start and end, trials) and two
 * buttons. Agree → ACTIVE, notifySubscription, the first period charged
 * when due, 303 to subscriptionRedirectUrl; Refuse → TERMINATED, notified,
 * 303 to the same URL. A buyer page like the checkout: the same shell,
 * headers and form protection.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AmsError } from '@amsgate/protocol';
import type { SubscriptionService } from '../../products/subscriptions/subscription-service.js';
import type { SubscriptionRecord } from '../../products/subscriptions/subscription-record.js';
import { subscriptionTime } from '../../products/subscriptions/subscription-answers.js';
import { moneyText } from '../../products/payments/money-text.js';
import { CapabilityCsrf, crossSiteProblem } from '../../web/capability-csrf.js';
import { renderPage } from './checkout/layout.js';
import { csrfField, noticeBlock, paymentMethodName } from './checkout/payment-parts.js';
import { renderMessagePage } from './checkout/result-page.js';
import { html } from '../../web/html.js';
import { formBody, newNonce, pageHeaders } from '../../web/page-security.js';

const PERIOD_WORDS: Readonly<Record<string, string>> = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter', HALF_YEAR: 'half-year', YEAR: 'year' };

function periodText(subscription: SubscriptionRecord): string {
  const word = PERIOD_WORDS[subscription.periodType] ?? subscription.periodType.toLowerCase();
  return subscription.periodCount === 1 ? `every ${word}` : `every ${subscription.periodCount} ${word}s`;
}

function trialText(subscription: SubscriptionRecord): string {
  return subscription.trials
    .map((trial) => {
      const end = trial.trialEndPeriod ?? trial.trialStartPeriod;
      const periods = end === trial.trialStartPeriod ? `period ${trial.trialStartPeriod}` : `periods ${trial.trialStartPeriod}–${end}`;
      return `${periods}: ${trial.trialAmount.value === '0' ? 'free' : moneyText(trial.trialAmount.currency, BigInt(trial.trialAmount.value))}`;
    })
    .join('; ');
}

function renderSubscriptionPage(subscription: SubscriptionRecord, csrfToken: string, nonce: string, notice?: string): string {
  const pending = subscription.status === 'PENDING';
  return renderPage({
    title: 'Authorise subscription',
    nonce,
    body: html`<section class="card">
<h1>Authorise subscription</h1>
${noticeBlock(notice)}
<dl>
<dt>Merchant</dt><dd id="merchant">${subscription.clientId}</dd>
<dt>Subscription</dt><dd id="description">${subscription.description}</dd>
<dt>Amount</dt><dd id="amount">${moneyText(subscription.currency, subscription.amount)} ${periodText(subscription)}</dd>
${subscription.trials.length > 0 ? html`<dt>Trial</dt><dd id="trials">${trialText(subscription)}</dd>` : ''}
<dt>Starts</dt><dd id="start">${subscriptionTime(subscription, subscription.startAt)}</dd>
<dt>Ends</dt><dd id="end">${subscriptionTime(subscription, subscription.endsAt)}</dd>
<dt>Paid with</dt><dd id="method">${paymentMethodName(subscription.paymentMethodType)}</dd>
<dt>Status</dt><dd id="status">${pending ? 'WAITING FOR YOUR AUTHORISATION' : subscription.status}</dd>
</dl>
${pending
    ? html`<form method="post">${csrfField(csrfToken)}
<button type="submit" name="action" value="agree" id="agree" class="primary">Agree</button>
<button type="submit" name="action" value="refuse" id="refuse">Refuse</button>
</form>`
    : ''}
</section>`,
  });
}

export function registerSubscriptionPage(app: FastifyInstance, service: SubscriptionService, csrfSecret?: Buffer): void {
  const csrf = new CapabilityCsrf('subscribe', csrfSecret);
  const send = (reply: FastifyReply, status: number, render: (nonce: string) => string) => {
    const nonce = newNonce();
    return reply.status(status).headers(pageHeaders(nonce)).send(render(nonce));
  };
  const sendPage = (reply: FastifyReply, status: number, subscription: SubscriptionRecord, notice?: string) =>
    send(reply, status, (nonce) => renderSubscriptionPage(subscription, csrf.tokenFor(subscription.subscriptionId), nonce, notice));
  const sendNotFound = (reply: FastifyReply) =>
    send(reply, 404, (nonce) => renderMessagePage(nonce, 'No such subscription', 'No subscription has this link. Check the normalUrl that subscriptions/create answered.'));

  app.get<{ Params: { subscriptionId: string } }>('/subscribe/:subscriptionId', async (request, reply) => {
    const subscription = await service.findForPage(request.params.subscriptionId);
    return subscription ? sendPage(reply, 200, subscription) : sendNotFound(reply);
  });

  app.post<{ Params: { subscriptionId: string } }>('/subscribe/:subscriptionId', async (request, reply) => {
    const form = formBody(request);
    const refused = crossSiteProblem(request.headers) ?? (csrf.verify(request.params.subscriptionId, form.get('csrf')) ? undefined : 'missing or wrong form token');
    if (refused !== undefined) {
      return send(reply, 403, (nonce) => renderMessagePage(nonce, 'Request refused', `Refused: ${refused}. Nothing was changed; reload the subscription page and try again.`));
    }
    const action = form.get('action');
    try {
      if (action !== 'agree' && action !== 'refuse') throw AmsError.paramIllegal('action', 'must be agree or refuse');
      const decided = await service.decide(request.params.subscriptionId, action === 'agree');
      return reply.status(303).header('location', decided.redirectUrl).header('cache-control', 'no-store').send();
    } catch (error) {
      if (!(error instanceof AmsError)) throw error;
      const subscription = await service.findForPage(request.params.subscriptionId);
      return subscription ? sendPage(reply, 409, subscription, error.message) : sendNotFound(reply);
    }
  });
}
