/**
 * What an AMS endpoint is, declared once: everything the gateway routes,
 * validates and keys by, the client calls and retries by, `amsgate call`
 * accepts, the examples, the OpenAPI document and the README table are
 * derived from a list of these.
 */
import type { TSchema } from 'typebox';
import type { ResultCode } from '../result.js';
import type { NotificationKind, NotificationType } from '../schemas/notification-registry.js';

/**
 * Whether a byte-identical resend is safe (so a client may retry after a
 * lost answer), and why:
 * - `read-only`: nothing changes;
 * - `keyed`: the request carries a request id (`requestIdField`) Antom keys
 *   the effect by; a repeat answers the recorded result;
 * - `by-resource`: the effect is keyed by the resource it acts on (cancel a
 *   payment, revoke a token): repeating it leaves the same state;
 * - `harmless-repeat`: a resend acts again, but a second effect costs
 *   nothing (a second authorisation URL, of which the user opens one);
 * - `not-idempotent`: a resend may act again or be refused: never retried
 *   after it may have arrived.
 */
export type Idempotency =
  | { readonly kind: 'read-only'; readonly why?: string }
  | { readonly kind: 'keyed'; readonly requestIdField: string; readonly why?: string }
  | { readonly kind: 'by-resource'; readonly why: string }
  | { readonly kind: 'harmless-repeat'; readonly why: string }
  | { readonly kind: 'not-idempotent'; readonly why: string };

/** A notification a call can cause: its kind, and which of the kind's event types (all when absent). */
export type NotificationCause = {
  readonly [K in NotificationKind]: { readonly kind: K; readonly types?: readonly NotificationType<K>[] };
}[NotificationKind];

export interface EndpointDefinition<
  Path extends string = string,
  Req extends TSchema = TSchema,
  Res extends TSchema = TSchema,
  Method extends string = string,
  InProcess extends ResultCode = ResultCode,
> {
  /** After `/ams/api/{version}/`: `payments/pay`. */
  readonly path: Path;
  /** API version the path is served under. */
  readonly version: 'v1';
  /**
   * Request paths the official SDKs send besides `/ams/api/v1/{path}`, and
   * sign over as written (the gateway serves and verifies them as sent).
   */
  readonly sdkRequestPaths?: readonly string[];
  /**
   * The full request path when Antom serves the endpoint outside
   * `/ams/api/{version}/` (the attachment upload's
   * `/ams/api/open/openapiv2_file/v1/…`): then the canonical path, and
   * `path` only names the endpoint.
   */
  readonly requestPath?: string;
  /**
   * The header that authenticates the call instead of a signature, when
   * the SDKs send it that way (`meter/uploadEvent`: HTTP/2, no signature,
   * `X-Session-Id` from `meter/createSession`); lower case. A signed
   * request is served too.
   */
  readonly sessionHeader?: string;
  readonly request: Req;
  readonly response: Res;
  /** The client SDK's method: `pay`, or namespaced `authorizations.consult`. */
  readonly method: Method;
  /** One line: what the call does (client docs, OpenAPI summary, README table). */
  readonly summary: string;
  readonly idempotency: Idempotency;
  /**
   * The `U` result code that means "accepted, finishing asynchronously":
   * the normal answer, awaited through a notification or an inquiry, never
   * retried. Its answer carries the response fields (typed in the client).
   */
  readonly inProcessCode?: InProcess;
  /**
   * The result codes this endpoint answers, besides {@link COMMON_RESULT_CODES}
   * (which any endpoint can): the OpenAPI document lists them per operation,
   * and the gateway's tests fail on an answer whose code is not declared.
   */
  readonly resultCodes: readonly ResultCode[];
  /** Notifications this call can cause (now or later). */
  readonly notifications: readonly NotificationCause[];
  /** A minimal valid request and a typical response; fresh objects each call. */
  readonly example: { readonly request: () => Record<string, unknown>; readonly response: () => Record<string, unknown> };
}

/**
 * Declares an endpoint, keeping its literal path, method name and in-process
 * code in the type (`never` when it has none: the client types its `U`
 * answers by it).
 */
export function defineEndpoint<
  const Path extends string,
  Req extends TSchema,
  Res extends TSchema,
  const Method extends string,
  InProcess extends ResultCode = never,
