/** The events `amsgate trigger` knows: what `--help` lists without loading the SDK. */
export const TRIGGER_EVENTS = {
  'payment.succeeded': 'a cashier payment the buyer pays: notifyPayment (PAYMENT_RESULT, S)',
  'payment.failed': 'a cashier payment the buyer fails (--result-code, default USER_BALANCE_NOT_ENOUGH): notifyPayment (PAYMENT_RESULT, F)',
  'refund.succeeded': 'a paid payment refunded in full: notifyPayment, then notifyRefund (REFUND_RESULT)',
  'capture.succeeded': 'an authorisation (manual capture) captured in full: notifyPayment, then notifyCapture (CAPTURE_RESULT)',
  'authorization.created': 'an Auto Debit consult the user agrees to: notifyAuthorization (AUTHCODE_CREATED)',
  'authorization.revoked': 'an Auto Debit token applied for and revoked: notifyAuthorization (AUTHCODE_CREATED, then TOKEN_CANCELED)',
} as const;
export type TriggerEvent = keyof typeof TRIGGER_EVENTS;
