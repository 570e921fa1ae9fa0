/**
 * Before the payment: payment-method consult and createPaymentSession
 * (endpoints.md §8–9).
 */
import type Type from 'typebox';
import { ArrayOf, Bool, Const, DateTime, Discriminated, Enum, HttpUrl, JsonObject, JsonValue, NonEmpty, Obj, oneOfRequired, Optional, Refine, Text, Url } from './builder.js';
import { AuthScopeSchema } from './authorizations.js';
import {
  AmountSchema,
  BuyerSchema,
  EnvSchema,
  MerchantAccountId,
  MerchantSchema,
  OrderSchema,
  PaymentFactorSchema,
  PaymentMethodSchema,
  SettlementStrategySchema,
  responseBase,
} from './common.js';
import { LogoSchema, SupportCardBrandSchema } from './cards.js';

/** Region codes (2 letters) or `GLOBAL`: at most 6 characters each. */
const RegionList = () => Optional(ArrayOf(Text(6)));

// ---------------------------------------------------------------------------
// consult

/**
 * `env` is required; whether `env.terminalType` is too (as for pay) the spec
 * does not say, so it is optional here.
 */
export const ConsultRequestSchema = Obj({
  productCode: Enum(['CASHIER_PAYMENT', 'AGREEMENT_PAYMENT'], { caseInsensitive: true }),
  paymentAmount: AmountSchema,
  env: EnvSchema,
  merchantRegion: Optional(Text(2)),
  merchantAccountId: MerchantAccountId(),
  userRegion: Optional(Text(2)),
  allowedPaymentMethodRegions: RegionList(),
  allowedPaymentMethods: Optional(ArrayOf(Text())),
  blockedPaymentMethods: Optional(ArrayOf(Text())),
  buyer: Optional(BuyerSchema),
  settlementStrategy: Optional(SettlementStrategySchema),
  paymentFactor: Optional(PaymentFactorSchema),
  merchant: Optional(MerchantSchema),
  customerId: Optional(Text()),
  referenceUserId: Optional(Text()),
  extendInfo: Optional(Text()),
});
export type ConsultRequest = Type.Static<typeof ConsultRequestSchema>;

/** SDK model PaymentOptionDetail: for CARD its brands and funding types, for some online banking its banks. */
export const PaymentOptionDetailSchema = Obj({
  supportCardBrands: Optional(ArrayOf(SupportCardBrandSchema)),
  funding: Optional(ArrayOf(Text(undefined, { description: 'CREDIT, DEBIT, PREPAID, CHARGE, DEFERRED_DEBIT' }))),
  supportBanks: Optional(ArrayOf(Obj({ bankIdentifierCode: Optional(Text()), bankShortName: Optional(Text()), bankLogo: Optional(LogoSchema) }))),
  interactionTypes: Optional(ArrayOf(Text())),
});
export type PaymentOptionDetail = Type.Static<typeof PaymentOptionDetailSchema>;

/**
 * One payment option. Category and disable reason are open lists on Antom's
 * side (new methods appear), so they are strings, with the known values in
 * the description, rather than enums a client would choke on.
 */
export const PaymentOptionSchema = Obj({
  paymentMethodType: NonEmpty(64),
  paymentMethodCategory: Optional(
    Text(undefined, { description: 'known: WALLET, CARD, ONLINE_BANKING, MOBILE_BANKING_APP, BANK_TRANSFER, OTC, VA, ALIPAY_PLUS' }),
  ),
  paymentMethodRegion: Optional(ArrayOf(Text())),
  enabled: Optional(Bool()),
  preferred: Optional(Bool()),
  disableReason: Optional(
    Text(undefined, {
      description:
        'e.g. PAYMENT_ACCOUNT_NOT_AVAILABLE, EXCEED_CHANNEL_LIMIT_RULE, SERVICE_DEGRADE, CHANNEL_NOT_SUPPORT_CURRENCY, CHANNEL_DISABLE, CHANNEL_NOT_IN_SERVICE_TIME',
    }),
  ),
  supportedCurrencies: Optional(ArrayOf(Text())),
  amountLimitInfoMap: Optional(JsonObject()),
  logo: Optional(LogoSchema),
  promoNames: Optional(JsonValue()),
  installment: Optional(JsonValue()),
  paymentOptionDetail: Optional(PaymentOptionDetailSchema),
  extendInfo: Optional(Text()),
});
export type PaymentOption = Type.Static<typeof PaymentOptionSchema>;

export const ConsultResponseSchema = Obj({
  ...responseBase,
  paymentOptions: Optional(ArrayOf(PaymentOptionSchema)),
  paymentMethodInfos: Optional(ArrayOf(JsonObject())),
  extendInfo: Optional(Text()),
});
export type ConsultResponse = Type.Static<typeof ConsultResponseSchema>;

// ---------------------------------------------------------------------------
// createPaymentSession

/**
 * A session for a one-time payment (`CASHIER_PAYMENT`). `productScene` is
 * `CHECKOUT_PAYMENT` or `ELEMENT_PAYMENT` per the spec; kept a String(32) so
 * a newer scene is not refused. The 1-hour limit on
 * `paymentSessionExpiryTime` is a business rule (it needs the clock), not a
 * schema rule.
 */
