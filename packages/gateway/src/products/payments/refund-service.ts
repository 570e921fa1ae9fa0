/**
 * Refunds: `payments/refund` and `payments/inquiryRefund`.
 *
 * A refund is created PROCESSING and settled by `settle`; the sandbox
 * settles it in the same transaction, so `refund` answers `S` with
 * `refundId`, `refundTime` and `refundAmount`. A later asynchronous mode
 * (`REFUND_IN_PROCESS`) only has to call `settle` later: the states,
 * answers and inquiry already know PROCESSING.
 *
 * Concurrency: the refund's idempotency key is claimed in the transaction
 * that creates it (concurrent duplicates: one refund), and the payment row
 * is read with `lockPaymentForOperation` (locked on PostgreSQL; SQLite runs
 * one write transaction at a time), so the sum of refunds checked is the
 * sum committed: concurrent refunds never exceed the payment.
 */
import { AmsError, parsePositiveAmount, RESULT_CODES, type InquiryRefundRequest, type RefundRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../schema.js';
import type { ResponseBody } from './answers.js';
import type { PaymentEventSink } from './events.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { accounts, recordJournal } from '../../ledger/journal.js';
import { inquiryRefundAnswer, refundAnswer } from './operation-answers.js';
import { isActive, newOperationId, settlementOf, sumAmounts, type CaptureRecord, type OperationOutcome, type RefundRecord } from './operation-records.js';
import {
  findAuthorization,
  findRefund,
  insertOperationTransaction,
  insertRefund,
  listCaptures,
  listRefunds,
  lockPaymentForOperation,
  settleRefundRecord,
  settleTransactionById,
  type RefundLookup,
} from './operations-repository.js';
import { capabilitiesOf, type OperationServiceOptions } from './payment-method-capabilities.js';
import type { RateTable } from '../fx/rate-table.js';
import type { PaymentRecord } from './payment-record.js';
import { findPayment } from './payments-repository.js';
import { refundSettlementFor } from './settlement.js';
import { chargedBackAmount } from '../disputes/disputes-repository.js';

export class RefundService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: OperationServiceOptions & { rates: RateTable },
    private readonly events: PaymentEventSink,
  ) {}

  async refund(context: KeyedHandlerContext, request: RefundRequest): Promise<ResponseBody> {
    const { clientId } = context;
    const now = this.clock.now();
    const amount = parsePositiveAmount(request.refundAmount, 'refundAmount');
    const refundId = newOperationId('RFD', now);

    const refund = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, refundId, now, (id) => findRefund(tx, clientId, { refundId: id }));
      if (!claim.claimed) return claim.recorded;

      const locked = await lockPaymentForOperation(tx, this.database.dialect, clientId, {
        paymentId: request.paymentId, amountField: 'refundAmount', currency: amount.currency,
      });
      const payment = await this.options.currentPayment(tx, locked, now);
      const { total, capture } = await refundableOf(tx, payment, request.captureId);
      const refunds = (await listRefunds(tx, payment.paymentId)).filter(isActive);
      if (refunds.length > 0 && !capabilitiesOf(this.options.paymentMethods, payment.paymentMethodType).multipleRefunds) {
        throw new AmsError('MULTIPLE_REFUNDS_NOT_SUPPORTED', `${payment.paymentMethodType} allows one refund per payment; payment ${payment.paymentId} has been refunded`);
      }
      // What the payment's disputes froze or lost counts too: refunded plus charged back never exceeds what was paid.
      const chargedBack = await chargedBackAmount(tx, payment.paymentId);
      const remaining = total - sumAmounts(refunds) - chargedBack;
      if (amount.minor > remaining) {
        const disputed = chargedBack > 0n ? ` (disputes hold or took ${chargedBack} of it)` : '';
        throw new AmsError('REFUND_AMOUNT_EXCEED', `refundAmount ${amount.minor} ${amount.currency} exceeds what is left to refund of payment ${payment.paymentId}: ${remaining}${disputed}`);
      }
      if (capture) {
        const left = capture.amount - sumAmounts(refunds.filter((r) => r.captureId === capture.captureId));
        if (amount.minor > left) {
          throw new AmsError('REFUND_AMOUNT_EXCEED', `refundAmount ${amount.minor} ${amount.currency} exceeds what is left to refund of capture ${capture.captureId}: ${left}`);
        }
      }

      const created: RefundRecord = {
        refundId,
        clientId,
        paymentId: payment.paymentId,
        refundRequestId: request.refundRequestId,
        captureId: capture?.captureId ?? null,
        status: 'PROCESSING',
        resultCode: 'REFUND_IN_PROCESS',
        resultMessage: RESULT_CODES.REFUND_IN_PROCESS.message,
        currency: amount.currency,
        amount: amount.minor,
        referenceRefundId: request.referenceRefundId ?? null,
        refundReason: request.refundReason ?? null,
        notifyUrl: request.refundNotifyUrl ?? null,
        metadata: request.metadata ?? null,
        createdAt: now,
        updatedAt: now,
        refundedAt: null,
        settlement: refundSettlementFor(this.options.rates, payment, refunds, amount.minor),
      };
      await insertRefund(tx, created);
      await insertOperationTransaction(tx, created);
      // The sandbox settles refunds synchronously (isAsyncRefund is accepted and ignored).
      return this.settle(tx, created, payment, { kind: 'success' }, now);
    });
    return refundAnswer(refund);
  }

  async inquiry(clientId: string, request: InquiryRefundRequest): Promise<ResponseBody> {
    // refundId wins when both are given; the schema guarantees one of them.
    const lookup: RefundLookup = request.refundId !== undefined ? { refundId: request.refundId } : { refundRequestId: request.refundRequestId ?? '' };
    const refund = await findRefund(this.database.db, clientId, lookup);
    if (!refund) {
      throw new AmsError('ORDER_NOT_EXIST', 'refundId' in lookup ? `No refund with refundId ${lookup.refundId}` : `No refund with refundRequestId ${lookup.refundRequestId}`);
    }
    // A card refund carries the network's references (arn, rrn): the refunded payment's method says whether it is one.
    const payment = await findPayment(this.database.db, clientId, { paymentId: refund.paymentId });
    return inquiryRefundAnswer(refund, payment?.paymentMethodType ?? '');
  }

  /**
   * Settles a PROCESSING refund, in the caller's transaction: SUCCESS moves
   * the money (journal REFUND: merchant balance → payment method); FAIL
   * releases the amount it reserved. Raises `refund-final`. A refund no
   * longer PROCESSING is returned as it is.
   */
  async settle(tx: Tx, refund: RefundRecord, payment: PaymentRecord, outcome: OperationOutcome, now: number): Promise<RefundRecord> {
    const to = settlementOf(outcome, now);
    if (!(await settleRefundRecord(tx, refund.refundId, to))) {
      return (await findRefund(tx, refund.clientId, { refundId: refund.refundId })) ?? refund;
    }
    if (to.status === 'SUCCESS') {
      await recordJournal(tx, {
        clientId: payment.clientId, paymentId: payment.paymentId, movement: 'REFUND', now,
        lines: [
          { account: accounts.merchantBalance(payment.clientId), currency: refund.currency, amount: -refund.amount },
          { account: accounts.paymentMethod(payment.paymentMethodType), currency: refund.currency, amount: refund.amount },
        ],
      });
    }
    await settleTransactionById(tx, refund.refundId, to);
    const settled: RefundRecord = {
      ...refund, status: to.status, resultCode: to.resultCode, resultMessage: to.resultMessage, updatedAt: now, refundedAt: to.status === 'SUCCESS' ? now : null,
    };
    await this.events.record(tx, { kind: 'refund-final', refund: settled, payment }, now);
    return settled;
  }
}

