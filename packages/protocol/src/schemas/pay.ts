/**
 * `payments/pay` online: Cashier (`CASHIER_PAYMENT`, endpoints.md §1) and
 * Auto Debit (`AGREEMENT_PAYMENT`, §2), the parts every pay variant shares,
 * and the pay response. In-store pay is in `in-store.ts`; the productCode
 * dispatcher in `pay-request.ts`.
 */
import type Type from 'typebox';
import { Const, DateTime, HttpUrl, JsonObject, JsonValue, NonEmpty, Obj, Optional, Refine, Text, Url, requiredWhen, type Rule } from './builder.js';
import {
  AcquirerInfoSchema,
  AgreementPaymentMethodSchema,
  AmountSchema,
  EnvSchema,
  MerchantAccountId,
  OnlineEnvSchema,
  OrderCodeFormSchema,
  OrderSchema,
  PaymentFactorSchema,
  PaymentMethodSchema,
  PaymentResultInfoSchema,
  PspCustomerInfoSchema,
  QuoteSchema,
  RedirectActionFormSchema,
  SettlementStrategySchema,
  responseBase,
} from './common.js';

export const PRODUCT_CODES = ['CASHIER_PAYMENT', 'AGREEMENT_PAYMENT', 'IN_STORE_PAYMENT'] as const;
export type ProductCode = (typeof PRODUCT_CODES)[number];

/**
 * Fields every pay variant has. `productCode`, `paymentMethod`, `env`,
 * `paymentRedirectUrl` and `paymentNotifyUrl` differ by variant and are
 * added there. Product-specific objects the spec only names
 * (`creditPayPlan`, `agreementInfo`, `subscriptionInfo`, …) are not modelled
 * and therefore dropped.
 */
export const payCommonProperties = {
  paymentRequestId: NonEmpty(64, { description: 'idempotency key of pay' }),
  order: OrderSchema,
  paymentAmount: AmountSchema,
  settlementStrategy: Optional(SettlementStrategySchema),
  paymentExpiryTime: Optional(DateTime()),
  paymentFactor: Optional(PaymentFactorSchema),
  merchantRegion: Optional(Text(2)),
  userRegion: Optional(Text(2)),
  merchantAccountId: MerchantAccountId(),
  extendInfo: Optional(Text()),
  metadata: Optional(Text()),
  /** A `tax/calculate` result the payment is for: it must be the client's, unexpired and in the payment's currency. */
  taxCalculationId: Optional(NonEmpty(64)),
};

/** Cashier `pay`: the buyer is sent to a payment page, so `env` and `paymentRedirectUrl` are required. */
const PayCashierBase = Obj({
  productCode: Const('CASHIER_PAYMENT', { caseInsensitive: true }),
  ...payCommonProperties,
  paymentMethod: PaymentMethodSchema,
  env: OnlineEnvSchema,
  paymentRedirectUrl: Url(2048, { description: 'merchant result page; reaching it is not proof of payment' }),
  paymentNotifyUrl: Optional(HttpUrl(2048)),
  appId: Optional(Text(32, { description: 'required for MINI_APP' })),
});
type PayCashierShape = Type.Static<typeof PayCashierBase>;

const cardNeedsFactor: Rule<PayCashierShape> = requiredWhen<PayCashierShape>(
  'payment-factor-for-card',
  ['paymentFactor'],
  (request) => request.paymentMethod.paymentMethodType === 'CARD',
  'paymentMethod.paymentMethodType is CARD',
);

const miniAppNeedsAppId: Rule<PayCashierShape> = requiredWhen<PayCashierShape>(
  'app-id-for-mini-app',
  ['appId'],
  (request) => request.env.terminalType === 'MINI_APP',
  'env.terminalType is MINI_APP',
);

export const PayCashierRequestSchema = Refine(PayCashierBase, cardNeedsFactor, miniAppNeedsAppId);
export type PayCashierRequest = Type.Static<typeof PayCashierRequestSchema>;

/**
 * Auto Debit `pay`: no buyer interaction; `paymentMethod.paymentMethodId` is
 * the access token. The spec's list of differences does not mention `env`;
 * since the buyer is absent we keep it optional (lenient where unsure).
 * `paymentRedirectUrl` is "n/a": accepted if sent, not required.
 */
export const PayAgreementRequestSchema = Obj({
  productCode: Const('AGREEMENT_PAYMENT', { caseInsensitive: true }),
  ...payCommonProperties,
  paymentMethod: AgreementPaymentMethodSchema,
  env: Optional(EnvSchema),
  paymentRedirectUrl: Optional(Url(2048)),
  paymentNotifyUrl: Optional(HttpUrl(2048)),
});
export type PayAgreementRequest = Type.Static<typeof PayAgreementRequestSchema>;

/**
 * Pay response for every variant. Only `result` is required: F and U
 * answers carry little else. With `U PAYMENT_IN_PROCESS` a cashier answer
 * has at least one of the three URLs; an order-code answer has
 * `orderCodeForm`.
 */
export const PayResponseSchema = Obj({
  ...responseBase,
  paymentRequestId: Optional(Text(64)),
  paymentId: Optional(Text(64)),
  paymentAmount: Optional(AmountSchema),
  paymentCreateTime: Optional(DateTime()),
  paymentTime: Optional(DateTime()),
  normalUrl: Optional(Text(2048)),
  schemeUrl: Optional(Text(2048)),
  applinkUrl: Optional(Text(2048)),
  appIdentifier: Optional(Text()),
  redirectActionForm: Optional(RedirectActionFormSchema),
  orderCodeForm: Optional(OrderCodeFormSchema),
  paymentActionForm: Optional(Text(undefined, { description: 'JSON string duplicating the redirect form' })),
  paymentData: Optional(Text(20000)),
  challengeActionForm: Optional(JsonObject()),
  authExpiryTime: Optional(DateTime()),
  actualPaymentAmount: Optional(AmountSchema),
  paymentQuote: Optional(QuoteSchema),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
  paymentResultInfo: Optional(PaymentResultInfoSchema),
  acquirerInfo: Optional(AcquirerInfoSchema),
  pspCustomerInfo: Optional(PspCustomerInfoSchema),
  // Object or list depending on the SDK; passed through.
  promotionResult: Optional(JsonValue()),
});
export type PayResponse = Type.Static<typeof PayResponseSchema>;
