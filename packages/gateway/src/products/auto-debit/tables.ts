/** The Auto Debit tables (migration 0004, `auto-debit-migration.ts`), as Kysely sees them. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/** An Auto Debit authorisation request (`authorizations/consult`), decided on the authorisation page. */
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

/** A single-use auth code (SHA-256 hex only), one per agreed consult. */
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

/** One agreement (from one auth code): the refresh token (hashed) and revocation. */
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

/** An access token (SHA-256 hex only) of a grant. */
export interface AgreementAccessTokensTable {
  token_hash: string;
  grant_id: string;
  client_id: string;
  created_at: IntColumn;
  expires_at: IntColumn;
}

export interface AutoDebitTables {
  agreement_consults: AgreementConsultsTable;
  agreement_auth_codes: AgreementAuthCodesTable;
  agreement_grants: AgreementGrantsTable;
  agreement_access_tokens: AgreementAccessTokensTable;
}