/**
 * How much of a payment can be refunded in all: the paid amount, or for an
 * authorisation what has been captured. Refuses payments that are not
 * successful (ORDER_STATUS_INVALID), cancelled (ORDER_IS_CANCELED) or
 * authorised with nothing captured yet (ORDER_STATUS_INVALID).
 */
async function refundableOf(tx: Tx, payment: PaymentRecord, captureId: string | undefined): Promise<{ total: bigint; capture: CaptureRecord | undefined }> {
  switch (payment.status) {
    case 'CANCELLED':
      throw new AmsError('ORDER_IS_CANCELED', `Payment ${payment.paymentId} was cancelled; a cancelled payment cannot be refunded`);
    case 'PROCESSING':
      throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is still processing; only a successful payment can be refunded`);
    case 'FAIL':
      throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has failed (${payment.resultCode}); only a successful payment can be refunded`);
    case 'SUCCESS':
      break;
  }
  const authorization = await findAuthorization(tx, payment.paymentId);
  const captures = authorization ? (await listCaptures(tx, payment.paymentId)).filter((c) => c.status === 'SUCCESS') : [];
  const total = authorization ? sumAmounts(captures) : payment.amount;
  if (authorization && total === 0n) {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is authorised but nothing is captured; capture it first, or cancel to release the authorisation`);
  }
  if (captureId === undefined) return { total, capture: undefined };
  const capture = captures.find((c) => c.captureId === captureId);
  if (!capture) throw AmsError.paramIllegal('captureId', `is not a successful capture of payment ${payment.paymentId}`);
  return { total, capture };
}
