/** Queries of the subscription tables; every lookup a client makes is scoped to it. */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Tx } from '../../schema.js';
import { toNumber } from '../../store/columns.js';
import { subscriptionFromRow, subscriptionPaymentFromRow, type SubscriptionPaymentRecord, type SubscriptionRecord } from './subscription-record.js';
import type { SubscriptionPaymentsTable, SubscriptionRowStatus, SubscriptionsTable } from './tables.js';

type Reader = Tx | Db;

export async function insertSubscription(tx: Tx, row: Insertable<SubscriptionsTable>): Promise<void> {
  await tx.insertInto('subscriptions').values(row).execute();
}

/** One of the client's subscriptions (another client's is not found). */
export async function findSubscription(tx: Reader, clientId: string, subscriptionId: string): Promise<SubscriptionRecord | undefined> {
  const row = await tx.selectFrom('subscriptions').selectAll().where('subscription_id', '=', subscriptionId).where('client_id', '=', clientId).executeTakeFirst();
  return row && subscriptionFromRow(row);
}

/** A subscription by its id alone (the buyer's page, due work). */
export async function findSubscriptionById(tx: Reader, subscriptionId: string): Promise<SubscriptionRecord | undefined> {
  const row = await tx.selectFrom('subscriptions').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst();
  return row && subscriptionFromRow(row);
}

/** The subscription a subscriptionRequestId names now: the newest (a change makes a new one under the same request id). */
export async function findSubscriptionByRequestId(tx: Reader, clientId: string, subscriptionRequestId: string): Promise<SubscriptionRecord | undefined> {
  const row = await tx
    .selectFrom('subscriptions')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('subscription_request_id', '=', subscriptionRequestId)
    .orderBy('created_at', 'desc')
    .orderBy('subscription_id', 'desc')
    .executeTakeFirst();
  return row && subscriptionFromRow(row);
}

/**
 * Changes a subscription if nobody changed it since `revision` was read,
 * and moves its revision on: false when another request or process got
 * there first (it then reads the subscription again, or leaves it).
 */
export async function updateSubscription(tx: Tx, subscriptionId: string, revision: number, changes: Updateable<SubscriptionsTable>): Promise<boolean> {
  const result = await tx
    .updateTable('subscriptions')
    .set({ ...changes, revision: revision + 1 })
    .where('subscription_id', '=', subscriptionId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Subscriptions with work due at `now`, the earliest first. */
export async function dueSubscriptionIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('subscriptions').select('subscription_id').where('due_at', '<=', now).orderBy('due_at').orderBy('subscription_id').limit(limit).execute();
  return rows.map((row) => row.subscription_id);
}

export async function insertSubscriptionPayment(tx: Tx, row: Insertable<SubscriptionPaymentsTable>): Promise<void> {
  await tx.insertInto('subscription_payments').values(row).execute();
}

/** A subscription's payments, newest first (`statuses` empty: all). */
export async function listSubscriptionPayments(
  tx: Reader,
  subscriptionId: string,
  filter: { statuses: readonly string[]; offset: number; limit: number },
): Promise<{ payments: SubscriptionPaymentRecord[]; total: number }> {
  let query = tx.selectFrom('subscription_payments').where('subscription_id', '=', subscriptionId);
  if (filter.statuses.length > 0) query = query.where('status', 'in', [...filter.statuses] as Array<'SUCCESS' | 'FAIL'>);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('phase_no', 'desc').orderBy('attempt', 'desc').offset(filter.offset).limit(filter.limit).execute(),
    query.select(sql<number | string | bigint>`count(*)`.as('n')).executeTakeFirst(),
  ]);
  return { payments: rows.map(subscriptionPaymentFromRow), total: toNumber(count?.n ?? 0) };
}

/** The payments of one phase (its attempts, proration charges), oldest first. */
export async function paymentsOfPhase(tx: Reader, subscriptionId: string, phaseNo: number): Promise<SubscriptionPaymentRecord[]> {
  const rows = await tx.selectFrom('subscription_payments').selectAll().where('subscription_id', '=', subscriptionId).where('phase_no', '=', phaseNo).orderBy('created_at').orderBy('attempt').execute();
  return rows.map(subscriptionPaymentFromRow);
}

/** The newest successful period payment of a subscription. */
export async function lastPaidPeriod(tx: Reader, subscriptionId: string): Promise<SubscriptionPaymentRecord | undefined> {
  const row = await tx
    .selectFrom('subscription_payments')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('kind', '=', 'PERIOD')
    .where('status', '=', 'SUCCESS')
    .orderBy('phase_no', 'desc')
    .orderBy('attempt', 'desc')
    .executeTakeFirst();
  return row && subscriptionPaymentFromRow(row);
}

export interface SubscriptionListFilter {
  clientId: string;
  startFrom: number;
  startTo: number;
  statuses: readonly SubscriptionRowStatus[];
  paymentMethodTypes: readonly string[];
  currencies: readonly string[];
  periodTypes: readonly string[];
  offset: number;
  limit: number;
}

/** A client's subscriptions that start in a range and match the filters, newest start first. */
export async function listSubscriptions(tx: Reader, filter: SubscriptionListFilter): Promise<{ subscriptions: SubscriptionRecord[]; total: number }> {
  let query = tx
    .selectFrom('subscriptions')
    .where('client_id', '=', filter.clientId)
    .where('start_at', '>=', filter.startFrom)
    .where('start_at', '<=', filter.startTo)
    .where('status', 'in', [...filter.statuses]);
  if (filter.paymentMethodTypes.length > 0) query = query.where('payment_method_type', 'in', [...filter.paymentMethodTypes]);
  if (filter.currencies.length > 0) query = query.where('currency', 'in', [...filter.currencies]);
  if (filter.periodTypes.length > 0) query = query.where('period_type', 'in', [...filter.periodTypes]);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('start_at', 'desc').orderBy('subscription_id', 'desc').offset(filter.offset).limit(filter.limit).execute(),
    query.select(sql<number | string | bigint>`count(*)`.as('n')).executeTakeFirst(),
  ]);
  return { subscriptions: rows.map(subscriptionFromRow), total: toNumber(count?.n ?? 0) };
}
