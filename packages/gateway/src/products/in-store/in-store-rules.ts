/**
 * The in-store sandbox's deterministic rules, in one place (README:
 * "In-store payments"): what a payment code must look like, and what the
 * simulated wallet answers for it.
 *
 * Payment-code format (in-store.md §2.1, §11.3): digits only, and either
 * 17–19 digits starting 25–30 (Alipay+ legacy `28…` codes, AlipayCN /
 * AlipayHK codes) or 24 digits starting 25–30 (the mainstream Alipay+ code:
 * issuer id, business type, user number). Anything else is
 * `INVALID_PAYMENT_CODE`, and so is a code already used by another payment
 * (codes are single-use, even after a failed attempt).
 *
 * Outcome, chosen by the code's last two digits:
 *
 * | ends in | answer |
 * |---|---|
 * | `01` | F `USER_BALANCE_NOT_ENOUGH` |
 * | `02` | F `USER_PAYMENT_VERIFICATION_FAILED` |
 * | `03` | F `USER_KYC_NOT_QUALIFIED` |
 * | `04` | F `RISK_REJECT` |
 * | `05` | F `EXPIRED_CODE` (the customer showed a stale code) |
 * | `06` | F `USER_AMOUNT_EXCEED_LIMIT` |
 * | `07` | F `USER_STATUS_ABNORMAL` |
 * | `10` | U `PAYMENT_IN_PROCESS`, settles `SUCCESS` after the settle delay |
 * | `11` | U `PAYMENT_IN_PROCESS`, settles F `USER_PAYMENT_VERIFICATION_FAILED` after the settle delay |
 * | `12` | U `PAYMENT_IN_PROCESS`, never settles by itself (cancel it, complete it through the control API, or it closes at its expiry) |
 * | anything else | S `SUCCESS` at once |
 */
import type { Outcome } from '../payments/payment-service.js';

export type PaymentCodeRule =
  /** The wallet answers in the pay call. */
  | { kind: 'immediate'; outcome: Outcome }
  /** `U` now; settles to `outcome` after the settle delay (on the gateway clock). */
  | { kind: 'delayed'; outcome: Outcome }
  /** `U` until cancelled, completed by the control API, or expired. */
  | { kind: 'pending' };

const fail = (resultCode: string): Outcome => ({ kind: 'fail', resultCode });

export const PAYMENT_CODE_RULES: Readonly<Record<string, PaymentCodeRule>> = {
  '01': { kind: 'immediate', outcome: fail('USER_BALANCE_NOT_ENOUGH') },
  '02': { kind: 'immediate', outcome: fail('USER_PAYMENT_VERIFICATION_FAILED') },
  '03': { kind: 'immediate', outcome: fail('USER_KYC_NOT_QUALIFIED') },
  '04': { kind: 'immediate', outcome: fail('RISK_REJECT') },
  '05': { kind: 'immediate', outcome: fail('EXPIRED_CODE') },
  '06': { kind: 'immediate', outcome: fail('USER_AMOUNT_EXCEED_LIMIT') },
  '07': { kind: 'immediate', outcome: fail('USER_STATUS_ABNORMAL') },
  '10': { kind: 'delayed', outcome: { kind: 'success' } },
  '11': { kind: 'delayed', outcome: fail('USER_PAYMENT_VERIFICATION_FAILED') },
  '12': { kind: 'pending' },
};

const SUCCESS_RULE: PaymentCodeRule = { kind: 'immediate', outcome: { kind: 'success' } };

/** What the simulated wallet does with a (well-formed) payment code. */
export function paymentCodeRule(code: string): PaymentCodeRule {
  return PAYMENT_CODE_RULES[code.slice(-2)] ?? SUCCESS_RULE;
}

/** Why a scanned value is not a payment code (for `INVALID_PAYMENT_CODE`), or undefined when it is one. */
export function paymentCodeProblem(code: string): string | undefined {
  if (!/^\d+$/.test(code)) return 'is not a payment code: it must be digits only';
  const length = code.length;
  if (!((length >= 17 && length <= 19) || length === 24)) {
    return `is not a payment code: it has ${length} digits, a payment code has 17 to 19 or 24`;
  }
  const prefix = Number(code.slice(0, 2));
  if (prefix < 25 || prefix > 30) return `is not a payment code: it starts with ${code.slice(0, 2)}, a payment code starts with 25 to 30`;
  return undefined;
}
