/**
 * Card facts before a payment: `payments/getCardInfo` (a card's brand,
 * issuing region, funding, category and installment plans, by its number or
 * its BIN) and `payments/inquireInstallment` (the installment issuers, their
 * BINs and plans). Both are carried by the Java SDK alone
 * (`AlipayGetCardInfoRequest`, `AlipayInquireInstallmentRequest`); the
 * public docs have no page for them, so lengths are the SDK models' (`Plan`)
 * or none. A card number only ever travels inbound.
 */
import type Type from 'typebox';
import { ArrayOf, Bool, Enum, NonEmpty, Obj, Optional, Text, oneOfRequired, Refine } from './builder.js';
import { AmountSchema, MerchantAccountId, responseBase } from './common.js';

/** The SDK's `FundingType`. */
export const FundingTypeSchema = Enum(['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT']);
export type FundingType = Type.Static<typeof FundingTypeSchema>;

/** The SDK's `CardCategoryType`. */
export const CardCategoryTypeSchema = Enum(['CONSUMER', 'COMMERCIAL']);
export type CardCategoryType = Type.Static<typeof CardCategoryTypeSchema>;

/** SDK model `Logo`. */
export const LogoSchema = Obj({
  logoName: Optional(Text()),
  logoUrl: Optional(Text()),
});
export type Logo = Type.Static<typeof LogoSchema>;

/** SDK model `Plan`: one installment plan (number of installments, interval, the amounts it applies to). */
export const InstallmentPlanSchema = Obj({
  interestRate: Optional(Text(8, { description: 'Interest rate charged on the installments, in percent ("0": interest-free).' })),
  minInstallmentAmount: AmountSchema,
  maxInstallmentAmount: AmountSchema,
  installmentNum: NonEmpty(8, { description: 'The number of installments, 2 to 12.' }),
  interval: NonEmpty(16, { description: 'MONTH.' }),
  enabled: Bool(),
  extendInfo: Optional(Text(4096)),
});
export type InstallmentPlan = Type.Static<typeof InstallmentPlanSchema>;

/** SDK model `SupportCardBrand`. */
export const SupportCardBrandSchema = Obj({
  cardBrand: NonEmpty(),
  logo: LogoSchema,
});
export type SupportCardBrand = Type.Static<typeof SupportCardBrandSchema>;

/** SDK model `Installment`: the card brands that take the plans, and the plans. */
export const InstallmentSchema = Obj({
  supportCardBrands: ArrayOf(SupportCardBrandSchema),
  plans: ArrayOf(InstallmentPlanSchema),
});
export type Installment = Type.Static<typeof InstallmentSchema>;

// ---------------------------------------------------------------------------
// getCardInfo

/** By the card number or by its BIN (6 to 8 digits); when both are given the number must start with the BIN (a handler's rule). */
export const GetCardInfoRequestSchema = Refine(
  Obj({
    cardNo: Optional(NonEmpty(32, { description: 'The card number (12 to 19 digits; spaces and dashes are ignored). Never echoed.' })),
    cardBin: Optional(NonEmpty(8, { description: 'The first 6 to 8 digits of the card number.' })),
    paymentMethodRegion: Optional(Text(2, { description: 'ISO 3166 alpha-2 region the card is to pay in; installments are offered in the issuing region only.' })),
  }),
  oneOfRequired(['cardNo', 'cardBin']),
);
export type GetCardInfoRequest = Type.Static<typeof GetCardInfoRequestSchema>;

export const GetCardInfoResponseSchema = Obj({
  ...responseBase,
  cardBrand: Optional(Text(32)),
  localCardBrand: Optional(Text(32)),
  /** Spelled as the SDK spells it. */
  coBagedCardBrand: Optional(Text(32)),
  issuingRegion: Optional(Text(2)),
  funding: Optional(FundingTypeSchema),
  cardCategory: Optional(CardCategoryTypeSchema),
  supportInstallment: Optional(Bool()),
  installment: Optional(InstallmentSchema),
});
export type GetCardInfoResponse = Type.Static<typeof GetCardInfoResponseSchema>;

// ---------------------------------------------------------------------------
// inquireInstallment

export const InquireInstallmentRequestSchema = Obj({
  merchantAccountId: MerchantAccountId(),
});
export type InquireInstallmentRequest = Type.Static<typeof InquireInstallmentRequestSchema>;

/** SDK model `InstallmentBank`: an issuer's installment offer, the BINs it applies to and its plans. */
export const InstallmentBankSchema = Obj({
  logo: Optional(LogoSchema),
  bankName: Optional(Text()),
  bankShortName: Optional(Text()),
  bankTerms: Optional(Text()),
  bankPromoUrl: Optional(Text()),
  bins: Optional(ArrayOf(Text(8))),
  plans: Optional(ArrayOf(InstallmentPlanSchema)),
});
export type InstallmentBank = Type.Static<typeof InstallmentBankSchema>;

/** `installmentBanks` is one object, as the Java SDK (the only one with this call) reads it, despite its plural name. */
export const InquireInstallmentResponseSchema = Obj({
  ...responseBase,
  installmentBanks: Optional(InstallmentBankSchema),
});
export type InquireInstallmentResponse = Type.Static<typeof InquireInstallmentResponseSchema>;
