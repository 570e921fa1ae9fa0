/**
 * The buyer-facing checkout pages: where `normalUrl` / `redirectActionForm`,
 * an order code's value, an entry code's `normalUrl` and a payment
 * session's link lead. The payment id in the URL is the capability.
 *
 * - `GET|POST /checkout/{paymentId}`: the page for the payment's family: a
 *   card form (`CARD`), an order code's QR (in-store `OrderCode`), or a
 *   wallet-like page (everything else).
 * - `GET|POST /checkout/{paymentId}/wallet`: the test wallet, what "scan with
 *   the test wallet" opens for an order code (any non-card payment works).
 * - `GET|POST /checkout/session/{data}`: a payment session's link while the
 *   session lasts (then 410).
 *
 * A final payment shows its status and no buttons. The form actions (posted
 * with the page's CSRF token, see `capability-csrf.ts`):
 * - pay: SUCCESS; on the card page the test card decides (success and
 *   3-D Secure exemption cards pay, failure cards FAIL with DO_NOT_HONOR;
 *   field errors re-show the form and change nothing);
 * - decline: FAIL with the chosen user-side result code;
 * - cancel: the buyer abandons the cashier. Nothing changes: as with
 *   Antom's cashier, the order stays PROCESSING until it expires (then
 *   FAIL / ORDER_IS_CLOSED, notified) or the merchant calls `cancel`, and the
 *   buyer may come back to the link meanwhile. Marking it failed here would
 *   teach merchants to expect a notification Antom does not send.
 * After any action the buyer is sent (303) to `paymentRedirectUrl`, unchanged
 * (Antom appends no result), when it is http(s); otherwise to a result page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AmsError } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database } from '../../schema.js';
import type { Outcome, PaymentService } from '../../products/payments/payment-service.js';
import type { PaymentRecord } from '../../products/payments/payment-record.js';
import { findInStorePayment, type InStoreRecord } from '../../products/in-store/in-store-service.js';
import { decodeSessionData } from '../../products/payments/payment-session-service.js';
import { CARD_DECLINE_CODE, maskedCard, type TestCard } from '../../products/cards/test-cards.js';
import { parseBuyerAction } from './checkout/buyer-actions.js';
import { checkCardForm, readCardForm } from './checkout/card-form.js';
import { renderCardPage } from './checkout/card-page.js';
import { CapabilityCsrf, crossSiteProblem } from '../../web/capability-csrf.js';
import { formBody, newNonce, pageHeaders } from '../../web/page-security.js';
import { renderOrderCodePage } from './checkout/order-code-page.js';
import { paymentMethodName, webRedirectUrl, type CheckoutContext } from './checkout/payment-parts.js';
import { renderMessagePage, renderResultPage } from './checkout/result-page.js';
import { renderWalletPage } from './checkout/wallet-page.js';

export interface CheckoutRoutesOptions {
  payments: PaymentService;
  database: Database;
  clock: Clock;
  /** Key of the forms' CSRF tokens; by default one random key per process. */
  csrfSecret?: Buffer;
}

/** Which of a payment's pages a URL asks for. */
type View = 'checkout' | 'wallet';

interface Target {
  paymentId: string;
  view: View;
  /** This page's path, for links back to it. */
  path: string;
}

interface LoadedPayment {
  payment: PaymentRecord;
  inStore: InStoreRecord | undefined;
  merchantName: string | undefined;
}

type Family = 'wallet' | 'card' | 'order-code';

function familyOf(loaded: LoadedPayment, view: View): Family {
  if (view === 'checkout' && loaded.inStore?.scenario === 'OrderCode') return 'order-code';
  return loaded.payment.paymentMethodType.toUpperCase() === 'CARD' ? 'card' : 'wallet';
}

function cardOutcome(card: TestCard): { outcome: Outcome; notice: string } {
  switch (card.outcome) {
    case 'success':
      return { outcome: { kind: 'success' }, notice: `Paid with ${maskedCard(card)}.` };
    case '3ds-exemption':
      return { outcome: { kind: 'success' }, notice: `Paid with ${maskedCard(card)} (3-D Secure exemption: no challenge).` };
    case 'failure':
      return {
        outcome: { kind: 'fail', resultCode: CARD_DECLINE_CODE, resultMessage: `The issuing bank declined the card (${maskedCard(card)})` },
        notice: `Card declined (${CARD_DECLINE_CODE}).`,
      };
  }
}

