/**
 * Sandbox triggers carried by a cashier `pay` request itself, so that any
 * SDK can reach every outcome deterministically (README "Sandbox triggers").
 * Read in sandbox mode only; gateway mode treats amounts and
 * `order.referenceOrderId` as opaque.
 *
 * Reserved amounts (`paymentAmount.value`, minor units; shared with Auto Debit):
 *
 * | value | outcome |
 * |---|---|
 * | exactly `11` | F `RISK_REJECT` — Antom's documented sandbox risk-control amount |
 * | ending in `9951` | F `USER_BALANCE_NOT_ENOUGH` |
 * | ending in `9952` | F `USER_AMOUNT_EXCEED_LIMIT` |
 * | ending in `9953` | F `RISK_REJECT` |
 *
 * A marker at the end of `order.referenceOrderId`, `<order id>#amsgate:<trigger>`:
 *
 * | trigger | outcome |
 * |---|---|
 * | `decline=CODE` | F with CODE at once |
 * | `succeed-after=DURATION` | U `PAYMENT_IN_PROCESS`, SUCCESS after DURATION |
 * | `fail-after=DURATION=CODE` | U `PAYMENT_IN_PROCESS`, F CODE after DURATION |
 * | `unknown-then-success[=DURATION]` | U `UNKNOWN_EXCEPTION`, though the payment was created and succeeds (at once, or after DURATION) |
 * | `verify-otp` | U `PAYMENT_IN_PROCESS` with an SMS_OTP `challengeActionForm`: the payment waits for the buyer's one-time password, {@link SANDBOX_OTP}, sent with verifyAndCompletePayment |
 * | `dispute-after=DURATION` | S `SUCCESS` at once; a dispute (chargeback) of it opens DURATION later on the gateway clock (notifyDispute DISPUTE_CREATED; see `products/disputes`) |
 *
 * The sandbox "sends" every buyer the same one-time password, `123456`.
 *
 * CODE is a catalogued result code with status F; DURATION is `30s`, `2m`,
 * `1h30m`, `500ms` (a unit is required). Parsing is strict: anything that
 * looks like a marker (`#amsgate`, any case) but is not a valid one, or a
 * marker on a reserved amount, is `PARAM_ILLEGAL` naming
 * `order.referenceOrderId` before anything is written; so is a delay that
 * would outlast the payment's expiry, checked when the request creates the
 * payment (`dueTimeOf`): a repeat answers the recorded payment however late.
 */
import { AmsError, buildResult, isPaymentOutcomeCode, RESULT_CODES, type FailResultCode } from '@amsgate/protocol';
import { parseDuration } from './sandbox-clock.js';
import type { ResponseBody } from '../products/payments/answers.js';
import type { AmountDecline as PayAmountDecline, PayTrigger, PayTriggerHooks } from '../products/payments/pay-triggers.js';

/** Antom's sandbox risk-control test amount (its card test page): `paymentAmount.value` exactly this. */
const ANTOM_RISK_REJECT_VALUE = '11';

/** amsgate's reserved amount endings; Auto Debit and cashier payments fail with the code. */
const AMOUNT_SUFFIX_DECLINES = [
  { suffix: '9951', resultCode: 'USER_BALANCE_NOT_ENOUGH' },
  { suffix: '9952', resultCode: 'USER_AMOUNT_EXCEED_LIMIT' },
  { suffix: '9953', resultCode: 'RISK_REJECT' },
] as const satisfies ReadonlyArray<{ suffix: string; resultCode: FailResultCode }>;

export interface AmountDecline extends PayAmountDecline {
  resultCode: FailResultCode;
}

