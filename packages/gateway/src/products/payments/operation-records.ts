/** Refunds, captures and authorisations as the services see them, and their mapping from database rows. */
import type { Selectable } from 'kysely';
import { RESULT_CODES, type ResultCode } from '@amsgate/protocol';
import { newId } from '../../ids.js';
import { toBigInt, toNullableNumber, toNumber } from '../../store/columns.js';
import type { AuthorizationCloseReason, AuthorizationsTable, CapturesTable, OperationStatus, RefundsTable } from './tables.js';
import { conversionFromColumns, type CurrencyConversion } from './payment-record.js';

export interface RefundRecord {
  refundId: string;
  clientId: string;
  paymentId: string;
  refundRequestId: string;
  captureId: string | null;
  /** PROCESSING until settled; the sandbox settles in the same transaction. */
  status: OperationStatus;
  /** `SUCCESS`, `REFUND_IN_PROCESS`, or why it failed. */
  resultCode: string;
  resultMessage: string;
  currency: string;
  amount: bigint;
  referenceRefundId: string | null;
  refundReason: string | null;
  /** The request's `refundNotifyUrl`; null: the client's default. */
  notifyUrl: string | null;
  metadata: string | null;
  createdAt: number;
  updatedAt: number;
  /** `refundTime`: set when the refund succeeded. */
  refundedAt: number | null;
  /** In the payment's settlement currency, at the rate of the refund's day; null when the payment settles in its own. */
  settlement: CurrencyConversion | null;
}

export interface CaptureRecord {
  captureId: string;
  clientId: string;
  paymentId: string;
  captureRequestId: string;
  status: OperationStatus;
  resultCode: string;
  resultMessage: string;
  currency: string;
  amount: bigint;
  /** This capture closed the authorisation (what was left was voided). */
  isLastCapture: boolean;
  createdAt: number;
  updatedAt: number;
  /** `captureTime`: set when the capture succeeded. */
  capturedAt: number | null;
}

export interface AuthorizationRecord {
  paymentId: string;
  clientId: string;
  captureMode: string;
  currency: string;
  /** The authorised amount. */
  amount: bigint;
  createdAt: number;
  closedAt: number | null;
  closeReason: AuthorizationCloseReason | null;
}

/** How a PROCESSING refund or capture ends. */
export type OperationOutcome = { kind: 'success' } | { kind: 'fail'; resultCode: ResultCode; resultMessage?: string };

/** What settling a refund or capture writes to its row and to its `payment_transactions` row. */
export interface OperationSettlement {
  status: 'SUCCESS' | 'FAIL';
  resultCode: string;
  resultMessage: string;
  now: number;
}

export function settlementOf(outcome: OperationOutcome, now: number): OperationSettlement {
  return outcome.kind === 'success'
    ? { status: 'SUCCESS', resultCode: 'SUCCESS', resultMessage: 'success', now }
    : { status: 'FAIL', resultCode: outcome.resultCode, resultMessage: outcome.resultMessage ?? RESULT_CODES[outcome.resultCode].message, now };
}

export function refundFromRow(row: Selectable<RefundsTable>): RefundRecord {
  return {
    refundId: row.refund_id,
    clientId: row.client_id,
    paymentId: row.payment_id,
    refundRequestId: row.refund_request_id,
    captureId: row.capture_id,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    currency: row.currency,
    amount: toBigInt(row.amount),
    referenceRefundId: row.reference_refund_id,
    refundReason: row.refund_reason,
    notifyUrl: row.notify_url,
    metadata: row.metadata,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    refundedAt: toNullableNumber(row.refunded_at),
    settlement: conversionFromColumns(row.settlement_currency, row.settlement_amount, row.settlement_price),
  };
}

export function captureFromRow(row: Selectable<CapturesTable>): CaptureRecord {
  return {
    captureId: row.capture_id,
    clientId: row.client_id,
    paymentId: row.payment_id,
    captureRequestId: row.capture_request_id,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    currency: row.currency,
    amount: toBigInt(row.amount),
    isLastCapture: toNumber(row.is_last_capture) === 1,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    capturedAt: toNullableNumber(row.captured_at),
  };
}

export function authorizationFromRow(row: Selectable<AuthorizationsTable>): AuthorizationRecord {
  return {
    paymentId: row.payment_id,
    clientId: row.client_id,
    captureMode: row.capture_mode,
    currency: row.currency,
    amount: toBigInt(row.amount),
    createdAt: toNumber(row.created_at),
    closedAt: toNullableNumber(row.closed_at),
    closeReason: row.close_reason,
  };
}

/** Refunds and captures that hold or use money: a PROCESSING one counts as much as a SUCCESS one. */
export function isActive(operation: { status: OperationStatus }): boolean {
  return operation.status !== 'FAIL';
}

export function sumAmounts(operations: readonly { amount: bigint }[]): bigint {
  return operations.reduce((sum, o) => sum + o.amount, 0n);
}

/**
 * `refundId` / `captureId`: the same shape as our other ids (time-ordered,
 * 80 random bits) under a prefix of their own. They are also the
 * `transactionId` of the operation in inquiryPayment's `transactions`.
 */
export function newOperationId(prefix: 'RFD' | 'CAP', now: number): string {
  // ids.ts knows the prefixes of the ids it makes; these share its format.
  return `${prefix}${newId('TXN', now).slice(3)}`;
}
