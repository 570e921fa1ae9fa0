/**
 * Marketplace: a platform registers its sub-merchants (sellers), gives
 * their settlement accounts, splits each paid payment between the seller
 * and itself (settle), reads the balances that result (inquireBalance) and
 * moves them: out to a bank account (createPayout) or between its own and
 * its sellers' balance accounts (createTransfer). Documents for the
 * registration are uploaded first (submitAttachment). Fields and enums are
 * the official SDKs' (AlipayRegister*, AlipaySettlementInfoUpdate*,
 * AlipayInquireBalance*, AlipaySettle*, AlipayCreatePayout*,
 * AlipayCreateTransfer*, AlipaySubmitAttachment*); notifyRegistration's are
 * the docs' (no SDK models it).
 */
import type Type from 'typebox';
import { ArrayOf, Enum, JsonObject, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AddressSchema, AmountSchema, PaymentMethodSchema, ResultSchema, responseBase } from './common.js';

export const AttachmentTypeSchema = Enum([
  'SIGNATURE_AUTHORIZATION_LETTER', 'ARTICLES_OF_ASSOCIATION', 'LOGO', 'AUTHORIZER_SIGNATURE_CONFIRMATION_LETTER', 'ASSOCIATION_ARTICLE',
  'FINANCIAL_REPORT', 'OWNERSHIP_STRUCTURE_PIC', 'ADDRESS_PROOF', 'UBO_PROVE', 'ENTERPRISE_REGISTRATION', 'LICENSE_INFO', 'ID_CARD',
  'PASSPORT', 'DRIVING_LICENSE', 'CPF', 'CNPJ',
]);
export type AttachmentType = Type.Static<typeof AttachmentTypeSchema>;

export const SubmitAttachmentRequestSchema = Obj({
  submitAttachmentRequestId: NonEmpty(32),
  attachmentType: AttachmentTypeSchema,
  /** SHA-256 of the file, 64 hexadecimal digits. */
  fileSha256: NonEmpty(64, { description: 'SHA-256 of the file: 64 hexadecimal digits' }),
});
export type SubmitAttachmentRequest = Type.Static<typeof SubmitAttachmentRequestSchema>;

export const SubmitAttachmentResponseSchema = Obj({
  ...responseBase,
  submitAttachmentRequestId: Optional(Text(32)),
  attachmentType: Optional(AttachmentTypeSchema),
  /** What a registration names the file by (`Attachment.fileKey`, `Certificate.fileKeys`). */
  attachmentKey: Optional(Text(256)),
});

export const AccountHolderTypeSchema = Enum(['INDIVIDUAL', 'ENTERPRISE']);
export const LegalEntityTypeSchema = Enum(['COMPANY', 'INDIVIDUAL']);

export const SettlementBankAccountSchema = Obj({
  bankAccountNo: NonEmpty(64),
  accountHolderName: NonEmpty(64),
  swiftCode: Optional(Text(11)),
  bankRegion: NonEmpty(2),
  accountHolderType: AccountHolderTypeSchema,
  routingNumber: Optional(Text(9)),
  branchCode: Optional(Text(32)),
  accountHolderTIN: Optional(Text(32)),
  accountType: Optional(Enum(['CHECKING', 'FIXED_DEPOSIT'])),
  bankName: Optional(Text(256)),
  accountHolderAddress: Optional(AddressSchema),
  iban: Optional(Text(34)),
});
export type SettlementBankAccount = Type.Static<typeof SettlementBankAccountSchema>;

export const SettlementInfoSchema = Obj({
  settlementCurrency: NonEmpty(3),
  settlementBankAccount: Optional(SettlementBankAccountSchema),
});

export const AttachmentSchema = Obj({
  attachmentType: NonEmpty(64),
  file: Optional(Text()),
  attachmentName: NonEmpty(256),
  /** An `attachmentKey` submitAttachment answered. */
  fileKey: NonEmpty(256),
});

export const CertificateSchema = Obj({
  certificateType: Enum(['ENTERPRISE_REGISTRATION', 'LICENSE_INFO', 'ID_CARD', 'PASSPORT', 'DRIVING_LICENSE', 'CPF', 'CNPJ']),
  certificateNo: NonEmpty(64),
  holderName: Optional(JsonObject()),
  fileKeys: Optional(ArrayOf(Text(256))),
  certificateAuthority: Optional(Text(64)),
});

export const CompanySchema = Obj({
  legalName: NonEmpty(),
  companyType: Enum(['ENTERPRISE', 'PARTNERSHIP', 'SOLE_PROPRIETORSHIP', 'STATE_OWNED_BUSINESS', 'PRIVATELY_OWNED_BUSINESS', 'PUBLICLY_LISTED_BUSINESS', 'LTDA', 'SA', 'EIRELI', 'BOFC', 'MEI', 'EI']),
  registeredAddress: AddressSchema,
  operatingAddress: AddressSchema,
  incorporationDate: Optional(Text(32)),
  stockInfo: Optional(JsonObject()),
  certificates: Optional(CertificateSchema),
  attachments: Optional(ArrayOf(AttachmentSchema)),
  companyUnit: Optional(Enum(['HEADQUARTER', 'BRANCH'])),
  contacts: Optional(ArrayOf(JsonObject())),
  vatNo: Optional(Text(64)),
});

export const WebSiteSchema = Obj({
  name: Optional(Text()),
  url: NonEmpty(2048),
  desc: Optional(Text()),
  type: Optional(Text(32)),
});

export const BusinessInfoSchema = Obj({
  mcc: Optional(Text(32)),
  websites: Optional(ArrayOf(WebSiteSchema)),
  englishName: Optional(Text(256)),
  doingBusinessAs: NonEmpty(256),
  mainSalesCountry: Optional(Text(2)),
  appName: Optional(Text(256)),
  serviceDescription: Optional(Text(256)),
});

