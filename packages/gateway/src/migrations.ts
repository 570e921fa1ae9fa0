/**
 * The gateway's migrations, each owned by the room whose tables it makes,
 * listed here under the names recorded in every database migrated (never
 * rename one). One list for SQLite and PostgreSQL: only dialect-neutral
 * types (text, bigint, integer). Never edit a migration that has shipped;
 * add a new one.
 */
import { clientsTables } from './auth/clients-migration.js';
import { listingIndexesMigration } from './admin/read-models/listing-indexes-migration.js';
import { idempotencyKeysTable } from './endpoints/idempotency-migration.js';
import { journalEntriesTable } from './ledger/journal-migration.js';
import { notificationsMigration } from './notify/notification-migration.js';
import { journalAccountIndexMigration } from './ledger/journal-account-index-migration.js';
import { notificationClaimOwnerMigration } from './notify/claim-owner-migration.js';
import { autoDebitMigration } from './products/auto-debit/auto-debit-migration.js';
import { inStoreMigration } from './products/in-store/in-store-migration.js';
import { operationsMigration } from './products/payments/operations-migration.js';
import { paymentsTables } from './products/payments/payments-migration.js';
import { buyerPaymentMigration, paymentCardMigration, paymentMetadataMigration, paymentTaxCalculationMigration, paymentPspCustomerMigration, refundSettlementMigration, settlementMigration } from './products/payments/payment-columns-migration.js';
import { inStoreScheduledOutcomesMigration, scheduledOutcomesMigration } from './products/payments/scheduled-outcomes-migration.js';
import { buyerStepsMigration } from './products/payments/buyer-steps-migration.js';
import type { Database, DatabaseSchema } from './schema.js';
import { openStore, type OpenOptions } from './store/database.js';
import { migrationOf, type Migrations } from './store/migrator.js';
import { paymentToolsTables } from './products/payments/payment-tools-migration.js';
import { deviceCertificatesTable } from './products/devices/devices-migration.js';
import { vaultsMigration } from './products/vaults/vaults-migration.js';
import { subscriptionsMigration } from './products/subscriptions/subscriptions-migration.js';
import { disputesMigration } from './products/disputes/disputes-migration.js';
import { createCustomsTables } from './products/customs/customs-migration.js';
import { createRiskTables } from './products/risk/risk-migration.js';
import { merchantRegistrationsTable } from './products/registration/registration-migration.js';
import { userAuthenticationsTable } from './products/users/users-migration.js';
import { marketplaceMigration } from './products/marketplace/marketplace-migration.js';
import { resourcesMigration } from './resources/resources-migration.js';

export const GATEWAY_MIGRATIONS: Migrations = {
  '0001_clients_payments_journal': migrationOf(clientsTables, paymentsTables, idempotencyKeysTable, journalEntriesTable),
  '0002_authorizations_refunds_captures': operationsMigration,
  '0003_notifications': notificationsMigration,
  '0004_auto_debit': autoDebitMigration,
  '0005_in_store': inStoreMigration,
  '0006_scheduled_outcomes': scheduledOutcomesMigration,
  '0007_in_store_scheduled_outcomes': inStoreScheduledOutcomesMigration,
  '0008_listing_indexes': listingIndexesMigration,
  '0009_payment_settlement': settlementMigration,
  '0010_payment_metadata': paymentMetadataMigration,
  '0011_refund_settlement': refundSettlementMigration,
  '0012_buyer_payment_currency': buyerPaymentMigration,
  '0013_vaults': vaultsMigration,
  '0014_payment_card': paymentCardMigration,
  '0015_payment_buyer_steps': buyerStepsMigration,
  '0016_payment_psp_customer': paymentPspCustomerMigration,
  '0017_payment_tools_device_certificates': migrationOf(paymentToolsTables, deviceCertificatesTable),
  '0018_subscriptions': subscriptionsMigration,
  '0019_disputes': disputesMigration,
  '0020_notification_claim_owner': notificationClaimOwnerMigration,
  '0021_marketplace': migrationOf(marketplaceMigration, journalAccountIndexMigration),
  '0022_registration_users': migrationOf(merchantRegistrationsTable, userAuthenticationsTable),
  '0023_customs_risk': migrationOf({ up: createCustomsTables }, { up: createRiskTables }),
  '0024_resources': resourcesMigration,
  '0025_payment_tax_calculation': paymentTaxCalculationMigration,
};

/** The gateway's store, migrated: what `Gateway.open`, the CLI and the tests open. */
export function openDatabase(options: OpenOptions): Promise<Database> {
  return openStore<DatabaseSchema>(options, GATEWAY_MIGRATIONS);
}
