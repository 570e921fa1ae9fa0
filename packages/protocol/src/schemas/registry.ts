/**
 * Which schema belongs to which endpoint and notification: the table the
 * gateway routes validate with, the client types its methods by, and the
 * OpenAPI document is generated from.
 */
import type Type from 'typebox';
import type { TSchema } from 'typebox';
import { ApplyTokenRequestSchema, ApplyTokenResponseSchema, AuthConsultRequestSchema, AuthConsultResponseSchema, RevokeRequestSchema, RevokeResponseSchema } from './authorizations.js';
import { ConsultRequestSchema, ConsultResponseSchema, CreatePaymentSessionRequestSchema, CreatePaymentSessionResponseSchema } from './checkout.js';
import { NotifyPaymentInStoreBodySchema } from './in-store.js';
import { NotifyAuthorizationBodySchema, NotifyCaptureBodySchema, NotifyPaymentBodySchema, NotifyRefundBodySchema } from './notifications.js';
import { PayResponseSchema } from './pay.js';
import { PayRequestSchema } from './pay-request.js';
import {
  CancelRequestSchema,
  CancelResponseSchema,
  CaptureRequestSchema,
  CaptureResponseSchema,
  InquiryPaymentRequestSchema,
  InquiryPaymentResponseSchema,
  InquiryRefundRequestSchema,
  InquiryRefundResponseSchema,
  RefundRequestSchema,
  RefundResponseSchema,
} from './payment-ops.js';
import { validate, type ValidationResult } from './validate.js';

export interface EndpointSchemas {
  readonly request: TSchema;
  readonly response: TSchema;
}

/**
 * Endpoint path after `/ams/api/{version}/` → request and response schema.
 * `payments/pay`'s request is the productCode-discriminated union.
 */
export const ENDPOINTS = {
  'payments/pay': { request: PayRequestSchema, response: PayResponseSchema },
  'payments/inquiryPayment': { request: InquiryPaymentRequestSchema, response: InquiryPaymentResponseSchema },
  'payments/cancel': { request: CancelRequestSchema, response: CancelResponseSchema },
  'payments/refund': { request: RefundRequestSchema, response: RefundResponseSchema },
  'payments/inquiryRefund': { request: InquiryRefundRequestSchema, response: InquiryRefundResponseSchema },
  'payments/capture': { request: CaptureRequestSchema, response: CaptureResponseSchema },
  'payments/consult': { request: ConsultRequestSchema, response: ConsultResponseSchema },
  'payments/createPaymentSession': { request: CreatePaymentSessionRequestSchema, response: CreatePaymentSessionResponseSchema },
  'authorizations/consult': { request: AuthConsultRequestSchema, response: AuthConsultResponseSchema },
  'authorizations/applyToken': { request: ApplyTokenRequestSchema, response: ApplyTokenResponseSchema },
  'authorizations/revoke': { request: RevokeRequestSchema, response: RevokeResponseSchema },
} as const satisfies Record<string, EndpointSchemas>;

export type EndpointPath = keyof typeof ENDPOINTS;
export type EndpointRequest<P extends EndpointPath> = Type.Static<(typeof ENDPOINTS)[P]['request']>;
export type EndpointResponse<P extends EndpointPath> = Type.Static<(typeof ENDPOINTS)[P]['response']>;

export const ENDPOINT_PATHS = Object.keys(ENDPOINTS) as EndpointPath[];

export function isEndpointPath(path: string): path is EndpointPath {
  return Object.prototype.hasOwnProperty.call(ENDPOINTS, path);
}

/** Validates and normalises a request body for an endpoint. */
export function validateRequest<P extends EndpointPath>(path: P, body: unknown): ValidationResult<EndpointRequest<P>> {
  return validate(ENDPOINTS[path].request, body) as ValidationResult<EndpointRequest<P>>;
}

/** Validates and normalises a response body for an endpoint. */
export function validateResponse<P extends EndpointPath>(path: P, body: unknown): ValidationResult<EndpointResponse<P>> {
  return validate(ENDPOINTS[path].response, body) as ValidationResult<EndpointResponse<P>>;
}

/**
 * Notification kinds, with the field that carries the event type and the
 * types each kind covers. `notifyPaymentInStore` is for in-store merchants
 * (its `PAYMENT_RESULT` has the in-store field set); a receiver that cannot
 * tell uses {@link notificationKindOf}, which maps `PAYMENT_RESULT` to the
 * online kind.
 */
export const NOTIFICATIONS = {
  notifyPayment: { schema: NotifyPaymentBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT', 'PAYMENT_PENDING'] },
  notifyPaymentInStore: { schema: NotifyPaymentInStoreBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT', 'OFFLINE_PAYMENT_CODE'] },
  notifyRefund: { schema: NotifyRefundBodySchema, typeField: 'notifyType', types: ['REFUND_RESULT'] },
  notifyCapture: { schema: NotifyCaptureBodySchema, typeField: 'notifyType', types: ['CAPTURE_RESULT'] },
  notifyAuthorization: { schema: NotifyAuthorizationBodySchema, typeField: 'authorizationNotifyType', types: ['AUTHCODE_CREATED', 'TOKEN_CANCELED'] },
} as const satisfies Record<string, { schema: TSchema; typeField: string; types: readonly string[] }>;

export type NotificationKind = keyof typeof NOTIFICATIONS;
export type NotificationBody<K extends NotificationKind> = Type.Static<(typeof NOTIFICATIONS)[K]['schema']>;

/** Event type (`notifyType` or `authorizationNotifyType` value) → kind. */
export const NOTIFICATION_KIND_BY_TYPE: Readonly<Record<string, NotificationKind>> = {
  PAYMENT_RESULT: 'notifyPayment',
  PAYMENT_PENDING: 'notifyPayment',
  OFFLINE_PAYMENT_CODE: 'notifyPaymentInStore',
  REFUND_RESULT: 'notifyRefund',
  CAPTURE_RESULT: 'notifyCapture',
  AUTHCODE_CREATED: 'notifyAuthorization',
  TOKEN_CANCELED: 'notifyAuthorization',
};

/** The kind of a notification body from its event type, or `undefined` when it has none we know. */
export function notificationKindOf(body: unknown): NotificationKind | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  for (const field of ['notifyType', 'authorizationNotifyType']) {
    const value = Object.prototype.hasOwnProperty.call(record, field) ? record[field] : undefined;
    if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(NOTIFICATION_KIND_BY_TYPE, value)) {
      return NOTIFICATION_KIND_BY_TYPE[value];
    }
  }
  return undefined;
}
