/**
 * Queries on refunds, captures and authorisations, prepared once (see
 * `store/prepared-query.ts`), and the payment row lock that serialises the
 * operations on one payment.
 *
 * Client-facing reads are scoped by client: another client's id is not found.
 */
import { AmsError } from '@amsgate/protocol';
import type { Insertable } from 'kysely';
import { preparedQuery, type Tx } from '../../schema.js';
import type { Dialect } from '../../store/database.js';
import type { AuthorizationCloseReason, AuthorizationsTable, CapturesTable, RefundsTable } from './tables.js';
import { conversionColumns, paymentFromRow, type PaymentRecord } from './payment-record.js';
import { findPayment, insertTransaction, PAYMENT_COLUMNS, type PaymentLookup } from './payments-repository.js';
import {
  authorizationFromRow,
  captureFromRow,
  refundFromRow,
  type AuthorizationRecord,
  type CaptureRecord,
  type OperationSettlement,
  type RefundRecord,
} from './operation-records.js';
import { placeholdersFor } from '../../store/prepared-query.js';

// ---------------------------------------------------------------------------
// The payment row lock

// The columns `findPayment` reads: not the stored request, which nothing here needs.
const lockByPaymentId = preparedQuery(['clientId', 'paymentId'], (db, p) =>
  db.selectFrom('payments').select(PAYMENT_COLUMNS).where('client_id', '=', p('clientId')).where('payment_id', '=', p('paymentId')).forUpdate(),
);
const lockByRequestId = preparedQuery(['clientId', 'paymentRequestId'], (db, p) =>
  db.selectFrom('payments').select(PAYMENT_COLUMNS).where('client_id', '=', p('clientId')).where('payment_request_id', '=', p('paymentRequestId')).forUpdate(),
);

/**
 * Reads a payment for a change that depends on more than its own row (the
 * sum of its refunds or captures). On PostgreSQL the row is locked
 * (`SELECT … FOR UPDATE`) until the transaction ends, so refunds, captures
 * and cancels of one payment run one after the other and each sees what the
 * previous one committed. SQLite needs no lock: a write transaction holds
 * the database's only write lock from `BEGIN IMMEDIATE`, and the write
 * batcher runs its transactions one after the other.
 */
export async function findPaymentForUpdate(tx: Tx, dialect: Dialect, clientId: string, lookup: PaymentLookup): Promise<PaymentRecord | undefined> {
  if (dialect === 'sqlite') return findPayment(tx, clientId, lookup);
  const { rows } = 'paymentId' in lookup
    ? await lockByPaymentId(tx, { clientId, paymentId: lookup.paymentId })
    : await lockByRequestId(tx, { clientId, paymentRequestId: lookup.paymentRequestId });
  const row = rows[0];
  return row && paymentFromRow(row);
}

/**
 * The payment a refund or capture of an amount acts on, locked
 * (`findPaymentForUpdate`): ORDER_NOT_EXIST when the client has no payment
 * with that id, PARAM_ILLEGAL naming `<amountField>.currency` when the
 * amount is in another currency than the payment.
 */
export async function lockPaymentForOperation(
  tx: Tx,
  dialect: Dialect,
  clientId: string,
  operation: { paymentId: string; amountField: 'refundAmount' | 'captureAmount'; currency: string },
): Promise<PaymentRecord> {
  const payment = await findPaymentForUpdate(tx, dialect, clientId, { paymentId: operation.paymentId });
  if (!payment) throw new AmsError('ORDER_NOT_EXIST', `No payment with paymentId ${operation.paymentId}`);
  if (operation.currency !== payment.currency) {
    throw AmsError.paramIllegal(
      `${operation.amountField}.currency`,
      `must be the currency of payment ${payment.paymentId} (${payment.currency}), got ${operation.currency}`,
    );
  }
  return payment;
}

// ---------------------------------------------------------------------------
// payment_transactions: one operation's row, under the operation's id

/** Lists a new refund or capture among its payment's transactions (inquiryPayment), under the operation's id. */
export async function insertOperationTransaction(tx: Tx, operation: RefundRecord | CaptureRecord): Promise<void> {
  const [type, transactionId, requestId] = 'refundId' in operation
    ? (['REFUND', operation.refundId, operation.refundRequestId] as const)
    : (['CAPTURE', operation.captureId, operation.captureRequestId] as const);
  await insertTransaction(tx, {
    transactionId, paymentId: operation.paymentId, type, requestId, status: operation.status, resultCode: operation.resultCode,
    resultMessage: operation.resultMessage, currency: operation.currency, amount: operation.amount, createdAt: operation.createdAt, updatedAt: operation.updatedAt,
  }, operation.clientId);
}

