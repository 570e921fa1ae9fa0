/** The marketplace tables (migration `0021_marketplace`, `marketplace-migration.ts`), as Kysely sees them. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

export type SubMerchantStatus = 'PROCESSING' | 'SUCCESSFUL' | 'FAILED';

/** A sub-merchant a platform registered: PROCESSING until the sandbox decides, then SUCCESSFUL or FAILED. */
export interface SubMerchantsTable {
  client_id: string;
  /** The platform's id for it: what pay's `order.merchant.referenceMerchantId` and the balance calls name. */
  reference_merchant_id: string;
  registration_request_id: string;
  status: SubMerchantStatus;
  fail_reason: string | null;
  /** The normalised register request, JSON. */
  request_json: string;
  /** JSON object: settlement currency → its bank account (register's settlementInfos, then settlementInfo/update). */
  settlement_accounts: string;
  /** When the sandbox decides a PROCESSING registration by itself (SUCCESSFUL). */
  decides_at: IntColumn;
  decided_at: NullableIntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
}

/** A document submitAttachment recorded: a registration names it by `attachment_key`. */
export interface MarketplaceAttachmentsTable {
  attachment_key: string;
  client_id: string;
  submit_request_id: string;
  attachment_type: string;
  file_sha256: string;
  created_at: IntColumn;
}

/** One payments/settle: how a payment was split (`details_json`: the settlementDetails as sent). */
export interface MarketplaceSettlementsTable {
  settlement_id: string;
  client_id: string;
  settlement_request_id: string;
  payment_id: string;
  details_json: string;
  created_at: IntColumn;
}

export type TransferKind = 'PAYOUT' | 'TRANSFER';

/** A payout or transfer, done (SUCCESS) or refused for a short balance (FAIL, so a repeat answers the same). */
export interface MarketplaceTransfersTable {
  transfer_id: string;
  client_id: string;
  kind: TransferKind;
  transfer_request_id: string;
  status: 'SUCCESS' | 'FAIL';
  result_code: string;
  result_message: string;
  /** The normalised request, JSON: its details are echoed in the answer. */
  request_json: string;
  currency: string;
  amount: IntColumn;
  created_at: IntColumn;
}

/**
 * One row per balance holder (the platform: `holder` ''; a seller: its
 * referenceMerchantId) that has paid something out, locked (`FOR UPDATE`
 * on PostgreSQL) while a payout or transfer checks and draws on its balance,
 * so two cannot both spend the same money.
 */
export interface MarketplaceBalanceLocksTable {
  client_id: string;
  holder: string;
}

export interface MarketplaceTables {
  sub_merchants: SubMerchantsTable;
  marketplace_attachments: MarketplaceAttachmentsTable;
  marketplace_settlements: MarketplaceSettlementsTable;
  marketplace_transfers: MarketplaceTransfersTable;
  marketplace_balance_locks: MarketplaceBalanceLocksTable;
}
