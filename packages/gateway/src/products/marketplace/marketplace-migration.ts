/** Migration `0021_marketplace`: sub-merchants, attachments, settlements, payouts and transfers, balance locks (see tables.ts). */
import type { Kysely, Migration } from 'kysely';

export const marketplaceMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sub_merchants')
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('reference_merchant_id', 'text', (c) => c.notNull())
      .addColumn('registration_request_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('fail_reason', 'text')
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('settlement_accounts', 'text', (c) => c.notNull())
      .addColumn('decides_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sub_merchants_pk', ['client_id', 'reference_merchant_id'])
      .execute();
    // What the sandbox decides next: PROCESSING registrations by their decision time.
    await db.schema.createIndex('sub_merchants_status_decides_idx').on('sub_merchants').columns(['status', 'decides_at']).execute();

    await db.schema
      .createTable('marketplace_attachments')
      .addColumn('attachment_key', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('submit_request_id', 'text', (c) => c.notNull())
      .addColumn('attachment_type', 'text', (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('marketplace_settlements')
      .addColumn('settlement_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('settlement_request_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('marketplace_transfers')
      .addColumn('transfer_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('transfer_request_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('marketplace_balance_locks')
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('marketplace_balance_locks_pk', ['client_id', 'holder'])
      .execute();
  },
};