/** The decline a reserved amount (minor units) triggers, if it is one. */
function amountDeclineOf(minor: bigint): AmountDecline | undefined {
  const value = minor.toString();
  if (value === ANTOM_RISK_REJECT_VALUE) {
    return { resultCode: 'RISK_REJECT', resultMessage: "Sandbox trigger: paymentAmount.value 11, Antom's risk-control test amount", source: 'paymentAmount.value 11' };
  }
  const rule = AMOUNT_SUFFIX_DECLINES.find((r) => value.endsWith(r.suffix));
  if (!rule) return undefined;
  const source = `paymentAmount.value ending in ${rule.suffix}`;
  return { resultCode: rule.resultCode, resultMessage: `Sandbox trigger: ${source}`, source };
}

/** The one-time password every sandbox buyer is "sent" (the `verify-otp` trigger). */
export const SANDBOX_OTP = '123456';

const FIELD = 'order.referenceOrderId';
const MARKER = '#amsgate:';

/** How each marker trigger is written, for messages (kept short: a resultMessage holds 256 characters). */
const USAGE = {
  decline: 'decline=CODE',
  'succeed-after': 'succeed-after=DURATION',
  'fail-after': 'fail-after=DURATION=CODE',
  'unknown-then-success': 'unknown-then-success[=DURATION]',
  'verify-otp': 'verify-otp',
  'dispute-after': 'dispute-after=DURATION',
} as const;
type TriggerName = keyof typeof USAGE;
const TRIGGER_LIST = Object.values(USAGE).join(', ');

function illegal(problem: string): AmsError {
  return AmsError.paramIllegal(FIELD, problem);
}

/**
 * The trigger a cashier pay request carries, if any, parsed strictly. Whether
 * a delayed outcome comes before the payment's expiry depends on when the
 * payment is created: `dueTimeOf` checks it for a new payment only.
 */
function sandboxTriggerOf(request: { referenceOrderId: string; amountMinor: bigint }): PayTrigger | undefined {
  const marker = markerTriggerOf(request.referenceOrderId);
  const amount = amountDeclineOf(request.amountMinor);
  if (marker && amount) {
    throw illegal(`carries the sandbox marker ${marker.source}, but ${amount.source} is itself a sandbox trigger (${amount.resultCode}); use one of them`);
  }
  if (marker) return marker;
  if (amount) return { outcome: { kind: 'fail', resultCode: amount.resultCode, resultMessage: amount.resultMessage }, afterMs: 0, answerLost: false, source: amount.source };
  return undefined;
}

