/**
 * What the subscription endpoints answer and what their notifications
 * carry, from the records. Times of the subscription (its start, end and
 * periods) are written in the UTC offset of its subscriptionStartTime;
 * payment times as every payment's (UTC).
 */
import { buildResult, formatResponseTime, SUCCESS_RESULT, type PeriodRule, type Result, type SubscriptionInfo, type SubscriptionNotificationType } from '@amsgate/protocol';
import { wireTime } from '../payments/answers.js';
import { paymentResultBody } from '../payments/notification-bodies.js';
import type { PaymentRecord } from '../payments/payment-record.js';
import { phaseAt, phaseEnd, phaseStart } from './periods.js';
import { periodClockOf, type SubscriptionPaymentRecord, type SubscriptionRecord } from './subscription-record.js';

/** A time of the subscription, in its own offset. */
export function subscriptionTime(subscription: Pick<SubscriptionRecord, 'utcOffset'>, at: number): string {
  return formatResponseTime(at, subscription.utcOffset);
}

export function amountValue(currency: string, minor: bigint): { currency: string; value: string } {
  return { currency, value: minor.toString() };
}

export function periodRuleOf(subscription: SubscriptionRecord): PeriodRule {
  return {
    periodType: subscription.periodType,
    ...(subscription.periodExtra?.period !== undefined ? { period: subscription.periodExtra.period } : {}),
    ...(subscription.periodExtra?.price !== undefined ? { price: subscription.periodExtra.price } : {}),
    periodCount: subscription.periodCount,
  };
}

/** The wire status: Antom's SubscriptionStatus, or PROCESSING while the buyer has not authorised (where a string is allowed). */
export function wireStatusOf(subscription: SubscriptionRecord): string {
  return subscription.status === 'PENDING' ? 'PROCESSING' : subscription.status;
}

/** A period's order number (`subscriptionOrderId`, at most 32 characters): the subscription's id without its prefix and the phase. */
export function subscriptionOrderIdOf(subscriptionId: string, phase: number): string {
  return `${subscriptionId.slice(3)}${String(phase).padStart(3, '0')}`;
}

/**
 * The phase a subscription is in at `now`: the running one while active
 * (not before its first charged phase); for one that ended, the phase it
 * ended in; none while pending.
 */
export function currentPhaseOf(subscription: SubscriptionRecord, now: number): number | undefined {
  if (subscription.status === 'PENDING' || subscription.firstPhase === null) return undefined;
  const at = subscription.endedAt !== null ? Math.min(now, Math.max(subscription.endedAt - 1, subscription.anchorAt)) : now;
  return Math.max(subscription.firstPhase, phaseAt(periodClockOf(subscription), Math.min(at, subscription.endsAt - 1)));
}

/** The trials as SDK model TrialPlan: the trial phases, when the last ends, and how many days are free. */
function trialPlanOf(subscription: SubscriptionRecord): Record<string, unknown> | undefined {
  if (subscription.trials.length === 0) return undefined;
  const clock = periodClockOf(subscription);
  const phases: Array<{ phaseNo: number; trialAmount: { currency: string; value: string } }> = [];
  let freeMs = 0;
  for (const trial of subscription.trials) {
    for (let phase = trial.trialStartPeriod; phase <= (trial.trialEndPeriod ?? trial.trialStartPeriod); phase++) {
      phases.push({ phaseNo: phase, trialAmount: trial.trialAmount });
      if (trial.trialAmount.value === '0') freeMs += phaseEnd(clock, phase) - phaseStart(clock, phase);
    }
  }
  phases.sort((a, b) => a.phaseNo - b.phaseNo);
  const last = phases[phases.length - 1]!.phaseNo;
  return { trialEndTime: subscriptionTime(subscription, phaseEnd(clock, last)), freeTrialDays: Math.round(freeMs / 86_400_000), phases };
}

