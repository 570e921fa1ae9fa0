/** Queries of the user authentication table, scoped to the client (another client's authentication is not found). */
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../schema.js';
import { toNullableNumber, toNumber } from '../../store/columns.js';
import type { UserAuthenticationsTable } from './tables.js';

export interface AuthenticationRecord {
  authenticationId: string;
  clientId: string;
  authenticationRequestId: string;
  channel: 'EMAIL' | 'SMS';
  userId: string;
  otpHash: string;
  failedAttempts: number;
  maxAttempts: number;
  expiresAt: number;
  passedAt: number | null;
  lockedAt: number | null;
  createdAt: number;
}

function fromRow(row: Selectable<UserAuthenticationsTable>): AuthenticationRecord {
  return {
    authenticationId: row.authentication_id,
    clientId: row.client_id,
    authenticationRequestId: row.authentication_request_id,
    channel: row.channel,
    userId: row.user_id,
    otpHash: row.otp_hash,
    failedAttempts: toNumber(row.failed_attempts),
    maxAttempts: toNumber(row.max_attempts),
    expiresAt: toNumber(row.expires_at),
    passedAt: toNullableNumber(row.passed_at),
    lockedAt: toNullableNumber(row.locked_at),
    createdAt: toNumber(row.created_at),
  };
}

export async function insertAuthentication(tx: Tx, record: AuthenticationRecord): Promise<void> {
  await tx.insertInto('user_authentications').values({
    authentication_id: record.authenticationId,
    client_id: record.clientId,
    authentication_request_id: record.authenticationRequestId,
    channel: record.channel,
    user_id: record.userId,
    otp_hash: record.otpHash,
    failed_attempts: record.failedAttempts,
    max_attempts: record.maxAttempts,
    expires_at: record.expiresAt,
    passed_at: record.passedAt,
    locked_at: record.lockedAt,
    created_at: record.createdAt,
  }).execute();
}

export async function findAuthenticationById(tx: Tx | Db, clientId: string, authenticationId: string): Promise<AuthenticationRecord | undefined> {
  const row = await tx.selectFrom('user_authentications').selectAll().where('authentication_id', '=', authenticationId).where('client_id', '=', clientId).executeTakeFirst();
  return row && fromRow(row);
}

export async function findAuthentication(tx: Tx | Db, clientId: string, authenticationRequestId: string): Promise<AuthenticationRecord | undefined> {
  const row = await tx
    .selectFrom('user_authentications')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('authentication_request_id', '=', authenticationRequestId)
    .executeTakeFirst();
  return row && fromRow(row);
}

/** Marks it passed, from its current state only: false when another check changed it first. */
export async function markPassed(tx: Tx, record: AuthenticationRecord, now: number): Promise<boolean> {
  const result = await tx
    .updateTable('user_authentications')
    .set({ passed_at: now })
    .where('authentication_id', '=', record.authenticationId)
    .where('passed_at', 'is', null)
    .where('locked_at', 'is', null)
    .where('failed_attempts', '=', record.failedAttempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Counts one more wrong OTP (locking it at the last allowed): the new state, or undefined when another check changed it first. */
export async function countWrong(tx: Tx, record: AuthenticationRecord, now: number): Promise<AuthenticationRecord | undefined> {
  const failedAttempts = record.failedAttempts + 1;
  const lockedAt = failedAttempts >= record.maxAttempts ? now : null;
  const result = await tx
    .updateTable('user_authentications')
    .set({ failed_attempts: failedAttempts, locked_at: lockedAt })
    .where('authentication_id', '=', record.authenticationId)
    .where('passed_at', 'is', null)
    .where('locked_at', 'is', null)
    .where('failed_attempts', '=', record.failedAttempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { ...record, failedAttempts, lockedAt } : undefined;
}
