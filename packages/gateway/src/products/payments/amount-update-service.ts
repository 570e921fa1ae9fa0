/**
 * `payments/updateAmount`: incremental authorisation (docs: "updateAmount").
 *
 * The rules, from the docs: only a payment authorised with `captureMode`
 * MANUAL whose authorisation succeeded, before any capture, while the
 * authorisation is open; `amount` is the new authorised total (not the
 * increment), strictly more than what is authorised so far (it only goes
 * up), in the payment's currency; at most 10 adjustments. After a capture or
 * past the 10th: INCREMENTAL_NOT_SUPPORT. `S` means accepted; the result
 * comes as notifyPayment `UPDATE_AMOUNT_RESULT`.
 *
 * Ours where the docs are silent: a payment captured automatically is
 * INCREMENTAL_NOT_SUPPORT too (nothing is held to increase); one still
 * pending or failed ORDER_STATUS_INVALID, a cancelled one ORDER_IS_CANCELED,
 * an expired authorisation AUTH_EXPIRED (as for capture); a currency other
 * than the payment's, or an amount not above the authorised one,
 * PARAM_ILLEGAL naming the field (as refund and capture do for a currency).
 *
 * The sandbox settles an update in the request's own transaction: on success
 * the payment's amount (inquiryPayment's `paymentAmount`, what a capture may
 * take, what a cancel voids), its authorisation, its settlement and what the
 * buyer pays in their currency (at the prices locked with the payment) all
 * become the new amount, the difference is journalled AUTHORIZE into the
 * hold, and an INCREMENTAL transaction (keyed by `updateRequestId`, carrying
 * the new total) lists it on the payment. A reserved sandbox amount
 * (`amountDecline`) makes the update FAIL instead: accepted (`S`), notified
 * F, the payment unchanged.
 */
import { AmsError, parsePositiveAmount, SUCCESS_RESULT, type UpdateAmountRequest } from '@amsgate/protocol';
import type { Selectable } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../schema.js';
import { newId } from '../../ids.js';
import { accounts, recordJournal } from '../../ledger/journal.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { amountOf } from './answers.js';
import type { PaymentEventSink } from './events.js';
import { isActive, type AuthorizationRecord } from './operation-records.js';
import { findAuthorization, findPaymentForUpdate, listCaptures } from './operations-repository.js';
import { authExpiryOf, releaseExpiredAuthorization } from './payment-money.js';
import { transactionFromRow, type PaymentRecord, type TransactionRecord } from './payment-record.js';
import { findPayment, insertTransaction, listTransactions } from './payments-repository.js';
import type { AmountDecline } from './pay-triggers.js';
import { reconverted } from './settlement.js';
import type { PaymentTransactionsTable } from './tables.js';
import { isoTime } from '../../iso-time.js';

/** Antom: "By default, the system supports up to 10 amount adjustments." */
export const MAX_AMOUNT_UPDATES = 10;

export interface AmountUpdateOptions {
  /** The locked payment as it is now (`PaymentService.closeIfExpired`). */
  currentPayment: (tx: Tx, payment: PaymentRecord, now: number) => Promise<PaymentRecord>;
  /** Sandbox mode: a new amount that is a reserved decline amount makes the update FAIL with its code; gateway mode has none. */
  amountDecline?: (minor: bigint) => AmountDecline | undefined;
}

