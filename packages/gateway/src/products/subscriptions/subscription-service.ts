/**
 * Subscriptions: `subscriptions/*` and `payments/inquire`, the buyer's
 * authorisation, and each period's payment when the clock reaches it.
 *
 * Lifecycle: create records a PENDING subscription and answers the
 * authorisation page (`normalUrl`, app links on phones). The buyer agrees
 * (ACTIVE, notifySubscription CREATE) or refuses (TERMINATED, CREATE with a
 * failed result and no subscriptionId); one never authorised is TERMINATED
 * at its subscriptionExpiryTime. Once active, each phase is charged when it
 * starts (the phase running when the buyer agreed at once); trial phases
 * charge their trial amount (a free one charges nothing). Each charge is a
 * real payment (AGREEMENT_PAYMENT: journal, inquiryPayment, refund) with
 * notifyPayment carrying the period. A failed charge is retried once a day
 * later when the subscription allows retries and the buyer's balance was
 * short (the docs' allowRetry); otherwise, or when the retry fails too, the
 * subscription is TERMINATED (notifySubscription TERMINATE). CANCEL stops
 * future phases (CANCELLED), TERMINATE stops everything (TERMINATED); at
 * subscriptionEndTime an active subscription ends (TERMINATED, notified).
 *
 * What falls due (`due_at`) is done by `runDue` (the gateway's due work),
 * each step in its own transaction that first claims the subscription with
 * a conditional update on its revision, and a primary key on (subscription,
 * kind, phase, attempt) for its payments: several processes on one
 * database make each payment once, phases in order.
 */
import { createHash } from 'node:crypto';
import type { Updateable } from 'kysely';
import {
  AmsError,
  buildResult,
  parseAmount,
  parsePositiveAmount,
  SUCCESS_RESULT,
  type InquireSubscriptionListRequest,
  type InquireSubscriptionPaymentRequest,
  type InquireSubscriptionRequest,
  type Money,
  type PeriodRule,
  type Result,
  type SubscriptionCancelRequest,
  type SubscriptionChangeRequest,
  type SubscriptionCreateRequest,
  type SubscriptionInquireRequest,
  type SubscriptionNotificationType,
  type SubscriptionsInquiryRequest,
  type SubscriptionUpdateRequest,
  type Trial,
  isPaymentOutcomeCode,
  isResultCode,
  RESULT_CODES,
  type ResultCode,
} from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import { accounts, recordJournal } from '../../ledger/journal.js';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Database, Tx } from '../../schema.js';
import { appLinksOf } from '../payments/app-links.js';
import type { PaymentRecord } from '../payments/payment-record.js';
import { insertPaymentWithTransaction, type PaymentService } from '../payments/payment-service.js';
import type { RefundService } from '../payments/refund-service.js';
import { parseWireTime } from '../payments/wire-time.js';
import { phaseAt, phaseEnd, phaseStart, utcOffsetOf } from './periods.js';
import {
  amountValue,
  inquireAnswerOf,
  inquiryAnswerOf,
  subscriptionCancelBody,
  subscriptionInfoOf,
  subscriptionNoticeBody,
  subscriptionPaymentBody,
  subscriptionTransactionOf,
  type PeriodOfPayment,
} from './subscription-answers.js';
import { periodClockOf, rowOfSubscription, type SubscriptionPaymentRecord, type SubscriptionRecord } from './subscription-record.js';
import {
  dueSubscriptionIds,
  findSubscription,
  findSubscriptionById,
  findSubscriptionByRequestId,
  insertSubscription,
  insertSubscriptionPayment,
  lastPaidPeriod,
  listSubscriptionPayments,
  listSubscriptions,
  paymentsOfPhase,
  updateSubscription,
} from './subscriptions-repository.js';
import type { SubscriptionDueKind, SubscriptionPaymentKind, SubscriptionRowStatus, SubscriptionsTable } from './tables.js';

export interface SubscriptionServiceOptions {
  /** The buyer's authorisation page of a subscription (`normalUrl`). */
  pageUrl: (subscriptionId: string) => string;
  /** How long the buyer has to authorise when subscriptionExpiryTime is absent (docs: 30 minutes). */
  authorizationTtlMs: number;
  /** How far ahead subscriptionExpiryTime may be (docs: less than 48 hours after the request). */
  maxAuthorizationTtlMs: number;
  /** When a failed period's payment is tried again (the docs name no delay: a day). */
  retryDelayMs: number;
  /** What a new payment locks in other currencies (PaymentService.conversionsOf). */
  conversionsOf: PaymentService['conversionsOf'];
}

export const DEFAULT_SUBSCRIPTION_OPTIONS: Omit<SubscriptionServiceOptions, 'pageUrl' | 'conversionsOf'> = {
  authorizationTtlMs: 30 * 60_000,
  maxAuthorizationTtlMs: 48 * 3_600_000,
  retryDelayMs: 86_400_000,
};

/** subscriptionEndTime when none is given (the change page's default). */
export const DEFAULT_SUBSCRIPTION_END = '2099-12-31T23:59:59+08:00';
const DEFAULT_END_AT = Date.parse(DEFAULT_SUBSCRIPTION_END);

/** update: a next deduction date must be at least this far ahead (docs: Antom starts collecting 24 hours before it). */
const MIN_RESCHEDULE_NOTICE_MS = 24 * 3_600_000;

/** The code a retry can cure (the docs' allowRetry: "fails due to insufficient balance"). */
const RETRYABLE_CODE = 'USER_BALANCE_NOT_ENOUGH';

const LIST_LOOKBACK_MS = 7 * 86_400_000;

type ResultOnly = { result: Result };

/** What a due step does to the subscription row, and where its due work moves. */
interface Due {
  dueAt: number | null;
  dueKind: SubscriptionDueKind | null;
  duePhase: number | null;
  dueAttempt: number | null;
}

const NOTHING_DUE: Due = { dueAt: null, dueKind: null, duePhase: null, dueAttempt: null };

