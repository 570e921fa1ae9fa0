/**
 * `AntomClient`: one typed method per endpoint of the spec, on top of the
 * request core. Request and response types come from the protocol schemas.
 */
import type {
  ApplyTokenRequest,
  ApplyTokenResponse,
  AuthConsultRequest,
  AuthConsultResponse,
  CancelRequest,
  CancelResponse,
  CaptureRequest,
  CaptureResponse,
  ConsultRequest,
  ConsultResponse,
  CreatePaymentSessionRequest,
  CreatePaymentSessionResponse,
  EndpointPath,
  EndpointRequest,
  EndpointResponse,
  InquiryPaymentRequest,
  InquiryPaymentResponse,
  InquiryRefundRequest,
  InquiryRefundResponse,
  PayRequest,
  PayResponse,
  RefundRequest,
  RefundResponse,
  RevokeRequest,
  RevokeResponse,
} from '@amsgate/protocol';
import type { Answer, ResultOnly } from './answer.js';
import type { AnswerBody } from './answer-body.js';
import { resolveConfig, type AntomClientOptions, type ClientConfig } from './config.js';
import { ENDPOINT_POLICIES, endpointPathOf } from './endpoints.js';
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

export class AntomClient {
  readonly clientId: string;
  /** Auto Debit authorisation endpoints. */
  readonly authorizations: {
    consult(request: AuthConsultRequest, options?: CallOptions): Promise<Answer<AuthConsultResponse>>;
    applyToken(request: ApplyTokenRequest, options?: CallOptions): Promise<Answer<ApplyTokenResponse>>;
    revoke(request: RevokeRequest, options?: CallOptions): Promise<Answer<RevokeResponse>>;
  };

  private readonly config: ClientConfig;
  private readonly requester: Requester;
  private readonly notifications: NotificationVerifier;

  constructor(options: AntomClientOptions) {
    this.config = resolveConfig(options);
    this.clientId = this.config.clientId;
    this.requester = new Requester(this.config);
    this.notifications = new NotificationVerifier({ clientId: this.config.clientId, antomPublicKey: this.config.antomPublicKey });
    this.authorizations = {
      consult: (request, callOptions) => this.call('authorizations/consult', request, callOptions),
      applyToken: (request, callOptions) => this.call('authorizations/applyToken', request, callOptions),
      revoke: (request, callOptions) => this.call('authorizations/revoke', request, callOptions),
    };
  }

  /** Where calls go: the origin, and whether the sandbox path is used. */
  get baseUrl(): string {
    return this.config.baseUrl;
  }

  get sandbox(): boolean {
    return this.config.sandbox;
  }

  /**
   * `payments/pay` (cashier, Auto Debit, in-store). The usual cashier answer
   * is `U` PAYMENT_IN_PROCESS with `normalUrl` etc. in `data`.
   */
  pay(request: PayRequest, options?: CallOptions): Promise<Answer<PayResponse, PayResponse>> {
    return this.call<'payments/pay', PayResponse>('payments/pay', request, options);
  }

  /** `result` describes the call; read `data.paymentStatus` for the payment. */
  inquiryPayment(request: InquiryPaymentRequest, options?: CallOptions): Promise<Answer<InquiryPaymentResponse>> {
    return this.call('payments/inquiryPayment', request, options);
  }

  cancel(request: CancelRequest, options?: CallOptions): Promise<Answer<CancelResponse>> {
    return this.call('payments/cancel', request, options);
  }

  /** `U` REFUND_IN_PROCESS: wait for the refund notification or call `inquiryRefund`. */
  refund(request: RefundRequest, options?: CallOptions): Promise<Answer<RefundResponse, RefundResponse>> {
    return this.call<'payments/refund', RefundResponse>('payments/refund', request, options);
  }

  inquiryRefund(request: InquiryRefundRequest, options?: CallOptions): Promise<Answer<InquiryRefundResponse>> {
    return this.call('payments/inquiryRefund', request, options);
  }

  /** `U` CAPTURE_IN_PROCESS: wait for the capture notification or inquire the payment. */
  capture(request: CaptureRequest, options?: CallOptions): Promise<Answer<CaptureResponse, CaptureResponse>> {
    return this.call<'payments/capture', CaptureResponse>('payments/capture', request, options);
  }

  /** Payment-method consult. */
  consult(request: ConsultRequest, options?: CallOptions): Promise<Answer<ConsultResponse>> {
    return this.call('payments/consult', request, options);
  }

  createPaymentSession(request: CreatePaymentSessionRequest, options?: CallOptions): Promise<Answer<CreatePaymentSessionResponse>> {
    return this.call('payments/createPaymentSession', request, options);
  }

  /**
   * Any endpoint: a modelled path (`payments/refund`) is typed and uses its
   * retry policy; another (`payments/retrievePaymentSession`,
   * `v2/payments/pay`, or a full `/ams/api/...` path) returns the body as
   * sent and is retried only where `options.idempotent` allows.
   */
  request<P extends EndpointPath>(path: P, body: EndpointRequest<P>, options?: RequestOptions): Promise<Answer<EndpointResponse<P>, EndpointResponse<P>>>;
  request(path: string, body: Record<string, unknown>, options?: RequestOptions): Promise<Answer<GenericResponse, GenericResponse>>;
  request(path: string, body: object, options: RequestOptions = {}): Promise<Answer<GenericResponse, GenericResponse>> {
    const known = endpointPathOf(this.requester.uriOf(path));
    const policy = known !== undefined && Object.prototype.hasOwnProperty.call(ENDPOINT_POLICIES, known)
      ? ENDPOINT_POLICIES[known as EndpointPath]
      : { idempotent: options.idempotent ?? false };
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

  private call<P extends EndpointPath, UData = ResultOnly>(
    path: P,
    body: EndpointRequest<P>,
    options: CallOptions | undefined,
  ): Promise<Answer<EndpointResponse<P>, UData>> {
    return this.requester.send(path, body, ENDPOINT_POLICIES[path], options) as unknown as Promise<Answer<EndpointResponse<P>, UData>>;
  }
}
