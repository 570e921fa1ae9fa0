/** The journal's table (see `journal.ts`): the last part of migration 0001. */
import type { Kysely, Migration } from 'kysely';

export const journalEntriesTable: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('journal_entries')
      .addColumn('entry_id', 'text', (c) => c.primaryKey())
      .addColumn('journal_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('movement', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('journal_entries_payment').on('journal_entries').column('payment_id').execute();
  },
};
