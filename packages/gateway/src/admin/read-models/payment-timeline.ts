/**
 * One payment's story merged by time: the AMS requests that named it (from
 * the sandbox request log, when there is one), its state changes, refunds,
 * captures, journal transactions, notifications and their delivery
 * attempts, the invoices and air waybills uploaded for it, the arrear
 * syncs of an Auto Debit payment and its disputes' steps. The dashboard page and
 * `GET /admin/payments/{id}` both render this list, so they cannot disagree.
 */
import { paymentResultInfoOf } from '../../products/cards/card-result.js';
import type { RequestLog, RequestSummary } from '../../sandbox/request-log/request-log.js';
import type { Db } from '../../schema.js';
import type { AttemptRecord, NotificationRecord } from '../../notify/notifications-repository.js';
import { loadPaymentHistory, type PaymentHistory } from './payment-queries.js';
import { isActive, sumAmounts } from '../../products/payments/operation-records.js';
import type { PaymentRecord, TransactionRecord } from '../../products/payments/payment-record.js';
import { moneyText } from '../../products/payments/money-text.js';
import { isoTime } from '../../iso-time.js';
import { disputeSteps, disputeView } from './disputes.js';
import { isChargedBack } from '../../products/disputes/dispute-record.js';

export type TimelineKind = 'request' | 'state' | 'transaction' | 'refund' | 'capture' | 'journal' | 'notification' | 'attempt' | 'file' | 'arrear' | 'dispute';

export interface TimelineEvent {
  /** Epoch ms; a request is placed at its start, before what it caused. */
  at: number;
  kind: TimelineKind;
  title: string;
  /** A result status (S/F/U), a payment/refund status, or a notification/attempt status (PENDING, DELIVERED, FAILED, NO_URL). */
  status: string | null;
  detail: string | null;
  /** The request log entry or notification the event belongs to. */
  requestId?: string;
  notificationId?: string;
}

/** Events at the same millisecond keep cause before effect. */
const KIND_ORDER: Record<TimelineKind, number> = { request: 0, state: 1, transaction: 2, refund: 3, capture: 3, file: 3, arrear: 3, dispute: 3, journal: 4, notification: 5, attempt: 6 };

/** The ids a request may name the payment by (and its refunds and captures). */
function idsOfPayment(history: PaymentHistory): string[] {
  const { payment } = history;
  return [
    payment.paymentId,
    payment.paymentRequestId,
    ...history.refunds.flatMap((r) => [r.refundId, r.refundRequestId]),
    ...history.captures.flatMap((c) => [c.captureId, c.captureRequestId]),
    ...history.invoiceFiles.map((f) => f.fileId),
    ...history.disputes.map((d) => d.disputeId),
  ];
}