export const MarketplaceMerchantInfoSchema = Obj({
  /** The platform's id for the sub-merchant: what pay's `order.merchant.referenceMerchantId` names. */
  referenceMerchantId: NonEmpty(64),
  loginId: NonEmpty(64),
  legalEntityType: LegalEntityTypeSchema,
  company: Optional(CompanySchema),
  businessInfo: BusinessInfoSchema,
  entityAssociations: Optional(ArrayOf(JsonObject())),
});
export type MarketplaceMerchantInfo = Type.Static<typeof MarketplaceMerchantInfoSchema>;

export const RegisterRequestSchema = Obj({
  registrationRequestId: NonEmpty(64),
  settlementInfos: ArrayOf(SettlementInfoSchema, { minItems: 1 }),
  merchantInfo: MarketplaceMerchantInfoSchema,
  paymentMethods: ArrayOf(PaymentMethodSchema, { maxItems: 100 }),
});
export type RegisterRequest = Type.Static<typeof RegisterRequestSchema>;

/** A sub-merchant's registration: PROCESSING until Antom (the sandbox) decides, then SUCCESSFUL or FAILED. */
export const REGISTRATION_STATUSES = ['PROCESSING', 'SUCCESSFUL', 'FAILED'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const RegisterResponseSchema = Obj({
  ...responseBase,
  registrationStatus: Optional(Text(64)),
});

export const SettlementInfoUpdateRequestSchema = Obj({
  updateRequestId: NonEmpty(64),
  referenceMerchantId: NonEmpty(64),
  settlementCurrency: NonEmpty(3),
  settlementBankAccount: SettlementBankAccountSchema,
});
export type SettlementInfoUpdateRequest = Type.Static<typeof SettlementInfoUpdateRequestSchema>;

export const SettlementInfoUpdateResponseSchema = Obj({
  ...responseBase,
  updateStatus: Optional(Text(64)),
});

export const InquireBalanceRequestSchema = Obj({
  /** The sub-merchant whose balance is asked for; absent: the platform's own. */
  referenceMerchantId: Optional(Text(32)),
});
export type InquireBalanceRequest = Type.Static<typeof InquireBalanceRequestSchema>;

export const AccountBalanceSchema = Obj({
  currency: NonEmpty(3),
  availableBalance: AmountSchema,
  frozenBalance: AmountSchema,
  totalBalance: AmountSchema,
});
export type AccountBalance = Type.Static<typeof AccountBalanceSchema>;

export const InquireBalanceResponseSchema = Obj({
  ...responseBase,
  accountBalances: Optional(ArrayOf(AccountBalanceSchema, { maxItems: 64 })),
});

export const SettleToSchema = Enum(['SELLER', 'MARKETPLACE']);
export type SettleTo = Type.Static<typeof SettleToSchema>;

export const SettlementDetailSchema = Obj({
  settleTo: SettleToSchema,
  settlementAmount: AmountSchema,
});

export const SettleRequestSchema = Obj({
  settlementRequestId: NonEmpty(64),
  paymentId: NonEmpty(64),
  settlementDetails: ArrayOf(SettlementDetailSchema, { minItems: 1, maxItems: 20 }),
});
export type SettleRequest = Type.Static<typeof SettleRequestSchema>;

export const SettleResponseSchema = Obj({
  ...responseBase,
  settlementRequestId: Optional(Text(64)),
  settlementId: Optional(Text(64)),
});

export const TransferFromDetailSchema = Obj({
  /** Whose balance pays: `customerId` names a sub-merchant (its referenceMerchantId); absent, the platform. */
  transferFromMethod: PaymentMethodSchema,
  transferFromAmount: AmountSchema,
});

export const TransferToDetailSchema = Obj({
  transferToMethod: PaymentMethodSchema,
  transferToCurrency: NonEmpty(3),
  feeAmount: Optional(AmountSchema),
  actualTransferToAmount: Optional(AmountSchema),
  purposeCode: NonEmpty(3),
  transferNotifyUrl: Optional(Text(2048)),
  transferRemark: Optional(Text(1024)),
});

export const CreatePayoutRequestSchema = Obj({
  transferRequestId: NonEmpty(64),
  transferFromDetail: TransferFromDetailSchema,
  transferToDetail: TransferToDetailSchema,
});
export type CreatePayoutRequest = Type.Static<typeof CreatePayoutRequestSchema>;

export const CreatePayoutResponseSchema = Obj({
  ...responseBase,
  transferId: Optional(Text(64)),
  transferRequestId: Optional(Text(64)),
  transferFromDetail: Optional(TransferFromDetailSchema),
  transferToDetail: Optional(TransferToDetailSchema),
});

export const CreateTransferRequestSchema = CreatePayoutRequestSchema;
export type CreateTransferRequest = CreatePayoutRequest;
export const CreateTransferResponseSchema = CreatePayoutResponseSchema;

/** notifyRegistration (the docs' fields; `notifyType` is always REGISTRATION_RESULT). */
export const NotifyRegistrationBodySchema = Obj({
  notifyType: Enum(['REGISTRATION_RESULT']),
  result: Optional(ResultSchema),
  referenceMerchantId: NonEmpty(64),
  registrationRequestId: NonEmpty(64),
  registrationStatus: Enum([...REGISTRATION_STATUSES]),
  /** Why a registration FAILED (amsgate's field: the sandbox says what refused it). */
  failReason: Optional(Text(256)),
});
export type NotifyRegistrationBody = Type.Static<typeof NotifyRegistrationBodySchema>;