/** SDK model SubscriptionInfo, as inquireSubscription and inquireSubscriptionList answer it. */
export function subscriptionInfoOf(subscription: SubscriptionRecord, now: number): SubscriptionInfo {
  const clock = periodClockOf(subscription);
  const phase = currentPhaseOf(subscription, now);
  const trialPlan = trialPlanOf(subscription);
  return {
    subscriptionId: subscription.subscriptionId,
    subscriptionDescription: subscription.description,
    ...(subscription.status !== 'PENDING' ? { status: subscription.status } : {}),
    subscriptionStartTime: subscriptionTime(subscription, subscription.startAt),
    subscriptionEndTime: subscriptionTime(subscription, subscription.endsAt),
    periodType: subscription.periodType,
    periodCount: subscription.periodCount,
    periodRule: periodRuleOf(subscription),
    ...(phase !== undefined
      ? {
          currentPeriodStart: subscriptionTime(subscription, phaseStart(clock, phase)),
          currentPeriodEnd: subscriptionTime(subscription, phaseEnd(clock, phase)),
          currentPhaseNo: phase,
          subscriptionOrderId: subscriptionOrderIdOf(subscription.subscriptionId, phase),
        }
      : {}),
    paymentMethod: subscription.paymentMethod,
    paymentAmount: amountValue(subscription.currency, subscription.amount),
    lastUpdateTime: subscriptionTime(subscription, subscription.updatedAt),
    ...(subscription.relatedSubscriptionId !== null ? { relatedSubscriptionId: subscription.relatedSubscriptionId } : {}),
    ...(trialPlan ? { trialPlan: trialPlan as SubscriptionInfo['trialPlan'] } : {}),
    ...(subscription.trials.length > 0 ? { trials: subscription.trials } : {}),
    subscriptionNotifyUrl: subscription.notifyUrl,
    subscriptionExpiryTime: subscriptionTime(subscription, subscription.authExpiresAt),
    allowRetry: subscription.allowRetry,
    ...(subscription.maxAmountFloor !== null ? { maxAmountFloor: subscription.maxAmountFloor } : {}),
    ...(subscription.fixedAmount !== null ? { fixedAmount: subscription.fixedAmount } : {}),
    ...(subscription.retryMode !== null ? { retryMode: subscription.retryMode } : {}),
  };
}

/** `subscriptions/inquiry`. */
export function inquiryAnswerOf(subscription: SubscriptionRecord) {
  return {
    result: { ...SUCCESS_RESULT },
    allowRetry: subscription.allowRetry ? 'true' : 'false',
    ...(subscription.maxAmountFloor !== null ? { maxAmountFloor: subscription.maxAmountFloor } : {}),
    paymentAmount: amountValue(subscription.currency, subscription.amount),
    periodRule: periodRuleOf(subscription),
    subscriptionEndTime: subscriptionTime(subscription, subscription.endsAt),
    subscriptionRequestId: subscription.subscriptionRequestId,
    subscriptionStartTime: subscriptionTime(subscription, subscription.startAt),
    subscriptionStatus: wireStatusOf(subscription),
  };
}

/** `payments/inquire`: the subscription and the phase it is in. */
export function inquireAnswerOf(subscription: SubscriptionRecord, now: number) {
  const phase = currentPhaseOf(subscription, now);
  return {
    result: { ...SUCCESS_RESULT },
    subscriptionId: subscription.subscriptionId,
    subscriptionRequestId: subscription.subscriptionRequestId,
    subscriptionStatus: wireStatusOf(subscription),
    paymentAmount: amountValue(subscription.currency, subscription.amount),
    ...(subscription.allowAccumulate !== null ? { allowAccumulate: subscription.allowAccumulate } : {}),
    ...(subscription.maxAccumulateAmount !== null ? { maxAccumulateAmount: subscription.maxAccumulateAmount } : {}),
    periodRule: periodRuleOf(subscription),
    ...(phase !== undefined ? { phaseNo: String(phase) } : {}),
    subscriptionStartTime: subscriptionTime(subscription, subscription.startAt),
    subscriptionEndTime: subscriptionTime(subscription, subscription.endsAt),
  };
}

/** SDK model SubscriptionTransaction. */
export function subscriptionTransactionOf(subscription: SubscriptionRecord, payment: SubscriptionPaymentRecord) {
  return {
    paymentId: payment.paymentId,
    status: payment.status,
    phaseNo: payment.phaseNo,
    paymentMethod: subscription.paymentMethod,
    paymentAmount: amountValue(payment.currency, payment.amount),
    ...(payment.paidAt !== null ? { paymentTime: wireTime(payment.paidAt) } : {}),
  };
}

