/**
 * `payments/createPaymentSession`: a cashier payment created for Antom's
 * hosted checkout, answered with a session id, the session data a front end
 * passes on, its expiry and the checkout page link. The payment itself is an
 * ordinary cashier payment (same `paymentRequestId` key space as `pay`), so
 * inquiry, cancel, refunds and notifications work as for `pay`.
 *
 * The session is not stored: its data is the payment id and expiry
 * (the payment id is already the unguessable capability the checkout link
 * carries). A session whose buyer picks the method on the page has
 * paymentMethodType `UNSPECIFIED` until then. The request's `metadata` is
 * the payment's, echoed as pay's is.
 *
 * A session with `AGREEMENT_PAYMENT` is an Auto Debit authorisation, not a
 * payment: the Auto Debit product makes it (`auto-debit/agreement-session-service.ts`).
 */
import { AmsError, SUCCESS_RESULT, type CreateCashierSessionRequest, type PayCashierRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import { wireTime, type ResponseBody } from './answers.js';
import type { PaymentService } from './payment-service.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { parseWireTime } from './wire-time.js';

const MAX_SESSION_MS = 60 * 60_000;
export const UNSPECIFIED_METHOD = 'UNSPECIFIED';

export interface SessionData {
  paymentId: string;
  expiresAt: number;
}

/** `<paymentId>.<expiry in base 36>`: short enough for a URL path segment. */
export function encodeSessionData(data: SessionData): string {
  return `${data.paymentId}.${data.expiresAt.toString(36)}`;
}

/** The session a checkout link carries, or undefined for anything that is not one. */
export function decodeSessionData(text: string): SessionData | undefined {
  const match = /^(PAY[0-9A-Z]{26})\.([0-9a-z]{1,11})$/.exec(text);
  if (!match) return undefined;
  return { paymentId: match[1] as string, expiresAt: parseInt(match[2] as string, 36) };
}

export class PaymentSessionService {
  constructor(
    private readonly payments: PaymentService,
    private readonly clock: Clock,
    private readonly checkoutBase: () => string,
  ) {}

  async create(context: KeyedHandlerContext, request: CreateCashierSessionRequest): Promise<ResponseBody> {
    const now = this.clock.now();
    const requestedExpiry = requestedSessionExpiry(request);
    const pay: PayCashierRequest = {
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: request.paymentRequestId,
      order: request.order,
      paymentAmount: request.paymentAmount,
      paymentMethod: sessionPaymentMethod(request),
      paymentRedirectUrl: request.paymentRedirectUrl,
      env: request.env ?? { terminalType: 'WEB' },
      paymentExpiryTime: request.paymentExpiryTime ?? wireTime(requestedExpiry ?? now + MAX_SESSION_MS),
      ...(request.paymentNotifyUrl !== undefined ? { paymentNotifyUrl: request.paymentNotifyUrl } : {}),
      ...(request.paymentFactor !== undefined ? { paymentFactor: request.paymentFactor } : {}),
      ...(request.settlementStrategy !== undefined ? { settlementStrategy: request.settlementStrategy } : {}),
      ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
    } as PayCashierRequest;
    // The session's time limits are checked only when this request creates it: a retry gets the session it created, however late.
    const checkNewSession = (at: number) => {
      if (requestedExpiry === undefined) return;
      if (requestedExpiry <= at) throw AmsError.paramIllegal('paymentSessionExpiryTime', 'must be in the future');
      if (requestedExpiry > at + MAX_SESSION_MS) throw AmsError.paramIllegal('paymentSessionExpiryTime', 'must be within 1 hour of the request');
    };
    const { answer, payment, created } = await this.payments.payRecorded(context, pay, checkNewSession);
    if (answer.result.resultCode !== 'PAYMENT_IN_PROCESS') return answer; // a repeat after the payment ended: its state
    // From what the first request recorded (not the retry's own fields), so a repeat answers the same session data and link.
    const firstExpiry = created ? requestedExpiry : await this.recordedSessionExpiry(payment.paymentId);
    const sessionExpiresAt = firstExpiry ?? payment.createdAt + MAX_SESSION_MS;
    const paymentSessionData = encodeSessionData({ paymentId: payment.paymentId, expiresAt: sessionExpiresAt });
    return {
      result: { ...SUCCESS_RESULT },
      paymentSessionId: `SES${payment.paymentId.slice(3)}`,
      paymentSessionData,
      paymentSessionExpiryTime: wireTime(sessionExpiresAt),
      normalUrl: `${this.checkoutBase()}/checkout/session/${paymentSessionData}`,
    };
  }

  /** The `paymentSessionExpiryTime` of the request that created the session, if it gave one. */
  private async recordedSessionExpiry(paymentId: string): Promise<number | undefined> {
    const json = await this.payments.recordedRequestJson(paymentId);
    if (json === undefined) return undefined;
    const given = (JSON.parse(json) as { paymentSessionExpiryTime?: unknown }).paymentSessionExpiryTime;
    return typeof given === 'string' ? parseWireTime(given) : undefined;
  }
}

/** The payment method of the payment a session makes: the request's, or chosen by the buyer on the page. */
export function sessionPaymentMethod(request: CreateCashierSessionRequest): NonNullable<CreateCashierSessionRequest['paymentMethod']> {
  return request.paymentMethod ?? { paymentMethodType: UNSPECIFIED_METHOD };
}

/** The request's `paymentSessionExpiryTime`, syntax checked (before anything is written); undefined when absent. */
function requestedSessionExpiry(request: CreateCashierSessionRequest): number | undefined {
  if (request.paymentSessionExpiryTime === undefined) return undefined;
  const at = parseWireTime(request.paymentSessionExpiryTime);
  if (at === undefined) throw AmsError.paramIllegal('paymentSessionExpiryTime', `is not a date-time: "${request.paymentSessionExpiryTime}"`);
  return at;
}
