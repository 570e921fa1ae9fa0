/** A dispute as the service sees it, and its mapping from the database row. */
import type { Insertable, Selectable } from 'kysely';
import { toBigInt, toNullableNumber, toNumber } from '../../store/columns.js';
import type { DisputeKind, DisputesTable, DisputeStatus } from './tables.js';

export interface DisputeRecord {
  disputeId: string;
  clientId: string;
  paymentId: string;
  paymentRequestId: string;
  captureId: string | null;
  kind: DisputeKind;
  status: DisputeStatus;
  currency: string;
  amount: bigint;
  reasonCode: string;
  reasonMsg: string;
  source: string;
  paymentMethodType: string;
  notifyUrl: string | null;
  opensAt: number;
  defenseWindowMs: number;
  defenseDueAt: number;
  alertAt: number;
  alertSentAt: number | null;
  defendedAt: number | null;
  resolvedAt: number | null;
  judgedResult: 'WON' | 'LOST' | null;
  acceptReason: 'MERCHANT_ACCEPTED' | 'TIMEOUT' | null;
  createdAt: number;
  updatedAt: number;
}

export function disputeFromRow(row: Selectable<DisputesTable>): DisputeRecord {
  return {
    disputeId: row.dispute_id,
    clientId: row.client_id,
    paymentId: row.payment_id,
    paymentRequestId: row.payment_request_id,
    captureId: row.capture_id,
    kind: row.kind,
    status: row.status,
    currency: row.currency,
    amount: toBigInt(row.amount),
    reasonCode: row.reason_code,
    reasonMsg: row.reason_msg,
    source: row.source,
    paymentMethodType: row.payment_method_type,
    notifyUrl: row.notify_url,
    opensAt: toNumber(row.opens_at),
    defenseWindowMs: toNumber(row.defense_window_ms),
    defenseDueAt: toNumber(row.defense_due_at),
    alertAt: toNumber(row.alert_at),
    alertSentAt: toNullableNumber(row.alert_sent_at),
    defendedAt: toNullableNumber(row.defended_at),
    resolvedAt: toNullableNumber(row.resolved_at),
    judgedResult: row.judged_result,
    acceptReason: row.accept_reason,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

export function disputeRow(record: DisputeRecord): Insertable<DisputesTable> {
  return {
    dispute_id: record.disputeId,
    client_id: record.clientId,
    payment_id: record.paymentId,
    payment_request_id: record.paymentRequestId,
    capture_id: record.captureId,
    kind: record.kind,
    status: record.status,
    currency: record.currency,
    amount: record.amount,
    reason_code: record.reasonCode,
    reason_msg: record.reasonMsg,
    source: record.source,
    payment_method_type: record.paymentMethodType,
    notify_url: record.notifyUrl,
    opens_at: record.opensAt,
    defense_window_ms: record.defenseWindowMs,
    defense_due_at: record.defenseDueAt,
    alert_at: record.alertAt,
    alert_sent_at: record.alertSentAt,
    defended_at: record.defendedAt,
    resolved_at: record.resolvedAt,
    judged_result: record.judgedResult,
    accept_reason: record.acceptReason,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/**
 * Whether a dispute's amount is taken from what the merchant was paid:
 * frozen (OPEN, DEFENDED) or gone to the buyer (ACCEPTED, LOST, RESOLVED).
 * Not a SCHEDULED one (nothing moved yet), nor one the merchant won or the
 * buyer cancelled (the amount came back).
 */
export function isChargedBack(dispute: Pick<DisputeRecord, 'status' | 'judgedResult'>): boolean {
  switch (dispute.status) {
    case 'OPEN':
    case 'DEFENDED':
    case 'ACCEPTED':
    case 'RESOLVED':
      return true;
    case 'JUDGED':
      return dispute.judgedResult === 'LOST';
    case 'SCHEDULED':
    case 'CANCELLED':
      return false;
  }
}