/**
 * notifySubscription. A creation that failed (refused, never authorised,
 * abandoned) carries no subscriptionId (the docs: not returned when the
 * user fails to create the subscription).
 */
export function subscriptionNoticeBody(subscription: SubscriptionRecord, type: SubscriptionNotificationType, result: Result): Record<string, unknown> {
  const failedCreation = type === 'CREATE' && subscription.status !== 'ACTIVE';
  return {
    result,
    subscriptionRequestId: subscription.subscriptionRequestId,
    ...(failedCreation ? {} : { subscriptionId: subscription.subscriptionId }),
    subscriptionStatus: subscription.status === 'PENDING' ? 'TERMINATED' : subscription.status,
    subscriptionNotificationType: type,
    subscriptionStartTime: subscriptionTime(subscription, subscription.startAt),
    subscriptionEndTime: subscriptionTime(subscription, subscription.endsAt),
    periodRule: periodRuleOf(subscription),
    ...(subscription.allowAccumulate !== null ? { allowAccumulate: subscription.allowAccumulate } : {}),
    ...(subscription.maxAccumulateAmount !== null ? { maxAccumulateAmount: subscription.maxAccumulateAmount } : {}),
  };
}

export interface PeriodOfPayment {
  phase: number;
  start: number;
  end: number;
  /** The phase's attempts so far, this one included (retryInfo), when the subscription allows retries. */
  attempts?: ReadonlyArray<{ at: number; resultCode: string }>;
  /** Retries left after this attempt. */
  availableRetries?: number;
}

/** notifyPayment of a subscription's payment: notifyPayment's body and the period's fields (AlipaySubscriptionPayNotify). */
export function subscriptionPaymentBody(subscription: SubscriptionRecord, payment: PaymentRecord, period: PeriodOfPayment): Record<string, unknown> {
  const orderId = subscriptionOrderIdOf(subscription.subscriptionId, period.phase);
  return {
    ...paymentResultBody(payment),
    ...(subscription.customizedInfo !== null ? { customizedInfo: subscription.customizedInfo } : {}),
    subscriptionOrderId: orderId,
    ...(period.attempts !== undefined
      ? {
          retryInfo: {
            availableRetries: period.availableRetries ?? 0,
            orderId,
            paymentAttempts: period.attempts.map((attempt) => ({ attemptAt: wireTime(attempt.at), attemptResponse: attempt.resultCode })),
          },
        }
      : {}),
    subscriptionRequestId: subscription.subscriptionRequestId,
    subscriptionId: subscription.subscriptionId,
    periodStartTime: subscriptionTime(subscription, period.start),
    periodEndTime: subscriptionTime(subscription, period.end),
    phaseNo: String(period.phase),
  };
}

/**
 * SDK AlipaySubscriptionCancelNotify: the merchant cancelled or terminated
 * the subscription; it names the last paid period (CANCEL keeps the
 * service until its `periodEndTime`).
 */
export function subscriptionCancelBody(subscription: SubscriptionRecord, type: 'CANCEL' | 'TERMINATE', lastPaid: SubscriptionPaymentRecord | undefined): Record<string, unknown> {
  return {
    result: buildResult('SUCCESS', type === 'CANCEL' ? 'The subscription is cancelled; no period is charged after the current one' : 'The subscription is terminated'),
    subscriptionId: subscription.subscriptionId,
    subscriptionRequestId: subscription.subscriptionRequestId,
    subscriptionOrderStatus: type,
    ...(lastPaid
      ? {
          paymentAmount: amountValue(lastPaid.currency, lastPaid.amount),
          paymentCreateTime: wireTime(lastPaid.createdAt),
          ...(lastPaid.paidAt !== null ? { paymentTime: wireTime(lastPaid.paidAt) } : {}),
          periodEndTime: subscriptionTime(subscription, lastPaid.periodEnd),
          phaseNo: String(lastPaid.phaseNo),
          subscriptionOrderId: subscriptionOrderIdOf(subscription.subscriptionId, lastPaid.phaseNo),
          subscriptionTransId: lastPaid.paymentId,
        }
      : {}),
  };
}
