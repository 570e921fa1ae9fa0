/**
 * Captures of authorisations: `payments/capture`.
 *
 * A `pay` with `paymentFactor.captureMode` MANUAL (or `isAuthorization`
 * without a capture mode) authorises only: completing it holds the money
 * (journal AUTHORIZE into the authorisation hold). Each capture moves part
 * of the hold to the merchant's balance (CAPTURE); the last capture
 * (`isLastCapture`, or any capture of a method that allows one) releases
 * what is left (VOID), as does a cancel.
 *
 * A capture is created PROCESSING and settled by `settle`; the sandbox
 * settles it in the same transaction and answers `S`. Concurrency as for
 * refunds: idempotency key claimed in the transaction, payment row locked
 * on PostgreSQL, so the sum of captures never exceeds the authorisation.
 */
import { AmsError, parsePositiveAmount, RESULT_CODES, type CaptureRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../schema.js';
import type { ResponseBody } from './answers.js';
import type { PaymentEventSink } from './events.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { accounts, recordJournal } from '../../ledger/journal.js';
import { captureAnswer } from './operation-answers.js';
import { isActive, newOperationId, settlementOf, sumAmounts, type AuthorizationRecord, type CaptureRecord, type OperationOutcome } from './operation-records.js';
import {
  closeAuthorization,
  findAuthorization,
  findCapture,
  findPaymentForUpdate,
  insertCapture,
  insertOperationTransaction,
  listCaptures,
  lockPaymentForOperation,
  settleCaptureRecord,
  settleTransactionById,
} from './operations-repository.js';
import { authExpiryOf, recordVoid, releaseExpiredAuthorization } from './payment-money.js';
import { isoTime } from '../../iso-time.js';
import { findPayment } from './payments-repository.js';
import { capabilitiesOf, type OperationServiceOptions } from './payment-method-capabilities.js';
import type { PaymentRecord } from './payment-record.js';

export class CaptureService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: OperationServiceOptions,
    private readonly events: PaymentEventSink,
  ) {}

  async capture(context: KeyedHandlerContext, request: CaptureRequest): Promise<ResponseBody> {
    const { clientId } = context;
    const now = this.clock.now();
    const amount = parsePositiveAmount(request.captureAmount, 'captureAmount');
    const captureId = newOperationId('CAP', now);
    // An authorisation past its expiry is released first, in a transaction of its own (the refusal below rolls back; the release must not). Read first: a write transaction only when one is due.
    const current = await findPayment(this.database.db, clientId, { paymentId: request.paymentId });
    if (current !== undefined && now >= (authExpiryOf(current) ?? Infinity)) {
      await this.database.transaction(async (tx) => {
        const payment = await findPaymentForUpdate(tx, this.database.dialect, clientId, { paymentId: request.paymentId });
        if (payment) await releaseExpiredAuthorization(tx, payment, now);
      });
    }

    const capture = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, captureId, now, (id) => findCapture(tx, clientId, id));
      if (!claim.claimed) return claim.recorded;

      const locked = await lockPaymentForOperation(tx, this.database.dialect, clientId, {
        paymentId: request.paymentId, amountField: 'captureAmount', currency: amount.currency,
      });
      const payment = await this.options.currentPayment(tx, locked, now);
      const authorization = await capturableAuthorization(tx, payment);
      const captures = (await listCaptures(tx, payment.paymentId)).filter(isActive);
      const multiple = capabilitiesOf(this.options.paymentMethods, payment.paymentMethodType).multipleCaptures;
      if (!multiple && captures.length > 0) {
        throw new AmsError('MULTI_CAPTURE_NOT_SUPPORTED', `${payment.paymentMethodType} allows one capture per authorisation; payment ${payment.paymentId} has been captured`);
      }
      if (authorization.closeReason === 'EXPIRED' || (authorization.closedAt === null && now >= (authExpiryOf(payment) ?? Infinity))) {
        throw new AmsError('AUTH_EXPIRED', `The authorisation of payment ${payment.paymentId} expired at ${isoTime(authExpiryOf(payment) ?? now)} (7 days after it succeeded); its funds were released`);
      }
      if (authorization.closedAt !== null) {
        throw new AmsError('ORDER_STATUS_INVALID', `The authorisation of payment ${payment.paymentId} was closed by its last capture; nothing is left to capture`);
      }
      const remaining = authorization.amount - sumAmounts(captures);
      if (amount.minor > remaining) {
        throw new AmsError(
          'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
          `captureAmount ${amount.minor} ${amount.currency} exceeds what is left of the authorisation of payment ${payment.paymentId}: ${remaining}`,
        );
      }

      const created: CaptureRecord = {
        captureId,
        clientId,
        paymentId: payment.paymentId,
        captureRequestId: request.captureRequestId,
        status: 'PROCESSING',
        resultCode: 'CAPTURE_IN_PROCESS',
        resultMessage: RESULT_CODES.CAPTURE_IN_PROCESS.message,
        currency: amount.currency,
        amount: amount.minor,
        // A method that allows one capture makes every capture the last one.
        isLastCapture: request.isLastCapture === true || !multiple,
        createdAt: now,
        updatedAt: now,
        capturedAt: null,
      };
      await insertCapture(tx, created);
      await insertOperationTransaction(tx, created);
      return this.settle(tx, created, payment, authorization, { kind: 'success' }, now);
    });
    return captureAnswer(capture);
  }

  /**
   * Settles a PROCESSING capture, in the caller's transaction (with the
   * payment row locked): SUCCESS moves the amount from the hold to the
   * merchant's balance and, for the last capture, closes the authorisation
   * and voids what no capture holds. Raises `capture-final`.
   */
  async settle(
    tx: Tx,
    capture: CaptureRecord,
    payment: PaymentRecord,
    authorization: AuthorizationRecord,
    outcome: OperationOutcome,
    now: number,
  ): Promise<CaptureRecord> {
    const to = settlementOf(outcome, now);
    if (!(await settleCaptureRecord(tx, capture.captureId, to))) {
      return (await findCapture(tx, capture.clientId, capture.captureId)) ?? capture;
    }
    if (to.status === 'SUCCESS') {
      await recordJournal(tx, {
        clientId: payment.clientId, paymentId: payment.paymentId, movement: 'CAPTURE', now,
        lines: [
          { account: accounts.authorizationHold(payment.clientId), currency: capture.currency, amount: -capture.amount },
          { account: accounts.merchantBalance(payment.clientId), currency: capture.currency, amount: capture.amount },
        ],
      });
      if (capture.isLastCapture && (await closeAuthorization(tx, payment.paymentId, 'LAST_CAPTURE', now))) {
        // What no capture holds (other captures still in process keep theirs) goes back to the buyer.
        const held = sumAmounts((await listCaptures(tx, payment.paymentId)).filter(isActive));
        const left = authorization.amount - held;
        if (left > 0n) await recordVoid(tx, payment, left, now);
      }
    }
    await settleTransactionById(tx, capture.captureId, to);
    const settled: CaptureRecord = {
      ...capture, status: to.status, resultCode: to.resultCode, resultMessage: to.resultMessage, updatedAt: now, capturedAt: to.status === 'SUCCESS' ? now : null,
    };
    await this.events.record(tx, { kind: 'capture-final', capture: settled, payment }, now);
    return settled;
  }
}

/**
 * The authorisation a capture draws on. A cancelled payment answers
 * ORDER_IS_CANCELED; one captured automatically, or not authorised (still
 * processing, failed), ORDER_STATUS_INVALID.
 */
async function capturableAuthorization(tx: Tx, payment: PaymentRecord): Promise<AuthorizationRecord> {
  if (payment.status === 'CANCELLED') {
    throw new AmsError('ORDER_IS_CANCELED', `Payment ${payment.paymentId} was cancelled; its authorisation was released`);
  }
  const authorization = await findAuthorization(tx, payment.paymentId);
  if (!authorization) {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is captured automatically; only a payment made with captureMode MANUAL can be captured`);
  }
  if (payment.status === 'PROCESSING') {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is not authorised yet; the buyer has not completed it`);
  }
  if (payment.status === 'FAIL') {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has failed (${payment.resultCode}); there is no authorisation to capture`);
  }
  return authorization;
}
