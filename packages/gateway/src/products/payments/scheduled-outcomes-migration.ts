/**
 * Migration 0006: outcomes scheduled for pending payments (the sandbox
 * triggers `succeed-after`, `fail-after`, `unknown-then-success=…`), one row
 * per payment. The payment's own `expires_at` is set to `due_at`, so the
 * expiry sweeper and every read find it then; `scheduledOutcomeDuePolicy`
 * settles it to this outcome instead of closing it.
 */
import { sql, type Kysely, type Migration } from 'kysely';

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

/**
 * Migration 0007: in-store payment codes the simulated wallet settles later
 * schedule their outcome in `scheduled_outcomes` like the sandbox triggers,
 * no longer in `in_store_payments.settle_at` / `settle_result_code`. Copies
 * the rows written before: those whose settle time came before the
 * payment's expiry (the others closed, or close, as expired), due at
 * `settle_at`, which is their `payments.expires_at`. Settled payments are
 * copied too: an outcome is consulted only for a pending payment. The old
 * columns stay, still written and read as a fallback, so a gateway from
 * before 0007 and one after it can share the database during a rolling
 * upgrade (`scheduled-outcomes.ts`).
 */
export const inStoreScheduledOutcomesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      INSERT INTO scheduled_outcomes (payment_id, due_at, result_code, result_message, created_at)
      SELECT i.payment_id, i.settle_at, i.settle_result_code, NULL, i.created_at
      FROM in_store_payments i
      WHERE i.settle_at IS NOT NULL AND i.settle_result_code IS NOT NULL AND i.settle_at < i.expires_at
        AND NOT EXISTS (SELECT 1 FROM scheduled_outcomes s WHERE s.payment_id = i.payment_id)
    `.execute(db);
  },
};
