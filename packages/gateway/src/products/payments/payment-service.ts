/**
 * Cashier payments: pay, inquiry, cancel, completion (by the buyer on the
 * checkout page or by the sandbox) and expiry. Each operation is one
 * database transaction: idempotency key + state change + journal + the
 * payment's transactions, all or nothing.
 */
import { maskCardDataInText } from '../cards/card-data-mask.js';
import { AmsError, parsePositiveAmount, type InquiryPaymentRequest, type CancelRequest, type Money, type PayCashierRequest, isPaymentOutcomeCode, PAYMENT_OUTCOME_CODES, RESULT_CODES } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../schema.js';
import { newId } from '../../ids.js';
import { cancelAnswer, inquiryAnswer, payAnswer, type ResponseBody } from './answers.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { findAuthorization, findPaymentForUpdate } from './operations-repository.js';
import { authExpiryOf, authorizesOnly, journalCompletion, planCancel, recordAuthorizationIntent, recordCancel, releaseExpiredAuthorization } from './payment-money.js';
import type { PaymentEventSink } from './events.js';
import { parseWireTime } from './wire-time.js';
import { conversionColumns, isExpired, pendingPaymentRecord, type CurrencyConversion, type PaymentRecord } from './payment-record.js';
import { buyerPaymentFor, settlementFor } from './settlement.js';
import type { RateTable } from '../fx/rate-table.js';
import type { PayTrigger, PayTriggerHooks } from './pay-triggers.js';
import type { DuePolicy, Outcome } from './outcome.js';
import { scheduleOutcome } from './scheduled-outcomes.js';
import { cashierWalletCustomer, type WalletCustomer } from './wallet-customer.js';
import { awaitsVerification, insertVerification } from './buyer-steps-repository.js';
import { MAX_OTP_ATTEMPTS, smsOtpChallengeForm } from './otp-challenge.js';
import {
  expiredPaymentIds,
  findPayment,
  findPaymentById,
  findRequestJson,
  insertPayment,
  insertSucceededTransaction,
  insertTransaction,
  listTransactions,
  recordPaymentCard,
  settleTransaction,
  transitionPayment,
  type PaymentLookup,
} from './payments-repository.js';

export interface PaymentServiceOptions {
  /** Default time a cashier payment waits for the buyer (Antom: about 14 minutes). */
  cashierExpiryMs: number;
  /** Builds the checkout page URL for a payment. */
  checkoutUrl: (paymentId: string) => string;
  /** What a pending payment past its `expiresAt` becomes; by default it closes (ORDER_IS_CLOSED). */
  duePolicy?: DuePolicy;
  /** The sandbox triggers a pay request can carry (`sandbox/triggers.ts`): sandbox mode only. */
  triggers?: PayTriggerHooks;
  /** The exchange-rate table a payment settling in another currency is converted by. */
  rates: RateTable;
  /** The currency the buyer of a payment method pays in (its offer's `buyerCurrency`); undefined: the payment's. */
  buyerCurrencyOf: (paymentMethodType: string) => string | undefined;
  /** Whether a payment method is a wallet (its payments are paid from a wallet account: `pspCustomerInfo`, app links); none without it. */
  isWallet?: (paymentMethodType: string) => boolean;
  /**
   * Schedules a dispute of a payment a trigger has just made successful, to
   * open `afterMs` later (the sandbox's `dispute-after` trigger), in pay's
   * transaction: `DisputeService.schedule`.
   */
  scheduleDispute?: (tx: Tx, payment: PaymentRecord, afterMs: number, now: number) => Promise<void>;
}


export const DEFAULT_CASHIER_EXPIRY_MS = 14 * 60_000;

/**
 * Runs, in `pay`'s transaction, for a payment the request creates, before
 * it is inserted: it may complete the record (the card a token names) and
 * give an outcome that settles the payment at once; a throw refuses the
 * request and frees its paymentRequestId.
 */
export type NewPaymentHook = (tx: Tx, payment: PaymentRecord, now: number) => Promise<{ payment: PaymentRecord; outcome: Outcome | undefined }>;

export type { DuePolicy, Outcome } from './outcome.js';

