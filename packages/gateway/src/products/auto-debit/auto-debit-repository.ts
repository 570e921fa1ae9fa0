/**
 * Queries on the Auto Debit tables, prepared once (`store/prepared-query.ts`).
 * Codes and tokens are looked up by their SHA-256 digest; client-facing
 * lookups check the client, so another client's code or token is simply
 * not found.
 */
import type { Insertable, Selectable } from 'kysely';
import { preparedQuery, type Tx } from '../../schema.js';
import { toNullableNumber, toNumber } from '../../store/columns.js';
import type { AgreementConsultsTable, AgreementGrantsTable, AutoDebitTables } from './tables.js';
import { placeholdersFor } from '../../store/prepared-query.js';

export interface ConsultRecord {
  consultId: string;
  clientId: string;
  customerBelongsTo: string;
  authRedirectUrl: string;
  authState: string;
  scopes: string[];
  terminalType: string;
  authClientId: string | null;
  notifyUrl: string | null;
  status: AgreementConsultsTable['status'];
  createdAt: number;
  expiresAt: number;
  decidedAt: number | null;
}

export interface GrantRecord {
  grantId: string;
  clientId: string;
  consultId: string;
  customerBelongsTo: string;
  scopes: string[];
  authState: string;
  authClientId: string | null;
  userId: string;
  userLoginId: string;
  notifyUrl: string | null;
  refreshExpiresAt: number;
  createdAt: number;
  revokedAt: number | null;
}

function consultFromRow(row: Selectable<AgreementConsultsTable>): ConsultRecord {
  return {
    consultId: row.consult_id,
    clientId: row.client_id,
    customerBelongsTo: row.customer_belongs_to,
    authRedirectUrl: row.auth_redirect_url,
    authState: row.auth_state,
    scopes: JSON.parse(row.scopes) as string[],
    terminalType: row.terminal_type,
    authClientId: row.auth_client_id,
    notifyUrl: row.notify_url,
    status: row.status,
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    decidedAt: toNullableNumber(row.decided_at),
  };
}

function grantFromRow(row: Selectable<AgreementGrantsTable>): GrantRecord {
  return {
    grantId: row.grant_id,
    clientId: row.client_id,
    consultId: row.consult_id,
    customerBelongsTo: row.customer_belongs_to,
    scopes: JSON.parse(row.scopes) as string[],
    authState: row.auth_state,
    authClientId: row.auth_client_id,
    userId: row.user_id,
    userLoginId: row.user_login_id,
    notifyUrl: row.notify_url,
    refreshExpiresAt: toNumber(row.refresh_expires_at),
    createdAt: toNumber(row.created_at),
    revokedAt: toNullableNumber(row.revoked_at),
  };
}

/** An insert of every column of a table, prepared once. */
function preparedInsert<T extends keyof AutoDebitTables>(table: T, columns: ReadonlyArray<keyof Insertable<AutoDebitTables[T]> & string>) {
  const query = preparedQuery(columns, (db, p) => db.insertInto(table).values(placeholdersFor(columns, p)));
  return (tx: Tx, values: Insertable<AutoDebitTables[T]>) => query(tx, values as Record<(typeof columns)[number], unknown>);
}

export const insertConsult = preparedInsert('agreement_consults', [
  'consult_id', 'client_id', 'customer_belongs_to', 'auth_redirect_url', 'auth_state', 'scopes', 'terminal_type', 'auth_client_id', 'notify_url',
  'status', 'created_at', 'expires_at', 'decided_at',
]);
export const insertAuthCode = preparedInsert('agreement_auth_codes', [
  'code_hash', 'consult_id', 'client_id', 'user_id', 'user_login_id', 'created_at', 'expires_at', 'used_at',
]);
export const insertGrant = preparedInsert('agreement_grants', [
  'grant_id', 'client_id', 'consult_id', 'customer_belongs_to', 'scopes', 'auth_state', 'auth_client_id', 'user_id', 'user_login_id', 'notify_url',
  'refresh_token_hash', 'refresh_expires_at', 'created_at', 'revoked_at',
]);
export const insertAccessToken = preparedInsert('agreement_access_tokens', ['token_hash', 'grant_id', 'client_id', 'created_at', 'expires_at']);

const selectConsult = preparedQuery(['consultId'], (db, p) => db.selectFrom('agreement_consults').selectAll().where('consult_id', '=', p('consultId')));