/** The marker at the end of `referenceOrderId`, parsed strictly; undefined when there is none. */
function markerTriggerOf(referenceOrderId: string): PayTrigger | undefined {
  const at = referenceOrderId.search(/#amsgate/i);
  if (at < 0) return undefined;
  const source = referenceOrderId.slice(at);
  if (!source.startsWith(MARKER)) throw illegal(`"${source}" is not a sandbox marker: write #amsgate:<trigger> in lower case at the end; triggers: ${TRIGGER_LIST}`);
  const text = source.slice(MARKER.length);
  if (/#amsgate/i.test(text)) throw illegal(`"${source}" holds more than one sandbox marker; a payment takes one`);
  const [name = '', ...args] = text.split('=');
  if (!Object.prototype.hasOwnProperty.call(USAGE, name)) throw illegal(`"${name}" in "${source}" is not a sandbox trigger; triggers: ${TRIGGER_LIST}`);
  const trigger = name as TriggerName;
  const arity = (allowed: readonly number[]): void => {
    if (!allowed.includes(args.length)) throw illegal(`"${source}" is malformed: write ${MARKER}${USAGE[trigger]}`);
  };
  const message = (code: FailResultCode): string => `${RESULT_CODES[code].message} (sandbox trigger ${source})`;

  switch (trigger) {
    case 'decline': {
      arity([1]);
      const code = failCodeOf(args[0] as string, source);
      return { outcome: { kind: 'fail', resultCode: code, resultMessage: message(code) }, afterMs: 0, answerLost: false, source };
    }
    case 'succeed-after':
      arity([1]);
      return { outcome: { kind: 'success' }, afterMs: delayOf(args[0] as string, source), answerLost: false, source };
    case 'fail-after': {
      arity([2]);
      const afterMs = delayOf(args[0] as string, source);
      const code = failCodeOf(args[1] as string, source);
      return { outcome: { kind: 'fail', resultCode: code, resultMessage: message(code) }, afterMs, answerLost: false, source };
    }
    case 'unknown-then-success':
      arity([0, 1]);
      return { outcome: { kind: 'success' }, afterMs: args.length === 0 ? 0 : delayOf(args[0] as string, source), answerLost: true, source };
    case 'verify-otp':
      arity([0]);
      return { outcome: { kind: 'success' }, afterMs: 0, answerLost: false, source, verification: { verifyMethodType: 'SMS_OTP', otp: SANDBOX_OTP } };
    case 'dispute-after':
      arity([1]);
      return { outcome: { kind: 'success' }, afterMs: 0, answerLost: false, source, disputeAfterMs: delayOf(args[0] as string, source) };
  }
}

function failCodeOf(text: string, source: string): FailResultCode {
  if (isPaymentOutcomeCode(text)) return text;
  throw illegal(`CODE "${text}" in "${source}" is not a code a payment can fail with (e.g. USER_BALANCE_NOT_ENOUGH, RISK_REJECT, DO_NOT_HONOR)`);
}

function delayOf(text: string, source: string): number {
  const problem = `DURATION "${text}" in "${source}" is not a delay: write a positive duration with its unit, e.g. 30s, 2m, 1h30m or 500ms`;
  // parseDuration reads bare digits as milliseconds; in a marker `30` is more likely meant as seconds, so a unit is required.
  if (/^\d+$/.test(text)) throw illegal(problem);
  let ms: number;
  try {
    ms = Math.round(parseDuration(text));
  } catch {
    throw illegal(problem);
  }
  if (!(ms >= 1)) throw illegal(problem);
  return ms;
}

/**
 * The `expires_at` of a payment `pay` creates now with this trigger: the
 * trigger's time when it settles later (the scheduled outcome is due then),
 * else the payment's expiry. A delay that would outlast the expiry is
 * `PARAM_ILLEGAL`; called for a new payment only, so a repeat after the
 * delay answers the recorded payment.
 */
function dueTimeOf(trigger: PayTrigger | undefined, now: number, expiresAt: number): number {
  if (trigger === undefined || trigger.afterMs === 0) return expiresAt;
  const expiresInMs = expiresAt - now;
  if (trigger.afterMs >= expiresInMs) {
    throw illegal(`${trigger.source} would settle after the payment expires (in ${Math.floor(expiresInMs / 1000)} s); use a shorter delay or a later paymentExpiryTime`);
  }
  return now + trigger.afterMs;
}

/** What the pay call that created an `answerLost` payment answers: U, nothing about the payment. */
function lostPayAnswer(trigger: PayTrigger): ResponseBody {
  return {
    result: buildResult(
      'UNKNOWN_EXCEPTION',
      `Sandbox trigger ${trigger.source}: this answer is lost on purpose although the payment was created; retry with the same paymentRequestId or inquire`,
    ),
  };
}

/**
 * For products that do not read markers (Auto Debit: reserved amounts;
 * in-store: the payment code's last digits): a marker there is refused
 * rather than silently ignored.
 */
function refuseSandboxMarker(referenceOrderId: string, productCode: string): void {
  if (/#amsgate/i.test(referenceOrderId)) {
    throw illegal(`sandbox markers (#amsgate:…) are read on CASHIER_PAYMENT only, not on ${productCode}; see the sandbox triggers in the gateway README`);
  }
}

/** The sandbox's triggers, as the payment products take them (gateway mode injects none). */
export const SANDBOX_PAY_TRIGGERS: PayTriggerHooks = {
  triggerOf: sandboxTriggerOf,
  dueTimeOf,
  lostAnswer: lostPayAnswer,
  refuseMarker: refuseSandboxMarker,
  amountDeclineOf,
};
