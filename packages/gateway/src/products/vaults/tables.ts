/** The vaulting tables (migration `0013_vaults`), as Kysely sees them. No table holds a full card number or a CVV. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

export type VaultingStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

/**
 * One vaulting, by session (the buyer enters the card on the sandbox page)
 * or direct (`vaultPaymentMethod`). While a card waits for its 3-D Secure
 * challenge, the card's BIN, last four and expiry wait here (`card_*`).
 */
export interface VaultingsTable {
  vaulting_id: string;
  client_id: string;
  vaulting_request_id: string;
  source: 'SESSION' | 'DIRECT';
  status: VaultingStatus;
  result_code: string;
  result_message: string;
  notify_url: string;
  redirect_url: string | null;
  /** 1: the card passes a 3-D Secure challenge before it is stored (`is3DSAuthentication`). */
  require_3ds: IntColumn;
  metadata: string | null;
  /** A card submitted and waiting for its challenge, or the card stored. */
  card_bin: string | null;
  card_last4: string | null;
  card_expiry_month: string | null;
  card_expiry_year: string | null;
  /** JSON UserName. */
  cardholder_name: string | null;
  card_token: string | null;
  created_at: IntColumn;
  updated_at: IntColumn;
  /** The session (its page) is usable until then. */
  expires_at: IntColumn;
  completed_at: NullableIntColumn;
}

/** A card token: what pay charges when `paymentMethodId` names it. */
export interface CardTokensTable {
  card_token: string;
  client_id: string;
  vaulting_id: string | null;
  card_bin: string;
  card_last4: string;
  card_expiry_month: string;
  card_expiry_year: string;
  cardholder_name: string | null;
  email: string | null;
  token_expires_at: IntColumn;
  /** 'NONCE': single use (fetchNonce), spent by `used_at`; 'TOKEN': vaulted, until deleted. */
  kind: 'TOKEN' | 'NONCE';
  created_at: IntColumn;
  updated_at: IntColumn;
  deleted_at: NullableIntColumn;
  used_at: NullableIntColumn;
}

export interface VaultTables {
  vaultings: VaultingsTable;
  card_tokens: CardTokensTable;
}