>(definition: EndpointDefinition<Path, Req, Res, Method, InProcess>): EndpointDefinition<Path, Req, Res, Method, InProcess> {
  return definition;
}

/**
 * What any endpoint can answer: the refusals of a request before its
 * endpoint runs (method, media type, headers, client, key, signature, agent
 * token, rate limit, body schema) and an unexpected fault.
 */
export const COMMON_RESULT_CODES = [
  'PARAM_ILLEGAL',
  'METHOD_NOT_SUPPORTED',
  'MEDIA_TYPE_NOT_ACCEPTABLE',
  'INVALID_CLIENT',
  'INVALID_CLIENT_STATUS',
  'KEY_NOT_FOUND',
  'INVALID_SIGNATURE',
  'INVALID_AGENT_TOKEN',
  'REQUEST_TRAFFIC_EXCEED_LIMIT',
  'UNKNOWN_EXCEPTION',
] as const satisfies readonly ResultCode[];

/**
 * The codes a payment can end with for a reason on the buyer's or the
 * payment method's side: a failed payment's own code, which a repeated
 * `pay` answers and `inquiryPayment` reports as `paymentResultCode`.
 */
export const PAYMENT_OUTCOME_CODES = [
  'USER_BALANCE_NOT_ENOUGH',
  'USER_AMOUNT_EXCEED_LIMIT',
  'PAYMENT_AMOUNT_EXCEED_LIMIT',
  'PAYMENT_COUNT_EXCEED_LIMIT',
  'USER_NOT_EXIST',
  'USER_STATUS_ABNORMAL',
  'USER_KYC_NOT_QUALIFIED',
  'USER_PAYMENT_VERIFICATION_FAILED',
  'INVALID_PAYMENT_METHOD_META_DATA',
  'INCORRECT_BLIKCODE',
  'AUTHENTICATION_REQUIRED',
  'SELECTED_CARD_BRAND_NOT_AVAILABLE',
  'DO_NOT_HONOR',
  'VERIFY_TIMES_EXCEED_LIMIT',
  'VERIFY_UNMATCHED',
  'PAYMENT_PROHIBITED',
  'RISK_REJECT',
  'FRAUD_REJECT',
  'EXPIRED_CODE',
  'ORDER_IS_CLOSED',
] as const satisfies readonly ResultCode[];

export type PaymentOutcomeCode = (typeof PAYMENT_OUTCOME_CODES)[number];

/** Whether `code` is one a payment can fail with (what the sandbox's buyer and triggers may choose). */
export function isPaymentOutcomeCode(code: string): code is PaymentOutcomeCode {
  return (PAYMENT_OUTCOME_CODES as readonly string[]).includes(code);
}

/** Every code an endpoint can answer: its own and the common ones. */
export function resultCodesOf(definition: Pick<EndpointDefinition, 'resultCodes'>): readonly ResultCode[] {
  return [...definition.resultCodes, ...COMMON_RESULT_CODES.filter((code) => !definition.resultCodes.includes(code))];
}

const API_PREFIX = '/ams/api/';
const SANDBOX_API_PREFIX = '/ams/sandbox/api/';

/** The request path the client and the docs use: `/ams/api/v1/payments/pay`. */
export function canonicalRequestPath(definition: Pick<EndpointDefinition, 'path' | 'version' | 'requestPath'>): string {
  if (definition.requestPath !== undefined) return definition.requestPath;
  return `${API_PREFIX}${definition.version}/${definition.path}`;
}

/** A request path as sandbox clients send it (the official SDKs rewrite `/ams/api/` to `/ams/sandbox/api/`); other paths unchanged. */
export function sandboxRequestPath(requestPath: string): string {
  return requestPath.startsWith(API_PREFIX) ? `${SANDBOX_API_PREFIX}${requestPath.slice(API_PREFIX.length)}` : requestPath;
}

/** Whether a byte-identical resend is safe: applied at most once, or harmless when applied again. */
export function isIdempotent(definition: Pick<EndpointDefinition, 'idempotency'>): boolean {
  return definition.idempotency.kind !== 'not-idempotent';
}

/** Why an endpoint's idempotency is what it is, in a few words. */
export function idempotencyWhy(idempotency: Idempotency): string {
  if (idempotency.why !== undefined) return idempotency.why;
  return idempotency.kind === 'keyed' ? `keyed by ${idempotency.requestIdField}` : 'read only';
}
