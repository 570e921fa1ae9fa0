/**
 * Migration 0005: the in-store side of a payment (`IN_STORE_PAYMENT`), one
 * row per in-store payment next to its `payments` row. `payment_code` is
 * unique (codes are single-use; NULL for order and entry codes). A pending
 * payment's `payments.expires_at` is the next time it needs attention: the
 * earlier of its expiry (`expires_at` here) and, for a `U` payment code the
 * simulated wallet settles, `settle_at`; the expiry sweeper and every read
 * then settle or close it. Since migration 0007 the settling is a row in
 * `scheduled_outcomes`; `settle_at` / `settle_result_code` are still written
 * and read as a fallback, for gateways from before 0007 sharing the
 * database during a rolling upgrade.
 */
import type { Kysely, Migration } from 'kysely';

export const inStoreMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('in_store_payments')
      .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.payment_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('scenario', 'text', (c) => c.notNull())
      .addColumn('payment_code', 'text')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('settle_at', 'bigint')
      .addColumn('settle_result_code', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('in_store_payments_code').unique().on('in_store_payments').column('payment_code').execute();
  },
};
