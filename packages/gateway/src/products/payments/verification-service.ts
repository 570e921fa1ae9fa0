/**
 * `payments/verifyAndCompletePayment` (docs: "verifyAndCompletePayment"):
 * a payment that waits for the buyer's SMS one-time password is completed
 * by the merchant with the OTP the buyer typed. `verifyMethodType` is
 * `SMS_OTP`, the one type the docs name.
 *
 * A payment waits for an OTP when `pay` made it so (in the sandbox, the
 * trigger `#amsgate:verify-otp`, whose OTP is the sandbox's fixed one): it is
 * PROCESSING, `pay` answers a `challengeActionForm` of type SMS_OTP. Then,
 * each call keyed by its `verifyRequestId`:
 * - the right OTP: the payment succeeds (journal, notifyPayment), `S`;
 * - a wrong one: `F` VERIFY_UNMATCHED, the payment still waits;
 * - the third wrong one (ours: the docs give no number): `F`
 *   VERIFY_TIMES_EXCEED_LIMIT and the payment fails with
 *   USER_PAYMENT_VERIFICATION_FAILED (the payment code Antom names for a
 *   failed OTP/PIN verification), notified; later calls answer
 *   VERIFY_TIMES_EXCEED_LIMIT again;
 * - a payment that expired while waiting: EXPIRED_CODE (the docs' "the
 *   verification code window expired"); one that never waited for an OTP,
 *   was already verified, or ended otherwise: ORDER_STATUS_INVALID; an
 *   unknown one: ORDER_NOT_EXIST.
 * Each answered verification is recorded under its verifyRequestId (a wrong
 * OTP counts however the answer is lost), so a repeat answers the same; the
 * refusals above change nothing and are not recorded.
 */
import { AmsError, buildResult, isResultCode, SUCCESS_RESULT, type VerifyAndCompletePaymentRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database } from '../../schema.js';
import { newId } from '../../ids.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { amountOf, wireTime } from './answers.js';
import { findPaymentForUpdate } from './operations-repository.js';
import type { PaymentRecord } from './payment-record.js';
import type { PaymentService } from './payment-service.js';
import { findPayment } from './payments-repository.js';
import {
  countWrongOtp,
  findVerification,
  findVerificationAttempt,
  insertVerificationAttempt,
  markVerified,
  otpMatches,
  type VerificationAttemptRecord,
} from './buyer-steps-repository.js';
import { VERIFICATION_FAILED_CODE } from './otp-challenge.js';

export class VerificationService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly payments: PaymentService,
  ) {}

  async verify(context: KeyedHandlerContext, request: VerifyAndCompletePaymentRequest): Promise<AnswerBody<'payments/verifyAndCompletePayment'>> {
    const { clientId } = context;
    const now = this.clock.now();
    const attemptId = `VRF${newId('ATT', now).slice(3)}`;
    const { attempt, payment } = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, attemptId, now, (id) => findVerificationAttempt(tx, clientId, id));
      if (!claim.claimed) {
        const recorded = await findPayment(tx, clientId, { paymentId: claim.recorded.paymentId });
        if (!recorded) throw new AmsError('UNKNOWN_EXCEPTION', `The payment of verifyRequestId ${request.verifyRequestId} is missing`);
        return { attempt: claim.recorded, payment: recorded };
      }
      // Locked: two verifications of one payment run one after the other, each counting the other's wrong OTP.
      const locked = await findPaymentForUpdate(tx, this.database.dialect, clientId, { paymentId: request.paymentId });
      if (!locked) throw new AmsError('ORDER_NOT_EXIST', `No payment with paymentId ${request.paymentId}`);
      const verification = await findVerification(tx, locked.paymentId);
      if (!verification) throw new AmsError('ORDER_STATUS_INVALID', `Payment ${locked.paymentId} does not wait for a one-time password`);
      const current = await this.payments.closeIfExpired(tx, locked, now);
      if (verification.lockedAt !== null) {
        throw new AmsError('VERIFY_TIMES_EXCEED_LIMIT', `Payment ${current.paymentId} failed after ${verification.maxAttempts} wrong one-time passwords`);
      }
      if (current.status === 'FAIL' && current.resultCode === 'ORDER_IS_CLOSED') {
        throw new AmsError('EXPIRED_CODE', `Payment ${current.paymentId} expired before the one-time password was verified; the buyer must pay again`);
      }
      if (verification.verifiedAt !== null) throw new AmsError('ORDER_STATUS_INVALID', `The one-time password of payment ${current.paymentId} was already verified`);
      if (current.status !== 'PROCESSING') {
        throw new AmsError('ORDER_STATUS_INVALID', `Payment ${current.paymentId} is ${current.status} (${current.resultCode}); there is nothing to verify`);
      }

      const record = (resultCode: string, resultMessage: string): VerificationAttemptRecord => ({
        attemptId, clientId, paymentId: current.paymentId, verifyRequestId: request.verifyRequestId, resultCode, resultMessage, createdAt: now,
      });
      const changed = () => new AmsError('UNKNOWN_EXCEPTION', `Payment ${current.paymentId} changed while verifying; retry with the same verifyRequestId`);
      let outcome: { attempt: VerificationAttemptRecord; payment: PaymentRecord };
      if (otpMatches(request.verifyMethod.otpValue, verification.otpHash)) {
        if (!(await markVerified(tx, current.paymentId, now))) throw changed();
        const paid = await this.payments.settlePending(tx, current, { kind: 'success' }, now);
        if (!paid) throw changed();
        outcome = { attempt: record('SUCCESS', 'success'), payment: paid };
      } else {
        const counted = await countWrongOtp(tx, verification, now);
        if (!counted) throw changed();
        if (counted.lockedAt === null) {
          const left = counted.maxAttempts - counted.failedAttempts;
          outcome = { attempt: record('VERIFY_UNMATCHED', `The one-time password is wrong; ${left} attempt${left === 1 ? '' : 's'} left`), payment: current };
        } else {
          const failed = await this.payments.settlePending(tx, current, {
            kind: 'fail', resultCode: VERIFICATION_FAILED_CODE, resultMessage: `The buyer entered a wrong one-time password ${counted.maxAttempts} times`,
          }, now);
          if (!failed) throw changed();
          outcome = { attempt: record('VERIFY_TIMES_EXCEED_LIMIT', `Wrong one-time password ${counted.maxAttempts} times: the payment failed (${VERIFICATION_FAILED_CODE})`), payment: failed };
        }
      }
      await insertVerificationAttempt(tx, outcome.attempt);
      return outcome;
    });
    return verificationAnswer(attempt, payment);
  }
}


/** What a verification answers, now and on every repeat of its verifyRequestId. */
function verificationAnswer(attempt: VerificationAttemptRecord, payment: PaymentRecord): AnswerBody<'payments/verifyAndCompletePayment'> {
  const result = attempt.resultCode === 'SUCCESS'
    ? { ...SUCCESS_RESULT }
    : isResultCode(attempt.resultCode) ? buildResult(attempt.resultCode, attempt.resultMessage) : { resultCode: attempt.resultCode, resultStatus: 'F' as const, resultMessage: attempt.resultMessage };
  return {
    result,
    paymentRequestId: payment.paymentRequestId,
    verifyRequestId: attempt.verifyRequestId,
    paymentId: payment.paymentId,
    paymentAmount: amountOf(payment),
    paymentCreateTime: wireTime(payment.createdAt),
  };
}
