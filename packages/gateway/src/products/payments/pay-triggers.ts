/**
 * The simulation hook of `pay`: in sandbox mode a request can ask for an
 * outcome (a reserved amount, an `order.referenceOrderId` marker). The
 * sandbox implements it (`sandbox/triggers.ts`) and the composition root
 * injects it; gateway mode has none, so amounts and order ids stay opaque.
 */
import type { ResponseBody } from './answers.js';
import type { Outcome } from './outcome.js';

export interface PayTrigger {
  /** What the payment becomes. */
  outcome: Outcome;
  /** When, after the pay call, on the gateway clock; 0: in the pay call itself. */
  afterMs: number;
  /** The pay call that creates the payment answers U `UNKNOWN_EXCEPTION` instead of the payment's state. */
  answerLost: boolean;
  /** The rule as the request states it (`#amsgate:succeed-after=30s`, `paymentAmount.value 11`), for messages. */
  source: string;
  /**
   * The payment waits for the buyer's one-time password (the OTP the buyer
   * is "sent"): verifyAndCompletePayment with it pays it (`outcome` is then
   * unused).
   */
  verification?: { verifyMethodType: 'SMS_OTP'; otp: string };
  /** Once the payment succeeded, a dispute opens this long after the pay call, on the gateway clock (`PaymentServiceOptions.scheduleDispute`). */
  disputeAfterMs?: number;
}

export interface AmountDecline {
  resultCode: string;
  resultMessage: string;
  source: string;
}

export interface PayTriggerHooks {
  /** The trigger a cashier pay request carries, if any; a malformed one is refused (PARAM_ILLEGAL) before anything is written. */
  triggerOf(request: { referenceOrderId: string; amountMinor: bigint }): PayTrigger | undefined;
  /** A new payment's `expires_at` with its trigger: the trigger's time when it settles later; refuses a delay past the expiry. */
  dueTimeOf(trigger: PayTrigger | undefined, now: number, expiresAt: number): number;
  /** What the pay call that created an `answerLost` payment answers. */
  lostAnswer(trigger: PayTrigger): ResponseBody;
  /** Products that read no markers (Auto Debit, in-store) refuse one instead of ignoring it. */
  refuseMarker(referenceOrderId: string, productCode: string): void;
  /** The decline a reserved amount (minor units) triggers (Auto Debit reads these too). */
  amountDeclineOf(minor: bigint): AmountDecline | undefined;
}
