/**
 * Data types shared by several messages, defined once (spec endpoints.md §0
 * "Common data types"). Lengths are the spec's; where the spec gives none we
 * set none rather than invent one. Objects the spec names without a shape
 * (SDK-model details such as `paymentResultInfo`) are free-form JSON objects.
 */
import type Type from 'typebox';
import {
  ArrayOf,
  Bool,
  Decimal,
  CurrencyCode,
  DateTime,
  Enum,
  Int,
  JsonObject,
  MinorUnits,
  NonEmpty,
  Obj,
  Optional,
  Refine,
  Text,
  requiredWhen,
} from './builder.js';

// ---------------------------------------------------------------------------
// Result and Amount

export const ResultStatusSchema = Enum(['S', 'F', 'U']);

/**
 * `result` of every response and notification. `resultMessage` is not marked
 * required by the spec; our gateway always sends it.
 */
export const ResultSchema = Obj({
  resultCode: NonEmpty(64),
  resultStatus: ResultStatusSchema,
  resultMessage: Optional(Text(256)),
});
/** The wire `result` as validated (`Result` in result.ts is the type the gateway builds). */
export type WireResult = Type.Static<typeof ResultSchema>;

/** Amount: ISO 4217 currency and minor units as a decimal string (`{"currency":"USD","value":"100"}` = USD 1.00). */
export const AmountSchema = Obj({
  currency: CurrencyCode(),
  value: MinorUnits(),
});
/** Same shape as `Amount` in money.ts. */
export type WireAmount = Type.Static<typeof AmountSchema>;

// ---------------------------------------------------------------------------
// Parties and environment

/** Address (SDK model); the spec gives no lengths. */
export const AddressSchema = Obj({
  region: Optional(Text()),
  state: Optional(Text()),
  city: Optional(Text()),
  address1: Optional(Text()),
  address2: Optional(Text()),
  zipCode: Optional(Text()),
  label: Optional(Text()),
});
export type Address = Type.Static<typeof AddressSchema>;

/**
 * Store of a (secondary) merchant, used in-store. Max lengths were not
 * recovered [?]; in-store.md suggests ids 64, names 256, MCC 4–32 as an
 * inference only, so none are enforced here.
 */
export const StoreSchema = Obj({
  referenceStoreId: Optional(Text()),
  storeName: Optional(Text()),
  storeMCC: Optional(Text()),
  storeDisplayName: Optional(Text()),
  storeTerminalId: Optional(Text()),
  storeOperatorId: Optional(Text()),
  storeAddress: Optional(AddressSchema),
  storePhoneNo: Optional(Text()),
});
export type Store = Type.Static<typeof StoreSchema>;

/** Merchant (for acquirers with secondary merchants, and in-store). */
export const MerchantSchema = Obj({
  referenceMerchantId: Optional(Text()),
  merchantMCC: Optional(Text()),
  merchantName: Optional(Text()),
  merchantDisplayName: Optional(Text()),
  merchantAddress: Optional(AddressSchema),
  // Date or date-time: the spec does not say which, so any string.
  merchantRegisterDate: Optional(Text()),
  store: Optional(StoreSchema),
  merchantType: Optional(Text()),
});
export type Merchant = Type.Static<typeof MerchantSchema>;

export const UserNameSchema = Obj({
  firstName: Optional(Text()),
  middleName: Optional(Text()),
  lastName: Optional(Text()),
  fullName: Optional(Text()),
});
export type UserName = Type.Static<typeof UserNameSchema>;

/** Buyer: risk-control data. */
export const BuyerSchema = Obj({
  referenceBuyerId: Optional(Text(64)),
  buyerName: Optional(UserNameSchema),
  buyerPhoneNo: Optional(Text(24)),
  buyerEmail: Optional(Text(64)),
  buyerRegistrationTime: Optional(DateTime()),
  isAccountVerified: Optional(Bool()),
  successfulOrderCount: Optional(Int({ minimum: 0 })),
});
export type Buyer = Type.Static<typeof BuyerSchema>;

