/**
 * Merchant registration for acquirers and ISVs: register a secondary
 * merchant (merchants/registration), follow its review
 * (merchants/inquiryRegistrationStatus, notifyRegistrationStatus) and read
 * back what was registered (merchants/inquiryRegistrationInfo). Fields are
 * the official SDKs' (AlipayMerchantRegistration*, MerchantRegistrationInfo,
 * RegistrationDetail, RegistrationResult, PSPRegistrationResult); the
 * lengths, `storeInfo`, `referenceStoreId` and the notification are the
 * docs' (registration, inquiryRegistrationStatus, inquiryRegistrationInfo,
 * notifyRegistrationStatus pages).
 */
import type Type from 'typebox';
import { ArrayOf, Enum, HttpUrl, NonEmpty, Obj, Optional, Refine, requiredWhen, Text } from './builder.js';
import { LogoSchema } from './cards.js';
import { AddressSchema, ResultSchema, responseBase } from './common.js';

/** The products a secondary merchant is registered for (SDK enum ProductCodeType). */
export const REGISTRATION_PRODUCT_CODES = ['CASHIER_PAYMENT', 'AGREEMENT_PAYMENT', 'IN_STORE_PAYMENT'] as const;
export const RegistrationProductCodeSchema = Enum([...REGISTRATION_PRODUCT_CODES]);
export type RegistrationProductCode = (typeof REGISTRATION_PRODUCT_CODES)[number];

/** A website of the merchant (SDK model WebSite): `url` required, a valid http(s) URL (docs: else PARAM_ILLEGAL). */
export const RegistrationWebSiteSchema = Obj({
  name: Optional(Text(256)),
  url: HttpUrl(2048),
  desc: Optional(Text(256)),
  type: Optional(Text(32)),
});

/** A document filed with the registration (SDK model Attachment). */
export const RegistrationAttachmentSchema = Obj({
  attachmentType: NonEmpty(64),
  file: Optional(Text()),
  attachmentName: NonEmpty(256),
  fileKey: NonEmpty(256),
});

/** A contact of the merchant (SDK model ContactInfo). */
export const RegistrationContactInfoSchema = Obj({
  contactNo: Optional(Text(64)),
  contactType: Optional(Text(32)),
});

/** The merchant's legal registration (SDK model RegistrationDetail). */
export const RegistrationDetailSchema = Obj({
  legalName: Optional(Text(256)),
  attachments: Optional(ArrayOf(RegistrationAttachmentSchema, { maxItems: 20 })),
  contactInfo: Optional(ArrayOf(RegistrationContactInfoSchema, { maxItems: 20 })),
  registrationType: Optional(Text(64)),
  registrationNo: Optional(Text(64)),
  registrationAddress: Optional(AddressSchema),
  businessType: Optional(Text(64)),
  registrationEffectiveDate: Optional(Text(32)),
  registrationExpireDate: Optional(Text(32)),
});

/** The secondary merchant (SDK model MerchantRegistrationInfo). */
export const MerchantRegistrationInfoSchema = Obj({
  referenceMerchantId: NonEmpty(64),
  merchantDisplayName: Optional(Text(256)),
  merchantMCC: Optional(Text(32)),
  logo: Optional(LogoSchema),
  websites: Optional(ArrayOf(RegistrationWebSiteSchema, { maxItems: 20 })),
  merchantAddress: Optional(AddressSchema),
  registrationDetail: Optional(RegistrationDetailSchema),
});
export type MerchantRegistrationInfo = Type.Static<typeof MerchantRegistrationInfoSchema>;

/** The store of an in-store registration (docs: StoreRegistrationInfo; no SDK models it). */
export const StoreRegistrationInfoSchema = Obj({
  referenceStoreId: NonEmpty(32),
  storeName: Optional(Text(256)),
  storeMCC: Optional(Text(32)),
  storeAddress: Optional(AddressSchema),
});
export type StoreRegistrationInfo = Type.Static<typeof StoreRegistrationInfoSchema>;

