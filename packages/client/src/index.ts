/**
 * @amsgate/client: a TypeScript SDK for the Antom (AMS) payment API and
 * Antom-compatible gateways such as amsgate.
 */
export { AntomClient, type GenericResponse, type RequestOptions } from './client.js';
export type { AntomClientOptions, FetchLike } from './config.js';
export { ANTOM_REGIONS, type AntomRegion } from './regions.js';
export type { Answer, Succeeded, Unknown, Failed, ResultOnly, SucceededData } from './answer.js';
export type { AnswerBody } from './answer-body.js';
export type { CallOptions } from './requester.js';
export type { Exchange, SignedRequest, ReceivedResponse } from './exchange.js';
export {
  AntomError,
  AntomApiError,
  unwrap,
  SignatureVerificationError,
  AntomTransportError,
  TimeoutError,
  type ResponseSignatureFailure,
  type TransportFailure,
} from './errors.js';
export { ENDPOINT_POLICIES, IN_PROCESS_CODES, endpointUri, type EndpointPolicy } from './endpoints.js';
export type { EndpointCall, EndpointMethods, InProcessData } from './endpoint-methods.js';
export { isRetryable, backoffDelay, type AttemptFailure } from './retry-policy.js';
export {
  waitForFinal,
  type WaitForFinalOptions,
  type FinalPaymentOutcome,
  type FinalByInquiry,
  type CancelledOnTimeout,
  type StillUnknown,
  type FinalStatus,
  type PaymentOperations,
} from './wait-for-final.js';
export {
  NotificationVerifier,
  notificationAck,
  type NotificationInput,
  type NotificationVerification,
  type VerifiedNotification,
  type NotificationFailure,
  type NotificationFailureReason,
  type NotificationVerifierOptions,
} from './notifications.js';
export { KeyFormatError, type KeyInput } from '@amsgate/protocol';
