/**
 * Where each endpoint lives and whether resending its request is safe.
 *
 * `idempotent` means: Antom applies a byte-identical resend at most once, so
 * a retry after a lost answer cannot cause a second effect (spec
 * errors-and-idempotency.md §4). Endpoints not listed (the generic
 * `request()`) are treated as not idempotent unless the caller says so.
 */
import type { EndpointPath } from '@amsgate/protocol';

export interface EndpointPolicy {
  readonly idempotent: boolean;
}

export const ENDPOINT_POLICIES: { readonly [P in EndpointPath]: EndpointPolicy & { readonly why: string } } = {
  'payments/pay': { idempotent: true, why: 'keyed by paymentRequestId; a repeat returns the recorded payment' },
  'payments/inquiryPayment': { idempotent: true, why: 'read only' },
  'payments/cancel': { idempotent: true, why: 'keyed by the payment it cancels' },
  'payments/refund': { idempotent: true, why: 'keyed by refundRequestId' },
  'payments/inquiryRefund': { idempotent: true, why: 'read only' },
  'payments/capture': { idempotent: true, why: 'keyed by captureRequestId' },
  'payments/consult': { idempotent: true, why: 'read only' },
  'payments/createPaymentSession': {
    idempotent: true,
    why: 'a session carries the paymentRequestId that keys the payment, so a second session cannot pay twice',
  },
  'authorizations/consult': { idempotent: true, why: 'returns an authorisation URL; no state the merchant pays for' },
  'authorizations/applyToken': {
    idempotent: false,
    why: 'an authCode is single-use: a resend after an unclear failure is refused, which would hide that the first may have granted the token',
  },
  'authorizations/revoke': { idempotent: true, why: 'revoking twice leaves the token revoked' },
};

/**
 * U answers that mean "accepted and processing": the normal outcome of an
 * asynchronous operation, answered by waiting for the notification or
 * inquiring, never by resending.
 */
export const IN_PROCESS_CODES: ReadonlySet<string> = new Set(['PAYMENT_IN_PROCESS', 'REFUND_IN_PROCESS', 'CAPTURE_IN_PROCESS']);

const API_PREFIX = '/ams/api/';
const SANDBOX_PREFIX = '/ams/sandbox/api/';
const VERSIONED = /^v[0-9]+\//;

/**
 * The request path for an endpoint: `payments/pay` → `/ams/api/v1/payments/pay`;
 * `v2/payments/pay` → `/ams/api/v2/payments/pay`; a path starting with `/`
 * is used as given. Sandbox clients get `/ams/sandbox/api/...`, as the
 * official SDKs rewrite it, before signing.
 */
export function endpointUri(endpoint: string, sandbox: boolean): string {
  if (endpoint === '' || /[\s#]/.test(endpoint)) throw new TypeError(`Not an endpoint path: ${JSON.stringify(endpoint)}`);
  const uri = endpoint.startsWith('/') ? endpoint : `${API_PREFIX}${VERSIONED.test(endpoint) ? '' : 'v1/'}${endpoint}`;
  return sandbox && uri.startsWith(API_PREFIX) ? `${SANDBOX_PREFIX}${uri.slice(API_PREFIX.length)}` : uri;
}

/** The endpoint path (`payments/pay`) of a request path, for looking up its policy. */
export function endpointPathOf(uri: string): string | undefined {
  const match = /^\/ams\/(?:sandbox\/)?api\/v1\/([^?]+)$/.exec(uri);
  return match?.[1];
}
