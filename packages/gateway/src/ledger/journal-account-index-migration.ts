/** Migration 0021 (with the marketplace's tables): an account's entries by index, for balances summed from the journal (payouts, transfers, inquireBalance) without a scan of every entry. */
import type { Kysely, Migration } from 'kysely';

export const journalAccountIndexMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('journal_entries_account').on('journal_entries').columns(['account', 'currency']).execute();
  },
};
