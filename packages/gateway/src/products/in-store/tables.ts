/** The in-store table (migration 0005, `in-store-migration.ts`), as Kysely sees it. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/** The in-store side of an `IN_STORE_PAYMENT` payment. */
export interface InStorePaymentsTable {
  payment_id: string;
  client_id: string;
  /** `PaymentCode`, `OrderCode` or `EntryCode`. */
  scenario: string;
  /** The customer's payment code (PaymentCode only); unique: codes are single-use. */
  payment_code: string | null;
  /** When the payment (and an order code) stops being payable. */
  expires_at: IntColumn;
  /** Before migration 0007: when the simulated wallet settles a `U` payment code (now a `scheduled_outcomes` row; no longer written or read). */
  settle_at: NullableIntColumn;
  /** Before migration 0007: what it settles to, `SUCCESS` or an F result code. */
  settle_result_code: string | null;
  created_at: IntColumn;
}

export interface InStoreTables {
  in_store_payments: InStorePaymentsTable;
}
