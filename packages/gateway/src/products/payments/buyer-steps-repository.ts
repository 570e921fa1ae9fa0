/**
 * Queries on what a pending payment's buyer still has to do or has done
 * (migration 0015, `buyer-steps-migration.ts`): the one-time password a
 * payment waits for, the verifyAndCompletePayment calls answered, a bank
 * transfer submitted.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Tx } from '../../schema.js';
import { toNullableNumber, toNumber } from '../../store/columns.js';
import type { PaymentSubmissionsTable, PaymentVerificationAttemptsTable, PaymentVerificationsTable } from './tables.js';

export interface VerificationRecord {
  paymentId: string;
  clientId: string;
  verifyMethodType: string;
  otpHash: string;
  failedAttempts: number;
  maxAttempts: number;
  createdAt: number;
  verifiedAt: number | null;
  lockedAt: number | null;
}

export interface VerificationAttemptRecord {
  attemptId: string;
  clientId: string;
  paymentId: string;
  verifyRequestId: string;
  resultCode: string;
  resultMessage: string;
  createdAt: number;
}

/**
 * How an OTP is kept: `salt$digest`, SHA-256 over a random per-row salt and
 * the OTP. An unsalted digest of a six-digit code is a lookup away from it.
 */
export function otpDigest(otp: string, salt: string = randomBytes(16).toString('hex')): string {
  return `${salt}$${createHash('sha256').update(salt, 'utf8').update('\0').update(otp, 'utf8').digest('hex')}`;
}

/** Whether `otp` is the one `stored` (an `otpDigest`) was made from, compared in constant time. */
export function otpMatches(otp: string, stored: string): boolean {
  const salt = stored.slice(0, stored.indexOf('$'));
  const left = Buffer.from(otpDigest(otp, salt), 'utf8');
  const right = Buffer.from(stored, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function verificationFromRow(row: Selectable<PaymentVerificationsTable>): VerificationRecord {
  return {
    paymentId: row.payment_id,
    clientId: row.client_id,
    verifyMethodType: row.verify_method_type,
    otpHash: row.otp_hash,
    failedAttempts: toNumber(row.failed_attempts),
    maxAttempts: toNumber(row.max_attempts),
    createdAt: toNumber(row.created_at),
    verifiedAt: toNullableNumber(row.verified_at),
    lockedAt: toNullableNumber(row.locked_at),
  };
}

export async function insertVerification(
  tx: Tx,
  values: { paymentId: string; clientId: string; verifyMethodType: string; otp: string; maxAttempts: number; now: number },
): Promise<void> {
  await tx
    .insertInto('payment_verifications')
    .values({
      payment_id: values.paymentId,
      client_id: values.clientId,
      verify_method_type: values.verifyMethodType,
      otp_hash: otpDigest(values.otp),
      failed_attempts: 0,
      max_attempts: values.maxAttempts,
      created_at: values.now,
      verified_at: null,
      locked_at: null,
    })
    .execute();
}

export async function findVerification(tx: Tx, paymentId: string): Promise<VerificationRecord | undefined> {
  const row = await tx.selectFrom('payment_verifications').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
  return row && verificationFromRow(row);
}

/** Whether a payment waits for its buyer's one-time password (not verified yet, not locked out). */
export async function awaitsVerification(tx: Tx, paymentId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('payment_verifications')
    .select('payment_id')
    .where('payment_id', '=', paymentId)
    .where('verified_at', 'is', null)
    .where('locked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The verification as it is after one more wrong OTP (locked when it was the last allowed); undefined when it was settled meanwhile. */
export async function countWrongOtp(tx: Tx, verification: VerificationRecord, now: number): Promise<VerificationRecord | undefined> {
  const failedAttempts = verification.failedAttempts + 1;
  const lockedAt = failedAttempts >= verification.maxAttempts ? now : null;
  const result = await tx
    .updateTable('payment_verifications')
    .set({ failed_attempts: failedAttempts, locked_at: lockedAt })
    .where('payment_id', '=', verification.paymentId)
    .where('failed_attempts', '=', verification.failedAttempts)
    .where('verified_at', 'is', null)
    .where('locked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { ...verification, failedAttempts, lockedAt } : undefined;
}

export async function markVerified(tx: Tx, paymentId: string, now: number): Promise<boolean> {
  const result = await tx
    .updateTable('payment_verifications')
    .set({ verified_at: now })
    .where('payment_id', '=', paymentId)
    .where('verified_at', 'is', null)
    .where('locked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertVerificationAttempt(tx: Tx, attempt: VerificationAttemptRecord): Promise<void> {
  await tx
    .insertInto('payment_verification_attempts')
    .values({
      attempt_id: attempt.attemptId,
      client_id: attempt.clientId,
      payment_id: attempt.paymentId,
      verify_request_id: attempt.verifyRequestId,
      result_code: attempt.resultCode,
      result_message: attempt.resultMessage,
      created_at: attempt.createdAt,
    })
    .execute();
}

function attemptFromRow(row: Selectable<PaymentVerificationAttemptsTable>): VerificationAttemptRecord {
  return {
    attemptId: row.attempt_id,
    clientId: row.client_id,
    paymentId: row.payment_id,
    verifyRequestId: row.verify_request_id,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    createdAt: toNumber(row.created_at),
  };
}

export async function findVerificationAttempt(tx: Tx, clientId: string, attemptId: string): Promise<VerificationAttemptRecord | undefined> {
  const row = await tx.selectFrom('payment_verification_attempts').selectAll().where('client_id', '=', clientId).where('attempt_id', '=', attemptId).executeTakeFirst();
  return row && attemptFromRow(row);
}

// ---------------------------------------------------------------------------
// Bank transfers submitted

/** Records that the buyer submitted the payment; false when they already had. */
export async function insertSubmission(tx: Tx, values: { paymentId: string; clientId: string; now: number }): Promise<boolean> {
  const result = await tx
    .insertInto('payment_submissions')
    .values({ payment_id: values.paymentId, client_id: values.clientId, submitted_at: values.now })
    .onConflict((oc) => oc.column('payment_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** When the buyer submitted the payment, if they did. */
export async function findSubmission(tx: Tx, paymentId: string): Promise<number | undefined> {
  const row: Pick<Selectable<PaymentSubmissionsTable>, 'submitted_at'> | undefined = await tx
    .selectFrom('payment_submissions')
    .select('submitted_at')
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return row && toNumber(row.submitted_at);
}