export function registerCheckoutRoutes(app: FastifyInstance, options: CheckoutRoutesOptions): void {
  const csrf = new CapabilityCsrf('checkout', options.csrfSecret);

  const load = async (paymentId: string): Promise<LoadedPayment | undefined> => {
    const payment = await options.payments.findForCheckout(paymentId);
    if (!payment) return undefined;
    const [inStore, client] = await Promise.all([
      payment.productCode === 'IN_STORE_PAYMENT' ? findInStorePayment(options.database.db, paymentId) : Promise.resolve(undefined),
      options.database.db.selectFrom('clients').select('name').where('client_id', '=', payment.clientId).executeTakeFirst(),
    ]);
    return { payment, inStore, merchantName: client?.name };
  };

  const contextOf = (loaded: LoadedPayment, notice?: string): CheckoutContext => ({
    payment: loaded.payment,
    merchantName: loaded.merchantName,
    csrfToken: csrf.tokenFor(loaded.payment.paymentId),
    nonce: newNonce(),
    now: options.clock.now(),
    notice,
  });

  const send = (reply: FastifyReply, status: number, nonce: string, body: string) => reply.status(status).headers(pageHeaders(nonce)).send(body);

  const sendMessage = (reply: FastifyReply, status: number, title: string, message: string, link?: { href: string; text: string }) => {
    const nonce = newNonce();
    return send(reply, status, nonce, renderMessagePage(nonce, title, message, link));
  };

  /** The page a payment shows at a URL: its status when final, else its family's page. */
  const renderPageFor = (loaded: LoadedPayment, target: Target, context: CheckoutContext): string => {
    const { payment } = loaded;
    if (payment.status !== 'PROCESSING') return renderResultPage(context);
    switch (familyOf(loaded, target.view)) {
      case 'card':
        return renderCardPage(context);
      case 'order-code':
        return renderOrderCodePage(context, {
          codeValue: options.payments.checkoutUrl(payment.paymentId),
          expiresAt: loaded.inStore?.expiresAt ?? payment.expiresAt,
          walletUrl: `/checkout/${encodeURIComponent(payment.paymentId)}/wallet`,
        });
      case 'wallet':
        return renderWalletPage(context, target.view === 'wallet' ? { walletName: `amsgate test wallet: ${paymentMethodName(payment.paymentMethodType)}` } : {});
    }
  };

  const show = async (reply: FastifyReply, target: Target) => {
    const loaded = await load(target.paymentId);
    if (!loaded) return sendMessage(reply, 404, 'No such payment', 'No payment has this link. Check the URL the pay answer gave (normalUrl).');
    const context = contextOf(loaded);
    return send(reply, 200, context.nonce, renderPageFor(loaded, target, context));
  };

  /** Where the buyer goes once an action is done. */
  const afterAction = (reply: FastifyReply, loaded: LoadedPayment, target: Target, notice: string) => {
    const redirect = webRedirectUrl(loaded.payment);
    if (redirect) return reply.status(303).header('location', redirect).header('cache-control', 'no-store').send();
    const context = contextOf(loaded, notice);
    const pending = loaded.payment.status === 'PROCESSING';
    return send(reply, 200, context.nonce, renderResultPage(context, pending ? { backUrl: target.path } : {}));
  };

  const submit = async (request: FastifyRequest, reply: FastifyReply, target: Target) => {
    const crossSite = crossSiteProblem(request.headers);
    if (crossSite) {
      return sendMessage(reply, 403, 'Request refused', `Checkout forms are accepted from the checkout page only (${crossSite}). Nothing was changed.`, { href: target.path, text: 'Open the payment page' });
    }
    const loaded = await load(target.paymentId);
    if (!loaded) return sendMessage(reply, 404, 'No such payment', 'No payment has this link.');
    const form = formBody(request);
    if (!csrf.verify(loaded.payment.paymentId, form.get('csrf'))) {
      return sendMessage(reply, 403, 'Page out of date', 'This form is out of date (the gateway restarted) or did not come from the checkout page. Nothing was changed; reload the page and try again.', { href: target.path, text: 'Reload the payment page' });
    }
    const replyWithPage = (status: number, notice: string) => {
      const context = contextOf(loaded, notice);
      return send(reply, status, context.nonce, renderPageFor(loaded, target, context));
    };
    if (loaded.payment.status !== 'PROCESSING') return replyWithPage(409, `Nothing was changed: the payment is already ${loaded.payment.status}.`);

    const action = parseBuyerAction(form);
    if (action.kind === 'invalid') return replyWithPage(400, action.problem);
    if (action.kind === 'cancel') return afterAction(reply, loaded, target, 'You left the checkout without paying.');

    let outcome: Outcome;
    let notice: string;
    if (action.kind === 'decline') {
      outcome = { kind: 'fail', resultCode: action.resultCode };
      notice = `Payment declined (${action.resultCode}).`;
    } else if (familyOf(loaded, target.view) === 'card') {
      const input = readCardForm(form);
      const check = checkCardForm(input);
      if (!check.ok) {
        const context = contextOf(loaded, 'Check the card details.');
        return send(reply, 422, context.nonce, renderCardPage(context, { input, errors: check.errors, card: check.card }));
      }
      ({ outcome, notice } = cardOutcome(check.card));
    } else {
      outcome = { kind: 'success' };
      notice = 'Payment completed.';
    }

    try {
      const settled = await options.payments.complete(loaded.payment.paymentId, outcome);
      return afterAction(reply, { ...loaded, payment: settled }, target, notice);
    } catch (error) {
      // Settled meanwhile (another tab, the control API, expiry): show what it is now.
      if (!(error instanceof AmsError)) throw error;
      const current = await load(target.paymentId);
      if (!current) return sendMessage(reply, 404, 'No such payment', 'No payment has this link.');
      const context = contextOf(current, `Nothing was changed: ${error.message}`);
      return send(reply, 409, context.nonce, renderPageFor(current, target, context));
    }
  };

  const paymentTarget = (paymentId: string, view: View): Target => ({
    paymentId,
    view,
    path: `/checkout/${encodeURIComponent(paymentId)}${view === 'wallet' ? '/wallet' : ''}`,
  });

  app.get<{ Params: { paymentId: string } }>('/checkout/:paymentId', (request, reply) => show(reply, paymentTarget(request.params.paymentId, 'checkout')));
  app.post<{ Params: { paymentId: string } }>('/checkout/:paymentId', (request, reply) => submit(request, reply, paymentTarget(request.params.paymentId, 'checkout')));
  app.get<{ Params: { paymentId: string } }>('/checkout/:paymentId/wallet', (request, reply) => show(reply, paymentTarget(request.params.paymentId, 'wallet')));
  app.post<{ Params: { paymentId: string } }>('/checkout/:paymentId/wallet', (request, reply) => submit(request, reply, paymentTarget(request.params.paymentId, 'wallet')));

  // A payment session's link (createPaymentSession): the payment's page while the session lasts.
  const withSession = (data: string, reply: FastifyReply, then: (target: Target) => Promise<unknown>) => {
    const session = decodeSessionData(data);
    if (!session) return sendMessage(reply, 404, 'No such payment session', 'No payment session has this link.');
    if (session.expiresAt <= options.clock.now()) {
      return sendMessage(reply, 410, 'Payment session expired', 'This payment session has expired; the merchant must create a new one.');
    }
    return then({ paymentId: session.paymentId, view: 'checkout', path: `/checkout/session/${encodeURIComponent(data)}` });
  };
  app.get<{ Params: { data: string } }>('/checkout/session/:data', (request, reply) => withSession(request.params.data, reply, (target) => show(reply, target)));
  app.post<{ Params: { data: string } }>('/checkout/session/:data', (request, reply) => withSession(request.params.data, reply, (target) => submit(request, reply, target)));
}
