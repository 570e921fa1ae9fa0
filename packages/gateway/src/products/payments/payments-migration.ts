/** Tables of payments and the transactions inquiryPayment lists: the second part of migration 0001. */
import type { Kysely, Migration } from 'kysely';

export const paymentsTables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('payments')
      .addColumn('payment_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id'))
      .addColumn('payment_request_id', 'text', (c) => c.notNull())
      .addColumn('product_code', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('payment_method_type', 'text', (c) => c.notNull())
      .addColumn('payment_method_id', 'text')
      .addColumn('reference_order_id', 'text', (c) => c.notNull())
      .addColumn('order_description', 'text', (c) => c.notNull())
      .addColumn('redirect_url', 'text')
      .addColumn('notify_url', 'text')
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('paid_at', 'bigint')
      .addColumn('closed_at', 'bigint')
      .addUniqueConstraint('payments_client_request_unique', ['client_id', 'payment_request_id'])
      .execute();
    await db.schema.createIndex('payments_pending_expiry').on('payments').columns(['status', 'expires_at']).execute();

    await db.schema
      .createTable('payment_transactions')
      .addColumn('transaction_id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.payment_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('transaction_type', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_transactions_payment').on('payment_transactions').column('payment_id').execute();
  },
};
