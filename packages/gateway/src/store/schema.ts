/**
 * The database schema as Kysely sees it: one interface per table, column
 * names as in SQL. Times are UTC epoch milliseconds; money is minor units.
 * Integer columns read back as `number | bigint | string` depending on the
 * driver (SQLite gives bigint with safe integers on, pg gives its int8 parser's
 * output), so repositories convert with `toNumber` / `toBigInt`.
 */
import type { ColumnType } from 'kysely';

/** An INTEGER/BIGINT column: written as number or bigint, read as whatever the driver gives. */
export type IntColumn = ColumnType<number | bigint | string, number | bigint, number | bigint>;
export type NullableIntColumn = ColumnType<number | bigint | string | null, number | bigint | null, number | bigint | null>;

export interface ClientsTable {
  client_id: string;
  name: string;
  status: 'ACTIVE' | 'DISABLED';
  /** The gateway's key for this client ("Antom's" key): base64 PKCS#8 private, base64 SPKI public. */
  gateway_private_key: string;
  gateway_public_key: string;
  gateway_key_version: IntColumn;
  created_at: IntColumn;
}

export interface ClientKeysTable {
  client_id: string;
  key_version: IntColumn;
  /** base64 SPKI */
  public_key: string;
  created_at: IntColumn;
  revoked_at: NullableIntColumn;
}

export interface AgentTokensTable {
  /** SHA-256 hex of the token: the token itself is shown once and never stored. */
  token_hash: string;
  client_id: string;
  created_at: IntColumn;
  revoked_at: NullableIntColumn;
}

export type PaymentStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';

export interface PaymentsTable {
  payment_id: string;
  client_id: string;
  payment_request_id: string;
  product_code: string;
  status: PaymentStatus;
  /** Why the payment is in its state (`SUCCESS`, `USER_BALANCE_NOT_ENOUGH`, `ORDER_IS_CLOSED`, …). */
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  payment_method_type: string;
  payment_method_id: string | null;
  reference_order_id: string;
  order_description: string;
  redirect_url: string | null;
  notify_url: string | null;
  /** The normalised request, for inquiry fields we echo and for debugging. */
  request_json: string;
  created_at: IntColumn;
  updated_at: IntColumn;
  expires_at: IntColumn;
  paid_at: NullableIntColumn;
  closed_at: NullableIntColumn;
}

/** Operations on a payment (the payment itself, cancel; refunds and captures later), as inquiryPayment lists them. */
export interface PaymentTransactionsTable {
  transaction_id: string;
  payment_id: string;
  client_id: string;
  transaction_type: 'PAYMENT' | 'CANCEL' | 'REFUND' | 'CAPTURE' | 'AUTHORIZATION' | 'VOID';
  request_id: string | null;
  status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
}

/**
 * One row per idempotency key. Inserting it is how a request claims its key:
 * the primary key makes concurrent duplicates collide in the database, on
 * SQLite and on PostgreSQL alike, with no in-process lock.
 */
export interface IdempotencyKeysTable {
  client_id: string;
  /** `pay`, `refund`, `capture`, … */
  scope: string;
  request_id: string;
  /** The fields that must match on a repeat, as canonical JSON. */
  fingerprint: string;
  resource_id: string;
  created_at: IntColumn;
}

/** Append-only double-entry journal: the entries of one journal_id sum to zero per currency. */
export interface JournalEntriesTable {
  /** Time-ordered id, so entries sort in the order they were written. */
  entry_id: string;
  journal_id: string;
  client_id: string;
  payment_id: string;
  /** What moved the money: `PAY`, `CAPTURE`, `REFUND`, `VOID`, … */
  movement: string;
  account: string;
  currency: string;
  /** Signed minor units: debit positive, credit negative. */
  amount: IntColumn;
  created_at: IntColumn;
}

export interface DatabaseSchema {
  clients: ClientsTable;
  client_keys: ClientKeysTable;
  agent_tokens: AgentTokensTable;
  payments: PaymentsTable;
  payment_transactions: PaymentTransactionsTable;
  idempotency_keys: IdempotencyKeysTable;
  journal_entries: JournalEntriesTable;
}

export function toNumber(value: number | bigint | string): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNullableNumber(value: number | bigint | string | null): number | null {
  return value === null ? null : toNumber(value);
}

export function toBigInt(value: number | bigint | string): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}