export class SubscriptionService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: SubscriptionServiceOptions,
    private readonly outbox: NotificationOutbox,
    private readonly refunds: RefundService,
  ) {}

  pageUrl(subscriptionId: string): string {
    return this.options.pageUrl(subscriptionId);
  }

  // ---------------------------------------------------------------------------
  // subscriptions/create and the buyer's decision

  async create(context: KeyedHandlerContext, request: SubscriptionCreateRequest): Promise<AnswerBody<'subscriptions/create'>> {
    const now = this.clock.now();
    const amount = parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    parseAmount(request.orderInfo.orderAmount, 'orderInfo.orderAmount');
    const { at: startAt, offset } = readTime(request.subscriptionStartTime, 'subscriptionStartTime');
    const endsAt = request.subscriptionEndTime === undefined ? DEFAULT_END_AT : readTime(request.subscriptionEndTime, 'subscriptionEndTime').at;
    if (endsAt <= startAt) throw AmsError.paramIllegal('subscriptionEndTime', 'must be after subscriptionStartTime');
    const authExpiresAt = request.subscriptionExpiryTime === undefined ? now + this.options.authorizationTtlMs : readTime(request.subscriptionExpiryTime, 'subscriptionExpiryTime').at;
    const trials = readTrials(request.trials, amount);
    // A settlement currency without a rate is refused now, not at the first period.
    this.options.conversionsOf(request, amount);
    const subscriptionId = newId('SUB', now);
    const subscriptionInfo = request.subscriptionInfo;
    const record: SubscriptionRecord = {
      subscriptionId,
      clientId: context.clientId,
      subscriptionRequestId: request.subscriptionRequestId,
      relatedSubscriptionId: null,
      status: 'PENDING',
      resultCode: 'PROCESSING',
      resultMessage: 'Waiting for the buyer to authorise the subscription',
      description: request.subscriptionDescription,
      redirectUrl: request.subscriptionRedirectUrl,
      notifyUrl: request.subscriptionNotificationUrl,
      paymentNotifyUrl: request.paymentNotificationUrl,
      paymentMethodType: request.paymentMethod.paymentMethodType,
      paymentMethod: request.paymentMethod,
      terminalType: request.env.terminalType,
      currency: amount.currency,
      amount: amount.minor,
      orderInfo: request.orderInfo,
      firstPhaseAmount: null,
      ...periodRuleColumns(request.periodRule),
      startAt,
      utcOffset: offset,
      anchorAt: startAt,
      anchorPhase: 1,
      endsAt,
      authExpiresAt,
      trials,
      allowRetry: request.allowRetry ?? subscriptionInfo?.allowRetry ?? false,
      retryMode: subscriptionInfo?.retryMode ?? ((request.allowRetry ?? subscriptionInfo?.allowRetry) ? 'MANUAL' : null),
      allowAccumulate: request.allowAccumulate ?? null,
      maxAccumulateAmount: request.maxAccumulateAmount ?? null,
      maxAmountFloor: request.maxAmountFloor ?? subscriptionInfo?.maxAmountFloor ?? null,
      fixedAmount: subscriptionInfo?.fixedAmount ?? null,
      customizedInfo: (request.customizedInfo as Record<string, string> | undefined) ?? null,
      settlementCurrency: request.settlementStrategy.settlementCurrency ?? null,
      firstPhase: null,
      dueAt: authExpiresAt,
      dueKind: 'AUTH_EXPIRY',
      duePhase: null,
      dueAttempt: null,
      failNextCode: null,
      revision: 0,
      createdAt: now,
      updatedAt: now,
      activatedAt: null,
      endedAt: null,
    };
    const subscription = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, subscriptionId, now, (id) => findSubscriptionById(tx, id));
      // A repeat answers the same page, whatever became of the subscription since.
      if (!claim.claimed) return claim.recorded;
      // Checked once the request creates the subscription: a late repeat must not fail on the clock.
      if (authExpiresAt <= now) throw AmsError.paramIllegal('subscriptionExpiryTime', 'must be in the future');
      if (authExpiresAt > now + this.options.maxAuthorizationTtlMs) throw AmsError.paramIllegal('subscriptionExpiryTime', 'must be less than 48 hours after the request');
      await insertSubscription(tx, rowOfSubscription(record, context.requestJson));
      return record;
    });
    const url = this.pageUrl(subscription.subscriptionId);
    return { result: { ...SUCCESS_RESULT }, normalUrl: url, ...appLinksOf(url, subscription.terminalType ?? undefined) };
  }

  /** The subscription behind an authorisation page (its unguessable id), closed first if the buyer's time is up. */
  async findForPage(subscriptionId: string): Promise<SubscriptionRecord | undefined> {
    const found = await findSubscriptionById(this.database.db, subscriptionId);
    if (found?.status === 'PENDING' && found.authExpiresAt <= this.clock.now()) {
      await this.runDueOf(subscriptionId);
      return findSubscriptionById(this.database.db, subscriptionId);
    }
    return found;
  }

  /**
   * The buyer's answer on the authorisation page (or the sandbox control
   * API): agree → ACTIVE, its first phase charged when due (now, if it has
   * started); refuse → TERMINATED. A subscription is decided once; an
   * unknown one → SUBSCRIPTION_NOT_EXIST, a decided or expired one →
   * PROCESS_FAIL.
   */
  async decide(subscriptionId: string, agree: boolean): Promise<{ subscription: SubscriptionRecord; redirectUrl: string }> {
    const now = this.clock.now();
    const found = await findSubscriptionById(this.database.db, subscriptionId);
    if (!found) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${subscriptionId}`);
    if (found.status === 'PENDING' && found.authExpiresAt <= now) await this.runDueOf(subscriptionId);
    const decided = await this.database.transaction(async (tx) => {
      const subscription = await findSubscriptionById(tx, subscriptionId);
      if (!subscription) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${subscriptionId}`);
      if (subscription.status !== 'PENDING') {
        throw new AmsError('PROCESS_FAIL', `The subscription was already decided: it is ${subscription.status} (${subscription.resultCode})`);
      }
      if (agree) {
        const { firstPhase, due } = this.activation(subscription, now);
        return this.move(tx, subscription, { status: 'ACTIVE', result_code: 'SUCCESS', result_message: 'success', activated_at: now, first_phase: firstPhase, ...dueColumns(due) }, now, {
          notice: ['CREATE', { ...SUCCESS_RESULT }],
        });
      }
      return this.move(tx, subscription, ended('PROCESS_FAIL', 'The buyer refused the subscription', now), now, {
        notice: ['CREATE', buildResult('PROCESS_FAIL', 'The buyer refused the subscription')],
      });
    });
    if (decided.status === 'ACTIVE') await this.stepsOf(subscriptionId, Math.max(this.clock.now(), now + 1));
    return { subscription: decided, redirectUrl: decided.redirectUrl };
  }

  /**
   * Where an activated (or changed) subscription starts charging: phase 1
   * at its start, or the phase running now, charged at once: 1 ms after the
   * event that activated it, so its notifyPayment follows the
   * notifySubscription that announced it.
   */
  private activation(subscription: SubscriptionRecord, now: number): { firstPhase: number; due: Due } {
    const clock = periodClockOf(subscription);
    if (now >= subscription.endsAt) return { firstPhase: subscription.anchorPhase, due: { dueAt: now + 1, dueKind: 'END', duePhase: null, dueAttempt: null } };
    if (now < subscription.anchorAt) return { firstPhase: subscription.anchorPhase, due: periodDue(subscription.anchorPhase, 1, Math.max(subscription.anchorAt, now + 1)) };
    const phase = phaseAt(clock, now);
    return { firstPhase: phase, due: periodDue(phase, 1, now + 1) };
  }

  // ---------------------------------------------------------------------------
  // Due work: authorisation expiries, period payments, ends

  /** Does everything due now, each subscription's steps in order; returns how many steps it did. */
  async runDue(limit = 100): Promise<number> {
    const now = this.clock.now();
    let steps = 0;
    for (;;) {
      const ids = await dueSubscriptionIds(this.database.db, now, limit);
      let progressed = 0;
      for (const id of ids) progressed += await this.stepsOf(id, now);
      steps += progressed;
      // A full batch may hide more; one where nothing moved (another process holds them) ends the run.
      if (ids.length < limit || progressed === 0) return steps;
    }
  }

  /** Does what is due of one subscription now (after the buyer agreed, a change). */
  async runDueOf(subscriptionId: string): Promise<number> {
    return this.stepsOf(subscriptionId, this.clock.now());
  }

  private async stepsOf(subscriptionId: string, now: number): Promise<number> {
    let steps = 0;
    // Bounded: each step moves the subscription's due time on, or ends its due work.
    for (let i = 0; i < 100_000; i++) {
      const outcome = await this.database.transaction((tx) => this.step(tx, subscriptionId, now));
      if (outcome === 'idle') return steps;
      if (outcome === 'done') steps++;
    }
    return steps;
  }

  /** One due step: 'done', 'idle' (nothing due), or 'raced' (another process moved it first: look again). */
  private async step(tx: Tx, subscriptionId: string, now: number): Promise<'done' | 'idle' | 'raced'> {
    const subscription = await findSubscriptionById(tx, subscriptionId);
    if (!subscription || subscription.dueAt === null || subscription.dueAt > now) return 'idle';
    const at = subscription.dueAt;
    switch (subscription.dueKind) {
      case 'AUTH_EXPIRY':
        if (subscription.status !== 'PENDING') return (await this.claim(tx, subscription, { ...dueColumns(NOTHING_DUE) }, at)) ? 'done' : 'raced';
        return (await this.tryMove(tx, subscription, ended('ORDER_IS_CLOSED', 'The buyer did not authorise the subscription before subscriptionExpiryTime', at), at, {
          notice: ['CREATE', buildResult('ORDER_IS_CLOSED', 'The buyer did not authorise the subscription before subscriptionExpiryTime')],
        })) ? 'done' : 'raced';
      case 'END':
        return (await this.tryMove(tx, subscription, ended('SUCCESS', 'The subscription reached its subscriptionEndTime', at), at, {
          notice: ['TERMINATE', buildResult('SUCCESS', 'The subscription reached its subscriptionEndTime')],
        })) ? 'done' : 'raced';
      case 'PERIOD':
        return (await this.chargePeriod(tx, subscription, at)) ? 'done' : 'raced';
      default:
        return (await this.claim(tx, subscription, { ...dueColumns(NOTHING_DUE) }, at)) ? 'done' : 'raced';
    }
  }

  /**
   * Charges the due phase's attempt at its due time `at`: a payment (or
   * nothing for a free trial phase), then the next due work: the next
   * phase, a retry, the end, or, for a final failure, termination.
   */
  private async chargePeriod(tx: Tx, subscription: SubscriptionRecord, at: number): Promise<boolean> {
    const phase = subscription.duePhase ?? subscription.anchorPhase;
    const attempt = subscription.dueAttempt ?? 1;
    const clock = periodClockOf(subscription);
    const start = phaseStart(clock, phase);
    const end = phaseEnd(clock, phase);
    const earlier = attempt > 1 ? await paymentsOfPhase(tx, subscription.subscriptionId, phase) : [];
    const firstAttempt = earlier.find((payment) => payment.kind === 'PERIOD' && payment.attempt === 1);
    const minor = firstAttempt ? firstAttempt.amount : amountOfPhase(subscription, phase);
    const currency = firstAttempt ? firstAttempt.currency : subscription.currency;
    if (minor === 0n) return this.claim(tx, subscription, dueColumns(nextPhaseDue(subscription, phase + 1)), at);

    const failCode = subscription.failNextCode;
    const retryAt = at + this.options.retryDelayMs;
    const retries = failCode === RETRYABLE_CODE && subscription.allowRetry && attempt === 1 && retryAt < subscription.endsAt;
    const changes: Updateable<SubscriptionsTable> = failCode === null
      ? dueColumns(nextPhaseDue(subscription, phase + 1))
      : retries
        ? dueColumns(periodDue(phase, attempt + 1, retryAt))
        : ended(failCode, `The payment of phase ${phase} failed (${failCode})`, at);
    const moved = await this.moveOrRace(tx, subscription, { ...changes, fail_next_code: null }, at, {});
    if (!moved) return false;
    const attempts = subscription.allowRetry
      ? [...earlier.filter((payment) => payment.kind === 'PERIOD').map((payment) => ({ at: payment.createdAt, resultCode: payment.resultCode })), { at, resultCode: failCode ?? 'SUCCESS' }]
      : undefined;
    await this.makePayment(tx, moved, {
      kind: 'PERIOD', phase, attempt, at, money: { currency, minor }, failCode,
      period: { phase, start, end, ...(attempts ? { attempts, availableRetries: retries ? 1 : 0 } : {}) },
    });
    // The end it caused is told after the payment (1 ms later, so notifications sort and go out in that order).
    if (failCode !== null && !retries) await this.notify(tx, moved, 'TERMINATE', buildResult(outcomeCode(failCode), `The payment of phase ${phase} failed: the subscription is terminated`), at + 1);
    return true;
  }

  /**
   * A subscription's payment at `at`, with its PAYMENT transaction, journal
   * (when paid), its (subscription, kind, phase, attempt) row and notifyPayment.
   */
  private async makePayment(
    tx: Tx,
    subscription: SubscriptionRecord,
    charge: { kind: SubscriptionPaymentKind; phase: number; attempt: number; at: number; money: Money; failCode: string | null; period: PeriodOfPayment },
  ): Promise<PaymentRecord> {
    const { at, money, failCode } = charge;
    const paymentId = newId('PAY', at);
    const { settlement, buyerPayment } = this.options.conversionsOf({ settlementStrategy: { ...(subscription.settlementCurrency !== null ? { settlementCurrency: subscription.settlementCurrency } : {}) }, paymentMethod: subscription.paymentMethod }, money);
    const message = failCode === null ? 'success' : RESULT_CODES[outcomeCode(failCode)].message;
    const payment: PaymentRecord = {
      paymentId,
      clientId: subscription.clientId,
      // Antom makes these payments, so it names them: the subscription, the phase and the attempt (P: a proration charge).
      paymentRequestId: `${subscription.subscriptionId}-${charge.kind === 'PERIOD' ? '' : 'P'}${charge.phase}-${charge.attempt}`,
      productCode: 'AGREEMENT_PAYMENT',
      status: failCode === null ? 'SUCCESS' : 'FAIL',
      resultCode: failCode ?? 'SUCCESS',
      resultMessage: message,
      currency: money.currency,
      amount: money.minor,
      paymentMethodType: subscription.paymentMethodType,
      paymentMethodId: subscription.paymentMethod.paymentMethodId ?? null,
      referenceOrderId: subscription.subscriptionRequestId,
      orderDescription: subscription.description,
      redirectUrl: null,
      notifyUrl: subscription.paymentNotifyUrl,
      createdAt: at,
      updatedAt: at,
      expiresAt: at,
      paidAt: failCode === null ? at : null,
      closedAt: failCode === null ? null : at,
      settlement,
      metadata: null,
      taxCalculationId: null,
      buyerPayment,
      card: null,
      walletCustomer: null,
    };
    const requestJson = JSON.stringify({ subscriptionId: subscription.subscriptionId, subscriptionRequestId: subscription.subscriptionRequestId, kind: charge.kind, phaseNo: charge.phase, attempt: charge.attempt });
    await insertPaymentWithTransaction(tx, payment, requestJson);
    if (payment.status === 'SUCCESS') {
      await recordJournal(tx, {
        clientId: payment.clientId, paymentId, movement: 'PAY', now: at,
        lines: [
          { account: accounts.paymentMethod(payment.paymentMethodType), currency: payment.currency, amount: -payment.amount },
          { account: accounts.merchantBalance(payment.clientId), currency: payment.currency, amount: payment.amount },
        ],
      });
    }
    await insertSubscriptionPayment(tx, {
      subscription_id: subscription.subscriptionId, kind: charge.kind, phase_no: charge.phase, attempt: charge.attempt, payment_id: paymentId, client_id: payment.clientId,
      status: payment.status === 'SUCCESS' ? 'SUCCESS' : 'FAIL', result_code: payment.resultCode, currency: payment.currency, amount: payment.amount,
      period_start: charge.period.start, period_end: charge.period.end, created_at: at, paid_at: payment.paidAt,
    });
    await this.outbox.record(tx, {
      clientId: payment.clientId, notifyType: 'SUBSCRIPTION_PAYMENT_RESULT', eventKey: `payment:${paymentId}`, resourceId: paymentId,
      requestUrl: subscription.paymentNotifyUrl, body: subscriptionPaymentBody(subscription, payment, charge.period),
    }, at);
    return payment;
  }

  // ---------------------------------------------------------------------------
  // subscriptions/cancel

  async cancel(clientId: string, request: SubscriptionCancelRequest): Promise<ResultOnly> {
    const type = request.cancellationType;
    for (let tries = 0; tries < 5; tries++) {
      const now = this.clock.now();
      const outcome = await this.database.transaction(async (tx) => {
        const subscription = request.subscriptionId !== undefined
          ? await findSubscription(tx, clientId, request.subscriptionId)
          : await findSubscriptionByRequestId(tx, clientId, request.subscriptionRequestId ?? '');
        // The cancel page documents PARAM_ILLEGAL and PROCESS_FAIL only: an unknown subscription is a process failure here.
        if (!subscription) throw new AmsError('PROCESS_FAIL', request.subscriptionId !== undefined ? `No subscription ${request.subscriptionId}` : `No subscription with subscriptionRequestId ${request.subscriptionRequestId}`);
        switch (subscription.status) {
          case 'TERMINATED':
            if (type === 'TERMINATE') return 'done';
            throw new AmsError('PROCESS_FAIL', `The subscription is already terminated (${subscription.resultCode}); it cannot be cancelled`);
          case 'CANCELLED':
            if (type === 'CANCEL') return 'done';
            return (await this.stop(tx, subscription, type, now)) ? 'done' : 'raced';
          case 'PENDING':
            return (await this.tryMove(tx, subscription, ended('PROCESS_FAIL', 'The merchant cancelled the subscription before the buyer authorised it', now), now, {
              notice: ['CREATE', buildResult('PROCESS_FAIL', 'The merchant cancelled the subscription before the buyer authorised it')],
            })) ? 'done' : 'raced';
          case 'ACTIVE':
            return (await this.stop(tx, subscription, type, now)) ? 'done' : 'raced';
        }
      });
      if (outcome === 'done') return { result: { ...SUCCESS_RESULT } };
    }
    throw new AmsError('UNKNOWN_EXCEPTION', 'The subscription kept changing while cancelling; retry the cancel');
  }

  /** CANCEL → CANCELLED, TERMINATE → TERMINATED: no more periods; notifySubscription and the cancel notification. */
  private async stop(tx: Tx, subscription: SubscriptionRecord, type: 'CANCEL' | 'TERMINATE', now: number): Promise<boolean> {
    const status: SubscriptionRowStatus = type === 'CANCEL' ? 'CANCELLED' : 'TERMINATED';
    const message = type === 'CANCEL' ? 'The merchant cancelled the subscription' : 'The merchant terminated the subscription';
    const moved = await this.moveOrRace(tx, subscription, { status, result_code: 'SUCCESS', result_message: message, ended_at: now, ...dueColumns(NOTHING_DUE) }, now, {
      notice: [type, buildResult('SUCCESS', message)],
    });
    if (!moved) return false;
    // 1 ms after the notifySubscription, so the two sort and go out in that order.
    await this.outbox.record(tx, {
      clientId: moved.clientId, notifyType: 'SUBSCRIPTION_RESULT', eventKey: `subscription-${type.toLowerCase()}-order:${moved.subscriptionId}`, resourceId: moved.subscriptionId,
      requestUrl: moved.notifyUrl, body: subscriptionCancelBody(moved, type, await lastPaidPeriod(tx, moved.subscriptionId)),
    }, now + 1);
    return true;
  }

  // ---------------------------------------------------------------------------
  // subscriptions/change

  /**
   * Replaces an active subscription with a changed one: a new
   * subscriptionId (its `relatedSubscriptionId` the old one, which is
   * TERMINATED), the same subscriptionRequestId, the fields the request
   * gives and the old values for the rest, its phases from
   * subscriptionStartTime (default: now). `paymentAmountDifference`, when
   * given, is what its first phase charges (the upgrade difference for the
   * period already paid); later phases charge paymentAmount. Notified as
   * CHANGE; the first phase is charged when due (now, if it has started).
   */
  async change(context: KeyedHandlerContext, request: SubscriptionChangeRequest): Promise<ResultOnly> {
    const now = this.clock.now();
    const amount = request.paymentAmount === undefined ? undefined : parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    const difference = request.paymentAmountDifference === undefined ? undefined : parseAmount(request.paymentAmountDifference, 'paymentAmountDifference');
    if (request.orderInfo) parseAmount(request.orderInfo.orderAmount, 'orderInfo.orderAmount');
    const start = request.subscriptionStartTime === undefined ? undefined : readTime(request.subscriptionStartTime, 'subscriptionStartTime');
    const endsAt = request.subscriptionEndTime === undefined ? DEFAULT_END_AT : readTime(request.subscriptionEndTime, 'subscriptionEndTime').at;
    // A change needs no new authorisation here: its expiry time is only read.
    if (request.subscriptionExpiryTime !== undefined) readTime(request.subscriptionExpiryTime, 'subscriptionExpiryTime');
    const newSubscriptionId = newId('SUB', now);
    const changed = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, newSubscriptionId, now, (id) => findSubscriptionById(tx, id));
      if (!claim.claimed) return undefined;
      const old = await findSubscription(tx, context.clientId, request.subscriptionId);
      if (!old) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${request.subscriptionId}`);
      if (old.status !== 'ACTIVE') throw new AmsError('PROCESS_FAIL', `Only an active subscription can be changed; ${old.subscriptionId} is ${old.status === 'PENDING' ? 'not authorised yet' : old.status}`);
      const currency = amount?.currency ?? old.currency;
      if (difference !== undefined && difference.currency !== currency) {
        throw new AmsError('CURRENCY_NOT_SUPPORT', `paymentAmountDifference.currency ${difference.currency} differs from the subscription's ${currency}`);
      }
      const startAt = start?.at ?? now;
      if (endsAt <= startAt) throw AmsError.paramIllegal('subscriptionEndTime', 'must be after subscriptionStartTime');
      const rule = request.periodRule === undefined ? { periodType: old.periodType, periodCount: old.periodCount, periodExtra: old.periodExtra } : periodRuleColumns(request.periodRule);
      if (amount) this.options.conversionsOf({ settlementStrategy: old.settlementCurrency === null ? {} : { settlementCurrency: old.settlementCurrency }, paymentMethod: old.paymentMethod }, amount);
      const draft: SubscriptionRecord = {
        ...old,
        subscriptionId: newSubscriptionId,
        relatedSubscriptionId: old.subscriptionId,
        status: 'ACTIVE',
        resultCode: 'SUCCESS',
        resultMessage: 'success',
        description: request.subscriptionDescription ?? old.description,
        currency,
        amount: amount?.minor ?? old.amount,
        orderInfo: request.orderInfo ?? old.orderInfo,
        firstPhaseAmount: difference?.minor ?? null,
        ...rule,
        startAt,
        utcOffset: start?.offset ?? old.utcOffset,
        anchorAt: startAt,
        anchorPhase: 1,
        endsAt,
        authExpiresAt: now,
        // Trials belong to the subscription the buyer signed up for, not to its change.
        trials: [],
        allowAccumulate: request.allowAccumulate ?? old.allowAccumulate,
        maxAccumulateAmount: request.maxAccumulateAmount ?? old.maxAccumulateAmount,
        failNextCode: old.failNextCode,
        revision: 0,
        createdAt: now,
        updatedAt: now,
        activatedAt: now,
        endedAt: null,
        ...NOTHING_DUE,
      };
      const { firstPhase, due } = this.activation(draft, now);
      const record: SubscriptionRecord = { ...draft, firstPhase, ...due };
      const replaced = await this.moveOrRace(tx, old, { ...ended('SUCCESS', `Changed: replaced by subscription ${newSubscriptionId}`, now), fail_next_code: null }, now, {});
      if (!replaced) throw new AmsError('UNKNOWN_EXCEPTION', 'The subscription changed meanwhile; retry the change');
      await insertSubscription(tx, rowOfSubscription(record, context.requestJson));
      await this.notify(tx, record, 'CHANGE', { ...SUCCESS_RESULT }, now);
      return record;
    });
    if (changed) await this.stepsOf(changed.subscriptionId, Math.max(this.clock.now(), now + 1));
    return { result: { ...SUCCESS_RESULT } };
  }

  // ---------------------------------------------------------------------------
  // subscriptions/update

  /**
   * Updates an active subscription in place, from its next phase not yet
   * charged: paymentAmount (upgrade or downgrade), periodRule (the new
   * rule's phases start where the next one would have), nextSubscriptionDate
   * (the next deduction moved: within one period of the scheduled one and at
   * least 24 hours ahead, else PROCESS_FAIL, as the docs say),
   * subscriptionEndTime, description and order. prorationSettings charges
   * (IMMEDIATE_PAY_CUSTOM_AMOUNT) or refunds from the last paid period
   * (IMMEDIATE_REFUND_CUSTOM_AMOUNT) its customAmount now. Notified as UPDATE.
   */
  async update(context: KeyedHandlerContext, request: SubscriptionUpdateRequest): Promise<ResultOnly> {
    const now = this.clock.now();
    const amount = request.paymentAmount === undefined ? undefined : parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    parseAmount(request.orderInfo.orderAmount, 'orderInfo.orderAmount');
    const endsAt = request.subscriptionEndTime === undefined ? undefined : readTime(request.subscriptionEndTime, 'subscriptionEndTime').at;
    const nextDate = request.nextSubscriptionDate === undefined ? undefined : readTime(request.nextSubscriptionDate, 'nextSubscriptionDate').at;
    const proration = request.prorationSettings;
    const custom = proration === undefined ? undefined : proration.customAmount === undefined
      ? (() => { throw AmsError.paramIllegal('prorationSettings.customAmount', `is required with prorationMode ${proration.prorationMode}`); })()
      : parsePositiveAmount(proration.customAmount, 'prorationSettings.customAmount');

    // Checked first, so a refused update refunds nothing; the update itself re-reads and re-checks in its transaction.
    const current = await findSubscription(this.database.db, context.clientId, request.subscriptionId);
    if (!current) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${request.subscriptionId}`);
    const replay = await this.database.read((tx) => claimedBefore(tx, context));
    // When the update is told (notifySubscription UPDATE): after the refund it made, if any, whose notifyRefund comes first.
    let at = now;
    if (!replay) {
      this.planUpdate(current, request, { amount, endsAt, nextDate, now });
      if (proration?.prorationMode === 'IMMEDIATE_REFUND_CUSTOM_AMOUNT' && custom) {
        await this.refundProration(context, current, custom);
        at = this.clock.now() + 1;
      }
    }

    await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, request.subscriptionId, now, (id) => findSubscriptionById(tx, id));
      if (!claim.claimed) return;
      const subscription = await findSubscription(tx, context.clientId, request.subscriptionId);
      if (!subscription) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${request.subscriptionId}`);
      const changes = this.planUpdate(subscription, request, { amount, endsAt, nextDate, now });
      const moved = await this.moveOrRace(tx, subscription, { ...changes, order_info: JSON.stringify(request.orderInfo) }, at, { notice: ['UPDATE', { ...SUCCESS_RESULT }] });
      if (!moved) throw new AmsError('UNKNOWN_EXCEPTION', 'The subscription changed meanwhile; retry the update');
      if (proration?.prorationMode === 'IMMEDIATE_PAY_CUSTOM_AMOUNT' && custom) {
        const phase = Math.max(moved.firstPhase ?? 1, nextUnchargedPhase(subscription, now) - 1);
        const clock = periodClockOf(moved);
        const earlier = await paymentsOfPhase(tx, moved.subscriptionId, phase);
        const failCode = moved.failNextCode;
        if (failCode !== null) await updateSubscription(tx, moved.subscriptionId, moved.revision, { fail_next_code: null });
        // 1 ms after the update it belongs to, so its notifyPayment follows the UPDATE.
        await this.makePayment(tx, moved, {
          kind: 'PRORATION', phase, attempt: earlier.filter((payment) => payment.kind === 'PRORATION').length + 1, at: at + 1, money: custom, failCode,
          period: { phase, start: phaseStart(clock, phase), end: phaseEnd(clock, phase) },
        });
      }
    });
    return { result: { ...SUCCESS_RESULT } };
  }

  /** The row changes of an update, or the refusal (PROCESS_FAIL, CURRENCY_NOT_SUPPORT, PARAM_ILLEGAL). */
  private planUpdate(
    subscription: SubscriptionRecord,
    request: SubscriptionUpdateRequest,
    input: { amount: Money | undefined; endsAt: number | undefined; nextDate: number | undefined; now: number },
  ): Updateable<SubscriptionsTable> {
    const { amount, endsAt, nextDate, now } = input;
    if (subscription.status !== 'ACTIVE') {
      throw new AmsError('PROCESS_FAIL', `Only an active subscription can be updated; ${subscription.subscriptionId} is ${subscription.status === 'PENDING' ? 'not authorised yet' : subscription.status}`);
    }
    if (amount && amount.currency !== subscription.currency) {
      throw new AmsError('CURRENCY_NOT_SUPPORT', `paymentAmount.currency ${amount.currency} differs from the subscription's ${subscription.currency}; change the subscription instead`);
    }
    const proration = request.prorationSettings?.customAmount;
    if (proration && proration.currency !== subscription.currency) {
      throw new AmsError('CURRENCY_NOT_SUPPORT', `prorationSettings.customAmount.currency ${proration.currency} differs from the subscription's ${subscription.currency}`);
    }
    if (endsAt !== undefined && endsAt <= now) throw AmsError.paramIllegal('subscriptionEndTime', 'must be in the future');
    const next = nextUnchargedPhase(subscription, now);
    const oldClock = periodClockOf(subscription);
    const scheduled = phaseStart(oldClock, next);
    let anchor = { anchorAt: subscription.anchorAt, anchorPhase: subscription.anchorPhase };
    const rule = request.periodRule === undefined ? undefined : periodRuleColumns(request.periodRule);
    if (rule) anchor = { anchorAt: scheduled, anchorPhase: next };
    if (nextDate !== undefined) {
      if (nextDate < now + MIN_RESCHEDULE_NOTICE_MS) throw new AmsError('PROCESS_FAIL', 'nextSubscriptionDate must be at least 24 hours from now');
      const periodMs = phaseEnd(oldClock, next) - scheduled;
      if (Math.abs(nextDate - scheduled) > periodMs) throw new AmsError('PROCESS_FAIL', 'nextSubscriptionDate may move the next deduction by at most one period');
      anchor = { anchorAt: nextDate, anchorPhase: next };
    }
    const updated: SubscriptionRecord = {
      ...subscription,
      ...(rule ?? {}),
      ...anchor,
      endsAt: endsAt ?? subscription.endsAt,
      amount: amount?.minor ?? subscription.amount,
    };
    const retryPending = subscription.dueKind === 'PERIOD' && (subscription.dueAttempt ?? 1) > 1;
    const due = retryPending ? undefined : nextPhaseDue(updated, next);
    return {
      description: request.subscriptionDescription ?? subscription.description,
      amount: updated.amount,
      period_type: updated.periodType,
      period_count: updated.periodCount,
      period_extra: updated.periodExtra === null ? null : JSON.stringify(updated.periodExtra),
      anchor_at: updated.anchorAt,
      anchor_phase: updated.anchorPhase,
      ends_at: updated.endsAt,
      ...(due ? dueColumns(due) : {}),
    };
  }

  /** IMMEDIATE_REFUND_CUSTOM_AMOUNT: a refund of the last paid period's payment, keyed by the update (a repeat refunds once). */
  private async refundProration(context: KeyedHandlerContext, subscription: SubscriptionRecord, amount: Money): Promise<void> {
    const paid = await lastPaidPeriod(this.database.db, subscription.subscriptionId);
    if (!paid) throw new AmsError('PROCESS_FAIL', 'prorationSettings: the subscription has no paid period to refund from');
    const refundRequestId = `SUBUPD-${createHash('sha256').update(`${subscription.subscriptionId}\n${context.idempotencyKey.requestId}`).digest('hex').slice(0, 40)}`;
    const refundAmount = amountValue(amount.currency, amount.minor);
    await this.refunds.refund({
      clientId: context.clientId,
      requestJson: JSON.stringify({ refundRequestId, paymentId: paid.paymentId, refundAmount }),
      idempotencyKey: {
        clientId: context.clientId, scope: 'refund', requestId: refundRequestId, idName: 'refundRequestId',
        fingerprint: () => ({ paymentId: paid.paymentId, 'refundAmount.currency': refundAmount.currency, 'refundAmount.value': refundAmount.value, captureId: null }),
      },
    }, { refundRequestId, paymentId: paid.paymentId, refundAmount, refundReason: 'subscription update proration' });
  }

  // ---------------------------------------------------------------------------
  // Sandbox control

  /** Sandbox: the subscription's next payment attempt (a period's, a retry, a proration charge) fails with `resultCode`. */
  async failNextPayment(subscriptionId: string, resultCode: string): Promise<SubscriptionRecord> {
    if (!isPaymentOutcomeCode(resultCode)) throw AmsError.paramIllegal('resultCode', `must be a code a payment fails with (USER_BALANCE_NOT_ENOUGH, RISK_REJECT, …), got ${resultCode}`);
    for (let tries = 0; tries < 5; tries++) {
      const now = this.clock.now();
      const done = await this.database.transaction(async (tx) => {
        const subscription = await findSubscriptionById(tx, subscriptionId);
        if (!subscription) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${subscriptionId}`);
        if (subscription.status === 'CANCELLED' || subscription.status === 'TERMINATED') {
          throw new AmsError('PROCESS_FAIL', `The subscription is ${subscription.status}: it makes no more payments`);
        }
        return (await updateSubscription(tx, subscriptionId, subscription.revision, { fail_next_code: resultCode, updated_at: now })) ? { ...subscription, failNextCode: resultCode } : undefined;
      });
      if (done) return done;
    }
    throw new AmsError('UNKNOWN_EXCEPTION', 'The subscription kept changing; try again');
  }

  // ---------------------------------------------------------------------------
  // Inquiries

  async inquiry(clientId: string, request: SubscriptionsInquiryRequest): Promise<AnswerBody<'subscriptions/inquiry'>> {
    const subscription = await this.lookUp(clientId, request.subscriptionId, request.subscriptionRequestId);
    return inquiryAnswerOf(subscription);
  }

  async inquire(clientId: string, request: SubscriptionInquireRequest): Promise<AnswerBody<'payments/inquire'>> {
    const subscription = await this.lookUp(clientId, request.subscriptionId, request.merchantSubscriptionId);
    return inquireAnswerOf(subscription, this.clock.now());
  }

  async inquireSubscription(clientId: string, request: InquireSubscriptionRequest): Promise<AnswerBody<'subscriptions/inquireSubscription'>> {
    const subscription = await findSubscription(this.database.db, clientId, request.subscriptionId);
    if (!subscription) throw new AmsError('SUBSCRIPTION_NOT_EXIST', `No subscription ${request.subscriptionId}`);
    return { result: { ...SUCCESS_RESULT }, subscription: subscriptionInfoOf(subscription, this.clock.now()) };
  }

  async inquireList(clientId: string, request: InquireSubscriptionListRequest): Promise<AnswerBody<'subscriptions/inquireSubscriptionList'>> {
    const now = this.clock.now();
    const startFrom = request.startTimeFrom === undefined ? now - LIST_LOOKBACK_MS : readTime(request.startTimeFrom, 'startTimeFrom').at;
    const startTo = request.startTimeTo === undefined ? now : readTime(request.startTimeTo, 'startTimeTo').at;
    if (startTo < startFrom) throw AmsError.paramIllegal('startTimeTo', 'must not be before startTimeFrom');
    const currentPage = request.currentPage ?? 1;
    const pageSize = request.pageSize ?? 10;
    const statuses = request.statuses && request.statuses.length > 0 ? request.statuses : (['ACTIVE', 'CANCELLED', 'TERMINATED'] as const);
    const page = await listSubscriptions(this.database.db, {
      clientId, startFrom, startTo, statuses, paymentMethodTypes: request.paymentMethodTypes ?? [], currencies: request.currencies ?? [], periodTypes: request.periodTypes ?? [],
      offset: (currentPage - 1) * pageSize, limit: pageSize,
    });
    return {
      result: { ...SUCCESS_RESULT },
      subscriptions: page.subscriptions.map((subscription) => subscriptionInfoOf(subscription, now)),
      paginator: paginatorOf(currentPage, pageSize, page.total),
    };
  }

  /** A subscription's payments; an unknown subscription has none (the docs: the list may be empty when subscriptionId does not exist). */
  async inquirePayments(clientId: string, request: InquireSubscriptionPaymentRequest): Promise<AnswerBody<'subscriptions/inquireSubscriptionPayment'>> {
    const currentPage = request.currentPage ?? 1;
    const pageSize = request.pageSize ?? 10;
    const subscription = await findSubscription(this.database.db, clientId, request.subscriptionId);
    if (!subscription) return { result: { ...SUCCESS_RESULT }, payments: [], paginator: paginatorOf(currentPage, pageSize, 0) };
    const page = await listSubscriptionPayments(this.database.db, subscription.subscriptionId, { statuses: request.paymentStatuses ?? [], offset: (currentPage - 1) * pageSize, limit: pageSize });
    return {
      result: { ...SUCCESS_RESULT },
      payments: page.payments.map((payment) => subscriptionTransactionOf(subscription, payment)),
      paginator: paginatorOf(currentPage, pageSize, page.total),
    };
  }

  /** The payments a subscription made (every kind and attempt), newest first: for the dashboard and tests. */
  async paymentsOf(subscriptionId: string): Promise<SubscriptionPaymentRecord[]> {
    return (await listSubscriptionPayments(this.database.db, subscriptionId, { statuses: [], offset: 0, limit: 10_000 })).payments;
  }

  private async lookUp(clientId: string, subscriptionId: string | undefined, subscriptionRequestId: string | undefined): Promise<SubscriptionRecord> {
    const subscription = subscriptionId !== undefined
      ? await findSubscription(this.database.db, clientId, subscriptionId)
      : await findSubscriptionByRequestId(this.database.db, clientId, subscriptionRequestId ?? '');
    if (!subscription) {
      throw new AmsError('SUBSCRIPTION_NOT_EXIST', subscriptionId !== undefined ? `No subscription ${subscriptionId}` : `No subscription with request id ${subscriptionRequestId}`);
    }
    return subscription;
  }

  // ---------------------------------------------------------------------------
  // Moving a subscription

  /** Claims the subscription (its revision) and applies `changes`: false when another request or process changed it first. */
  private async claim(tx: Tx, subscription: SubscriptionRecord, changes: Updateable<SubscriptionsTable>, now: number): Promise<boolean> {
    return updateSubscription(tx, subscription.subscriptionId, subscription.revision, { ...changes, updated_at: now });
  }

  /** `claim`, then the subscription as it now is and its notifySubscription, if one is given; undefined when it raced. */
  private async moveOrRace(
    tx: Tx,
    subscription: SubscriptionRecord,
    changes: Updateable<SubscriptionsTable>,
    now: number,
    effects: { notice?: [SubscriptionNotificationType, Result] },
  ): Promise<SubscriptionRecord | undefined> {
    if (!(await this.claim(tx, subscription, changes, now))) return undefined;
    const moved = (await findSubscriptionById(tx, subscription.subscriptionId))!;
    if (effects.notice) await this.notify(tx, moved, effects.notice[0], effects.notice[1], now);
    return moved;
  }

  private async tryMove(tx: Tx, subscription: SubscriptionRecord, changes: Updateable<SubscriptionsTable>, now: number, effects: { notice?: [SubscriptionNotificationType, Result] }): Promise<boolean> {
    return (await this.moveOrRace(tx, subscription, changes, now, effects)) !== undefined;
  }

  /** `moveOrRace` for a caller that cannot lose the race (it holds the only way to the state): UNKNOWN_EXCEPTION if it did. */
  private async move(tx: Tx, subscription: SubscriptionRecord, changes: Updateable<SubscriptionsTable>, now: number, effects: { notice?: [SubscriptionNotificationType, Result] }): Promise<SubscriptionRecord> {
    const moved = await this.moveOrRace(tx, subscription, changes, now, effects);
    if (!moved) throw new AmsError('UNKNOWN_EXCEPTION', 'The subscription changed meanwhile; try again');
    return moved;
  }

  private async notify(tx: Tx, subscription: SubscriptionRecord, type: SubscriptionNotificationType, result: Result, now: number): Promise<void> {
    await this.outbox.record(tx, {
      clientId: subscription.clientId,
      notifyType: 'SUBSCRIPTION_RESULT',
      // One per change of the subscription: its revision after the change.
      eventKey: `subscription:${subscription.subscriptionId}:${subscription.revision}`,
      resourceId: subscription.subscriptionId,
      requestUrl: subscription.notifyUrl,
      body: subscriptionNoticeBody(subscription, type, result),
    }, now);
  }
}

// -----------------------------------------------------------------------------

/** A request's date-time: epoch ms and the UTC offset it is written in; PARAM_ILLEGAL naming the field otherwise. */
function readTime(text: string, field: string): { at: number; offset: number } {
  const at = parseWireTime(text);
  if (at === undefined) throw AmsError.paramIllegal(field, `is not a date-time: "${text}"`);
  return { at, offset: utcOffsetOf(text) ?? 0 };
}

function periodRuleColumns(rule: PeriodRule): Pick<SubscriptionRecord, 'periodType' | 'periodCount' | 'periodExtra'> {
  const extra = { ...(rule.period !== undefined ? { period: rule.period } : {}), ...(rule.price !== undefined ? { price: rule.price } : {}) };
  return { periodType: rule.periodType, periodCount: rule.periodCount, periodExtra: Object.keys(extra).length > 0 ? extra : null };
}

/**
 * The trials as kept: each with its end period (trialEndPeriod, else
 * trialStartPeriod + trialPeriod − 1, else its start period), in the
 * subscription's currency, at most its amount, not overlapping.
 */
function readTrials(trials: readonly Trial[] | undefined, amount: Money): Trial[] {
  const kept = (trials ?? []).map((trial, index) => {
    const field = `trials[${index}]`;
    const trialAmount = parseAmount(trial.trialAmount, `${field}.trialAmount`);
    if (trialAmount.currency !== amount.currency) throw new AmsError('CURRENCY_NOT_SUPPORT', `${field}.trialAmount.currency ${trialAmount.currency} differs from paymentAmount's ${amount.currency}`);
    if (trialAmount.minor > amount.minor) throw AmsError.paramIllegal(`${field}.trialAmount.value`, 'must not exceed paymentAmount.value');
    const end = trial.trialEndPeriod ?? trial.trialStartPeriod + (trial.trialPeriod ?? 1) - 1;
    if (end < trial.trialStartPeriod) throw AmsError.paramIllegal(`${field}.trialEndPeriod`, 'must not be before trialStartPeriod');
    return { ...trial, trialEndPeriod: end };
  });
  const sorted = [...kept].sort((a, b) => a.trialStartPeriod - b.trialStartPeriod);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.trialStartPeriod <= sorted[i - 1]!.trialEndPeriod!) throw AmsError.paramIllegal('trials', `trial periods overlap at period ${sorted[i]!.trialStartPeriod}`);
  }
  return kept;
}

