/**
 * Risk control (Antom's standalone risk engine, `risk/payments/*`): the
 * merchant asks for a decision on a transaction it processes itself
 * (`decide`, before or after the card authorisation), reports a transaction
 * that turned out risky (`reportRisk`), and tells the engine how the payment
 * and its refunds ended (`sendPaymentResult`, `sendRefundResult`). Fields
 * are the official SDKs' (RiskDecide*, RiskReport*, SendPaymentResult*,
 * SendRefundResult*, risk.Order, PaymentDetail, RefundRecord).
 */
import type Type from 'typebox';
import { ArrayOf, DateTime, Enum, JsonObject, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AmountSchema, BuyerSchema, EnvSchema, GoodsSchema, MAX_GOODS, responseBase } from './common.js';

export const AuthorizationPhaseSchema = Enum(['PRE_AUTHORIZATION', 'POST_AUTHORIZATION']);

/** An order of the transaction (the SDK's `risk.Order`). */
export const RiskOrderSchema = Obj({
  referenceOrderId: Optional(Text(64)),
  orderAmount: Optional(AmountSchema),
  goods: Optional(ArrayOf(GoodsSchema, { maxItems: MAX_GOODS })),
  shipping: Optional(JsonObject()),
  /** The merchant selling (the SDK's `risk.Merchant`). */
  merchant: Optional(JsonObject()),
  orderDescription: Optional(Text(256)),
  transit: Optional(JsonObject()),
  lodging: Optional(JsonObject()),
  gaming: Optional(JsonObject()),
  orderCreatedTime: Optional(DateTime()),
});

/** How part of the transaction is paid (the SDK's `PaymentDetail` with `risk.PaymentMethod`). */
export const RiskPaymentDetailSchema = Obj({
  amount: Optional(AmountSchema),
  paymentMethod: Optional(Obj({
    paymentMethodType: Optional(Text(64)),
    paymentMethodId: Optional(Text(128)),
    /** Card details (`risk.PaymentMethodMetaData`); amsgate keeps none of it. */
    paymentMethodMetaData: Optional(JsonObject()),
  })),
});

export const RiskDecideRequestSchema = Obj({
  /** The merchant's id of the transaction decided. */
  referenceTransactionId: NonEmpty(64),
  authorizationPhase: AuthorizationPhaseSchema,
  orders: ArrayOf(RiskOrderSchema, { minItems: 1, maxItems: 10 }),
  buyer: Optional(BuyerSchema),
  /** What the buyer pays for the transaction. */
  actualPaymentAmount: Optional(AmountSchema),
  paymentDetails: Optional(ArrayOf(RiskPaymentDetailSchema, { maxItems: 10 })),
  discountAmount: Optional(AmountSchema),
  env: Optional(EnvSchema),
});
export type RiskDecideRequest = Type.Static<typeof RiskDecideRequestSchema>;

/** ACCEPT: go on with the payment; REJECT: refuse it (the SDK's `DecisionType`). */
export const RiskDecisionSchema = Enum(['ACCEPT', 'REJECT']);
export type RiskDecision = Type.Static<typeof RiskDecisionSchema>;
/** With ACCEPT: whether the buyer must pass 3-D Secure first (`THREEDS`) or not (`NON_THREEDS`). */
export const AuthenticationDecisionSchema = Enum(['THREEDS', 'NON_THREEDS']);
export type AuthenticationDecision = Type.Static<typeof AuthenticationDecisionSchema>;

export const RiskDecideResponseSchema = Obj({
  ...responseBase,
  /** The engine's id of this decision. */
  securityId: Optional(Text(64)),
  decision: Optional(RiskDecisionSchema),
  authenticationDecision: Optional(AuthenticationDecisionSchema),
});

/** What the merchant learnt about a transaction (the SDK's `RiskType`). */
export const RiskTypeSchema = Enum(['SUSPICIOUS', 'CHARGEBACK', 'FRAUD']);

export const RiskReportRequestSchema = Obj({
  referenceTransactionId: NonEmpty(64),
  reportReason: Optional(Text(256)),
  riskType: RiskTypeSchema,
  riskOccurrenceTime: Optional(DateTime()),
});
export type RiskReportRequest = Type.Static<typeof RiskReportRequestSchema>;

const securityIdResponse = Obj({
  ...responseBase,
  securityId: Optional(Text(64)),
});
export const RiskReportResponseSchema = securityIdResponse;

export const SendPaymentResultRequestSchema = Obj({
  referenceTransactionId: NonEmpty(64),
  /** How the payment ended: `SUCCESS` or `FAIL`. */
  paymentStatus: Enum(['SUCCESS', 'FAIL'], { caseInsensitive: true }),
  /** Why the card authorisation failed. */
  authorizationError: Optional(Obj({ errorCode: Optional(Text(64)), errorMessage: Optional(Text(256)) })),
  /** AVS, CVV and 3-D Secure results (the SDK's `CardVerificationResult`). */
  cardVerificationResult: Optional(JsonObject()),
  paymentMethodProvider: Optional(Text(64)),
});
export type SendPaymentResultRequest = Type.Static<typeof SendPaymentResultRequestSchema>;
export const SendPaymentResultResponseSchema = securityIdResponse;

export const RiskRefundRecordSchema = Obj({
  referenceOrderId: Optional(Text(64)),
  referenceGoodsId: Optional(Text(64)),
  amount: Optional(AmountSchema),
  refundReason: Optional(Text(256)),
  refundTime: Optional(DateTime()),
});

export const SendRefundResultRequestSchema = Obj({
  referenceTransactionId: NonEmpty(64),
  /** The merchant's id of the refund. */
  referenceRefundId: NonEmpty(64),
  actualRefundAmount: AmountSchema,
  refundRecords: Optional(ArrayOf(RiskRefundRecordSchema, { maxItems: 100 })),
});
export type SendRefundResultRequest = Type.Static<typeof SendRefundResultRequestSchema>;
export const SendRefundResultResponseSchema = securityIdResponse;