const MerchantRegistrationBase = Obj({
  registrationRequestId: NonEmpty(64),
  registrationNotifyURL: Optional(HttpUrl(2048)),
  passThroughInfo: Optional(Text(2048)),
  merchantInfo: MerchantRegistrationInfoSchema,
  productCodes: ArrayOf(RegistrationProductCodeSchema, { minItems: 1, maxItems: 3 }),
  storeInfo: Optional(StoreRegistrationInfoSchema),
});

export const MerchantRegistrationRequestSchema = Refine(
  MerchantRegistrationBase,
  requiredWhen<Type.Static<typeof MerchantRegistrationBase>>(
    'store-info-for-in-store',
    ['storeInfo'],
    (request) => request.productCodes.includes('IN_STORE_PAYMENT'),
    'productCodes has IN_STORE_PAYMENT',
  ),
);
export type MerchantRegistrationRequest = Type.Static<typeof MerchantRegistrationRequestSchema>;

export const MerchantRegistrationResponseSchema = Obj({
  ...responseBase,
  passThroughInfo: Optional(Text(2048)),
});

/**
 * Where a registration stands (docs, inquiryRegistrationStatus): PENDING
 * while it is reviewed, COMPLETED once every payment method answered,
 * REJECTED when it was refused as a whole (with `rejectReasons`).
 */
export const MERCHANT_REGISTRATION_STATUSES = ['PENDING', 'COMPLETED', 'REJECTED'] as const;
/** A payment method's (PSP's) own verdict on the registration. */
export const PSP_REGISTRATION_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;

/** SDK model RegistrationResult; `registrationStatus` is a plain string in the SDKs. */
export const RegistrationResultSchema = Obj({
  registrationStatus: Optional(Text(32)),
  rejectReasons: Optional(Text(256)),
});

/** SDK model PSPRegistrationResult. */
export const PspRegistrationResultSchema = Obj({
  pspName: Optional(Text(64)),
  registrationResult: Optional(RegistrationResultSchema),
});

export const InquiryRegistrationStatusRequestSchema = Obj({
  registrationRequestId: Optional(NonEmpty(64)),
  referenceMerchantId: Optional(NonEmpty(64)),
  referenceStoreId: Optional(NonEmpty(32)),
});
export type InquiryRegistrationStatusRequest = Type.Static<typeof InquiryRegistrationStatusRequestSchema>;

export const InquiryRegistrationStatusResponseSchema = Obj({
  ...responseBase,
  registrationResult: Optional(RegistrationResultSchema),
  pspRegistrationResultList: Optional(ArrayOf(PspRegistrationResultSchema)),
});

export const InquiryRegistrationInfoRequestSchema = Obj({
  referenceMerchantId: NonEmpty(64),
  referenceStoreId: Optional(NonEmpty(32)),
});
export type InquiryRegistrationInfoRequest = Type.Static<typeof InquiryRegistrationInfoRequestSchema>;

export const InquiryRegistrationInfoResponseSchema = Obj({
  ...responseBase,
  merchantInfo: Optional(MerchantRegistrationInfoSchema),
  storeInfo: Optional(StoreRegistrationInfoSchema),
  productCodes: Optional(ArrayOf(RegistrationProductCodeSchema)),
});

/** The `notifyType` amsgate sends with notifyRegistrationStatus (the docs name none), so a receiver can tell the body apart. */
export const REGISTRATION_STATUS_NOTIFY_TYPE = 'REGISTRATION_STATUS';

/** notifyRegistrationStatus: a registration's review ended (docs; no SDK models it). */
export const NotifyRegistrationStatusBodySchema = Obj({
  notifyType: Enum([REGISTRATION_STATUS_NOTIFY_TYPE]),
  result: Optional(ResultSchema),
  referenceMerchantId: NonEmpty(64),
  registrationRequestId: NonEmpty(64),
  referenceStoreId: Optional(Text(32)),
  registrationResult: RegistrationResultSchema,
  pspRegistrationResultList: Optional(ArrayOf(PspRegistrationResultSchema)),
});
export type NotifyRegistrationStatusBody = Type.Static<typeof NotifyRegistrationStatusBodySchema>;
