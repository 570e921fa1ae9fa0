/** The customs half of migration `0023_customs_risk`: declarations (see tables.ts). */
import type { Kysely } from 'kysely';

export async function createCustomsTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customs_declarations')
    .addColumn('declaration_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('declaration_request_id', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('payment_request_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('customs_code', 'text', (c) => c.notNull())
    .addColumn('customs_region', 'text')
    .addColumn('merchant_customs_code', 'text', (c) => c.notNull())
    .addColumn('merchant_customs_name', 'text', (c) => c.notNull())
    .addColumn('split_order', 'integer', (c) => c.notNull())
    .addColumn('sub_order_id', 'text')
    .addColumn('has_buyer', 'integer', (c) => c.notNull())
    .addColumn('buyer_digest', 'text')
    .addColumn('transmissions', 'integer', (c) => c.notNull())
    .addColumn('last_transmitted_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customs_declarations_request_idx').unique().on('customs_declarations').columns(['client_id', 'declaration_request_id']).execute();
  // A payment's declarations: their total (the limit, inquiryPayment's customsDeclarationAmount).
  await db.schema.createIndex('customs_declarations_payment_idx').on('customs_declarations').column('payment_id').execute();
}
