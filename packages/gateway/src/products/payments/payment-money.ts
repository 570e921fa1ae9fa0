/**
 * The money side of a payment's own life, used by PaymentService: whether
 * `pay` authorises only, what completion journals (PAY, or AUTHORIZE into
 * the hold), and what a cancel may and must reverse (refunds, captures and
 * the uncaptured hold of an authorisation).
 */
import { AmsError, type PaymentFactor } from '@amsgate/protocol';
import type { Tx } from '../../schema.js';
import { accounts, recordJournal } from '../../ledger/journal.js';
import { isActive, sumAmounts, type AuthorizationRecord } from './operation-records.js';
import { closeAuthorization, findAuthorization, insertAuthorization, listCaptures, listRefunds } from './operations-repository.js';
import type { PaymentRecord } from './payment-record.js';
import { insertSucceededTransaction } from './payments-repository.js';
import { chargedBackAmount } from '../disputes/disputes-repository.js';

/**
 * Whether a cashier `pay` only authorises: `captureMode` MANUAL, or
 * `isAuthorization` true without a capture mode. Antom's `captureMode`
 * AUTOMATIC (the default) captures right after the authorisation, so
 * `isAuthorization` true with AUTOMATIC is an ordinary payment.
 */
export function authorizesOnly(factor: PaymentFactor | undefined): boolean {
  if (factor === undefined) return false;
  if (factor.captureMode !== undefined) return factor.captureMode === 'MANUAL';
  return factor.isAuthorization === true;
}

/**
 * How long a successful authorisation can be captured: Antom releases the
 * funds of one not captured within seven days (docs: "Capture").
 */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** When an authorise-only payment's authorisation expires (`authExpiryTime`); undefined until it succeeded. */
export function authExpiryOf(payment: PaymentRecord): number | undefined {
  return payment.status === 'SUCCESS' && payment.paidAt !== null ? payment.paidAt + AUTHORIZATION_VALIDITY_MS : undefined;
}

/**
 * Releases an authorisation past its expiry, in the caller's transaction
 * (payment row locked): what was not captured goes back to the buyer
 * (VOID) and the authorisation closes as EXPIRED. Nothing to do (false)
 * before the expiry, for a payment that is no authorisation or one
 * already closed, or while a capture is in process.
 */
export async function releaseExpiredAuthorization(tx: Tx, payment: PaymentRecord, now: number): Promise<boolean> {
  const expiry = authExpiryOf(payment);
  if (expiry === undefined || now < expiry) return false;
  const authorization = await findAuthorization(tx, payment.paymentId);
  if (!authorization || authorization.closedAt !== null) return false;
  const captures = (await listCaptures(tx, payment.paymentId)).filter(isActive);
  if (captures.some((c) => c.status === 'PROCESSING')) return false;
  if (!(await closeAuthorization(tx, payment.paymentId, 'EXPIRED', now))) return false;
  const held = authorization.amount - sumAmounts(captures);
  if (held > 0n) await recordVoid(tx, payment, held, now);
  return true;
}

/** Marks a new payment as authorise-only (in `pay`'s transaction). */
export async function recordAuthorizationIntent(tx: Tx, payment: PaymentRecord, now: number): Promise<void> {
  await insertAuthorization(tx, {
    payment_id: payment.paymentId,
    client_id: payment.clientId,
    capture_mode: 'MANUAL',
    currency: payment.currency,
    amount: payment.amount,
    created_at: now,
  });
}

/**
 * The journal of a successful completion: the money becomes the merchant's
 * (PAY), or, for an authorise-only payment, is held for it (AUTHORIZE)
 * until captured or voided.
 */
export async function journalCompletion(tx: Tx, payment: PaymentRecord, now: number): Promise<void> {
  const authorization = await findAuthorization(tx, payment.paymentId);
  const to = authorization ? accounts.authorizationHold(payment.clientId) : accounts.merchantBalance(payment.clientId);
  await recordJournal(tx, {
    clientId: payment.clientId, paymentId: payment.paymentId, movement: authorization ? 'AUTHORIZE' : 'PAY', now,
    lines: [
      { account: accounts.paymentMethod(payment.paymentMethodType), currency: payment.currency, amount: -payment.amount },
      { account: to, currency: payment.currency, amount: payment.amount },
    ],
  });
}

/** What cancelling a payment gives back: the merchant's money (paid or captured) and the uncaptured hold. */
export interface CancelPlan {
  /** Paid, or captured from an authorisation: returned from the merchant's balance. */
  merchantAmount: bigint;
  /** Authorised and neither captured nor released yet: voided. */
  heldAmount: bigint;
  authorization: AuthorizationRecord | undefined;
}

/**
 * Checks that a payment may be cancelled and says what the cancel moves.
 * Call it with the payment row locked (`findPaymentForUpdate`). A payment
 * with refunds is not cancelled (cancel is a full reversal; the merchant
 * refunds the rest instead), nor one with a refund or capture in process.
 */
export async function planCancel(tx: Tx, payment: PaymentRecord): Promise<CancelPlan> {
  if (payment.status !== 'SUCCESS') return { merchantAmount: 0n, heldAmount: 0n, authorization: undefined };
  const refunds = (await listRefunds(tx, payment.paymentId)).filter(isActive);
  if (refunds.length > 0) {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has refunds; cancel reverses a whole payment, refund the rest instead`);
  }
  if ((await chargedBackAmount(tx, payment.paymentId)) > 0n) {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is disputed; cancel reverses a whole payment, refund what the disputes left instead`);
  }
  const authorization = await findAuthorization(tx, payment.paymentId);
  if (!authorization) return { merchantAmount: payment.amount, heldAmount: 0n, authorization };
  const captures = (await listCaptures(tx, payment.paymentId)).filter(isActive);
  if (captures.some((c) => c.status === 'PROCESSING')) {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has a capture in process; cancel it once the capture is final`);
  }
  const captured = sumAmounts(captures);
  return { merchantAmount: captured, heldAmount: authorization.closedAt === null ? authorization.amount - captured : 0n, authorization };
}

/** The money moves of a cancel, in its transaction: VOID the hold, return what the merchant got. */
export async function recordCancel(tx: Tx, payment: PaymentRecord, plan: CancelPlan, now: number): Promise<void> {
  const method = accounts.paymentMethod(payment.paymentMethodType);
  if (plan.authorization && plan.authorization.closedAt === null) {
    await closeAuthorization(tx, payment.paymentId, 'CANCELLED', now);
  }
  if (plan.heldAmount > 0n) await recordVoid(tx, payment, plan.heldAmount, now);
  if (plan.merchantAmount > 0n) {
    await recordJournal(tx, {
      clientId: payment.clientId, paymentId: payment.paymentId, movement: 'CANCEL', now,
      lines: [
        { account: accounts.merchantBalance(payment.clientId), currency: payment.currency, amount: -plan.merchantAmount },
        { account: method, currency: payment.currency, amount: plan.merchantAmount },
      ],
    });
  }
}

/** Releases held money back to the buyer's payment method, listed as a VOID transaction of the payment. */
export async function recordVoid(tx: Tx, payment: PaymentRecord, amount: bigint, now: number): Promise<void> {
  await recordJournal(tx, {
    clientId: payment.clientId, paymentId: payment.paymentId, movement: 'VOID', now,
    lines: [
      { account: accounts.authorizationHold(payment.clientId), currency: payment.currency, amount: -amount },
      { account: accounts.paymentMethod(payment.paymentMethodType), currency: payment.currency, amount },
    ],
  });
  await insertSucceededTransaction(tx, payment, 'VOID', amount, now);
}
