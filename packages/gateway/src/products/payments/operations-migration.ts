/**
 * Tables of refunds, captures and authorisations (migration 0002).
 *
 * Each refund and capture is a row of its own table, keyed for its endpoint
 * (`refundId` / `captureId`, and `(client, refundRequestId)` /
 * `(client, captureRequestId)` unique), and is mirrored, under the same id,
 * into `payment_transactions`, which is what inquiryPayment lists. An
 * authorise-only payment has a row in `authorizations`. Amounts are not
 * stored as running totals anywhere: what is captured or refunded is the sum
 * of the rows, and balances come from the journal.
 */
import type { Kysely, Migration } from 'kysely';

export const operationsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('authorizations')
      .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.payment_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('capture_mode', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('close_reason', 'text')
      .execute();

    await db.schema
      .createTable('refunds')
      .addColumn('refund_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.payment_id'))
      .addColumn('refund_request_id', 'text', (c) => c.notNull())
      .addColumn('capture_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('reference_refund_id', 'text')
      .addColumn('refund_reason', 'text')
      .addColumn('notify_url', 'text')
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('refunded_at', 'bigint')
      .addUniqueConstraint('refunds_client_request_unique', ['client_id', 'refund_request_id'])
      .execute();
    await db.schema.createIndex('refunds_payment').on('refunds').column('payment_id').execute();

    await db.schema
      .createTable('captures')
      .addColumn('capture_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.payment_id'))
      .addColumn('capture_request_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('is_last_capture', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('captured_at', 'bigint')
      .addUniqueConstraint('captures_client_request_unique', ['client_id', 'capture_request_id'])
      .execute();
    await db.schema.createIndex('captures_payment').on('captures').column('payment_id').execute();
  },
};
