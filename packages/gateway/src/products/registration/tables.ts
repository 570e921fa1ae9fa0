/** The merchant registration table (migration `0022_registration_users`, `registration-migration.ts`), as Kysely sees it. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/**
 * Where a registration stands: `PENDING` under review until `decide_at`
 * (or the sandbox's control API decides); `COMPLETED` when every payment
 * method answered (each APPROVED or REJECTED in `psp_results`); `REJECTED`
 * when it was refused as a whole (`reject_reasons`).
 */
export type RegistrationStatus = 'PENDING' | 'COMPLETED' | 'REJECTED';

export interface MerchantRegistrationsTable {
  registration_id: string;
  client_id: string;
  registration_request_id: string;
  reference_merchant_id: string;
  /** The store of an in-store registration (`storeInfo.referenceStoreId`), else null. */
  reference_store_id: string | null;
  /** JSON array of product codes, as requested. */
  product_codes: string;
  /** JSON of `merchantInfo` as validated. */
  merchant_info: string;
  /** JSON of `storeInfo` as validated, or null. */
  store_info: string | null;
  pass_through_info: string | null;
  notify_url: string | null;
  status: RegistrationStatus;
  reject_reasons: string | null;
  /** JSON array of `{ pspName, registrationStatus, rejectReasons? }`, set when decided. */
  psp_results: string | null;
  /** When the review ends by itself (the configured delay after the request). */
  decide_at: IntColumn;
  decided_at: NullableIntColumn;
  created_at: IntColumn;
}

export interface RegistrationTables {
  merchant_registrations: MerchantRegistrationsTable;
}
