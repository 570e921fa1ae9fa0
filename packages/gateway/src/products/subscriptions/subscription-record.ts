/** A subscription and its payments as the service sees them, and their mapping from the rows. */
import type { Insertable, Selectable } from 'kysely';
import type { OrderInfo, PaymentMethod, PeriodType, Trial } from '@amsgate/protocol';
import { toBigInt, toNullableNumber, toNumber } from '../../store/columns.js';
import type { PeriodClock } from './periods.js';
import type { SubscriptionDueKind, SubscriptionPaymentKind, SubscriptionPaymentsTable, SubscriptionRowStatus, SubscriptionsTable } from './tables.js';

export interface WireAmountValue {
  currency: string;
  value: string;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  clientId: string;
  subscriptionRequestId: string;
  relatedSubscriptionId: string | null;
  status: SubscriptionRowStatus;
  resultCode: string;
  resultMessage: string;
  description: string;
  redirectUrl: string;
  notifyUrl: string;
  paymentNotifyUrl: string;
  paymentMethodType: string;
  paymentMethod: PaymentMethod;
  terminalType: string | null;
  currency: string;
  amount: bigint;
  orderInfo: OrderInfo;
  firstPhaseAmount: bigint | null;
  periodType: PeriodType;
  periodCount: number;
  periodExtra: { period?: number; price?: WireAmountValue } | null;
  startAt: number;
  utcOffset: number;
  anchorAt: number;
  anchorPhase: number;
  endsAt: number;
  authExpiresAt: number;
  trials: Trial[];
  allowRetry: boolean;
  retryMode: string | null;
  allowAccumulate: boolean | null;
  maxAccumulateAmount: WireAmountValue | null;
  maxAmountFloor: WireAmountValue | null;
  fixedAmount: WireAmountValue | null;
  customizedInfo: Record<string, string> | null;
  settlementCurrency: string | null;
  firstPhase: number | null;
  dueAt: number | null;
  dueKind: SubscriptionDueKind | null;
  duePhase: number | null;
  dueAttempt: number | null;
  failNextCode: string | null;
  revision: number;
  createdAt: number;
  updatedAt: number;
  activatedAt: number | null;
  endedAt: number | null;
}

export interface SubscriptionPaymentRecord {
  subscriptionId: string;
  kind: SubscriptionPaymentKind;
  phaseNo: number;
  attempt: number;
  paymentId: string;
  clientId: string;
  status: 'SUCCESS' | 'FAIL';
  resultCode: string;
  currency: string;
  amount: bigint;
  periodStart: number;
  periodEnd: number;
  createdAt: number;
  paidAt: number | null;
}

function json<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function subscriptionFromRow(row: Selectable<SubscriptionsTable>): SubscriptionRecord {
  const allowAccumulate = toNullableNumber(row.allow_accumulate);
  return {
    subscriptionId: row.subscription_id,
    clientId: row.client_id,
    subscriptionRequestId: row.subscription_request_id,
    relatedSubscriptionId: row.related_subscription_id,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    description: row.description,
    redirectUrl: row.redirect_url,
    notifyUrl: row.notify_url,
    paymentNotifyUrl: row.payment_notify_url,
    paymentMethodType: row.payment_method_type,
    paymentMethod: JSON.parse(row.payment_method) as PaymentMethod,
    terminalType: row.terminal_type,
    currency: row.currency,
    amount: toBigInt(row.amount),
    orderInfo: JSON.parse(row.order_info) as OrderInfo,
    firstPhaseAmount: row.first_phase_amount === null ? null : toBigInt(row.first_phase_amount),
    periodType: row.period_type as PeriodType,
    periodCount: toNumber(row.period_count),
    periodExtra: json(row.period_extra),
    startAt: toNumber(row.start_at),
    utcOffset: toNumber(row.utc_offset),
    anchorAt: toNumber(row.anchor_at),
    anchorPhase: toNumber(row.anchor_phase),
    endsAt: toNumber(row.ends_at),
    authExpiresAt: toNumber(row.auth_expires_at),
    trials: json<Trial[]>(row.trials) ?? [],
    allowRetry: toNumber(row.allow_retry) === 1,
    retryMode: row.retry_mode,
    allowAccumulate: allowAccumulate === null ? null : allowAccumulate === 1,
    maxAccumulateAmount: json(row.max_accumulate_amount),
    maxAmountFloor: json(row.max_amount_floor),
    fixedAmount: json(row.fixed_amount),
    customizedInfo: json(row.customized_info),
    settlementCurrency: row.settlement_currency,
    firstPhase: toNullableNumber(row.first_phase),
    dueAt: toNullableNumber(row.due_at),
    dueKind: row.due_kind,
    duePhase: toNullableNumber(row.due_phase),
    dueAttempt: toNullableNumber(row.due_attempt),
    failNextCode: row.fail_next_code,
    revision: toNumber(row.revision),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    activatedAt: toNullableNumber(row.activated_at),
    endedAt: toNullableNumber(row.ended_at),
  };
}

