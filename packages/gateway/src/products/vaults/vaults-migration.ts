/** Migration `0013_vaults`: vaultings and card tokens (see tables.ts). */
import type { Kysely, Migration } from 'kysely';

export const vaultsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('vaultings')
      .addColumn('vaulting_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('vaulting_request_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result_code', 'text', (c) => c.notNull())
      .addColumn('result_message', 'text', (c) => c.notNull())
      .addColumn('notify_url', 'text', (c) => c.notNull())
      .addColumn('redirect_url', 'text')
      .addColumn('require_3ds', 'integer', (c) => c.notNull())
      .addColumn('metadata', 'text')
      .addColumn('card_bin', 'text')
      .addColumn('card_last4', 'text')
      .addColumn('card_expiry_month', 'text')
      .addColumn('card_expiry_year', 'text')
      .addColumn('cardholder_name', 'text')
      .addColumn('card_token', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .addUniqueConstraint('vaultings_client_request_uq', ['client_id', 'vaulting_request_id'])
      .execute();

    await db.schema
      .createTable('card_tokens')
      .addColumn('card_token', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('vaulting_id', 'text')
      .addColumn('card_bin', 'text', (c) => c.notNull())
      .addColumn('card_last4', 'text', (c) => c.notNull())
      .addColumn('card_expiry_month', 'text', (c) => c.notNull())
      .addColumn('card_expiry_year', 'text', (c) => c.notNull())
      .addColumn('cardholder_name', 'text')
      .addColumn('email', 'text')
      .addColumn('token_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('card_tokens_client_idx').on('card_tokens').columns(['client_id', 'created_at']).execute();
  },
};