export const CreateCashierSessionRequestSchema = Obj({
  productCode: Const('CASHIER_PAYMENT', { caseInsensitive: true }),
  paymentRequestId: NonEmpty(64),
  order: OrderSchema,
  paymentAmount: AmountSchema,
  paymentRedirectUrl: Url(2048),
  paymentMethod: Optional(PaymentMethodSchema),
  paymentNotifyUrl: Optional(HttpUrl(2048)),
  paymentSessionExpiryTime: Optional(DateTime()),
  paymentFactor: Optional(PaymentFactorSchema),
  settlementStrategy: Optional(SettlementStrategySchema),
  enableInstallmentCollection: Optional(Bool()),
  merchantRegion: Optional(Text(2)),
  userRegion: Optional(Text(2)),
  env: Optional(EnvSchema),
  locale: Optional(Text(8)),
  productScene: Optional(Text(32, { description: 'CHECKOUT_PAYMENT or ELEMENT_PAYMENT' })),
  allowedPaymentMethodRegions: RegionList(),
  availablePaymentMethod: Optional(JsonObject()),
  savedPaymentMethods: Optional(ArrayOf(JsonObject())),
  agreementInfo: Optional(JsonObject()),
  riskData: Optional(JsonObject()),
  merchantAccountId: MerchantAccountId(),
  paymentExpiryTime: Optional(DateTime()),
  /** Echoed by inquiryPayment and notifyPayment, as the pay request's. */
  metadata: Optional(Text()),
});
export type CreateCashierSessionRequest = Type.Static<typeof CreateCashierSessionRequestSchema>;

/** The authorisation a Tokenized Payment (Auto Debit) session asks for (docs: "createPaymentSession (Tokenized Payment)"). */
export const SessionAgreementInfoSchema = Obj({
  authState: NonEmpty(256, { description: 'the merchant\'s unique id of this authorisation request; answered back with the auth code' }),
  userLoginId: Optional(Text(64)),
  userLoginType: Optional(Text()),
  displayUserLoginId: Optional(Text()),
});

/**
 * A session in which the buyer authorises Auto Debit (`AGREEMENT_PAYMENT`,
 * the SDKs' AlipayAuthCreateSessionRequest): the wallet
 * (`paymentMethod.paymentMethodType`), the scopes asked for (default
 * `AGREEMENT_PAY`), and where the buyer returns with the auth code.
 */
export const CreateAgreementSessionRequestSchema = Obj({
  productCode: Const('AGREEMENT_PAYMENT', { caseInsensitive: true }),
  agreementInfo: SessionAgreementInfoSchema,
  paymentMethod: Obj({ paymentMethodType: NonEmpty(64, { description: 'the wallet, e.g. GCASH, ALIPAY_HK' }) }),
  paymentRedirectUrl: Url(2048),
  scopes: Optional(ArrayOf(AuthScopeSchema, { minItems: 1, maxItems: 4 })),
  env: Optional(EnvSchema),
  locale: Optional(Text(8)),
  merchantRegion: Optional(Text(2)),
  merchantAccountId: MerchantAccountId(),
});
export type CreateAgreementSessionRequest = Type.Static<typeof CreateAgreementSessionRequestSchema>;

/** One schema per `productCode`, chosen by that field (as for pay). */
export const CreatePaymentSessionRequestSchema = Discriminated('productCode', [CreateCashierSessionRequestSchema, CreateAgreementSessionRequestSchema]);
export type CreatePaymentSessionRequest = Type.Static<typeof CreatePaymentSessionRequestSchema>;

export const CreatePaymentSessionResponseSchema = Obj({
  ...responseBase,
  paymentSessionData: Optional(Text(4096)),
  paymentSessionId: Optional(Text(64)),
  paymentSessionExpiryTime: Optional(DateTime()),
  normalUrl: Optional(Text(2048)),
});
export type CreatePaymentSessionResponse = Type.Static<typeof CreatePaymentSessionResponseSchema>;

// ---------------------------------------------------------------------------
// retrievePaymentSession

/**
 * The SDKs send `paymentRequestId`; the docs also take `paymentSessionId`
 * (it wins when both are given). One of them is required.
 */
export const RetrievePaymentSessionRequestSchema = Refine(
  Obj({
    paymentRequestId: Optional(NonEmpty(64)),
    paymentSessionId: Optional(NonEmpty(64)),
  }),
  oneOfRequired(['paymentSessionId', 'paymentRequestId']),
);
export type RetrievePaymentSessionRequest = Type.Static<typeof RetrievePaymentSessionRequestSchema>;

export const DiscountSchema = Obj({
  discountTag: Optional(Text()),
  discountName: Optional(Text(128)),
  savingsAmount: Optional(AmountSchema),
  estimateSavingsAmount: Optional(AmountSchema),
});

export const PromotionResultSchema = Obj({
  promotionType: Enum(['DISCOUNT', 'INTEREST_FREE']),
  discount: Optional(DiscountSchema),
});

export const RetrievePaymentSessionResponseSchema = Obj({
  ...responseBase,
  order: Optional(OrderSchema),
  promotionResults: Optional(ArrayOf(PromotionResultSchema)),
  customizedInfo: Optional(Text()),
});
export type RetrievePaymentSessionResponse = Type.Static<typeof RetrievePaymentSessionResponseSchema>;
