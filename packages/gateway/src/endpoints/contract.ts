/**
 * The endpoint contract: what a product implements for one AMS endpoint.
 * Products import this, never the HTTP edge; the edge runs what the route
 * table (`route-table.ts`) composes from these modules.
 */
import type { EndpointPath, EndpointRequest, EndpointResponse, Result } from '@amsgate/protocol';
import type { Fingerprint, IdempotencyKey } from './idempotency.js';

/** What every handler gets: the authenticated client and the request as validated. */
export interface HandlerContext {
  readonly clientId: string;
  /** The normalised request as JSON (stored with payments for inquiry and debugging). */
  readonly requestJson: string;
}

/** A handler of a keyed endpoint also gets its idempotency key, claimed in the transaction that creates the resource. */
export interface KeyedHandlerContext extends HandlerContext {
  readonly idempotencyKey: IdempotencyKey;
}

/**
 * How a keyed endpoint's requests collide: the key space (`scope`: `pay` is
 * shared by pay and createPaymentSession, so one paymentRequestId makes one
 * payment) and the request fields that must match on a repeat. The request
 * id field comes from the protocol definition.
 */
export interface IdempotencyDeclaration<R> {
  readonly scope: string;
  /** Evaluated when the key is claimed, inside the transaction; may refuse a malformed field (PARAM_ILLEGAL). */
  readonly fingerprint: (request: R) => Fingerprint;
  /**
   * For a variant of the request that does not carry the definition's
   * request id field (an Auto Debit createPaymentSession has no
   * paymentRequestId): its own key space, id field and id. Undefined for
   * a request keyed the usual way.
   */
  readonly keyOf?: (request: R) => { scope: string; idName: string; requestId: string } | undefined;
}

/** An endpoint's answer: its response fields, with a complete `result` (the schema lets a received one omit its message). */
export type AnswerBody<P extends EndpointPath> = EndpointResponse<P> & { result: Result };

export type Handler<P extends EndpointPath, C extends HandlerContext = HandlerContext> = (
  context: C,
  request: EndpointRequest<P>,
) => Promise<AnswerBody<P>>;

export interface PlainEndpointModule<P extends EndpointPath> {
  readonly path: P;
  readonly idempotency?: undefined;
  readonly handle: Handler<P>;
}

export interface KeyedEndpointModule<P extends EndpointPath> {
  readonly path: P;
  readonly idempotency: IdempotencyDeclaration<EndpointRequest<P>>;
  readonly handle: Handler<P, KeyedHandlerContext>;
}

/** One endpoint of a product: a plain handler, or a keyed one with its idempotency declared. */
export type EndpointModule<P extends EndpointPath> = PlainEndpointModule<P> | KeyedEndpointModule<P>;

/** A module for every endpoint the protocol defines: a definition without a handler does not compile. */
export type EndpointModules = { readonly [P in EndpointPath]: EndpointModule<P> };

/** Declares an endpoint without a request-id key (reads, calls keyed by the resource they act on). */
export function endpointModule<P extends EndpointPath>(module: PlainEndpointModule<P>): EndpointModule<P> {
  return module;
}

/** Declares an endpoint keyed by a request id: the route table builds the key, the handler claims it in its transaction. */
export function keyedEndpointModule<P extends EndpointPath>(module: KeyedEndpointModule<P>): EndpointModule<P> {
  return module;
}
