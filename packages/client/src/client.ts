/**
 * `AntomClient`: one typed method per endpoint definition of the protocol
 * (`endpoint-methods.ts`), on top of the request core.
 */
import { endpointForRequestPath, type EndpointPath, type EndpointRequest, type EndpointResponse } from '@amsgate/protocol';
import type { Answer } from './answer.js';
import type { AnswerBody } from './answer-body.js';
import { resolveConfig, type AntomClientOptions, type ClientConfig } from './config.js';
import { endpointNamespaces, installEndpointMethods, type EndpointMethods } from './endpoint-methods.js';
import { ENDPOINT_POLICIES } from './endpoints.js';
import type { SignedRequest } from './exchange.js';
import { NotificationVerifier, notificationAck, type NotificationInput, type NotificationVerification } from './notifications.js';
import { Requester, type CallOptions } from './requester.js';
import { waitForFinal, type FinalPaymentOutcome, type WaitForFinalOptions } from './wait-for-final.js';

/** Options of the generic `request()`. */
export interface RequestOptions extends CallOptions {
  /**
   * For an endpoint this client does not model: whether a byte-identical
   * resend is applied at most once, which allows retries after timeouts,
   * 5xx and `U` answers. Default false: only calls that provably never left
   * are retried. Modelled endpoints use their own policy.
   */
  idempotent?: boolean;
}

/** A response of an endpoint the client does not model: the `result` plus whatever else came. */
export type GenericResponse = AnswerBody;

// The per-endpoint methods come from the protocol's definitions: flat ones (`pay`) are put on the
// prototype once (the static block below), namespaces (`authorizations.consult`) per instance in
// the constructor; this interface gives the class their types.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AntomClient extends EndpointMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class AntomClient {
  readonly clientId: string;

  private readonly config: ClientConfig;
  private readonly requester: Requester;
  private readonly notifications: NotificationVerifier;

  constructor(options: AntomClientOptions) {
    this.config = resolveConfig(options);
    this.clientId = this.config.clientId;
    this.requester = new Requester(this.config);
    this.notifications = new NotificationVerifier({ clientId: this.config.clientId, antomPublicKey: this.config.antomPublicKey });
    Object.assign(this, endpointNamespaces((path, request, callOptions) => this.sendToEndpoint(path, request, callOptions)));
  }

  /** Where calls go: the origin, and whether the sandbox path is used. */
  get baseUrl(): string {
    return this.config.baseUrl;
  }

  get sandbox(): boolean {
    return this.config.sandbox;
  }

  /**
   * Any endpoint: a modelled path (`payments/refund`) is typed and uses its
   * retry policy; another (`payments/inquireExchangeRate` until it is modelled,
   * `v2/payments/pay`, or a full `/ams/api/...` path) returns the body as
   * sent and is retried only where `options.idempotent` allows.
   */
  request<P extends EndpointPath>(path: P, body: EndpointRequest<P>, options?: RequestOptions): Promise<Answer<EndpointResponse<P>, EndpointResponse<P>>>;
  request(path: string, body: Record<string, unknown>, options?: RequestOptions): Promise<Answer<GenericResponse, GenericResponse>>;
  request(path: string, body: object, options: RequestOptions = {}): Promise<Answer<GenericResponse, GenericResponse>> {
    const known = endpointForRequestPath(this.requester.uriOf(path));
    const policy = known === undefined ? { idempotent: options.idempotent ?? false } : ENDPOINT_POLICIES[known];
    return this.requester.send(path, body, policy, options);
  }

  /** The signed request a call would send (fresh `request-time`), without sending it. */
  prepareRequest(path: string, body: object): Promise<SignedRequest> {
    return this.requester.prepare(path, body);
  }

  /**
   * Antom's guidance for a payment whose result is not known (in-store):
   * inquire every `pollEveryMs` until the status is final or `timeoutMs`
   * has passed, then, with `cancelOnTimeout`, cancel it.
   */
  waitForFinal(paymentId: string, options: WaitForFinalOptions = {}): Promise<FinalPaymentOutcome> {
    return waitForFinal(this, paymentId, options);
  }

  /** Verifies a notification Antom posted to this merchant (see `NotificationVerifier`). */
  verifyNotification(input: NotificationInput): NotificationVerification {
    return this.notifications.verify(input);
  }

  /** The body to answer a notification with (HTTP 200, `application/json`), once it is verified and stored. */
  notificationAck(): string {
    return notificationAck();
  }

  /** A modelled endpoint, with its retry policy: what every per-endpoint method calls. */
  private sendToEndpoint(path: EndpointPath, request: object, options: CallOptions | undefined): Promise<unknown> {
    return this.requester.send(path, request, ENDPOINT_POLICIES[path], options);
  }

  static {
    installEndpointMethods(AntomClient.prototype, function (this: AntomClient, path, request, options) {
      return this.sendToEndpoint(path, request, options);
    });
  }
}
