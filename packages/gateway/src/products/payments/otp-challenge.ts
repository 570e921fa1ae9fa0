/**
 * A payment that waits for the buyer's SMS one-time password: what `pay`
 * answers for it and how many wrong OTPs it allows (used by `pay`, which
 * creates one, and by verifyAndCompletePayment, which checks it).
 */

/** Wrong OTPs a payment allows; the last of them fails it (ours: the docs give no number). */
export const MAX_OTP_ATTEMPTS = 3;

/** What a payment that fails its verification ends with: Antom's code for a failed OTP/PIN check. */
export const VERIFICATION_FAILED_CODE = 'USER_PAYMENT_VERIFICATION_FAILED';

/** The `challengeActionForm` pay answers for a payment that waits for the buyer's SMS OTP. */
export function smsOtpChallengeForm(): Record<string, unknown> {
  return { challengeType: 'SMS_OTP', triggerSource: 'AMS' };
}
