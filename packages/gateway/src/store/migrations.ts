/**
 * Migrations, in code so they ship inside the package. One list for SQLite
 * and PostgreSQL: only dialect-neutral types (text, bigint, integer).
 * Never edit a migration that has shipped; add a new one.
 */
import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { operationsMigration } from '../products/payments/operations-migration.js';
import { notificationsMigration } from '../notify/notification-migration.js';
import { autoDebitMigration } from '../products/auto-debit/auto-debit-migration.js';
import { inStoreMigration } from '../products/in-store/in-store-migration.js';
import { inStoreScheduledOutcomesMigration, scheduledOutcomesMigration } from '../products/payments/scheduled-outcomes-migration.js';
import { listingIndexesMigration } from './listing-indexes-migration.js';

const migrations: Record<string, Migration> = {
  '0001_clients_payments_journal': {
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

      await db.schema
        .createTable('payments')
        .addColumn('payment_id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id'))
        .addColumn('payment_request_id', 'text', (c) => c.notNull())
        .addColumn('product_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('result_code', 'text', (c) => c.notNull())
        .addColumn('result_message', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('payment_method_type', 'text', (c) => c.notNull())
        .addColumn('payment_method_id', 'text')
        .addColumn('reference_order_id', 'text', (c) => c.notNull())
        .addColumn('order_description', 'text', (c) => c.notNull())
        .addColumn('redirect_url', 'text')
        .addColumn('notify_url', 'text')
        .addColumn('request_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('paid_at', 'bigint')
        .addColumn('closed_at', 'bigint')
        .addUniqueConstraint('payments_client_request_unique', ['client_id', 'payment_request_id'])
        .execute();
      await db.schema.createIndex('payments_pending_expiry').on('payments').columns(['status', 'expires_at']).execute();

      await db.schema
        .createTable('payment_transactions')
        .addColumn('transaction_id', 'text', (c) => c.primaryKey())
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.payment_id'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('transaction_type', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('result_code', 'text', (c) => c.notNull())
        .addColumn('result_message', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('payment_transactions_payment').on('payment_transactions').column('payment_id').execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'scope', 'request_id'])
        .execute();

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
  },
  '0003_notifications': notificationsMigration,
  '0002_authorizations_refunds_captures': operationsMigration,
  '0004_auto_debit': autoDebitMigration,
  '0005_in_store': inStoreMigration,
  '0006_scheduled_outcomes': scheduledOutcomesMigration,
  '0007_in_store_scheduled_outcomes': inStoreScheduledOutcomesMigration,
  '0008_listing_indexes': listingIndexesMigration,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

export const MIGRATION_NAMES = Object.keys(migrations);

/** Applies every pending migration; safe to run from several processes at once (the migrator locks). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await migrationTableSchema(db) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`, {
      cause: error,
    });
  }
}

/** True when every migration this build knows has been applied. */
export async function migrationsApplied(db: Kysely<unknown>): Promise<boolean> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await migrationTableSchema(db) });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}

/**
 * PostgreSQL: the schema the session works in (`search_path`). Named
 * explicitly because Kysely otherwise finds its migration tables in any
 * schema of the database, so a gateway in a fresh schema (tests) could skip
 * creating its own lock table while another schema has one.
 */
async function migrationTableSchema(db: Kysely<unknown>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