export class AmountUpdateService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: AmountUpdateOptions,
    private readonly events: PaymentEventSink,
  ) {}

  async update(context: KeyedHandlerContext, request: UpdateAmountRequest): Promise<AnswerBody<'payments/updateAmount'>> {
    const { clientId } = context;
    const now = this.clock.now();
    const amount = parsePositiveAmount(request.amount, 'amount');
    // An INCREMENTAL transaction of the payment, in the id format of its other operations.
    const transactionId = `INC${newId('TXN', now).slice(3)}`;
    // As capture does: an authorisation past its expiry is released first, in a transaction of its own (the refusal below rolls back; the release must not).
    const current = await findPayment(this.database.db, clientId, { paymentId: request.paymentId });
    if (current !== undefined && now >= (authExpiryOf(current) ?? Infinity)) {
      await this.database.transaction(async (tx) => {
        const payment = await findPaymentForUpdate(tx, this.database.dialect, clientId, { paymentId: request.paymentId });
        if (payment) await releaseExpiredAuthorization(tx, payment, now);
      });
    }

    const update = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, transactionId, now, (id) => findTransactionById(tx, clientId, id));
      if (!claim.claimed) return claim.recorded;

      // Locked: a capture, a cancel or another update of this payment waits for this one.
      const locked = await findPaymentForUpdate(tx, this.database.dialect, clientId, { paymentId: request.paymentId });
      if (!locked) throw new AmsError('ORDER_NOT_EXIST', `No payment with paymentId ${request.paymentId}`);
      const payment = await this.options.currentPayment(tx, locked, now);
      const authorization = await incrementableAuthorization(tx, payment, now);
      if (amount.currency !== payment.currency) {
        throw AmsError.paramIllegal('amount.currency', `must be the currency of payment ${payment.paymentId} (${payment.currency}), got ${amount.currency}`);
      }
      if (amount.minor <= authorization.amount) {
        throw AmsError.paramIllegal('amount.value', `must be more than the ${authorization.amount} authorised so far: amount is the new total, and updateAmount only raises it`);
      }
      const done = (await listTransactions(tx, payment.paymentId)).filter((t) => t.type === 'INCREMENTAL' && t.status === 'SUCCESS').length;
      if (done >= MAX_AMOUNT_UPDATES) {
        throw new AmsError('INCREMENTAL_NOT_SUPPORT', `The amount of payment ${payment.paymentId} was already raised ${MAX_AMOUNT_UPDATES} times, the most an authorisation allows`);
      }
      // Converted before anything is written: an amount too large for the wire in another currency is refused.
      const settlement = payment.settlement && reconverted(payment.settlement, payment.currency, amount.minor, 'amount');
      const buyerPayment = payment.buyerPayment && reconverted(payment.buyerPayment, payment.currency, amount.minor, 'amount');

      const decline = this.options.amountDecline?.(amount.minor);
      const record: TransactionRecord = {
        transactionId,
        paymentId: payment.paymentId,
        type: 'INCREMENTAL',
        requestId: request.updateRequestId,
        status: decline ? 'FAIL' : 'SUCCESS',
        resultCode: decline ? decline.resultCode : 'SUCCESS',
        resultMessage: decline ? decline.resultMessage : 'success',
        currency: amount.currency,
        amount: amount.minor,
        createdAt: now,
        updatedAt: now,
      };
      await insertTransaction(tx, record, clientId);
      let after = payment;
      if (!decline) {
        if (!(await raiseAmounts(tx, payment, authorization, { amount: amount.minor, settlement, buyerPayment }, now))) {
          throw new AmsError('UNKNOWN_EXCEPTION', 'The payment changed while updating its amount; retry the same request');
        }
        const delta = amount.minor - authorization.amount;
        // More money held for the merchant, as the authorisation itself was journalled.
        await recordJournal(tx, {
          clientId, paymentId: payment.paymentId, movement: 'AUTHORIZE', now,
          lines: [
            { account: accounts.paymentMethod(payment.paymentMethodType), currency: payment.currency, amount: -delta },
            { account: accounts.authorizationHold(clientId), currency: payment.currency, amount: delta },
          ],
        });
        after = { ...payment, amount: amount.minor, settlement, buyerPayment, updatedAt: now };
      }
      await this.events.record(tx, { kind: 'amount-update-final', update: record, payment: after }, now);
      return record;
    });
    return { result: { ...SUCCESS_RESULT }, updateRequestId: request.updateRequestId, paymentId: update.paymentId, amount: amountOf(update) };
  }
}

/**
 * The open authorisation an update may raise, or the refusal: see the
 * module comment for which code answers which state.
 */
async function incrementableAuthorization(tx: Tx, payment: PaymentRecord, now: number): Promise<AuthorizationRecord> {
  switch (payment.status) {
    case 'CANCELLED':
      throw new AmsError('ORDER_IS_CANCELED', `Payment ${payment.paymentId} was cancelled; its authorisation was released`);
    case 'PROCESSING':
      throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is not authorised yet; its amount can be raised once the authorisation succeeded`);
    case 'FAIL':
      throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has failed (${payment.resultCode}); there is no authorisation to raise`);
    case 'SUCCESS':
      break;
  }
  const authorization = await findAuthorization(tx, payment.paymentId);
  if (!authorization) {
    throw new AmsError('INCREMENTAL_NOT_SUPPORT', `Payment ${payment.paymentId} was captured automatically; only a payment authorised with captureMode MANUAL can be raised`);
  }
  const expiry = authExpiryOf(payment);
  if (authorization.closeReason === 'EXPIRED' || (authorization.closedAt === null && expiry !== undefined && now >= expiry)) {
    throw new AmsError('AUTH_EXPIRED', `The authorisation of payment ${payment.paymentId} expired at ${isoTime(expiry ?? now)}; its funds were released`);
  }
  if ((await listCaptures(tx, payment.paymentId)).some(isActive) || authorization.closedAt !== null) {
    throw new AmsError('INCREMENTAL_NOT_SUPPORT', `Payment ${payment.paymentId} has been captured; its amount can be raised only before any capture`);
  }
  return authorization;
}

/** The payment's and its authorisation's amount (and conversions) raised, if still what was read; false when another writer changed them. */
async function raiseAmounts(
  tx: Tx,
  payment: PaymentRecord,
  authorization: AuthorizationRecord,
  to: { amount: bigint; settlement: PaymentRecord['settlement']; buyerPayment: PaymentRecord['buyerPayment'] },
  now: number,
): Promise<boolean> {
  const raised = await tx
    .updateTable('authorizations')
    .set({ amount: to.amount })
    .where('payment_id', '=', payment.paymentId)
    .where('amount', '=', authorization.amount)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  if (Number(raised.numUpdatedRows) !== 1) return false;
  const updated = await tx
    .updateTable('payments')
    .set({
      amount: to.amount,
      settlement_amount: to.settlement?.amount ?? null,
      actual_amount: to.buyerPayment?.amount ?? null,
      updated_at: now,
    })
    .where('payment_id', '=', payment.paymentId)
    .where('amount', '=', payment.amount)
    .where('status', '=', 'SUCCESS')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** One of the client's payment transactions by its id (an update's recorded answer). */
async function findTransactionById(tx: Tx, clientId: string, transactionId: string): Promise<TransactionRecord | undefined> {
  const row: Selectable<PaymentTransactionsTable> | undefined = await tx
    .selectFrom('payment_transactions')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('transaction_id', '=', transactionId)
    .executeTakeFirst();
  return row && transactionFromRow(row);
}

