/**
 * Read-only queries for people (dashboard, control API), never on an AMS
 * path: payments newest first with filters, and everything recorded about
 * one payment. Plain Kysely, so they run on SQLite and PostgreSQL alike.
 *
 * Paging is by keyset on `payment_id`, not OFFSET: payment ids start with
 * their creation time (see `ids.ts`), so the primary key is also the
 * creation order and "older than the last row shown" is an index range,
 * however deep the page. Date filters become primary-key bounds the same way.
 */
import type { Db } from '../../schema.js';
import { toBigInt, toNumber } from '../../store/columns.js';
import { idTimeBound } from '../../ids.js';
import { attemptFromRow, notificationFromRow, type AttemptRecord, type NotificationRecord } from '../../notify/notifications-repository.js';
import type { PaymentListFilter } from './payment-list-filter.js';
import { paymentFromRow, type PaymentRecord, type TransactionRecord } from '../../products/payments/payment-record.js';
import { findPaymentById, listTransactions, PAYMENT_COLUMNS } from '../../products/payments/payments-repository.js';
import { listCaptures, listRefunds } from '../../products/payments/operations-repository.js';
import type { CaptureRecord, RefundRecord } from '../../products/payments/operation-records.js';
import { listInvoiceFiles, type InvoiceFileRecord } from '../../products/payments/invoice-files.js';
import { listArrearSyncs, type ArrearSyncRecord } from '../../products/payments/arrears.js';
import { listDisputes } from '../../products/disputes/disputes-repository.js';
import type { DisputeRecord } from '../../products/disputes/dispute-record.js';

export interface PaymentPage {
  payments: PaymentRecord[];
  /** The cursor for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

export async function listPayments(db: Db, filter: PaymentListFilter): Promise<PaymentPage> {
  let query = db.selectFrom('payments').select(PAYMENT_COLUMNS);
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.paymentMethodType !== undefined) query = query.where('payment_method_type', '=', filter.paymentMethodType);
  if (filter.productCode !== undefined) query = query.where('product_code', '=', filter.productCode);
  if (filter.search !== undefined) {
    const search = filter.search;
    query = query.where((eb) => eb.or([eb('payment_id', '=', search), eb('payment_request_id', '=', search)]));
  }
  // created_at decides; the id bounds only let the database walk the primary key from the right place.
  if (filter.createdFrom !== undefined) {
    query = query.where('created_at', '>=', filter.createdFrom).where('payment_id', '>=', idTimeBound('PAY', filter.createdFrom));
  }
  if (filter.createdBefore !== undefined) {
    query = query.where('created_at', '<', filter.createdBefore).where('payment_id', '<', idTimeBound('PAY', filter.createdBefore));
  }
  if (filter.before !== undefined) query = query.where('payment_id', '<', filter.before);
  const rows = await query.orderBy('payment_id', 'desc').limit(filter.limit + 1).execute();
  const payments = rows.slice(0, filter.limit).map(paymentFromRow);
  return { payments, nextBefore: rows.length > filter.limit ? (payments.at(-1)?.paymentId ?? null) : null };
}

export interface JournalEntryRecord {
  entryId: string;
  journalId: string;
  movement: string;
  account: string;
  currency: string;
  /** Signed minor units: debit positive, credit negative. */
  amount: bigint;
  createdAt: number;
}

/** Everything recorded about one payment, from every table (the request log is not a table: see `payment-timeline.ts`). */
export interface PaymentHistory {
  payment: PaymentRecord;
  transactions: TransactionRecord[];
  refunds: RefundRecord[];
  captures: CaptureRecord[];
  journal: JournalEntryRecord[];
  /** Notifications about the payment, its refunds and its captures, oldest first. */
  notifications: NotificationRecord[];
  attempts: Map<string, AttemptRecord[]>;
  /** Invoices and air waybills uploaded for it (`uploadInvoiceShippingFile`), without their content. */
  invoiceFiles: InvoiceFileRecord[];
  /** `syncArrear` calls on it. */
  arrearSyncs: ArrearSyncRecord[];
  /** Its disputes, oldest first (a sandbox trigger's SCHEDULED one included). */
  disputes: DisputeRecord[];
}

export async function loadPaymentHistory(db: Db, paymentId: string): Promise<PaymentHistory | undefined> {
  const payment = await findPaymentById(db, paymentId);
  if (!payment) return undefined;
  const [transactions, refunds, captures, journalRows, invoiceFiles, arrearSyncs, disputes] = await Promise.all([
    listTransactions(db, paymentId),
    listRefunds(db, paymentId),
    listCaptures(db, paymentId),
    db.selectFrom('journal_entries').selectAll().where('payment_id', '=', paymentId).orderBy('entry_id').execute(),
    listInvoiceFiles(db, paymentId),
    listArrearSyncs(db, paymentId),
    listDisputes(db, paymentId),
  ]);
  const resourceIds = [paymentId, ...refunds.map((r) => r.refundId), ...captures.map((c) => c.captureId), ...disputes.map((d) => d.disputeId)];
  const notificationRows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('client_id', '=', payment.clientId)
    .where('resource_id', 'in', resourceIds)
    .orderBy('created_at')
    .orderBy('notification_id')
    .execute();
  const notifications = notificationRows.map(notificationFromRow);
  return {
    payment,
    transactions,
    refunds,
    captures,
    journal: journalRows.map((row) => ({
      entryId: row.entry_id,
      journalId: row.journal_id,
      movement: row.movement,
      account: row.account,
      currency: row.currency,
      amount: toBigInt(row.amount),
      createdAt: toNumber(row.created_at),
    })),
    notifications,
    attempts: await attemptsByNotification(db, notifications.map((n) => n.notificationId)),
    invoiceFiles,
    arrearSyncs,
    disputes,
  };
}

/** Delivery attempts of several notifications in one query, each list in attempt order. */
export async function attemptsByNotification(db: Db, notificationIds: readonly string[]): Promise<Map<string, AttemptRecord[]>> {
  const out = new Map<string, AttemptRecord[]>(notificationIds.map((id) => [id, []]));
  if (notificationIds.length === 0) return out;
  const rows = await db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('notification_id', 'in', [...notificationIds])
    .orderBy('notification_id')
    .orderBy('attempt')
    .execute();
  for (const row of rows) out.get(row.notification_id)?.push(attemptFromRow(row));
  return out;
}
