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
import { awaitsVerification } from '../../products/payments/buyer-steps-repository.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AmsError } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database } from '../../schema.js';
import type { Outcome, PaymentService } from '../../products/payments/payment-service.js';
import type { PaymentRecord } from '../../products/payments/payment-record.js';
import { findInStorePayment, type InStoreRecord } from '../../products/in-store/in-store-service.js';
import { decodeSessionData } from '../../products/payments/payment-session-service.js';
import type { SubmissionService } from '../../products/payments/submission-service.js';
import { maskedCard, testCardOf, type TestCard } from '../../products/cards/test-cards.js';
import { chargeTestCard } from '../../products/cards/charge.js';
import { challengeActionOf, type ChallengeAction } from './checkout/three-ds-challenge.js';
import { parseBuyerAction } from './checkout/buyer-actions.js';
import { checkCardForm, readCardForm } from './checkout/card-form.js';
import { renderCardChallengePage, renderCardPage } from './checkout/card-page.js';
import { CapabilityCsrf, crossSiteProblem } from '../../web/capability-csrf.js';
import { formBody, newNonce, pageHeaders } from '../../web/page-security.js';
import { renderOrderCodePage } from './checkout/order-code-page.js';
import { paymentMethodName, webRedirectUrl, type CheckoutContext } from './checkout/payment-parts.js';
import { renderMessagePage, renderResultPage } from './checkout/result-page.js';
import { renderWalletPage } from './checkout/wallet-page.js';

export interface CheckoutRoutesOptions {
  payments: PaymentService;
  /** Methods whose buyer submits a transfer and waits for its result (PAYMENT_PENDING); without it every method pays on the page. */
  submissions?: SubmissionService;
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
  /** For a method whose buyer submits a transfer: when they did (the page then waits for the result), or undefined. */
  submittedAt: number | undefined;
  /** The payment waits for the buyer's one-time password (verifyAndCompletePayment), not for this page. */
  awaitsOtp: boolean;
}

type Family = 'wallet' | 'card' | 'order-code';

function familyOf(loaded: LoadedPayment, view: View): Family {
  if (view === 'checkout' && loaded.inStore?.scenario === 'OrderCode') return 'order-code';
  return loaded.payment.paymentMethodType.toUpperCase() === 'CARD' ? 'card' : 'wallet';
}

/** What paying with a typed card does, with the card recorded on the payment (paymentResultInfo). */
function cardOutcome(card: TestCard, paymentId: string, expiry: { month: string; year: string } | undefined): { outcome: Outcome; notice: string } {
  const outcome = chargeTestCard(card, { paymentId, authentication: 'none', expiryMonth: expiry?.month ?? null, expiryYear: expiry?.year ?? null });
  if (outcome.kind === 'fail') return { outcome, notice: `Card declined (${outcome.resultCode}).` };
  return { outcome, notice: card.outcome === '3ds-exemption' ? `Paid with ${maskedCard(card)} (3-D Secure exemption: no challenge).` : `Paid with ${maskedCard(card)}.` };
}

/** A stored card's 3-D Secure challenge settles its payment: passed, the issuer answers as the card does; failed, the payment fails. */
function challengeOutcome(payment: PaymentRecord, action: ChallengeAction): { outcome: Outcome; notice: string } | undefined {
  const card = payment.card;
  const testCard = card && testCardOf(card);
  if (!card || !testCard) return undefined;
  if (action === 'fail-authentication') {
    return {
      outcome: { kind: 'fail', resultCode: 'USER_PAYMENT_VERIFICATION_FAILED', resultMessage: 'The buyer failed the 3-D Secure challenge', card },
      notice: 'Authentication failed: the card was not charged.',
    };
  }
  const outcome = chargeTestCard(testCard, { paymentId: payment.paymentId, authentication: 'challenge', cardToken: card.cardToken, expiryMonth: card.expiryMonth, expiryYear: card.expiryYear });
  return { outcome, notice: outcome.kind === 'fail' ? `Card declined (${outcome.resultCode}).` : `Authenticated and paid with ${maskedCard(testCard)}.` };
}

/** What the page of a payment waiting for its one-time password says instead of offering to pay. */
const AWAITS_OTP = 'This payment waits for the one-time password sent to the buyer: the merchant completes it with verifyAndCompletePayment (the sandbox OTP is 123456).';

