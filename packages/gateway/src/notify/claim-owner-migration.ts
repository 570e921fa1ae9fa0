/** Migration 0020: who holds a notification's claim, so a crashed holder's claims are taken over at once. */
import { sql, type Kysely, type Migration } from 'kysely';

export const notificationClaimOwnerMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('notifications').addColumn('claimed_by', 'text').execute();
    // Only claimed rows are indexed: the look for a gone holder's claims stays small whatever the outbox holds.
    await db.schema.createIndex('notifications_claimed_by').on('notifications').column('claimed_by').where(sql.ref('claimed_by'), 'is not', null).execute();
  },
};
