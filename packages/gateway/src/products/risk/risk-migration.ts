/** The risk half of migration `0023_customs_risk`: decisions, reports, payment and refund results (see tables.ts). */
import type { Kysely } from 'kysely';

export async function createRiskTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risk_decisions')
    .addColumn('security_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('reference_transaction_id', 'text', (c) => c.notNull())
    .addColumn('authorization_phase', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('authentication_decision', 'text')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('currency', 'text')
    .addColumn('amount', 'bigint')
    .addColumn('order_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_decisions_transaction_idx').on('risk_decisions').columns(['client_id', 'reference_transaction_id']).execute();

  await db.schema
    .createTable('risk_reports')
    .addColumn('security_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('reference_transaction_id', 'text', (c) => c.notNull())
    .addColumn('risk_type', 'text', (c) => c.notNull())
    .addColumn('report_reason', 'text')
    .addColumn('risk_occurrence_time', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_reports_transaction_idx').on('risk_reports').columns(['client_id', 'reference_transaction_id']).execute();

  await db.schema
    .createTable('risk_payment_results')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('reference_transaction_id', 'text', (c) => c.notNull())
    .addColumn('security_id', 'text', (c) => c.notNull())
    .addColumn('payment_status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('payment_method_provider', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_payment_results_pk', ['client_id', 'reference_transaction_id'])
    .execute();

  await db.schema
    .createTable('risk_refund_results')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('reference_transaction_id', 'text', (c) => c.notNull())
    .addColumn('reference_refund_id', 'text', (c) => c.notNull())
    .addColumn('security_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('record_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_refund_results_pk', ['client_id', 'reference_transaction_id', 'reference_refund_id'])
    .execute();
}
