/**
 * Tables of Auto Debit (migration 0004): the authorisation requests made by
 * `authorizations/consult`, the auth codes the authorisation page issues,
 * the grants `applyToken` creates (one per agreement, holding the refresh
 * token) and their access tokens. Codes and tokens are stored as SHA-256 hex
 * digests only: whoever reads the database cannot pay with them.
 */
import type { Kysely, Migration } from 'kysely';

export const autoDebitMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('agreement_consults')
      .addColumn('consult_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('customer_belongs_to', 'text', (c) => c.notNull())
      .addColumn('auth_redirect_url', 'text', (c) => c.notNull())
      .addColumn('auth_state', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('terminal_type', 'text', (c) => c.notNull())
      .addColumn('auth_client_id', 'text')
      .addColumn('notify_url', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .execute();

    await db.schema
      .createTable('agreement_auth_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('consult_id', 'text', (c) => c.notNull().unique().references('agreement_consults.consult_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('user_login_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();

    await db.schema
      .createTable('agreement_grants')
      .addColumn('grant_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('consult_id', 'text', (c) => c.notNull().unique().references('agreement_consults.consult_id'))
      .addColumn('customer_belongs_to', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('auth_state', 'text', (c) => c.notNull())
      .addColumn('auth_client_id', 'text')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('user_login_id', 'text', (c) => c.notNull())
      .addColumn('notify_url', 'text')
      .addColumn('refresh_token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('refresh_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('agreement_access_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('grant_id', 'text', (c) => c.notNull().references('agreement_grants.grant_id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agreement_access_tokens_grant').on('agreement_access_tokens').column('grant_id').execute();
  },
};
