/** Migration `0019_disputes`: disputes and their defense documents (see tables.ts). */
import type { Kysely, Migration } from 'kysely';

export const disputesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('disputes')
      .addColumn('dispute_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('payment_request_id', 'text', (c) => c.notNull())
      .addColumn('capture_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('reason_code', 'text', (c) => c.notNull())
      .addColumn('reason_msg', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('payment_method_type', 'text', (c) => c.notNull())
      .addColumn('notify_url', 'text')
      .addColumn('opens_at', 'bigint', (c) => c.notNull())
      .addColumn('defense_window_ms', 'bigint', (c) => c.notNull())
      .addColumn('defense_due_at', 'bigint', (c) => c.notNull())
      .addColumn('alert_at', 'bigint', (c) => c.notNull())
      .addColumn('alert_sent_at', 'bigint')
      .addColumn('defended_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('judged_result', 'text')
      .addColumn('accept_reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disputes_payment_idx').on('disputes').column('payment_id').execute();
    // What falls due: scheduled openings (opens_at), alerts (alert_at) and deadlines (defense_due_at), by status.
    await db.schema.createIndex('disputes_status_opens_idx').on('disputes').columns(['status', 'opens_at']).execute();
    await db.schema.createIndex('disputes_status_due_idx').on('disputes').columns(['status', 'defense_due_at']).execute();

    await db.schema
      .createTable('dispute_evidence')
      .addColumn('dispute_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