export const TerminalTypeSchema = Enum(['WEB', 'WAP', 'APP', 'MINI_APP']);
export type TerminalType = Type.Static<typeof TerminalTypeSchema>;
export const OsTypeSchema = Enum(['IOS', 'ANDROID']);
export type OsType = Type.Static<typeof OsTypeSchema>;

export const BrowserInfoSchema = Obj({
  acceptHeader: Optional(Text()),
  javaEnabled: Optional(Bool()),
  javaScriptEnabled: Optional(Bool()),
  language: Optional(Text()),
  userAgent: Optional(Text()),
});

const envProperties = {
  terminalType: Optional(TerminalTypeSchema),
  osType: Optional(OsTypeSchema),
  userAgent: Optional(Text()),
  deviceTokenId: Optional(Text(64)),
  // 64 per the in-store pages (raised from 32 in 2023); the online table gives no length.
  clientIp: Optional(Text(64)),
  cookieId: Optional(Text()),
  extendInfo: Optional(Text(2048)),
  storeTerminalId: Optional(Text()),
  storeTerminalRequestTime: Optional(DateTime()),
  browserInfo: Optional(BrowserInfoSchema),
  colorDepth: Optional(Text()),
  screenHeight: Optional(Text()),
  screenWidth: Optional(Text()),
  timeZoneOffset: Optional(Int({ minimum: -720, maximum: 720 })),
  deviceBrand: Optional(Text(64)),
  deviceModel: Optional(Text(128)),
  deviceLanguage: Optional(Text()),
  deviceId: Optional(Text()),
  osVersion: Optional(Text()),
};

function osTypeRule<T extends { terminalType?: TerminalType | undefined }>() {
  return requiredWhen<T>(
    'os-type-for-mobile',
    ['osType'],
    (env) => env.terminalType === 'WAP' || env.terminalType === 'APP',
    'terminalType is WAP or APP',
    { if: { properties: { terminalType: { enum: ['WAP', 'APP'] } }, required: ['terminalType'] }, then: { required: ['osType'] } },
  );
}

/** Env with every field optional (in-store, consult, sessions). `osType` is required with WAP/APP. */
export const EnvSchema = Refine(Obj(envProperties), osTypeRule());
export type Env = Type.Static<typeof EnvSchema>;

/** Env of an online `pay`: `terminalType` required. */
export const OnlineEnvSchema = Refine(Obj({ ...envProperties, terminalType: TerminalTypeSchema }), osTypeRule());
export type OnlineEnv = Type.Static<typeof OnlineEnvSchema>;

// ---------------------------------------------------------------------------
// Order

export const DeliveryMethodTypeSchema = Enum(['PHYSICAL', 'DIGITAL']);

export const GoodsSchema = Obj({
  referenceGoodsId: Optional(Text(64)),
  goodsName: Optional(Text(256)),
  goodsCategory: Optional(Text(64)),
  goodsBrand: Optional(Text()),
  goodsUnitAmount: Optional(AmountSchema),
  // A count, but the SDK models carry it as a string; a JSON number is accepted and becomes a string.
  goodsQuantity: Optional(Text()),
  goodsSkuName: Optional(Text()),
  goodsUrl: Optional(Text(2048)),
  deliveryMethodType: Optional(DeliveryMethodTypeSchema),
  goodsImageUrl: Optional(Text()),
});
export type Goods = Type.Static<typeof GoodsSchema>;

export const MAX_GOODS = 100;