export class PaymentService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: PaymentServiceOptions,
    /** Required: a change without its notification must not be possible by omission. */
    private readonly events: PaymentEventSink,
  ) {}

  /**
   * What a new payment of `amount` locks in other currencies: its settlement
   * (SETTLE_CONTRACT_NOT_MATCH for a currency without a rate) and what the
   * buyer pays in their account's currency. Every product's pay asks here.
   */
  conversionsOf(
    request: { settlementStrategy?: { settlementCurrency?: string }; paymentMethod: { paymentMethodType: string } },
    amount: Money,
  ): { settlement: CurrencyConversion | null; buyerPayment: CurrencyConversion | null } {
    return {
      settlement: settlementFor(this.options.rates, request.settlementStrategy, amount),
      buyerPayment: buyerPaymentFor(this.options.rates, this.options.buyerCurrencyOf(request.paymentMethod.paymentMethodType), amount),
    };
  }

  /** The wallet account that will pay a new cashier payment: null unless its method is a wallet. */
  private walletCustomerOf(clientId: string, request: PayCashierRequest): WalletCustomer | null {
    const wallet = request.paymentMethod.paymentMethodType;
    return this.options.isWallet?.(wallet) ? cashierWalletCustomer(clientId, wallet, request.order.buyer?.referenceBuyerId) : null;
  }

  async pay(context: KeyedHandlerContext, request: PayCashierRequest): Promise<ResponseBody> {
    return (await this.payRecorded(context, request)).answer;
  }

  /**
   * `pay`, telling the caller which payment answered and whether this call
   * created it. `checkNew` runs only when the request creates the payment,
   * inside its transaction (a throw rolls the key back), for checks against
   * the clock a repeat must not fail (createPaymentSession's expiry).
   */
  async payRecorded(
    context: KeyedHandlerContext,
    request: PayCashierRequest,
    checkNew?: (now: number) => void,
    startNew?: NewPaymentHook,
  ): Promise<{ answer: ResponseBody; payment: PaymentRecord; created: boolean }> {
    const { clientId, requestJson } = context;
    const now = this.clock.now();
    const amount = parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    const expiresAt = expiryTime(request.paymentExpiryTime, now, this.options.cashierExpiryMs);
    const paymentId = newId('PAY', now);
    const conversions = this.conversionsOf(request, amount);
    // Parsed before anything is written; checked against the clock only for a new payment (below).
    const triggers = this.options.triggers;
    // A hooked pay (a card on file) decides at once: it reads no markers (refused, not ignored) and only the reserved decline amounts.
    if (startNew) triggers?.refuseMarker(request.order.referenceOrderId, 'CASHIER_PAYMENT with a card token or nonce in paymentMethodId');
    const trigger = startNew ? undefined : triggers?.triggerOf({ referenceOrderId: request.order.referenceOrderId, amountMinor: amount.minor });
    const amountDecline = startNew ? triggers?.amountDeclineOf(amount.minor) : undefined;

    const { payment, created } = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, paymentId, now, (id) => findPayment(tx, clientId, { paymentId: id }));
      // A repeat answers the payment as it is now, however late it comes; its trigger ran once, with the first request.
      if (!claim.claimed) return { payment: await this.closeIfExpired(tx, claim.recorded, now), created: false };
      // A refusal from here on rolls the key back with the transaction.
      checkNew?.(now);
      checkNewExpiry(expiresAt, now);
      let record = pendingPaymentRecord(request, { paymentId, clientId }, amount, { now, expiresAt: triggers ? triggers.dueTimeOf(trigger, now, expiresAt) : expiresAt }, conversions, this.walletCustomerOf(clientId, request));
      const started = startNew ? await startNew(tx, record, now) : undefined;
      if (started) record = started.payment;
      if (started?.outcome?.kind === 'success' && amountDecline) {
        // Risk declines before the issuer is asked: the card is recorded without an authorisation.
        const card = started.outcome.card && { ...started.outcome.card, authorizationCode: null };
        started.outcome = { kind: 'fail', resultCode: amountDecline.resultCode, resultMessage: amountDecline.resultMessage, ...(card ? { card } : {}) };
      }
      await insertPaymentWithTransaction(tx, record, requestJson);
      if (authorizesOnly(request.paymentFactor)) await recordAuthorizationIntent(tx, record, now);
      // A hook's outcome (a card on file answers at once) settles the payment in this transaction.
      if (started) return { payment: started.outcome ? ((await this.settlePending(tx, record, started.outcome, now)) ?? record) : record, created: true };
      if (!trigger) return { payment: record, created: true };
      return { payment: await this.startTrigger(tx, trigger, record, now), created: true };
    });
    const answer = created && trigger?.answerLost && triggers ? triggers.lostAnswer(trigger) : payAnswer(payment, this.options.checkoutUrl(payment.paymentId), request.env);
    // A payment that waits for the buyer's one-time password says so (verifyAndCompletePayment), on a repeat too.
    const awaitsOtp = payment.status === 'PROCESSING' && (created ? trigger?.verification !== undefined : triggers !== undefined && (await awaitsVerification(this.database.db, payment.paymentId)));
    return { answer: awaitsOtp ? { ...answer, challengeActionForm: smsOtpChallengeForm() } : answer, payment, created };
  }

  /**
   * Starts a trigger on the payment `pay` has just inserted, in its
   * transaction: an outcome due now settles it (recorded, journalled,
   * notified like a buyer's), a later one is scheduled for its `expiresAt`.
   */
  private async startTrigger(tx: Tx, trigger: PayTrigger, payment: PaymentRecord, now: number): Promise<PaymentRecord> {
    if (trigger.verification) {
      await insertVerification(tx, {
        paymentId: payment.paymentId, clientId: payment.clientId, verifyMethodType: trigger.verification.verifyMethodType,
        otp: trigger.verification.otp, maxAttempts: MAX_OTP_ATTEMPTS, now,
      });
      return payment;
    }
    if (trigger.afterMs > 0) {
      await scheduleOutcome(tx, payment, trigger.outcome, now);
      return payment;
    }
    const settled = (await this.settlePending(tx, payment, trigger.outcome, now)) ?? payment;
    if (trigger.disputeAfterMs !== undefined && settled.status === 'SUCCESS') {
      if (!this.options.scheduleDispute) throw new Error(`${trigger.source}: this gateway schedules no disputes`);
      await this.options.scheduleDispute(tx, settled, trigger.disputeAfterMs, now);
    }
    return settled;
  }

  /** One of the client's payments as recorded (another client's is not found), with the request that created it. */
  async findRecorded(clientId: string, lookup: PaymentLookup): Promise<{ payment: PaymentRecord; requestJson: string | undefined } | undefined> {
    return this.database.read(async (tx) => {
      const payment = await findPayment(tx, clientId, lookup);
      return payment && { payment, requestJson: await findRequestJson(tx, payment.paymentId) };
    });
  }

  /** The request body that created a payment, as validated (kept with the payment). */
  recordedRequestJson(paymentId: string): Promise<string | undefined> {
    return findRequestJson(this.database.db, paymentId);
  }

  async inquiry(clientId: string, request: InquiryPaymentRequest): Promise<ResponseBody> {
    const now = this.clock.now();
    // Reads need no write transaction, unless the payment must be closed first.
    const found = await this.database.read(async (tx) => {
      const payment = await findPayment(tx, clientId, lookupOf(request));
      if (!payment || isExpired(payment, now)) return { payment, transactions: undefined, authorization: undefined };
      // Only a successful authorisation has an expiry to answer (authExpiryTime) or to act on.
      const authorization = payment.status === 'SUCCESS' ? await findAuthorization(tx, payment.paymentId) : undefined;
      // An open authorisation past its expiry is released in a write transaction below, as an expired pending payment is closed.
      if (authorization?.closedAt === null && now >= (authExpiryOf(payment) ?? Infinity)) return { payment, transactions: undefined, authorization: undefined };
      return { payment, transactions: await listTransactions(tx, payment.paymentId), authorization };
    });
    if (!found.payment) throw new AmsError('ORDER_NOT_EXIST', describeLookup(request));
    if (found.transactions) return inquiryAnswer(found.payment, found.transactions, this.options.checkoutUrl(found.payment.paymentId), found.authorization);
    const due = found.payment;
    const { payment: current, authorization } = await this.database.transaction(async (tx) => {
      const payment = await this.closeIfExpired(tx, due, now);
      await releaseExpiredAuthorization(tx, payment, now);
      return { payment, authorization: await findAuthorization(tx, payment.paymentId) };
    });
    const transactions = await listTransactions(this.database.db, current.paymentId);
    return inquiryAnswer(current, transactions, this.options.checkoutUrl(current.paymentId), authorization);
  }

  async cancel(clientId: string, request: CancelRequest): Promise<ResponseBody> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      // Locked: a refund or capture of this payment waits for the cancel, or the cancel for it.
      const found = await findPaymentForUpdate(tx, this.database.dialect, clientId, lookupOf(request));
      if (!found) throw new AmsError('ORDER_NOT_EXIST', describeLookup(request));
      const payment = await this.closeIfExpired(tx, found, now);
      switch (payment.status) {
        case 'CANCELLED':
          // Cancel is keyed by the payment: repeating it answers the same.
          return cancelAnswer(payment, payment.closedAt ?? payment.updatedAt);
        case 'FAIL':
          throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has failed (${payment.resultCode}); there is nothing to cancel`);
        case 'PROCESSING':
        case 'SUCCESS': {
          // Refunded payments are not cancelled; an authorisation with nothing captured may be voided at any time.
          const plan = await planCancel(tx, payment);
          if (plan.merchantAmount > 0n && !withinCancelWindow(payment.paidAt ?? payment.updatedAt, now)) {
            throw new AmsError('CANCEL_WINDOW_EXCEED', `Payment ${payment.paymentId} succeeded too long ago to cancel; refund it instead`);
          }
          const moved = await transitionPayment(tx, payment.paymentId, payment.status, {
            status: 'CANCELLED', resultCode: 'ORDER_IS_CANCELED', resultMessage: 'The payment was cancelled by the merchant', now, closedAt: now,
          });
          if (!moved) throw new AmsError('UNKNOWN_EXCEPTION', 'The payment changed while cancelling; retry the cancel');
          // Cancelling a paid payment gives the buyer the money back; an authorisation's hold is voided.
          await recordCancel(tx, payment, plan, now);
          await settleTransaction(tx, payment.paymentId, 'PAYMENT', { status: 'CANCELLED', resultCode: 'ORDER_IS_CANCELED', resultMessage: 'cancelled', now });
          await insertSucceededTransaction(tx, payment, 'CANCEL', payment.amount, now);
          const cancelled: PaymentRecord = {
            ...payment, status: 'CANCELLED', resultCode: 'ORDER_IS_CANCELED', resultMessage: 'The payment was cancelled by the merchant', closedAt: now, updatedAt: now,
          };
          await this.events.record(tx, { kind: 'payment-final', payment: cancelled }, now);
          return cancelAnswer(payment, now);
        }
      }
    });
  }

  /**
   * The buyer's outcome for a pending payment (checkout page, sandbox
   * control API). A payment that is no longer pending is left as it is.
   */
  async complete(paymentId: string, outcome: Outcome): Promise<PaymentRecord> {
    const now = this.clock.now();
    // Only the codes a payment can fail with: pay (which answers a repeat with it) declares no others.
    if (outcome.kind === 'fail' && !isPaymentOutcomeCode(outcome.resultCode)) {
      throw AmsError.paramIllegal('resultCode', `must be a code a payment can fail with (${PAYMENT_OUTCOME_CODES.join(', ')}), got "${outcome.resultCode}"`);
    }
    return this.database.transaction(async (tx) => {
      const found = await findPaymentById(tx, paymentId);
      if (!found) throw new AmsError('ORDER_NOT_EXIST', `No payment ${paymentId}`);
      const payment = await this.closeIfExpired(tx, found, now);
      if (payment.status !== 'PROCESSING') {
        throw new AmsError('ORDER_STATUS_INVALID', `Payment ${paymentId} is ${payment.status} (${payment.resultCode}), not pending`);
      }
      const settled = await this.settlePending(tx, payment, outcome, now);
      if (!settled) throw new AmsError('ORDER_STATUS_INVALID', `Payment ${paymentId} changed while completing it`);
      return settled;
    });
  }

  /**
   * Settles a PROCESSING payment in the caller's transaction: SUCCESS
   * journals PAY (or AUTHORIZE), FAIL records the code; raises
   * `payment-final`. Undefined when the payment was no longer pending.
   */
  async settlePending(tx: Tx, pending: PaymentRecord, outcome: Outcome, now: number): Promise<PaymentRecord | undefined> {
    const paymentId = pending.paymentId;
    const payment = outcome.card ? { ...pending, card: outcome.card } : pending;
    if (outcome.kind === 'success') {
      const moved = await transitionPayment(tx, paymentId, 'PROCESSING', { status: 'SUCCESS', resultCode: 'SUCCESS', resultMessage: 'success', now, paidAt: now });
      if (!moved) return undefined;
      if (outcome.card) await recordPaymentCard(tx, paymentId, outcome.card);
      // PAY, or AUTHORIZE for an authorise-only payment: the money is then held until captured.
      await journalCompletion(tx, payment, now);
      await settleTransaction(tx, paymentId, 'PAYMENT', { status: 'SUCCESS', resultCode: 'SUCCESS', resultMessage: 'success', now });
      const paid: PaymentRecord = { ...payment, status: 'SUCCESS', resultCode: 'SUCCESS', resultMessage: 'success', paidAt: now, updatedAt: now };
      await this.events.record(tx, { kind: 'payment-final', payment: paid }, now);
      return paid;
    }
    const message = outcome.resultMessage ?? RESULT_CODES[outcome.resultCode as keyof typeof RESULT_CODES].message;
    const moved = await transitionPayment(tx, paymentId, 'PROCESSING', { status: 'FAIL', resultCode: outcome.resultCode, resultMessage: message, now, closedAt: now });
    if (!moved) return undefined;
    if (outcome.card) await recordPaymentCard(tx, paymentId, outcome.card);
    await settleTransaction(tx, paymentId, 'PAYMENT', { status: 'FAIL', resultCode: outcome.resultCode, resultMessage: message, now });
    const failed: PaymentRecord = { ...payment, status: 'FAIL', resultCode: outcome.resultCode, resultMessage: message, closedAt: now, updatedAt: now };
    await this.events.record(tx, { kind: 'payment-final', payment: failed }, now);
    return failed;
  }

  /** Closes pending payments past their expiry; returns how many it closed. */
  async closeExpired(limit = 100): Promise<number> {
    const now = this.clock.now();
    const ids = await expiredPaymentIds(this.database.db, now, limit);
    let closed = 0;
    for (const id of ids) {
      await this.database.transaction(async (tx) => {
        const payment = await findPaymentById(tx, id);
        if (payment && isExpired(payment, now) && (await this.close(tx, payment, now))) closed++;
      });
    }
    return closed;
  }

  /** Looks up a payment for the checkout page (by its unguessable id). */
  async findForCheckout(paymentId: string): Promise<PaymentRecord | undefined> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const payment = await findPaymentById(tx, paymentId);
      return payment && this.closeIfExpired(tx, payment, now);
    });
  }

  /** The checkout URL handed out for a payment (`normalUrl`, an order code's `codeValue`). */
  checkoutUrl(paymentId: string): string {
    return this.options.checkoutUrl(paymentId);
  }

  /** The payment as it is now: one past its `expiresAt` is first settled (`duePolicy`) or closed. */
  async closeIfExpired(tx: Tx, payment: PaymentRecord, now: number): Promise<PaymentRecord> {
    if (!isExpired(payment, now)) return payment;
    await this.close(tx, payment, now);
    return (await findPaymentById(tx, payment.paymentId)) ?? payment;
  }

  private async close(tx: Tx, payment: PaymentRecord, now: number): Promise<boolean> {
    const due = await this.options.duePolicy?.(tx, payment, now);
    if (due) return (await this.settlePending(tx, payment, due, now)) !== undefined;
    const moved = await transitionPayment(tx, payment.paymentId, 'PROCESSING', {
      status: 'FAIL', resultCode: 'ORDER_IS_CLOSED', resultMessage: 'The payment expired before the buyer paid', now, closedAt: now,
    });
    if (moved) {
      await settleTransaction(tx, payment.paymentId, 'PAYMENT', { status: 'FAIL', resultCode: 'ORDER_IS_CLOSED', resultMessage: 'expired', now });
      const closed: PaymentRecord = {
        ...payment, status: 'FAIL', resultCode: 'ORDER_IS_CLOSED', resultMessage: 'The payment expired before the buyer paid', closedAt: now, updatedAt: now,
      };
      await this.events.record(tx, { kind: 'payment-final', payment: closed }, now);
    }
    return moved;
  }
}

/**
 * A payment's expiry: the request's `paymentExpiryTime`, else `now +
 * defaultMs`. Only its syntax is checked here, before anything is written;
 * `checkNewExpiry` checks the time when the request creates the payment.
 */
export function expiryTime(paymentExpiryTime: string | undefined, now: number, defaultMs: number): number {
  if (paymentExpiryTime === undefined) return now + defaultMs;
  const at = parseWireTime(paymentExpiryTime);
  if (at === undefined) throw AmsError.paramIllegal('paymentExpiryTime', `is not a date-time: "${paymentExpiryTime}"`);
  return at;
}

/**
 * A new payment's expiry must be in the future. Checked only once the
 * request has claimed its `paymentRequestId`: a repeat answers the recorded
 * payment (its state, `ORDER_IS_CLOSED` once it closed) even after that time.
 */
export function checkNewExpiry(expiresAt: number, now: number): void {
  if (expiresAt <= now) throw AmsError.paramIllegal('paymentExpiryTime', 'must be in the future');
}

function lookupOf(request: { paymentId?: string; paymentRequestId?: string }): PaymentLookup {
  // paymentId wins when both are given; the schema guarantees one of them.
  if (request.paymentId !== undefined) return { paymentId: request.paymentId };
  if (request.paymentRequestId !== undefined) return { paymentRequestId: request.paymentRequestId };
  throw AmsError.paramIllegal('paymentId', 'paymentId or paymentRequestId is required');
}

function describeLookup(request: { paymentId?: string; paymentRequestId?: string }): string {
  return request.paymentId !== undefined ? `No payment with paymentId ${request.paymentId}` : `No payment with paymentRequestId ${request.paymentRequestId}`;
}

/** Antom lets most methods cancel a paid payment until 00:15 (GMT+8) on the day after payment. */
export function withinCancelWindow(paidAt: number, now: number): boolean {
  const GMT8 = 8 * 3_600_000;
  const paidDayStart = Math.floor((paidAt + GMT8) / 86_400_000) * 86_400_000 - GMT8;
  return now < paidDayStart + 86_400_000 + 15 * 60_000;
}

/**
 * Inserts a payment in the state its record says (PROCESSING for most
 * products; Auto Debit settles at once) with its PAYMENT transaction, in the
 * transaction of `pay`. Shared by every product.
 */
export async function insertPaymentWithTransaction(tx: Tx, record: PaymentRecord, requestJson: string): Promise<void> {
  await insertPayment(tx, {
    payment_id: record.paymentId,
    client_id: record.clientId,
    payment_request_id: record.paymentRequestId,
    product_code: record.productCode,
    status: record.status,
    result_code: record.resultCode,
    result_message: record.resultMessage,
    currency: record.currency,
    amount: record.amount,
    payment_method_type: record.paymentMethodType,
    payment_method_id: record.paymentMethodId,
    reference_order_id: record.referenceOrderId,
    order_description: record.orderDescription,
    redirect_url: record.redirectUrl,
    notify_url: record.notifyUrl,
    // Kept for debugging, without card numbers, CVVs or OTPs a request may carry (paymentMethodMetaData takes any object).
    request_json: maskCardDataInText(requestJson),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    expires_at: record.expiresAt,
    paid_at: record.paidAt,
    closed_at: record.closedAt,
    ...conversionColumns('settlement', record.settlement),
    metadata: record.metadata,
    tax_calculation_id: record.taxCalculationId,
    ...conversionColumns('actual', record.buyerPayment),
    card_result: record.card === null ? null : JSON.stringify(record.card),
    psp_customer_id: record.walletCustomer?.pspCustomerId ?? null,
    psp_display_customer_id: record.walletCustomer?.displayCustomerId ?? null,
  });
  await insertTransaction(tx, {
    transactionId: newId('TXN', record.createdAt),
    paymentId: record.paymentId,
    type: 'PAYMENT',
    requestId: record.paymentRequestId,
    status: record.status,
    resultCode: record.resultCode,
    resultMessage: record.resultMessage,
    currency: record.currency,
    amount: record.amount,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  }, record.clientId);
}