export function buildTimeline(history: PaymentHistory, requests: readonly RequestSummary[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const request of requests) {
    events.push({
      at: Math.floor(Date.parse(request.time) - request.durationMs),
      kind: 'request',
      title: `${request.method} ${request.endpoint ?? request.path}`,
      status: request.resultStatus,
      detail: `${request.resultCode}: ${request.resultMessage}`,
      requestId: request.id,
    });
  }
  events.push(...stateEvents(history.payment));
  for (const transaction of history.transactions) {
    // The payment, its refunds, captures and cancel have events of their own.
    if (['PAYMENT', 'REFUND', 'CAPTURE', 'CANCEL'].includes(transaction.type)) continue;
    events.push({
      at: transaction.createdAt,
      kind: 'transaction',
      title: `${transaction.type} ${transaction.transactionId}`,
      status: transaction.status,
      detail: `${moneyText(transaction.currency, transaction.amount)}; ${transaction.resultCode}`,
    });
  }
  for (const refund of history.refunds) {
    events.push(...operationEvents('refund', refund.refundId, refund.refundRequestId, refund, refund.refundedAt));
  }
  for (const capture of history.captures) {
    events.push(...operationEvents('capture', capture.captureId, capture.captureRequestId, capture, capture.capturedAt, capture.isLastCapture ? 'last capture' : undefined));
  }
  for (const file of history.invoiceFiles) {
    events.push({
      at: file.createdAt,
      kind: 'file',
      title: `${file.fileType === 'AWB' ? 'Air waybill' : 'Invoice'} ${file.fileId} uploaded`,
      status: null,
      detail: `${file.fileName} (${file.format}, ${byteSize(file.sizeBytes)}; SHA-256 ${file.sha256.slice(0, 16)}…)`,
    });
  }
  for (const dispute of history.disputes) {
    for (const step of disputeSteps(dispute)) events.push({ ...step, kind: 'dispute' });
  }
  for (const sync of history.arrearSyncs) {
    events.push({ at: sync.createdAt, kind: 'arrear', title: `Arrear synced ${sync.syncId}`, status: null, detail: `handed back for collection (failed with ${sync.resultCode})` });
  }
  const journals = new Map<string, PaymentHistory['journal']>();
  for (const entry of history.journal) journals.set(entry.journalId, [...(journals.get(entry.journalId) ?? []), entry]);
  for (const [journalId, entries] of journals) {
    const first = entries[0]!;
    events.push({
      at: first.createdAt,
      kind: 'journal',
      title: `Journal ${first.movement} ${journalId}`,
      status: null,
      detail: entries.map((e) => `${e.account} ${e.amount > 0n ? '+' : '−'}${moneyText(e.currency, e.amount < 0n ? -e.amount : e.amount)}`).join('; '),
    });
  }
  for (const notification of history.notifications) {
    events.push(notificationEvent(notification));
    for (const attempt of history.attempts.get(notification.notificationId) ?? []) events.push(attemptEvent(notification, attempt));
  }
  return events.sort((a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/** "512 bytes", "12.3 KiB". */
function byteSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} byte${bytes === 1 ? '' : 's'}` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function stateEvents(payment: PaymentRecord): TimelineEvent[] {
  const events: TimelineEvent[] = [{
    at: payment.createdAt,
    kind: 'state',
    title: 'Created',
    status: 'PROCESSING',
    detail: `${moneyText(payment.currency, payment.amount)} by ${payment.paymentMethodType}, ${payment.productCode}; expires ${isoTime(payment.expiresAt)}`,
  }];
  if (payment.paidAt !== null) events.push({ at: payment.paidAt, kind: 'state', title: 'Paid', status: 'SUCCESS', detail: null });
  if (payment.closedAt !== null) {
    const title = payment.status === 'CANCELLED' ? 'Cancelled' : payment.resultCode === 'ORDER_IS_CLOSED' ? 'Closed (expired unpaid)' : 'Failed';
    events.push({ at: payment.closedAt, kind: 'state', title, status: payment.status, detail: `${payment.resultCode}: ${payment.resultMessage}` });
  }
  return events;
}

/** What a refund or capture shares with a payment transaction, as far as the timeline cares. */
type Operation = Pick<TransactionRecord, 'resultCode' | 'resultMessage' | 'currency' | 'amount' | 'createdAt' | 'updatedAt'> & { status: string };

function operationEvents(kind: 'refund' | 'capture', id: string, requestId: string, operation: Operation, succeededAt: number | null, note?: string): TimelineEvent[] {
  const name = kind === 'refund' ? 'Refund' : 'Capture';
  const detail = `${moneyText(operation.currency, operation.amount)} (${kind}RequestId ${requestId}${note ? `, ${note}` : ''}); ${operation.resultCode}: ${operation.resultMessage}`;
  const settledAt = succeededAt ?? (operation.status === 'FAIL' ? operation.updatedAt : null);
  // The sandbox settles in the request's own transaction: one event then.
  if (settledAt === null || settledAt === operation.createdAt) {
    return [{ at: operation.createdAt, kind, title: `${name} ${id}`, status: operation.status, detail }];
  }
  return [
    { at: operation.createdAt, kind, title: `${name} ${id} requested`, status: 'PROCESSING', detail },
    { at: settledAt, kind, title: `${name} ${id} settled`, status: operation.status, detail: `${operation.resultCode}: ${operation.resultMessage}` },
  ];
}

function notificationEvent(notification: NotificationRecord): TimelineEvent {
  return {
    at: notification.createdAt,
    kind: 'notification',
    title: `Notification ${notification.notifyType} ${notification.notificationId}`,
    status: notification.status,
    detail: notification.url === null ? notification.lastError : `to ${notification.url}; ${notification.attempts} attempt${notification.attempts === 1 ? '' : 's'}`,
    notificationId: notification.notificationId,
  };
}

function attemptEvent(notification: NotificationRecord, attempt: AttemptRecord): TimelineEvent {
  const answer = attempt.httpStatus === null ? 'no HTTP answer' : `HTTP ${attempt.httpStatus}`;
  return {
    at: attempt.startedAt,
    kind: 'attempt',
    title: `Delivery attempt ${attempt.attempt} of ${notification.notifyType}`,
    status: attempt.succeeded ? 'DELIVERED' : 'FAILED',
    detail: `${answer}, ${attempt.durationMs} ms${attempt.error && attempt.error !== answer ? `; ${attempt.error}` : ''}`,
    notificationId: notification.notificationId,
  };
}

/** Amounts of a payment for a summary: what was refunded and captured (successful or still processing), and what disputes froze or took. */
export function paymentTotals(history: PaymentHistory): { refunded: bigint; captured: bigint; disputed: bigint } {
  return {
    refunded: sumAmounts(history.refunds.filter(isActive)),
    captured: sumAmounts(history.captures.filter(isActive)),
    disputed: sumAmounts(history.disputes.filter(isChargedBack)),
  };
}

// ---------------------------------------------------------------------------
// JSON views (control API)

export function paymentView(payment: PaymentRecord): Record<string, unknown> {
  return {
    paymentId: payment.paymentId,
    clientId: payment.clientId,
    paymentRequestId: payment.paymentRequestId,
    productCode: payment.productCode,
    status: payment.status,
    resultCode: payment.resultCode,
    resultMessage: payment.resultMessage,
    paymentAmount: { currency: payment.currency, value: payment.amount.toString() },
    paymentMethodType: payment.paymentMethodType,
    paymentMethodId: payment.paymentMethodId,
    // The card a card payment charged, as paymentResultInfo reports it (never the number).
    paymentResultInfo: payment.card ? paymentResultInfoOf(payment.card, payment.paymentId) : null,
    referenceOrderId: payment.referenceOrderId,
    orderDescription: payment.orderDescription,
    redirectUrl: payment.redirectUrl,
    notifyUrl: payment.notifyUrl,
    createdAt: isoTime(payment.createdAt),
    updatedAt: isoTime(payment.updatedAt),
    expiresAt: isoTime(payment.expiresAt),
    paidAt: isoTime(payment.paidAt),
    closedAt: isoTime(payment.closedAt),
  };
}

function timelineEventView(event: TimelineEvent): Record<string, unknown> {
  return { ...event, at: isoTime(event.at) };
}

/** `GET /admin/payments/{id}`: the summary, totals and the timeline. */
export function paymentHistoryView(history: PaymentHistory, timeline: readonly TimelineEvent[]): Record<string, unknown> {
  const totals = paymentTotals(history);
  const { currency } = history.payment;
  return {
    payment: paymentView(history.payment),
    refundedAmount: { currency, value: totals.refunded.toString() },
    capturedAmount: { currency, value: totals.captured.toString() },
    disputedAmount: { currency, value: totals.disputed.toString() },
    disputes: history.disputes.map(disputeView),
    timeline: timeline.map(timelineEventView),
  };
}

/** A payment's history and timeline; the requests come from the sandbox request log when there is one. */
export async function loadPaymentTimeline(
  db: Db,
  requestLog: Pick<RequestLog, 'touching'> | undefined,
  paymentId: string,
): Promise<{ history: PaymentHistory; timeline: TimelineEvent[] } | undefined> {
  const history = await loadPaymentHistory(db, paymentId);
  if (!history) return undefined;
  const requests = requestLog?.touching(history.payment.clientId, idsOfPayment(history)) ?? [];
  return { history, timeline: buildTimeline(history, requests) };
}