/** Order. `referenceOrderId`, `orderDescription` and `orderAmount` are required (pay, createPaymentSession). */
export const OrderSchema = Obj({
  referenceOrderId: NonEmpty(64),
  orderDescription: NonEmpty(256),
  orderAmount: AmountSchema,
  merchant: Optional(MerchantSchema),
  goods: Optional(ArrayOf(GoodsSchema, { maxItems: MAX_GOODS })),
  shipping: Optional(JsonObject()),
  buyer: Optional(BuyerSchema),
  env: Optional(EnvSchema),
  extendInfo: Optional(Text()),
  orderDiscountAmount: Optional(AmountSchema),
  subTotalOrderAmount: Optional(AmountSchema),
  transit: Optional(JsonObject()),
  lodging: Optional(JsonObject()),
  gaming: Optional(JsonObject()),
  needDeclaration: Optional(Bool()),
  declaration: Optional(JsonObject()),
  orderType: Optional(Text()),
});
export type Order = Type.Static<typeof OrderSchema>;

// ---------------------------------------------------------------------------
// Payment method, factor, settlement

const paymentMethodProperties = {
  paymentMethodType: NonEmpty(64, { description: 'e.g. ALIPAY_CN, GCASH, CARD; CONNECT_WALLET in-store' }),
  paymentMethodId: Optional(Text(128)),
  paymentMethodMetaData: Optional(JsonObject()),
  customerId: Optional(Text()),
  extendInfo: Optional(Text(2048)),
  requireIssuerAuthentication: Optional(Bool()),
  funding: Optional(Text()),
};

export const PaymentMethodSchema = Obj(paymentMethodProperties);
export type PaymentMethod = Type.Static<typeof PaymentMethodSchema>;

/** Auto Debit: `paymentMethodId` carries the access token and is required. */
export const AgreementPaymentMethodSchema = Obj({
  ...paymentMethodProperties,
  paymentMethodId: NonEmpty(128, { description: 'the accessToken from authorizations/applyToken' }),
});
export type AgreementPaymentMethod = Type.Static<typeof AgreementPaymentMethodSchema>;

export const CaptureModeSchema = Enum(['AUTOMATIC', 'MANUAL']);
export type CaptureMode = Type.Static<typeof CaptureModeSchema>;

/** SDKs disagree on the spelling (`PaymentCode` vs `PAYMENTCODE`), so any case is accepted. */
export const InStorePaymentScenarioSchema = Enum(['PaymentCode', 'OrderCode', 'EntryCode'], { caseInsensitive: true });
export type InStorePaymentScenario = Type.Static<typeof InStorePaymentScenarioSchema>;

export const PaymentFactorSchema = Obj({
  isAuthorization: Optional(Bool()),
  captureMode: Optional(CaptureModeSchema),
  isPaymentEvaluation: Optional(Bool()),
  inStorePaymentScenario: Optional(InStorePaymentScenarioSchema),
  presentmentMode: Optional(Enum(['BUNDLE', 'TILE', 'UNIFIED'])),
});
export type PaymentFactor = Type.Static<typeof PaymentFactorSchema>;

/** `settlementCurrency` is required by Antom only with several settlement currencies, so it is optional here. */
export const SettlementStrategySchema = Obj({
  settlementCurrency: Optional(CurrencyCode()),
});
export type SettlementStrategy = Type.Static<typeof SettlementStrategySchema>;

// ---------------------------------------------------------------------------
// Response parts

export const RedirectActionFormSchema = Obj({
  method: Optional(Enum(['GET', 'POST'])),
  parameters: Optional(Text(2048)),
  redirectUrl: Optional(Text(2048)),
  actionFormType: Optional(Text(32)),
});
export type RedirectActionForm = Type.Static<typeof RedirectActionFormSchema>;

export const CodeDetailSchema = Obj({
  codeValue: NonEmpty(2048),
  // IMAGE is in the Java enum only.
  displayType: Enum(['TEXT', 'SMALLIMAGE', 'MIDDLEIMAGE', 'BIGIMAGE', 'IMAGE']),
  // Removed from the online pages in 2021; status on the order-code page unknown [?].
  codeValueType: Optional(Enum(['BARCODE', 'QRCODE'])),
});
export type CodeDetail = Type.Static<typeof CodeDetailSchema>;

