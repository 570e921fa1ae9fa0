/** Migrations 0009 and 0010: a payment's settlement in another currency (see `settlement.ts`); the pay request's metadata. */
import type { Kysely, Migration } from 'kysely';

export const settlementMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('payments').addColumn('settlement_currency', 'text').execute();
    await db.schema.alterTable('payments').addColumn('settlement_amount', 'bigint').execute();
    await db.schema.alterTable('payments').addColumn('settlement_price', 'text').execute();
  },
};

export const paymentMetadataMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('payments').addColumn('metadata', 'text').execute();
  },
};

/** Migration 0025: the tax calculation a payment references (`taxCalculationId`). */
export const paymentTaxCalculationMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('payments').addColumn('tax_calculation_id', 'text').execute();
  },
};

/** Migration 0011: a refund's settlement in the payment's settlement currency. */
export const refundSettlementMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('refunds').addColumn('settlement_currency', 'text').execute();
    await db.schema.alterTable('refunds').addColumn('settlement_amount', 'bigint').execute();
    await db.schema.alterTable('refunds').addColumn('settlement_price', 'text').execute();
  },
};

/** Migration 0014: the card a card payment charged and its authorisation (JSON `CardOnPayment`, never the full number). */
export const paymentCardMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('payments').addColumn('card_result', 'text').execute();
  },
};

/** Migration 0016: the wallet account a wallet payment is paid from (`pspCustomerInfo`, see `wallet-customer.ts`). */
export const paymentPspCustomerMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('payments').addColumn('psp_customer_id', 'text').execute();
    await db.schema.alterTable('payments').addColumn('psp_display_customer_id', 'text').execute();
  },
};

/** Migration 0012: what the buyer pays in their account's currency (`actualPaymentAmount`, `paymentQuote`). */
export const buyerPaymentMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('payments').addColumn('actual_currency', 'text').execute();
    await db.schema.alterTable('payments').addColumn('actual_amount', 'bigint').execute();
    await db.schema.alterTable('payments').addColumn('actual_price', 'text').execute();
  },
};
