/**
 * Customs declarations (China cross-border e-commerce): the merchant sends a
 * paid payment's amount to customs with `customs/declare` (idempotent on
 * `declarationRequestId`; the same id with a changed amount, customs or
 * merchant customs registration is a retransmission that corrects it) and
 * follows them with `customs/inquiryDeclarationRequests`. Fields are the
 * official SDKs' (AlipayCustomsDeclare*, AlipayCustomsQuery*,
 * DeclarationRecord, CustomsInfo, MerchantCustomsInfo, Certificate);
 * lengths are the declare and inquiryDeclarationRequests pages'.
 */
import type Type from 'typebox';
import { ArrayOf, Bool, DateTime, Enum, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AmountSchema, responseBase, UserNameSchema } from './common.js';

export const CustomsInfoSchema = Obj({
  /** The customs the payment goes to (`ZONGSHU`, `SHANGHAI_CBT`, …), any letter case. */
  customsCode: NonEmpty(128),
  /** The customs' region (ISO 3166 alpha-2): `CN`. */
  region: Optional(Text(2)),
});
export type CustomsInfo = Type.Static<typeof CustomsInfoSchema>;

export const MerchantCustomsInfoSchema = Obj({
  /** The merchant's registration number at the customs. */
  merchantCustomsCode: NonEmpty(128),
  /** The merchant's name registered at the customs. */
  merchantCustomsName: NonEmpty(256),
});
export type MerchantCustomsInfo = Type.Static<typeof MerchantCustomsInfoSchema>;

export const CertificateTypeSchema = Enum(['ENTERPRISE_REGISTRATION', 'LICENSE_INFO', 'ID_CARD', 'PASSPORT', 'DRIVING_LICENSE', 'CPF', 'CNPJ']);

/** The buyer's identity document (the SDK's `Certificate`), checked by customs against the payer. */
export const BuyerCertificateSchema = Obj({
  certificateType: CertificateTypeSchema,
  certificateNo: NonEmpty(64),
  holderName: Optional(UserNameSchema),
  fileKeys: Optional(ArrayOf(Text(256))),
  certificateAuthority: Optional(Text(64)),
});

export const DeclareRequestSchema = Obj({
  /** The merchant's id of this declaration: the idempotency key (1 to 32 characters). */
  declarationRequestId: NonEmpty(32),
  /** The declared payment (Antom's paymentId). */
  paymentId: NonEmpty(64),
  /** What this declaration declares, in the currency the buyer paid in (CNY for Alipay CN); the payment's declarations together never exceed what was paid. */
  declarationAmount: AmountSchema,
  customs: CustomsInfoSchema,
  merchantCustomsInfo: MerchantCustomsInfoSchema,
  /**
   * True: the payment is declared in parts, one per `subOrderId`. Absent means
   * false: the Go SDK never sends false (`omitempty` on a bool), and the Python
   * SDK sends the field only when it is true.
   */
  splitOrder: Optional(Bool()),
  /** The merchant's sub-order declared (required when `splitOrder` is true). The Java and Go SDKs' spelling. */
  subOrderId: Optional(Text(64)),
  /** The same field as Antom's API reference and the Python SDK spell it (`request/declare/alipay_customs_declare_request.py`). */
  suborderId: Optional(Text(64)),
  buyerCertificate: Optional(BuyerCertificateSchema),
});
export type DeclareRequest = Type.Static<typeof DeclareRequestSchema>;

export const IdentityCheckResultSchema = Enum(['CHECK_PASSED', 'CHECK_NOT_PASSED']);
export const ClearingChannelSchema = Enum(['CUP', 'NUCC', 'OTHER']);

export const DeclareResponseSchema = Obj({
  ...responseBase,
  /** The payment's id at customs. */
  customsPaymentId: Optional(Text(64)),
  /** The order id declared to customs: the sub-order of a split declaration, else the payment's `paymentRequestId`. */
  customsOrderId: Optional(Text(64)),
  /** Whether the buyer's certificate matches the payer (only when `buyerCertificate` was given). */
  identityCheckResult: Optional(IdentityCheckResultSchema),
  clearingChannel: Optional(ClearingChannelSchema),
  clearingTransactionId: Optional(Text(64)),
  /** The payment institution's registration id at customs. */
  customsProviderRegistrationId: Optional(Text(64)),
});
export type DeclareResponse = Type.Static<typeof DeclareResponseSchema>;

export const InquiryDeclarationRequestsRequestSchema = Obj({
  declarationRequestIds: ArrayOf(NonEmpty(32), { minItems: 1, maxItems: 10 }),
});
export type InquiryDeclarationRequestsRequest = Type.Static<typeof InquiryDeclarationRequestsRequestSchema>;

/**
 * Where a declaration stands (the docs list no values; amsgate's):
 * `PROCESSING` sent to customs, no receipt yet; `SUCCESS` customs returned its receipt.
 */
export const DeclarationRequestStatusSchema = Enum(['PROCESSING', 'SUCCESS', 'FAIL']);

export const DeclarationRecordSchema = Obj({
  declarationRequestId: NonEmpty(32),
  customsPaymentId: Optional(Text(64)),
  customsOrderId: Optional(Text(64)),
  customs: Optional(CustomsInfoSchema),
  merchantCustomsInfo: Optional(MerchantCustomsInfoSchema),
  declarationAmount: Optional(AmountSchema),
  splitOrder: Optional(Bool()),
  declarationRequestStatus: Optional(DeclarationRequestStatusSchema),
  lastModifiedTime: Optional(DateTime()),
  customsDeclarationResultCode: Optional(Text(64)),
  customsDeclarationResultDesc: Optional(Text(256)),
  customsDeclarationReturnTime: Optional(DateTime()),
});
export type DeclarationRecord = Type.Static<typeof DeclarationRecordSchema>;

export const InquiryDeclarationRequestsResponseSchema = Obj({
  ...responseBase,
  /** The ids asked for that name no declaration of this client. */
  declarationRequestsNotFound: Optional(ArrayOf(Text(32), { maxItems: 10 })),
  declarationRecords: Optional(ArrayOf(DeclarationRecordSchema, { maxItems: 10 })),
});
export type InquiryDeclarationRequestsResponse = Type.Static<typeof InquiryDeclarationRequestsResponseSchema>;