export const OrderCodeFormSchema = Obj({
  expireTime: Optional(DateTime()),
  codeDetails: Optional(ArrayOf(CodeDetailSchema, { maxItems: 4 })),
  extendInfo: Optional(Text(2048)),
  paymentMethodType: Optional(Text()),
});
export type OrderCodeForm = Type.Static<typeof OrderCodeFormSchema>;

export const QuoteSchema = Obj({
  quoteId: Optional(Text()),
  quoteCurrencyPair: Optional(Text()),
  // A JSON number on the wire: the Go SDK decodes it as float32 and fails on a string.
  quotePrice: Optional(Decimal()),
  quoteStartTime: Optional(DateTime()),
  quoteExpiryTime: Optional(DateTime()),
  guaranteed: Optional(Bool()),
});
export type Quote = Type.Static<typeof QuoteSchema>;

export const TransactionTypeSchema = Enum(['PAYMENT', 'REFUND', 'CAPTURE', 'CANCEL', 'AUTHORIZATION', 'VOID', 'INCREMENTAL']);
export type TransactionType = Type.Static<typeof TransactionTypeSchema>;

/**
 * SDK model AcquirerInfo: the acquirer that processed a payment, refund or
 * capture (the SDK's notes: returned with Antom Payment Orchestration,
 * where the acquirer is not Antom). Limits as the SDK states them.
 */
export const AcquirerInfoSchema = Obj({
  acquirerName: Optional(Text(64)),
  referenceRequestId: Optional(Text(64)),
  acquirerTransactionId: Optional(Text(64)),
  acquirerMerchantId: Optional(Text(64)),
  acquirerResultCode: Optional(Text(64)),
  acquirerResultMessage: Optional(Text(64)),
  acquirerMerchantName: Optional(Text()),
  acquirerReasonDescription: Optional(Text()),
  ptspTransactionId: Optional(Text()),
  acquirerCardToken: Optional(Text(64)),
});
export type AcquirerInfo = Type.Static<typeof AcquirerInfoSchema>;

/** SDK model PspCustomerInfo: the wallet (payment service provider) account that paid or authorised. */
export const PspCustomerInfoSchema = Obj({
  pspName: Optional(Text(64)),
  pspCustomerId: Optional(Text(64)),
  displayCustomerId: Optional(Text(64)),
  displayCustomerName: Optional(Text()),
  customer2088Id: Optional(Text()),
  extendInfo: Optional(Text()),
});
export type PspCustomerInfo = Type.Static<typeof PspCustomerInfoSchema>;

/** A subsequent action on a payment, listed by inquiryPayment. */
export const TransactionSchema = Obj({
  transactionResult: Optional(ResultSchema),
  transactionId: Optional(Text(64)),
  transactionType: Optional(TransactionTypeSchema),
  // Values not listed by the spec (SUCCESS / FAIL / PROCESSING seen in SDK samples) [?].
  transactionStatus: Optional(Text()),
  transactionAmount: Optional(AmountSchema),
  transactionRequestId: Optional(Text(64)),
  transactionTime: Optional(DateTime()),
  acquirerInfo: Optional(AcquirerInfoSchema),
  grossSettlementAmount: Optional(AmountSchema),
  settlementQuote: Optional(QuoteSchema),
});
export type Transaction = Type.Static<typeof TransactionSchema>;

/** Shapes the spec names but does not detail; passed through as JSON objects. */
export const PaymentResultInfoSchema = JsonObject({ description: 'card AVS/CVV/3DS details, card token (SDK model)' });

/** Common fields every response has: only `result` is required, since F/U answers omit the rest. */
export const responseBase = {
  result: ResultSchema,
};

/** A merchant account under one client id. Assigned by Antom [?]. */
export const MerchantAccountId = () => Optional(Text(32));
