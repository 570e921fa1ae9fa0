/**
 * Payment methods whose buyer pays outside the checkout and whose result
 * comes later (a bank transfer, cash at a counter): Antom then notifies
 * `PAYMENT_PENDING` ("the user has completed the payment; wait for the
 * final result", docs: "notifyPayment") before the final `PAYMENT_RESULT`.
 *
 * On the checkout page the buyer of such a method (an offer with
 * `confirmationDelayMs`, `payment-method-offers.ts`) submits the transfer:
 * the payment stays PROCESSING (inquiryPayment's `paymentStatus`), the
 * submission is recorded once and notified PAYMENT_PENDING once, and, where
 * a confirmation delay is configured (the sandbox), SUCCESS is scheduled
 * that long after on the gateway clock: the payment's `expiresAt` becomes
 * that time and its scheduled outcome SUCCESS (`scheduled-outcomes.ts`),
 * unless the control API's `complete` (success or a failure code), a cancel
 * or an earlier scheduled outcome (a sandbox trigger) settles it first.
 */
import { AmsError } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../schema.js';
import type { PaymentEventSink } from './events.js';
import type { PaymentRecord } from './payment-record.js';
import type { PaymentService } from './payment-service.js';
import { findPaymentById } from './payments-repository.js';
import { findPaymentForUpdate } from './operations-repository.js';
import { findSubmission, insertSubmission } from './buyer-steps-repository.js';

export interface SubmissionOptions {
  /** Whether a method's buyer pays outside the checkout (submit, then wait); its offer has a `confirmationDelayMs`. */
  confirmsLater: (paymentMethodType: string) => boolean;
  /** How long after the submission the sandbox confirms it (SUCCESS); undefined: nothing is scheduled (gateway mode). */
  confirmationDelayOf: (paymentMethodType: string) => number | undefined;
}

export class SubmissionService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: SubmissionOptions,
    private readonly payments: PaymentService,
    private readonly events: PaymentEventSink,
  ) {}

  /** Whether the buyer of this method submits the payment and waits for its result. */
  confirmsLater(paymentMethodType: string): boolean {
    return this.options.confirmsLater(paymentMethodType);
  }

  /** When the buyer submitted the payment, if they did. */
  submittedAt(paymentId: string): Promise<number | undefined> {
    return findSubmission(this.database.db, paymentId);
  }

  /**
   * The buyer submitted the transfer of a pending payment (the checkout
   * page). Submitting again changes nothing. A payment no longer pending, or
   * of a method paid at once, → ORDER_STATUS_INVALID.
   */
  async submit(paymentId: string): Promise<PaymentRecord> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const unlocked = await findPaymentById(tx, paymentId);
      // Locked (PostgreSQL): a completion or cancel waits for the submission, or the submission sees its result; never PENDING after the final result.
      const found = unlocked && (await findPaymentForUpdate(tx, this.database.dialect, unlocked.clientId, { paymentId }));
      if (!found) throw new AmsError('ORDER_NOT_EXIST', `No payment ${paymentId}`);
      const payment = await this.payments.closeIfExpired(tx, found, now);
      if (payment.status !== 'PROCESSING') {
        throw new AmsError('ORDER_STATUS_INVALID', `Payment ${paymentId} is ${payment.status} (${payment.resultCode}), not pending`);
      }
      if (!this.options.confirmsLater(payment.paymentMethodType)) {
        throw new AmsError('ORDER_STATUS_INVALID', `${payment.paymentMethodType} is paid on the page, not submitted for a later result`);
      }
      if (!(await insertSubmission(tx, { paymentId, clientId: payment.clientId, now }))) return payment;
      const delay = this.options.confirmationDelayOf(payment.paymentMethodType);
      const current = delay === undefined ? payment : await scheduleConfirmation(tx, payment, now + delay, now);
      await this.events.record(tx, { kind: 'payment-pending', payment: current, submittedAt: now }, now);
      return current;
    });
  }
}

/**
 * SUCCESS due at `dueAt` for a pending payment, unless it already has a
 * scheduled outcome (a sandbox trigger's, which keeps its time): the
 * payment's `expiresAt` is moved there, where the paths that close expired
 * payments find it (see `scheduled-outcomes.ts`).
 */
async function scheduleConfirmation(tx: Tx, payment: PaymentRecord, dueAt: number, now: number): Promise<PaymentRecord> {
  const inserted = await tx
    .insertInto('scheduled_outcomes')
    .values({ payment_id: payment.paymentId, due_at: dueAt, result_code: 'SUCCESS', result_message: null, created_at: now })
    .onConflict((oc) => oc.column('payment_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return payment;
  await tx.updateTable('payments').set({ expires_at: dueAt, updated_at: now }).where('payment_id', '=', payment.paymentId).where('status', '=', 'PROCESSING').execute();
  return { ...payment, expiresAt: dueAt, updatedAt: now };
}
