/** The merchant registration table (part of migration `0022_registration_users`; see tables.ts). */
import { sql, type Kysely, type Migration } from 'kysely';

export const merchantRegistrationsTable: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('merchant_registrations')
      .addColumn('registration_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('registration_request_id', 'text', (c) => c.notNull())
      .addColumn('reference_merchant_id', 'text', (c) => c.notNull())
      .addColumn('reference_store_id', 'text')
      .addColumn('product_codes', 'text', (c) => c.notNull())
      .addColumn('merchant_info', 'text', (c) => c.notNull())
      .addColumn('store_info', 'text')
      .addColumn('pass_through_info', 'text')
      .addColumn('notify_url', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reject_reasons', 'text')
      .addColumn('psp_results', 'text')
      .addColumn('decide_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('merchant_registrations_request_uq', ['client_id', 'registration_request_id'])
      .execute();
    // A merchant's registrations, newest last; and what falls due on the clock.
    await db.schema.createIndex('merchant_registrations_merchant_idx').on('merchant_registrations').columns(['client_id', 'reference_merchant_id', 'created_at']).execute();
    // One live registration per merchant (under review or completed): a second request for it is REPEAT_REGISTRATION, also when both race.
    await db.schema
      .createIndex('merchant_registrations_live_uq')
      .on('merchant_registrations')
      .columns(['client_id', 'reference_merchant_id'])
      .unique()
      .where(sql.ref('status'), '<>', sql.lit('REJECTED'))
      .execute();
    await db.schema.createIndex('merchant_registrations_due_idx').on('merchant_registrations').columns(['status', 'decide_at']).execute();
  },
};
