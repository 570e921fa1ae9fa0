/** The customs declaration table (migration `0023_customs_risk`, `customs-migration.ts`), as Kysely sees it. */
import type { IntColumn } from '../../store/columns.js';

/**
 * One declaration of a payment to customs, keyed by the merchant's
 * `declarationRequestId`. A retransmission (the same id, corrected fields)
 * rewrites its row: the row is what customs holds now. Its status is not
 * stored: customs' receipt arrives `receiptDelayMs` after the last
 * transmission (see `CustomsService`).
 */
export interface CustomsDeclarationsTable {
  declaration_id: string;
  client_id: string;
  declaration_request_id: string;
  payment_id: string;
  payment_request_id: string;
  currency: string;
  /** Minor units of `currency`. */
  amount: IntColumn;
  customs_code: string;
  customs_region: string | null;
  merchant_customs_code: string;
  merchant_customs_name: string;
  /** 1 when the payment is declared in parts (`splitOrder`), else 0. */
  split_order: IntColumn;
  sub_order_id: string | null;
  /** Whether a buyer certificate came with the declaration (its numbers are never stored: only `buyer_digest`). */
  has_buyer: IntColumn;
  /** SHA-256 (hex) of the certificate's correctable fields (number, full name): tells a correction from a repeat. */
  buyer_digest: string | null;
  /** How many times it was sent to customs (1, then +1 per retransmission). */
  transmissions: IntColumn;
  last_transmitted_at: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
}

export interface CustomsTables {
  customs_declarations: CustomsDeclarationsTable;
}