/** By the unguessable consult id alone: for the authorisation page and the sandbox control API. */
export async function findConsult(tx: Tx, consultId: string): Promise<ConsultRecord | undefined> {
  const row = (await selectConsult(tx, { consultId })).rows[0];
  return row && consultFromRow(row);
}

const decideConsultRow = preparedQuery(['consultId', 'status', 'now'], (db, p) =>
  db
    .updateTable('agreement_consults')
    .set({ status: p('status'), decided_at: p('now') })
    .where('consult_id', '=', p('consultId'))
    .where('status', '=', 'PENDING')
    .where('expires_at', '>', p('now')),
);

/** PENDING → AGREED / DECLINED, only once and only before expiry; false when another decision got there first. */
export async function decideConsult(tx: Tx, consultId: string, status: 'AGREED' | 'DECLINED', now: number): Promise<boolean> {
  return Number((await decideConsultRow(tx, { consultId, status, now })).numAffectedRows ?? 0n) === 1;
}

export interface AuthCodeRecord {
  consult: ConsultRecord;
  userId: string;
  userLoginId: string;
  expiresAt: number;
  usedAt: number | null;
}

const selectAuthCode = preparedQuery(['codeHash', 'clientId'], (db, p) =>
  db
    .selectFrom('agreement_auth_codes as c')
    .innerJoin('agreement_consults as k', 'k.consult_id', 'c.consult_id')
    .selectAll('k')
    .select(['c.user_id', 'c.user_login_id', 'c.expires_at as code_expires_at', 'c.used_at'])
    .where('c.code_hash', '=', p('codeHash'))
    .where('c.client_id', '=', p('clientId')),
);

export async function findAuthCode(tx: Tx, clientId: string, codeHash: string): Promise<AuthCodeRecord | undefined> {
  const row = (await selectAuthCode(tx, { codeHash, clientId })).rows[0];
  if (!row) return undefined;
  return { consult: consultFromRow(row), userId: row.user_id, userLoginId: row.user_login_id, expiresAt: toNumber(row.code_expires_at), usedAt: toNullableNumber(row.used_at) };
}

const useAuthCodeRow = preparedQuery(['codeHash', 'now'], (db, p) =>
  db.updateTable('agreement_auth_codes').set({ used_at: p('now') }).where('code_hash', '=', p('codeHash')).where('used_at', 'is', null),
);

/** Marks a code used; false when a concurrent applyToken used it first. */
export async function useAuthCode(tx: Tx, codeHash: string, now: number): Promise<boolean> {
  return Number((await useAuthCodeRow(tx, { codeHash, now })).numAffectedRows ?? 0n) === 1;
}

const selectGrantByRefresh = preparedQuery(['refreshHash', 'clientId'], (db, p) =>
  db.selectFrom('agreement_grants').selectAll().where('refresh_token_hash', '=', p('refreshHash')).where('client_id', '=', p('clientId')),
);

export async function findGrantByRefreshToken(tx: Tx, clientId: string, refreshHash: string): Promise<GrantRecord | undefined> {
  const row = (await selectGrantByRefresh(tx, { refreshHash, clientId })).rows[0];
  return row && grantFromRow(row);
}

export interface AccessTokenRecord {
  grant: GrantRecord;
  expiresAt: number;
}

const selectAccessToken = preparedQuery(['tokenHash', 'clientId'], (db, p) =>
  db
    .selectFrom('agreement_access_tokens as t')
    .innerJoin('agreement_grants as g', 'g.grant_id', 't.grant_id')
    .selectAll('g')
    .select('t.expires_at as token_expires_at')
    .where('t.token_hash', '=', p('tokenHash'))
    .where('t.client_id', '=', p('clientId')),
);

/** An access token of this client, with its grant; another client's token is not found. */
export async function findAccessToken(tx: Tx, clientId: string, tokenHash: string): Promise<AccessTokenRecord | undefined> {
  const row = (await selectAccessToken(tx, { tokenHash, clientId })).rows[0];
  return row && { grant: grantFromRow(row), expiresAt: toNumber(row.token_expires_at) };
}

const revokeGrantRow = preparedQuery(['grantId', 'now'], (db, p) =>
  db.updateTable('agreement_grants').set({ revoked_at: p('now') }).where('grant_id', '=', p('grantId')).where('revoked_at', 'is', null),
);

/** Revokes a grant once; false when it already was. */
export async function revokeGrant(tx: Tx, grantId: string, now: number): Promise<boolean> {
  return Number((await revokeGrantRow(tx, { grantId, now })).numAffectedRows ?? 0n) === 1;
}