const settleTransactionRow = preparedQuery(['transactionId', 'status', 'resultCode', 'resultMessage', 'now'], (db, p) =>
  db
    .updateTable('payment_transactions')
    .set({ status: p('status'), result_code: p('resultCode'), result_message: p('resultMessage'), updated_at: p('now') })
    .where('transaction_id', '=', p('transactionId'))
    .where('status', '=', 'PROCESSING'),
);

/** Settles the inquiryPayment view of one refund or capture (its row has the operation's id). */
export async function settleTransactionById(tx: Tx, transactionId: string, to: OperationSettlement): Promise<boolean> {
  const result = await settleTransactionRow(tx, { transactionId, ...to });
  return Number(result.numAffectedRows ?? 0n) === 1;
}

// ---------------------------------------------------------------------------
// authorizations

const AUTHORIZATION_COLUMNS = ['payment_id', 'client_id', 'capture_mode', 'currency', 'amount', 'created_at', 'closed_at', 'close_reason'] as const;

const insertAuthorizationRow = preparedQuery(AUTHORIZATION_COLUMNS, (db, p) =>
  db.insertInto('authorizations').values(placeholdersFor(AUTHORIZATION_COLUMNS, p)),
);

export async function insertAuthorization(tx: Tx, values: Insertable<AuthorizationsTable>): Promise<void> {
  await insertAuthorizationRow(tx, { closed_at: null, close_reason: null, ...values });
}

const selectAuthorization = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('authorizations').selectAll().where('payment_id', '=', p('paymentId')),
);

/** The authorisation of an authorise-only payment; undefined for a payment captured automatically. */
export async function findAuthorization(tx: Tx, paymentId: string): Promise<AuthorizationRecord | undefined> {
  const row = (await selectAuthorization(tx, { paymentId })).rows[0];
  return row && authorizationFromRow(row);
}

const closeAuthorizationRow = preparedQuery(['paymentId', 'reason', 'now'], (db, p) =>
  db
    .updateTable('authorizations')
    .set({ closed_at: p('now'), close_reason: p('reason') })
    .where('payment_id', '=', p('paymentId'))
    .where('closed_at', 'is', null),
);

/** Closes an open authorisation; false when it was already closed (another writer got there first). */
export async function closeAuthorization(tx: Tx, paymentId: string, reason: AuthorizationCloseReason, now: number): Promise<boolean> {
  const result = await closeAuthorizationRow(tx, { paymentId, reason, now });
  return Number(result.numAffectedRows ?? 0n) === 1;
}

// ---------------------------------------------------------------------------
// refunds

const REFUND_COLUMNS = [
  'refund_id', 'client_id', 'payment_id', 'refund_request_id', 'capture_id', 'status', 'result_code', 'result_message', 'currency', 'amount',
  'reference_refund_id', 'refund_reason', 'notify_url', 'metadata', 'created_at', 'updated_at', 'refunded_at',
  'settlement_currency', 'settlement_amount', 'settlement_price',
] as const;

const insertRefundRow = preparedQuery(REFUND_COLUMNS, (db, p) =>
  db.insertInto('refunds').values(placeholdersFor(REFUND_COLUMNS, p)),
);

export async function insertRefund(tx: Tx, refund: RefundRecord): Promise<void> {
  const row: Insertable<RefundsTable> = {
    refund_id: refund.refundId,
    client_id: refund.clientId,
    payment_id: refund.paymentId,
    refund_request_id: refund.refundRequestId,
    capture_id: refund.captureId,
    status: refund.status,
    result_code: refund.resultCode,
    result_message: refund.resultMessage,
    currency: refund.currency,
    amount: refund.amount,
    reference_refund_id: refund.referenceRefundId,
    refund_reason: refund.refundReason,
    notify_url: refund.notifyUrl,
    metadata: refund.metadata,
    created_at: refund.createdAt,
    updated_at: refund.updatedAt,
    refunded_at: refund.refundedAt,
    ...conversionColumns('settlement', refund.settlement),
  };
  await insertRefundRow(tx, row as Record<(typeof REFUND_COLUMNS)[number], unknown>);
}

export type RefundLookup = { refundId: string } | { refundRequestId: string };

const selectRefundById = preparedQuery(['clientId', 'refundId'], (db, p) =>
  db.selectFrom('refunds').selectAll().where('client_id', '=', p('clientId')).where('refund_id', '=', p('refundId')),
);
const selectRefundByRequestId = preparedQuery(['clientId', 'refundRequestId'], (db, p) =>
  db.selectFrom('refunds').selectAll().where('client_id', '=', p('clientId')).where('refund_request_id', '=', p('refundRequestId')),
);

