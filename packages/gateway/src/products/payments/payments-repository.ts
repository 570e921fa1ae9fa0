/**
 * Queries on payments and their transactions, prepared once (see
 * `store/prepared-query.ts`). Every client-facing read is scoped by client:
 * another client's id is simply not found.
 */
import { sql, type Insertable } from 'kysely';
import { preparedQuery, type Tx } from '../../schema.js';
import type { PaymentsTable, PaymentStatus } from './tables.js';
import { newId } from '../../ids.js';
import { paymentFromRow, transactionFromRow, type PaymentRecord, type TransactionRecord } from './payment-record.js';
import { placeholdersFor } from '../../store/prepared-query.js';
import type { CardOnPayment } from '../cards/card-result.js';

export type PaymentLookup = { paymentId: string } | { paymentRequestId: string };

/** Every payment column but the stored request, which only debugging needs. */
export const PAYMENT_COLUMNS = [
  'payment_id', 'client_id', 'payment_request_id', 'product_code', 'status', 'result_code', 'result_message', 'currency', 'amount',
  'payment_method_type', 'payment_method_id', 'reference_order_id', 'order_description', 'redirect_url', 'notify_url',
  'created_at', 'updated_at', 'expires_at', 'paid_at', 'closed_at', 'settlement_currency', 'settlement_amount', 'settlement_price',
  'metadata', 'tax_calculation_id', 'actual_currency', 'actual_amount', 'actual_price', 'card_result',
  'psp_customer_id', 'psp_display_customer_id',
] as const;

const selectByPaymentId = preparedQuery(['clientId', 'paymentId'], (db, p) =>
  db.selectFrom('payments').select(PAYMENT_COLUMNS).where('client_id', '=', p('clientId')).where('payment_id', '=', p('paymentId')),
);
const selectByRequestId = preparedQuery(['clientId', 'paymentRequestId'], (db, p) =>
  db.selectFrom('payments').select(PAYMENT_COLUMNS).where('client_id', '=', p('clientId')).where('payment_request_id', '=', p('paymentRequestId')),
);
const selectAnyClient = preparedQuery(['paymentId'], (db, p) => db.selectFrom('payments').select(PAYMENT_COLUMNS).where('payment_id', '=', p('paymentId')));

function firstPayment(rows: readonly Parameters<typeof paymentFromRow>[0][]): PaymentRecord | undefined {
  const row = rows[0];
  return row && paymentFromRow(row);
}

export async function findPayment(tx: Tx, clientId: string, lookup: PaymentLookup): Promise<PaymentRecord | undefined> {
  const result = 'paymentId' in lookup
    ? await selectByPaymentId(tx, { clientId, paymentId: lookup.paymentId })
    : await selectByRequestId(tx, { clientId, paymentRequestId: lookup.paymentRequestId });
  return firstPayment(result.rows);
}

/** The request body that created a payment, as validated (`request_json`). */
export async function findRequestJson(tx: Tx, paymentId: string): Promise<string | undefined> {
  const row = await tx.selectFrom('payments').select('request_json').where('payment_id', '=', paymentId).executeTakeFirst();
  return row?.request_json;
}

/** For the checkout page and the sandbox control API, which act by the unguessable payment id alone. */
export async function findPaymentById(tx: Tx, paymentId: string): Promise<PaymentRecord | undefined> {
  return firstPayment((await selectAnyClient(tx, { paymentId })).rows);
}

type PaymentInsert = Insertable<PaymentsTable>;
const PAYMENT_INSERT_COLUMNS = [...PAYMENT_COLUMNS, 'request_json'] as const satisfies ReadonlyArray<keyof PaymentInsert>;
type PaymentInsertColumn = (typeof PAYMENT_INSERT_COLUMNS)[number];

const insertPaymentRow = preparedQuery(PAYMENT_INSERT_COLUMNS, (db, p) =>
  db.insertInto('payments').values(placeholdersFor(PAYMENT_INSERT_COLUMNS, p)),
);

export async function insertPayment(tx: Tx, values: PaymentInsert): Promise<void> {
  // The columns a payment may leave out: no settlement in another currency, no metadata, no wallet account, no card.
  const row = { settlement_currency: null, settlement_amount: null, settlement_price: null, metadata: null, tax_calculation_id: null, actual_currency: null, actual_amount: null, actual_price: null, psp_customer_id: null, psp_display_customer_id: null, card_result: null, ...values };
  await insertPaymentRow(tx, row as Record<PaymentInsertColumn, unknown>);
}