/** The record as its row (insert). */
export function rowOfSubscription(record: SubscriptionRecord, requestJson: string): Insertable<SubscriptionsTable> {
  return {
    subscription_id: record.subscriptionId,
    client_id: record.clientId,
    subscription_request_id: record.subscriptionRequestId,
    related_subscription_id: record.relatedSubscriptionId,
    status: record.status,
    result_code: record.resultCode,
    result_message: record.resultMessage,
    description: record.description,
    redirect_url: record.redirectUrl,
    notify_url: record.notifyUrl,
    payment_notify_url: record.paymentNotifyUrl,
    payment_method_type: record.paymentMethodType,
    payment_method: JSON.stringify(record.paymentMethod),
    terminal_type: record.terminalType,
    currency: record.currency,
    amount: record.amount,
    order_info: JSON.stringify(record.orderInfo),
    first_phase_amount: record.firstPhaseAmount,
    period_type: record.periodType,
    period_count: record.periodCount,
    period_extra: record.periodExtra === null ? null : JSON.stringify(record.periodExtra),
    start_at: record.startAt,
    utc_offset: record.utcOffset,
    anchor_at: record.anchorAt,
    anchor_phase: record.anchorPhase,
    ends_at: record.endsAt,
    auth_expires_at: record.authExpiresAt,
    trials: record.trials.length === 0 ? null : JSON.stringify(record.trials),
    allow_retry: record.allowRetry ? 1 : 0,
    retry_mode: record.retryMode,
    allow_accumulate: record.allowAccumulate === null ? null : record.allowAccumulate ? 1 : 0,
    max_accumulate_amount: record.maxAccumulateAmount === null ? null : JSON.stringify(record.maxAccumulateAmount),
    max_amount_floor: record.maxAmountFloor === null ? null : JSON.stringify(record.maxAmountFloor),
    fixed_amount: record.fixedAmount === null ? null : JSON.stringify(record.fixedAmount),
    customized_info: record.customizedInfo === null ? null : JSON.stringify(record.customizedInfo),
    settlement_currency: record.settlementCurrency,
    first_phase: record.firstPhase,
    due_at: record.dueAt,
    due_kind: record.dueKind,
    due_phase: record.duePhase,
    due_attempt: record.dueAttempt,
    fail_next_code: record.failNextCode,
    revision: record.revision,
    request_json: requestJson,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    activated_at: record.activatedAt,
    ended_at: record.endedAt,
  };
}

export function subscriptionPaymentFromRow(row: Selectable<SubscriptionPaymentsTable>): SubscriptionPaymentRecord {
  return {
    subscriptionId: row.subscription_id,
    kind: row.kind,
    phaseNo: toNumber(row.phase_no),
    attempt: toNumber(row.attempt),
    paymentId: row.payment_id,
    clientId: row.client_id,
    status: row.status,
    resultCode: row.result_code,
    currency: row.currency,
    amount: toBigInt(row.amount),
    periodStart: toNumber(row.period_start),
    periodEnd: toNumber(row.period_end),
    createdAt: toNumber(row.created_at),
    paidAt: toNullableNumber(row.paid_at),
  };
}

export function periodClockOf(record: Pick<SubscriptionRecord, 'periodType' | 'periodCount' | 'anchorAt' | 'anchorPhase' | 'utcOffset'>): PeriodClock {
  return { periodType: record.periodType, periodCount: record.periodCount, anchorAt: record.anchorAt, anchorPhase: record.anchorPhase, utcOffset: record.utcOffset };
}