/** What a phase charges: its trial's amount, the changed subscription's first-phase amount, or the regular amount. */
function amountOfPhase(subscription: SubscriptionRecord, phase: number): bigint {
  const trial = subscription.trials.find((t) => phase >= t.trialStartPeriod && phase <= (t.trialEndPeriod ?? t.trialStartPeriod));
  if (trial) return BigInt(trial.trialAmount.value);
  if (phase === 1 && subscription.firstPhaseAmount !== null) return subscription.firstPhaseAmount;
  return subscription.amount;
}

function periodDue(phase: number, attempt: number, at: number): Due {
  return { dueAt: at, dueKind: 'PERIOD', duePhase: phase, dueAttempt: attempt };
}

/** Phase `phase`'s first attempt at its start, or the end when it would start after subscriptionEndTime. */
function nextPhaseDue(subscription: SubscriptionRecord, phase: number): Due {
  const start = phaseStart(periodClockOf(subscription), phase);
  if (start >= subscription.endsAt) return { dueAt: subscription.endsAt, dueKind: 'END', duePhase: null, dueAttempt: null };
  return periodDue(phase, 1, start);
}

/** The next phase whose first attempt has not been made. */
function nextUnchargedPhase(subscription: SubscriptionRecord, now: number): number {
  if (subscription.dueKind === 'PERIOD' && subscription.duePhase !== null) return (subscription.dueAttempt ?? 1) > 1 ? subscription.duePhase + 1 : subscription.duePhase;
  // Ending: the phase after the one running now.
  return phaseAt(periodClockOf(subscription), Math.min(subscription.endsAt - 1, now)) + 1;
}