const updateStatus = preparedQuery(['paymentId', 'from', 'status', 'resultCode', 'resultMessage', 'now', 'paidAt', 'closedAt'], (db, p) =>
  db
    .updateTable('payments')
    .set({
      status: p('status'),
      result_code: p('resultCode'),
      result_message: p('resultMessage'),
      updated_at: p('now'),
      paid_at: sql<number>`coalesce(${p('paidAt')}, paid_at)` as never,
      closed_at: sql<number>`coalesce(${p('closedAt')}, closed_at)` as never,
    })
    .where('payment_id', '=', p('paymentId'))
    .where('status', '=', p('from')),
);

/**
 * Moves a payment out of `from` only if it is still there: the conditional
 * update is what makes concurrent completions, cancels and expiries safe
 * without locks. Returns false when another writer got there first.
 */
export async function transitionPayment(
  tx: Tx,
  paymentId: string,
  from: PaymentStatus,
  to: { status: PaymentStatus; resultCode: string; resultMessage: string; now: number; paidAt?: number; closedAt?: number },
): Promise<boolean> {
  const result = await updateStatus(tx, {
    paymentId, from, status: to.status, resultCode: to.resultCode, resultMessage: to.resultMessage, now: to.now,
    paidAt: to.paidAt ?? null, closedAt: to.closedAt ?? null,
  });
  return Number(result.numAffectedRows ?? 0n) === 1;
}

const selectTransactions = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('payment_transactions').selectAll().where('payment_id', '=', p('paymentId')).orderBy('created_at').orderBy('transaction_id'),
);

export async function listTransactions(tx: Tx, paymentId: string): Promise<TransactionRecord[]> {
  const { rows } = await selectTransactions(tx, { paymentId });
  return rows.map(transactionFromRow);
}

const TRANSACTION_COLUMNS = [
  'transaction_id', 'payment_id', 'client_id', 'transaction_type', 'request_id', 'status', 'result_code', 'result_message',
  'currency', 'amount', 'created_at', 'updated_at',
] as const;

const insertTransactionRow = preparedQuery(TRANSACTION_COLUMNS, (db, p) =>
  db.insertInto('payment_transactions').values(placeholdersFor(TRANSACTION_COLUMNS, p)),
);

export async function insertTransaction(tx: Tx, record: TransactionRecord, clientId: string): Promise<void> {
  await insertTransactionRow(tx, {
    transaction_id: record.transactionId,
    payment_id: record.paymentId,
    client_id: clientId,
    transaction_type: record.type,
    request_id: record.requestId,
    status: record.status,
    result_code: record.resultCode,
    result_message: record.resultMessage,
    currency: record.currency,
    amount: record.amount,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  });
}

/** A transaction of the payment that is final as it is recorded (a cancel, a void): SUCCESS, with no request id of its own. */
export async function insertSucceededTransaction(tx: Tx, payment: PaymentRecord, type: 'CANCEL' | 'VOID', amount: bigint, now: number): Promise<void> {
  await insertTransaction(tx, {
    transactionId: newId('TXN', now), paymentId: payment.paymentId, type, requestId: null, status: 'SUCCESS',
    resultCode: 'SUCCESS', resultMessage: 'success', currency: payment.currency, amount, createdAt: now, updatedAt: now,
  }, payment.clientId);
}

const settleTransactionRow = preparedQuery(['paymentId', 'type', 'status', 'resultCode', 'resultMessage', 'now'], (db, p) =>
  db
    .updateTable('payment_transactions')
    .set({ status: p('status'), result_code: p('resultCode'), result_message: p('resultMessage'), updated_at: p('now') })
    .where('payment_id', '=', p('paymentId'))
    .where('transaction_type', '=', p('type'))
    .where('status', '=', 'PROCESSING'),
);

export async function settleTransaction(
  tx: Tx,
  paymentId: string,
  type: TransactionRecord['type'],
  to: { status: TransactionRecord['status']; resultCode: string; resultMessage: string; now: number },
): Promise<void> {
  await settleTransactionRow(tx, { paymentId, type, status: to.status, resultCode: to.resultCode, resultMessage: to.resultMessage, now: to.now });
}

/** Ids of pending payments past their expiry, oldest first (for the expiry sweeper). */
export async function expiredPaymentIds(tx: Tx, now: number, limit: number): Promise<string[]> {
  const rows = await tx
    .selectFrom('payments')
    .select('payment_id')
    .where('status', '=', 'PROCESSING')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.payment_id);
}

/** Records the card a card payment charged (the checkout page learns it when the buyer pays). */
export async function recordPaymentCard(tx: Tx, paymentId: string, card: CardOnPayment): Promise<void> {
  await tx.updateTable('payments').set({ card_result: JSON.stringify(card) }).where('payment_id', '=', paymentId).execute();
}
