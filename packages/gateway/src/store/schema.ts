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

export type NotifyType = 'PAYMENT_RESULT' | 'REFUND_RESULT' | 'CAPTURE_RESULT' | 'AUTHORIZATION';
export type NotificationStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'NO_URL';

/** The notification outbox: written in the transaction of the change it reports. */
export interface NotificationsTable {
  notification_id: string;
  client_id: string;
  notify_type: NotifyType;
  event_key: string;
  resource_id: string;
  url: string | null;
  /** The exact JSON sent on every attempt. */
  body: string;
  status: NotificationStatus;
  attempts: IntColumn;
  next_attempt_at: NullableIntColumn;
  /** A worker's claim: others leave it alone until then (a crashed worker's claim expires). */
  locked_until: NullableIntColumn;
  last_error: string | null;
  created_at: IntColumn;
  updated_at: IntColumn;
  delivered_at: NullableIntColumn;
}

export interface NotificationAttemptsTable {
  attempt_id: string;
  notification_id: string;
  attempt: IntColumn;
  started_at: IntColumn;
  url: string;
  request_time: string;
  http_status: NullableIntColumn;
  /** At most a few hundred characters of the merchant's answer. */
  response_excerpt: string | null;
  error: string | null;
  duration_ms: IntColumn;
  succeeded: IntColumn;
}

/** A client's default notification URL per notification type (Antom's Dashboard setting). */
export interface ClientNotifyUrlsTable {
  client_id: string;
  notify_type: NotifyType;
  url: string;
}

/**
 * Migration 0002. One row per authorise-only payment (`paymentFactor.captureMode`
 * MANUAL, or `isAuthorization` without a capture mode), written by `pay`. The
 * authorisation is live while its payment is SUCCESS and `closed_at` is null;
 * what is captured is the sum of its captures, what is held is in the journal.
 */
export interface AuthorizationsTable {
  payment_id: string;
  client_id: string;
  /** `MANUAL` (the only mode stored: automatic capture needs no row). */
  capture_mode: string;
  currency: string;
  /** The authorised amount: the payment amount. */
  amount: IntColumn;
  created_at: IntColumn;
  /** Set when the last capture or a cancel released what was not captured. */
  closed_at: NullableIntColumn;
  close_reason: 'LAST_CAPTURE' | 'CANCELLED' | null;
}

/** Status of a refund or a capture (inquiryRefund's `refundStatus` values). */
export type OperationStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

/** Migration 0002. A refund of a payment; `(client_id, refund_request_id)` is unique. */
export interface RefundsTable {
  refund_id: string;
  client_id: string;
  payment_id: string;
  refund_request_id: string;
  /** The capture refunded, when the request named one. */
  capture_id: string | null;
  status: OperationStatus;
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  reference_refund_id: string | null;
  refund_reason: string | null;
  notify_url: string | null;
  /** The request's `metadata`, echoed by notifyRefund. */
  metadata: string | null;
  created_at: IntColumn;
  updated_at: IntColumn;
  /** When the refund succeeded (`refundTime`). */
  refunded_at: NullableIntColumn;
}

/** Migration 0002. A capture of an authorisation; `(client_id, capture_request_id)` is unique. */
export interface CapturesTable {
  capture_id: string;
  client_id: string;
  payment_id: string;
  capture_request_id: string;
  status: OperationStatus;
  result_code: string;
  result_message: string;
  currency: string;
  amount: IntColumn;
  /** 1 when this capture closed the authorisation (`isLastCapture`, or a method allowing one capture), else 0. */
  is_last_capture: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
  /** When the capture succeeded (`captureTime`). */
  captured_at: NullableIntColumn;
}

/** Migration 0004. An Auto Debit authorisation request (`authorizations/consult`), decided on the authorisation page. */
export interface AgreementConsultsTable {
  consult_id: string;
  client_id: string;
  customer_belongs_to: string;
  auth_redirect_url: string;
  auth_state: string;
  /** JSON array of the requested scopes. */
  scopes: string;
  terminal_type: string;
  auth_client_id: string | null;
  /** The request's `authNotifyUrl`; null: the client's default for AUTHORIZATION. */
  notify_url: string | null;
  status: 'PENDING' | 'AGREED' | 'DECLINED';
  created_at: IntColumn;
  /** The authorisation page is usable until then. */
  expires_at: IntColumn;
  decided_at: NullableIntColumn;
}

/** Migration 0004. A single-use auth code (SHA-256 hex only), one per agreed consult. */
export interface AgreementAuthCodesTable {
  code_hash: string;
  consult_id: string;
  client_id: string;
  /** The (simulated) wallet user who agreed, and their login id, already masked. */
  user_id: string;
  user_login_id: string;
  created_at: IntColumn;
  expires_at: IntColumn;
  used_at: NullableIntColumn;
}

/** Migration 0004. One agreement (from one auth code): the refresh token (hashed) and revocation. */
export interface AgreementGrantsTable {
  grant_id: string;
  client_id: string;
  consult_id: string;
  customer_belongs_to: string;
  scopes: string;
  auth_state: string;
  auth_client_id: string | null;
  user_id: string;
  user_login_id: string;
  notify_url: string | null;
  refresh_token_hash: string;
  refresh_expires_at: IntColumn;
  created_at: IntColumn;
  /** Set by `authorizations/revoke`: every access token and the refresh token of the grant stop working. */
  revoked_at: NullableIntColumn;
}

/** Migration 0004. An access token (SHA-256 hex only) of a grant. */
export interface AgreementAccessTokensTable {
  token_hash: string;
  grant_id: string;
  client_id: string;
  created_at: IntColumn;
  expires_at: IntColumn;
}

/** Migration 0005. The in-store side of an `IN_STORE_PAYMENT` payment (see `payments/in-store-migration.ts`). */
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

/** An outcome a pending payment takes at `due_at` (its `expires_at`) unless something completes it first (sandbox triggers, in-store payment codes). */
export interface ScheduledOutcomesTable {
  payment_id: string;
  due_at: IntColumn;
  /** `SUCCESS` or an F result code. */
  result_code: string;
  /** null: the catalogue's message for the code. */
  result_message: string | null;
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
  authorizations: AuthorizationsTable;
  refunds: RefundsTable;
  captures: CapturesTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  client_notify_urls: ClientNotifyUrlsTable;
  agreement_consults: AgreementConsultsTable;
  agreement_auth_codes: AgreementAuthCodesTable;
  agreement_grants: AgreementGrantsTable;
  in_store_payments: InStorePaymentsTable;
  agreement_access_tokens: AgreementAccessTokensTable;
  scheduled_outcomes: ScheduledOutcomesTable;
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