/** A stored failure code as a catalogued one (only payment outcome codes are ever stored). */
function outcomeCode(code: string): ResultCode {
  return isResultCode(code) ? code : 'PROCESS_FAIL';
}

function dueColumns(due: Due): Updateable<SubscriptionsTable> {
  return { due_at: due.dueAt, due_kind: due.dueKind, due_phase: due.duePhase, due_attempt: due.dueAttempt };
}

/** The columns of a subscription that ends at `at` with this result (TERMINATED, nothing due). */
function ended(resultCode: string, resultMessage: string, at: number): Updateable<SubscriptionsTable> {
  return { status: 'TERMINATED', result_code: resultCode, result_message: resultMessage, ended_at: at, ...dueColumns(NOTHING_DUE) };
}

function paginatorOf(currentPage: number, pageSize: number, totalCount: number) {
  return { currentPage, pageSize, totalPage: Math.ceil(totalCount / pageSize), totalCount };
}

/** Whether this update's key was claimed already (a repeat, answered as recorded: nothing is checked or refunded again). */
async function claimedBefore(tx: Tx, context: KeyedHandlerContext): Promise<boolean> {
  const row = await tx
    .selectFrom('idempotency_keys')
    .select('request_id')
    .where('client_id', '=', context.idempotencyKey.clientId)
    .where('scope', '=', context.idempotencyKey.scope)
    .where('request_id', '=', context.idempotencyKey.requestId)
    .executeTakeFirst();
  return row !== undefined;
}
