/**
 * In-store (`IN_STORE_PAYMENT`) messages: the in-store `pay` request with its
 * three modes, and the in-store differences of inquiryPayment and
 * notifyPayment (spec in-store.md). Refund, cancel and inquiryRefund have the
 * online shapes.
 */
import type Type from 'typebox';
import { Const, DateTime, Enum, HttpUrl, NonEmpty, Obj, Optional, Refine, Text, Url, type Rule } from './builder.js';
import {
  AmountSchema,
  EnvSchema,
  PaymentMethodSchema,
  PspCustomerInfoSchema,
  QuoteSchema,
  ResultSchema,
  type InStorePaymentScenario,
} from './common.js';
import { payCommonProperties } from './pay.js';
import { inquiryPaymentResponseProperties } from './payment-ops.js';
import { failure, type ValidationFailure } from './validate.js';

/**
 * In-store `pay`. `paymentNotifyUrl` is required on the in-store pages.
 * `paymentFactor` is labelled optional there, so the mode is taken from
 * `paymentFactor.inStorePaymentScenario` (any case) or, when absent, inferred
 * as `PaymentCode` from a present `paymentMethod.paymentMethodId`.
 * `settlementStrategy` is documented as required with `CONNECT_WALLET` on the
 * Chinese pages only, and `order.merchant.store` only by the PHP SDK and
 * Alipay+: both stay optional here; see {@link checkInStoreMerchant} for the
 * strict merchant check.
 */
const PayInStoreBase = Obj({
  productCode: Const('IN_STORE_PAYMENT', { caseInsensitive: true }),
  ...payCommonProperties,
  paymentMethod: PaymentMethodSchema,
  paymentNotifyUrl: HttpUrl(2048),
  // Removed for User-presented mode in 2022, optional for order and entry codes; accepted for all.
  paymentRedirectUrl: Optional(Url(2048)),
  env: Optional(EnvSchema),
});
type PayInStoreShape = Type.Static<typeof PayInStoreBase>;

/** The mode of an in-store pay request: the explicit scenario, else `PaymentCode` when a code is present. */
export function inStoreScenarioOf(request: {
  paymentFactor?: { inStorePaymentScenario?: InStorePaymentScenario | undefined } | undefined;
  paymentMethod: { paymentMethodId?: string | undefined };
}): InStorePaymentScenario | undefined {
  const explicit = request.paymentFactor?.inStorePaymentScenario;
  if (explicit !== undefined) return explicit;
  const code = request.paymentMethod.paymentMethodId;
  return code !== undefined && code.length > 0 ? 'PaymentCode' : undefined;
}

const scenarioKnown: Rule<PayInStoreShape> = {
  name: 'in-store-scenario',
  check(request) {
    if (inStoreScenarioOf(request) !== undefined) return undefined;
    return {
      path: ['paymentFactor', 'inStorePaymentScenario'],
      problem: 'is required when paymentMethod.paymentMethodId (the payment code) is absent: one of PaymentCode, OrderCode, EntryCode',
    };
  },
};

const paymentCodeNeedsCode: Rule<PayInStoreShape> = {
  name: 'payment-code-needs-payment-method-id',
  check(request) {
    if (inStoreScenarioOf(request) !== 'PaymentCode') return undefined;
    const code = request.paymentMethod.paymentMethodId;
    if (code !== undefined && code.length > 0) return undefined;
    return { path: ['paymentMethod', 'paymentMethodId'], problem: 'is required for inStorePaymentScenario PaymentCode (the scanned payment code)' };
  },
};

const entryCodeNeedsUserAgent: Rule<PayInStoreShape> = {
  name: 'entry-code-needs-user-agent',
  check(request) {
    if (inStoreScenarioOf(request) !== 'EntryCode') return undefined;
    const userAgent = request.order.env?.userAgent;
    if (userAgent !== undefined && userAgent.length > 0) return undefined;
    return { path: ['order', 'env', 'userAgent'], problem: "is required for inStorePaymentScenario EntryCode (the wallet web view's user agent)" };
  },
};

export const PayInStoreRequestSchema = Refine(PayInStoreBase, scenarioKnown, paymentCodeNeedsCode, entryCodeNeedsUserAgent);
export type PayInStoreRequest = Type.Static<typeof PayInStoreRequestSchema>;

/**
 * The strict merchant check the legacy PHP SDK applies to in-store requests
 * (`order.merchant` with id, MCC, name and a store with id, name, MCC).
 * Whether Antom requires it of direct merchants is an open question, so the
 * schema leaves it out and a gateway may opt in.
 */
export function checkInStoreMerchant(request: PayInStoreRequest): ValidationFailure | undefined {
  const merchant = request.order.merchant;
  if (merchant === undefined) return failure('order.merchant', 'is required for in-store payments (an object)');
  for (const field of ['referenceMerchantId', 'merchantMCC', 'merchantName'] as const) {
    const value = merchant[field];
    if (value === undefined || value.length === 0) return failure(`order.merchant.${field}`, 'is required for in-store payments (a string)');
  }
  const store = merchant.store;
  if (store === undefined) return failure('order.merchant.store', 'is required for in-store payments (an object)');
  for (const field of ['referenceStoreId', 'storeName', 'storeMCC'] as const) {
    const value = store[field];
    if (value === undefined || value.length === 0) return failure(`order.merchant.store.${field}`, 'is required for in-store payments (a string)');
  }
  return undefined;
}

/** In-store inquiryPayment: no `PENDING` status. */
export const InStorePaymentStatusSchema = Enum(['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED']);

export const InquiryPaymentInStoreResponseSchema = Obj({
  ...inquiryPaymentResponseProperties,
  paymentStatus: Optional(InStorePaymentStatusSchema),
});
export type InquiryPaymentInStoreResponse = Type.Static<typeof InquiryPaymentInStoreResponseSchema>;

/**
 * In-store notifyPayment. The in-store page still lists `OFFLINE_PAYMENT_CODE`
 * although the 2022 release notes removed it: accepted on input, never to be
 * emitted. No `PAYMENT_PENDING` in-store. The in-store field list does not
 * mark `paymentCreateTime` required, so it is optional here.
 */
export const NotifyPaymentInStoreBodySchema = Obj({
  notifyType: Enum(['PAYMENT_RESULT', 'OFFLINE_PAYMENT_CODE']),
  result: ResultSchema,
  paymentRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
  paymentAmount: AmountSchema,
  actualPaymentAmount: Optional(AmountSchema),
  paymentQuote: Optional(QuoteSchema),
  paymentCreateTime: Optional(DateTime()),
  paymentTime: Optional(DateTime()),
  pspCustomerInfo: Optional(PspCustomerInfoSchema),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  metadata: Optional(Text()),
});
export type NotifyPaymentInStoreBody = Type.Static<typeof NotifyPaymentInStoreBodySchema>;
