/** Tables of clients, their key versions and agent tokens: the first part of migration 0001. */
import type { Kysely, Migration } from 'kysely';

export const clientsTables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('clients')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('gateway_private_key', 'text', (c) => c.notNull())
      .addColumn('gateway_public_key', 'text', (c) => c.notNull())
      .addColumn('gateway_key_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('client_keys')
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id'))
      .addColumn('key_version', 'integer', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addPrimaryKeyConstraint('client_keys_pk', ['client_id', 'key_version'])
      .execute();

    await db.schema
      .createTable('agent_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
  },
};
