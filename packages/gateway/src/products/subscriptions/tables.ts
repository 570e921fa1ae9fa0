/** The subscription tables (migration `0018_subscriptions`), as Kysely sees them. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/** PENDING: waiting for the buyer's authorisation (answered as PROCESSING); the others are Antom's SubscriptionStatus. */
export type SubscriptionRowStatus = 'PENDING' | 'ACTIVE' | 'CANCELLED' | 'TERMINATED';

/**
 * What falls due next on the clock (`due_at`): the authorisation window
 * closing (AUTH_EXPIRY), a period's payment attempt (PERIOD: `due_phase`,
 * `due_attempt`), or the subscription's end (END).
 */
export type SubscriptionDueKind = 'AUTH_EXPIRY' | 'PERIOD' | 'END';

/**
 * One subscription. Its periods are computed from the anchor: phase
 * `anchor_phase` starts at `anchor_at`, each next one `period_count` ×
 * `period_type` later (calendar months in the anchor's UTC offset).
 * `revision` goes up with every change: work is claimed by a conditional
 * update on it, so several processes on one database do it once.
 */
export interface SubscriptionsTable {
  subscription_id: string;
  client_id: string;
  subscription_request_id: string;
  /** change: the subscription this one replaced. */
  related_subscription_id: string | null;
  status: SubscriptionRowStatus;
  /** Why it ended (or SUCCESS): the creation's failure, a final payment failure, … */
  result_code: string;
  result_message: string;
  description: string;
  redirect_url: string;
  notify_url: string;
  payment_notify_url: string;
  payment_method_type: string;
  /** The request's PaymentMethod, as JSON. */
  payment_method: string;
  terminal_type: string | null;
  currency: string;
  /** The regular amount of a period, minor units. */
  amount: IntColumn;
  /** The request's OrderInfo, as JSON. */
  order_info: string;
  /** change: what the first period of the changed subscription charges (paymentAmountDifference). */
  first_phase_amount: NullableIntColumn;
  period_type: string;
  period_count: IntColumn;
  /** PeriodRule's `period` and `price`, as sent (JSON), or null. */
  period_extra: string | null;
  start_at: IntColumn;
  /** The UTC offset (minutes) times of this subscription are written in: its subscriptionStartTime's. */
  utc_offset: IntColumn;
  anchor_at: IntColumn;
  anchor_phase: IntColumn;
  ends_at: IntColumn;
  auth_expires_at: IntColumn;
  /** Trial[] as JSON, or null. */
  trials: string | null;
  allow_retry: IntColumn;
  retry_mode: string | null;
  allow_accumulate: NullableIntColumn;
  /** JSON Amounts (or null): maxAccumulateAmount, maxAmountFloor, fixedAmount; CustomizedInfo. */
  max_accumulate_amount: string | null;
  max_amount_floor: string | null;
  fixed_amount: string | null;
  customized_info: string | null;
  settlement_currency: string | null;
  /** The first phase charged: the one running when the buyer agreed (earlier phases are not charged). */
  first_phase: NullableIntColumn;
  due_at: NullableIntColumn;
  due_kind: SubscriptionDueKind | null;
  due_phase: NullableIntColumn;
  due_attempt: NullableIntColumn;
  /** Sandbox: the code the next payment attempt fails with (`POST /sandbox/subscriptions/{id}/next-payment`). */
  fail_next_code: string | null;
  revision: IntColumn;
  request_json: string;
  created_at: IntColumn;
  updated_at: IntColumn;
  activated_at: NullableIntColumn;
  ended_at: NullableIntColumn;
}

export type SubscriptionPaymentKind = 'PERIOD' | 'PRORATION';

/**
 * A payment a subscription made: one per (subscription, kind, phase,
 * attempt), so a period's payment attempt is made once however many
 * processes reach it. The payment itself is in `payments`.
 */
export interface SubscriptionPaymentsTable {
  subscription_id: string;
  kind: SubscriptionPaymentKind;
  phase_no: IntColumn;
  attempt: IntColumn;
  payment_id: string;
  client_id: string;
  status: 'SUCCESS' | 'FAIL';
  result_code: string;
  currency: string;
  amount: IntColumn;
  period_start: IntColumn;
  period_end: IntColumn;
  created_at: IntColumn;
  paid_at: NullableIntColumn;
}

export interface SubscriptionTables {
  subscriptions: SubscriptionsTable;
  subscription_payments: SubscriptionPaymentsTable;
}
