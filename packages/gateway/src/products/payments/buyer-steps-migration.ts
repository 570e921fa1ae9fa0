/**
 * Migration 0015: what a pending payment's buyer still has to do, or has
 * done while the result is not final: the one-time password a payment waits
 * for (`payment_verifications`), each verifyAndCompletePayment answered
 * (`payment_verification_attempts`), and a bank transfer the buyer has
 * submitted (`payment_submissions`). See `tables.ts`.
 */
import type { Kysely, Migration } from 'kysely';

export const buyerStepsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('payment_verifications')
      .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.payment_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('verify_method_type', 'text', (c) => c.notNull())
      .addColumn('otp_hash', 'text', (c) => c.notNull())
      .addColumn('failed_attempts', 'integer', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('verified_at', 'bigint')
      .addColumn('locked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('payment_verification_attempts')
      .addColumn('attempt_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.payment_id'))
      .addColumn('verify_request_id', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_verification_attempts_payment').on('payment_verification_attempts').column('payment_id').execute();

    await db.schema
      .createTable('payment_submissions')
      .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.payment_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
