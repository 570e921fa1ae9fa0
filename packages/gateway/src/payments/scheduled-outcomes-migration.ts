/**
 * Migration 0006: outcomes scheduled for pending payments (the sandbox
 * triggers `succeed-after`, `fail-after`, `unknown-then-success=…`), one row
 * per payment. The payment's own `expires_at` is set to `due_at`, so the
 * expiry sweeper and every read find it then; `scheduledOutcomeDuePolicy`
 * settles it to this outcome instead of closing it.
 */
import type { Kysely, Migration } from 'kysely';

export const scheduledOutcomesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('scheduled_outcomes')
      .addColumn('payment_id', 'text', (c) => c.primaryKey().references('payments.payment_id'))
      .addColumn('due_at', 'bigint', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