export async function findRefund(tx: Tx, clientId: string, lookup: RefundLookup): Promise<RefundRecord | undefined> {
  const { rows } = 'refundId' in lookup
    ? await selectRefundById(tx, { clientId, refundId: lookup.refundId })
    : await selectRefundByRequestId(tx, { clientId, refundRequestId: lookup.refundRequestId });
  const row = rows[0];
  return row && refundFromRow(row);
}

const selectRefundsOfPayment = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('refunds').selectAll().where('payment_id', '=', p('paymentId')).orderBy('created_at').orderBy('refund_id'),
);

export async function listRefunds(tx: Tx, paymentId: string): Promise<RefundRecord[]> {
  const { rows } = await selectRefundsOfPayment(tx, { paymentId });
  return rows.map(refundFromRow);
}

const settleRefundRow = preparedQuery(['refundId', 'status', 'resultCode', 'resultMessage', 'now', 'refundedAt'], (db, p) =>
  db
    .updateTable('refunds')
    .set({ status: p('status'), result_code: p('resultCode'), result_message: p('resultMessage'), updated_at: p('now'), refunded_at: p('refundedAt') })
    .where('refund_id', '=', p('refundId'))
    .where('status', '=', 'PROCESSING'),
);

/** Moves a refund out of PROCESSING only if it is still there. */
export async function settleRefundRecord(tx: Tx, refundId: string, to: OperationSettlement): Promise<boolean> {
  const result = await settleRefundRow(tx, { refundId, ...to, refundedAt: to.status === 'SUCCESS' ? to.now : null });
  return Number(result.numAffectedRows ?? 0n) === 1;
}

// ---------------------------------------------------------------------------
// captures

const CAPTURE_COLUMNS = [
  'capture_id', 'client_id', 'payment_id', 'capture_request_id', 'status', 'result_code', 'result_message', 'currency', 'amount',
  'is_last_capture', 'created_at', 'updated_at', 'captured_at',
] as const;

const insertCaptureRow = preparedQuery(CAPTURE_COLUMNS, (db, p) =>
  db.insertInto('captures').values(placeholdersFor(CAPTURE_COLUMNS, p)),
);

export async function insertCapture(tx: Tx, capture: CaptureRecord): Promise<void> {
  const row: Insertable<CapturesTable> = {
    capture_id: capture.captureId,
    client_id: capture.clientId,
    payment_id: capture.paymentId,
    capture_request_id: capture.captureRequestId,
    status: capture.status,
    result_code: capture.resultCode,
    result_message: capture.resultMessage,
    currency: capture.currency,
    amount: capture.amount,
    is_last_capture: capture.isLastCapture ? 1 : 0,
    created_at: capture.createdAt,
    updated_at: capture.updatedAt,
    captured_at: capture.capturedAt,
  };
  await insertCaptureRow(tx, row as Record<(typeof CAPTURE_COLUMNS)[number], unknown>);
}

const selectCaptureById = preparedQuery(['clientId', 'captureId'], (db, p) =>
  db.selectFrom('captures').selectAll().where('client_id', '=', p('clientId')).where('capture_id', '=', p('captureId')),
);

export async function findCapture(tx: Tx, clientId: string, captureId: string): Promise<CaptureRecord | undefined> {
  const row = (await selectCaptureById(tx, { clientId, captureId })).rows[0];
  return row && captureFromRow(row);
}

const selectCapturesOfPayment = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('captures').selectAll().where('payment_id', '=', p('paymentId')).orderBy('created_at').orderBy('capture_id'),
);

export async function listCaptures(tx: Tx, paymentId: string): Promise<CaptureRecord[]> {
  const { rows } = await selectCapturesOfPayment(tx, { paymentId });
  return rows.map(captureFromRow);
}

const settleCaptureRow = preparedQuery(['captureId', 'status', 'resultCode', 'resultMessage', 'now', 'capturedAt'], (db, p) =>
  db
    .updateTable('captures')
    .set({ status: p('status'), result_code: p('resultCode'), result_message: p('resultMessage'), updated_at: p('now'), captured_at: p('capturedAt') })
    .where('capture_id', '=', p('captureId'))
    .where('status', '=', 'PROCESSING'),
);

/** Moves a capture out of PROCESSING only if it is still there. */
export async function settleCaptureRecord(tx: Tx, captureId: string, to: OperationSettlement): Promise<boolean> {
  const result = await settleCaptureRow(tx, { captureId, ...to, capturedAt: to.status === 'SUCCESS' ? to.now : null });
  return Number(result.numAffectedRows ?? 0n) === 1;
}
