/** Queries on payments and their transactions. Every read is scoped by client: another client's id is simply not found. */
import type { Tx } from '../store/database.js';
import type { PaymentsTable, PaymentStatus } from '../store/schema.js';
import type { Insertable } from 'kysely';
import { paymentFromRow, transactionFromRow, type PaymentRecord, type TransactionRecord } from './payment-record.js';

export type PaymentLookup = { paymentId: string } | { paymentRequestId: string };

export async function findPayment(tx: Tx, clientId: string, lookup: PaymentLookup): Promise<PaymentRecord | undefined> {
  let query = tx.selectFrom('payments').selectAll().where('client_id', '=', clientId);
  query = 'paymentId' in lookup ? query.where('payment_id', '=', lookup.paymentId) : query.where('payment_request_id', '=', lookup.paymentRequestId);
  const row = await query.executeTakeFirst();
  return row && paymentFromRow(row);
}

/** For the sandbox control API, which acts across clients on loopback only. */
export async function findPaymentById(tx: Tx, paymentId: string): Promise<PaymentRecord | undefined> {
  const row = await tx.selectFrom('payments').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
  return row && paymentFromRow(row);
}

export async function insertPayment(tx: Tx, values: Insertable<PaymentsTable>): Promise<void> {
  await tx.insertInto('payments').values(values).execute();
}

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
  const result = await tx
    .updateTable('payments')
    .set({
      status: to.status,
      result_code: to.resultCode,
      result_message: to.resultMessage,
      updated_at: to.now,
      ...(to.paidAt !== undefined ? { paid_at: to.paidAt } : {}),
      ...(to.closedAt !== undefined ? { closed_at: to.closedAt } : {}),
    })
    .where('payment_id', '=', paymentId)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listTransactions(tx: Tx, paymentId: string): Promise<TransactionRecord[]> {
  const rows = await tx.selectFrom('payment_transactions').selectAll().where('payment_id', '=', paymentId).orderBy('created_at').orderBy('transaction_id').execute();
  return rows.map(transactionFromRow);
}

export async function insertTransaction(tx: Tx, record: TransactionRecord, clientId: string): Promise<void> {
  await tx
    .insertInto('payment_transactions')
    .values({
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
    })
    .execute();
}

export async function settleTransaction(
  tx: Tx,
  paymentId: string,
  type: TransactionRecord['type'],
  to: { status: TransactionRecord['status']; resultCode: string; resultMessage: string; now: number },
): Promise<void> {
  await tx
    .updateTable('payment_transactions')
    .set({ status: to.status, result_code: to.resultCode, result_message: to.resultMessage, updated_at: to.now })
    .where('payment_id', '=', paymentId)
    .where('transaction_type', '=', type)
    .where('status', '=', 'PROCESSING')
    .execute();
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