export function registerCheckoutRoutes(app: FastifyInstance, options: CheckoutRoutesOptions): void {
  const csrf = new CapabilityCsrf('checkout', options.csrfSecret);
  const submitsLater = (payment: PaymentRecord): boolean => options.submissions?.confirmsLater(payment.paymentMethodType) ?? false;

  const load = async (paymentId: string): Promise<LoadedPayment | undefined> => {
    const payment = await options.payments.findForCheckout(paymentId);
    if (!payment) return undefined;
    const [inStore, client, submittedAt, awaitsOtp] = await Promise.all([
      payment.productCode === 'IN_STORE_PAYMENT' ? findInStorePayment(options.database.db, paymentId) : Promise.resolve(undefined),
      options.database.db.selectFrom('clients').select('name').where('client_id', '=', payment.clientId).executeTakeFirst(),
      payment.status === 'PROCESSING' && submitsLater(payment) ? options.submissions?.submittedAt(paymentId) : Promise.resolve(undefined),
      payment.status === 'PROCESSING' ? awaitsVerification(options.database.db, paymentId) : Promise.resolve(false),
    ]);
    return { payment, inStore, merchantName: client?.name, submittedAt, awaitsOtp };
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
    if (loaded.awaitsOtp) return renderResultPage({ ...context, notice: context.notice ?? AWAITS_OTP });
    if (loaded.submittedAt !== undefined) return renderResultPage(context, { submittedAt: loaded.submittedAt });
    switch (familyOf(loaded, target.view)) {
      case 'card':
        // A stored card charged with 3-D Secure waits for its challenge; otherwise the buyer types a card.
        return payment.card !== null ? renderCardChallengePage(context, payment.card) : renderCardPage(context);
      case 'order-code':
        return renderOrderCodePage(context, {
          codeValue: options.payments.checkoutUrl(payment.paymentId),
          expiresAt: loaded.inStore?.expiresAt ?? payment.expiresAt,
          walletUrl: `/checkout/${encodeURIComponent(payment.paymentId)}/wallet`,
        });
      case 'wallet':
        return renderWalletPage(context, {
          ...(target.view === 'wallet' ? { walletName: `amsgate test wallet: ${paymentMethodName(payment.paymentMethodType)}` } : {}),
          submitsTransfer: submitsLater(payment),
        });
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
    const pageOptions = loaded.submittedAt !== undefined ? { submittedAt: loaded.submittedAt } : pending ? { backUrl: target.path } : {};
    return send(reply, 200, context.nonce, renderResultPage(context, pageOptions));
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
    const completeWith = (outcome: Outcome, notice: string) => completeWithin(reply, loaded, target, outcome, notice);
    const replyWithPage = (status: number, notice: string) => {
      const context = contextOf(loaded, notice);
      return send(reply, status, context.nonce, renderPageFor(loaded, target, context));
    };
    if (loaded.payment.status !== 'PROCESSING') return replyWithPage(409, `Nothing was changed: the payment is already ${loaded.payment.status}.`);
    if (loaded.submittedAt !== undefined) return replyWithPage(409, 'Nothing was changed: the transfer was already submitted; its result comes from the bank.');
    if (loaded.awaitsOtp) return replyWithPage(409, `Nothing was changed. ${AWAITS_OTP}`);

    if (familyOf(loaded, target.view) === 'card' && loaded.payment.card !== null) {
      const challenge = challengeActionOf(form);
      const settledBy = challenge && challengeOutcome(loaded.payment, challenge);
      if (!settledBy) return replyWithPage(400, 'Unknown action; use the page\'s buttons (authenticate or fail authentication).');
      return completeWith(settledBy.outcome, settledBy.notice);
    }
    const action = parseBuyerAction(form);
    if (action.kind === 'invalid') return replyWithPage(400, action.problem);
    if (action.kind === 'cancel') return afterAction(reply, loaded, target, 'You left the checkout without paying.');

    const submissions = options.submissions;
    if (action.kind === 'pay' && submissions && submitsLater(loaded.payment) && familyOf(loaded, target.view) === 'wallet') {
      // The buyer made the transfer: its result comes later (PAYMENT_PENDING now).
      try {
        const submitted = await submissions.submit(loaded.payment.paymentId);
        return afterAction(reply, { ...loaded, payment: submitted, submittedAt: options.clock.now() }, target, 'Transfer submitted: the merchant is told it is pending until the bank confirms it.');
      } catch (error) {
        if (!(error instanceof AmsError)) throw error;
        const current = await load(target.paymentId);
        if (!current) return sendMessage(reply, 404, 'No such payment', 'No payment has this link.');
        const context = contextOf(current, `Nothing was changed: ${error.message}`);
        return send(reply, 409, context.nonce, renderPageFor(current, target, context));
      }
    }

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
      ({ outcome, notice } = cardOutcome(check.card, loaded.payment.paymentId, expiryOf(input.expiry)));
    } else {
      outcome = { kind: 'success' };
      notice = 'Payment completed.';
    }

    return completeWith(outcome, notice);
  };

  const completeWithin = async (reply: FastifyReply, loaded: LoadedPayment, target: Target, outcome: Outcome, notice: string) => {
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

/** The card form's "MM/YY" (or MM/YYYY) as the month and four-digit year paymentResultInfo reports. */
function expiryOf(text: string): { month: string; year: string } | undefined {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return undefined;
  const year = match[2] as string;
  return { month: (match[1] as string).padStart(2, '0'), year: year.length === 2 ? `20${year}` : year };
}
