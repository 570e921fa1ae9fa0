/** Invoice and shipping files, and arrear syncs (part of migration 0017; see `payment-tools-tables.ts`). */
import type { Kysely, Migration } from 'kysely';

export const paymentToolsTables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('invoice_shipping_files')
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('payment_request_id', 'text', (c) => c.notNull())
      .addColumn('file_type', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_format', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('invoice_shipping_files_pk', ['client_id', 'file_id'])
      .execute();
    await db.schema.createIndex('invoice_shipping_files_payment').on('invoice_shipping_files').columns(['payment_id', 'created_at']).execute();

    await db.schema
      .createTable('arrear_syncs')
      .addColumn('sync_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('arrear_syncs_payment').on('arrear_syncs').columns(['payment_id', 'created_at']).execute();
  },
};
