/**
 * Vaulting (card tokens): a buyer's card stored with Antom and named by a
 * `cardToken` that `payments/pay` takes as `paymentMethod.paymentMethodId`.
 * Two ways in: a vaulting session (the buyer enters the card on Antom's
 * page) or `vaultPaymentMethod` (a PCI merchant sends the card), then
 * inquiry, the token endpoints and the `notifyVaulting` notification.
 */
import type Type from 'typebox';
import { Bool, Const, DateTime, Enum, HttpUrl, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AcquirerInfoSchema, AddressSchema, EnvSchema, MerchantAccountId, ResultSchema, UserNameSchema, responseBase } from './common.js';

/** Five free fields a merchant's request carries through (SDK model CustomizedInfo). */
export const CustomizedInfoSchema = Obj({
  customizedField1: Optional(Text(256)),
  customizedField2: Optional(Text(256)),
  customizedField3: Optional(Text(256)),
  customizedField4: Optional(Text(256)),
  customizedField5: Optional(Text(256)),
});

export const VaultingStatusSchema = Enum(['PROCESSING', 'SUCCESS', 'FAIL']);
export type VaultingStatus = Type.Static<typeof VaultingStatusSchema>;

export const FundingSchema = Enum(['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT']);

/** A card as a merchant sends it (vaultPaymentMethod, fetchNonce): the number only ever travels inbound. */
export const CardInputSchema = Obj({
  cardNo: Optional(Text(32, { description: 'the card number (digits; spaces and dashes allowed)' })),
  cvv: Optional(Text(4)),
  expiryYear: Optional(Text(4)),
  expiryMonth: Optional(Text(2)),
  cardholderName: Optional(UserNameSchema),
  billingAddress: Optional(AddressSchema),
  brand: Optional(Text(32)),
  /** A nonce from fetchNonce, in place of the number. */
  cardToken: Optional(Text(255)),
  is3DSAuthentication: Optional(Bool()),
});
export type CardInput = Type.Static<typeof CardInputSchema>;

/** A stored card as answers show it: the token and what identifies the card without its number. */
export const VaultedCardSchema = Obj({
  cardToken: Optional(Text(255)),
  brand: Optional(Text(32)),
  maskedCardNo: Optional(Text(32)),
  bin: Optional(Text(8)),
  lastFour: Optional(Text(4)),
  expiryMonth: Optional(Text(2)),
  expiryYear: Optional(Text(4)),
  funding: Optional(FundingSchema),
  issuerName: Optional(Text()),
  issuingCountry: Optional(Text(2)),
  cardholderName: Optional(UserNameSchema),
});
export type VaultedCard = Type.Static<typeof VaultedCardSchema>;

export const VaultPaymentMethodDetailSchema = Obj({
  paymentMethodDetailType: Const('CARD', { caseInsensitive: true }),
  card: CardInputSchema,
});

/** What answers and the notification carry about the vaulted method (SDK model VaultingPaymentMethodDetail). */
export const VaultedPaymentMethodDetailSchema = Obj({
  paymentMethodType: Optional(Text(64)),
  paymentMethodDetailType: Optional(Text(32)),
  card: Optional(VaultedCardSchema),
});

export const CreateVaultingSessionRequestSchema = Obj({
  paymentMethodType: Const('CARD', { caseInsensitive: true, description: 'only CARD can be vaulted' }),
  vaultingRequestId: NonEmpty(64),
  vaultingNotificationUrl: HttpUrl(2048),
  redirectUrl: Optional(HttpUrl(2048)),
  merchantRegion: Optional(Text(2)),
  is3DSAuthentication: Optional(Bool({ description: 'true: the buyer passes a 3-D Secure challenge before the card is stored' })),
});
export type CreateVaultingSessionRequest = Type.Static<typeof CreateVaultingSessionRequestSchema>;

export const CreateVaultingSessionResponseSchema = Obj({
  ...responseBase,
  vaultingSessionData: Optional(Text(4096)),
  vaultingSessionId: Optional(Text(64)),
  vaultingSessionExpiryTime: Optional(DateTime()),
  normalUrl: Optional(Text(2048)),
});

export const VaultPaymentMethodRequestSchema = Obj({
  merchantAccountId: MerchantAccountId(),
  metadata: Optional(Text(2048)),
  vaultingRequestId: NonEmpty(64),
  vaultingNotificationUrl: HttpUrl(2048),
  redirectUrl: HttpUrl(2048),
  merchantRegion: Optional(Text(2)),
  paymentMethodDetail: VaultPaymentMethodDetailSchema,
  env: EnvSchema,
  vaultingCurrency: Optional(Text(3)),
  customizedInfo: Optional(CustomizedInfoSchema),
});
export type VaultPaymentMethodRequest = Type.Static<typeof VaultPaymentMethodRequestSchema>;

export const VaultPaymentMethodResponseSchema = Obj({
  ...responseBase,
  vaultingRequestId: Optional(Text(64)),
  paymentMethodDetail: Optional(VaultedPaymentMethodDetailSchema),
  normalUrl: Optional(Text(2048)),
  schemeUrl: Optional(Text(2048)),
  applinkUrl: Optional(Text(2048)),
});

export const InquireVaultingRequestSchema = Obj({
  vaultingRequestId: NonEmpty(64),
  merchantAccountId: MerchantAccountId(),
});
export type InquireVaultingRequest = Type.Static<typeof InquireVaultingRequestSchema>;

export const InquireVaultingResponseSchema = Obj({
  ...responseBase,
  vaultingRequestId: Optional(Text(64)),
  normalUrl: Optional(Text(2048)),
  schemeUrl: Optional(Text(2048)),
  applinkUrl: Optional(Text(2048)),
  vaultingStatus: Optional(VaultingStatusSchema),
  paymentMethodDetail: Optional(VaultedPaymentMethodDetailSchema),
  metadata: Optional(Text(2048)),
  vaultingResultCode: Optional(Text(64)),
  vaultingResultMessage: Optional(Text(256)),
});

/** `vaults/fetchNonce` and `payments/fetchNonce`: a card in, a one-time card token out. */
export const VaultsFetchNonceRequestSchema = Obj({ card: CardInputSchema });
export type FetchNonceRequest = Type.Static<typeof VaultsFetchNonceRequestSchema>;
export const PaymentsFetchNonceRequestSchema = Obj({ card: Optional(CardInputSchema) });
export const FetchNonceResponseSchema = Obj({ ...responseBase, cardToken: Optional(Text(255)) });

export const InquireTokenRequestSchema = Obj({ merchantAccountId: MerchantAccountId(), token: NonEmpty(255) });
export type InquireTokenRequest = Type.Static<typeof InquireTokenRequestSchema>;
export const InquireTokenResponseSchema = Obj({
  ...responseBase,
  token: Optional(Text(255)),
  accountHolderName: Optional(UserNameSchema),
  email: Optional(Text(64)),
  issuerName: Optional(Text()),
  issuingCountry: Optional(Text(2)),
  tokenExpiryTime: Optional(DateTime()),
});

export const UpdateTokenRequestSchema = Obj({
  merchantAccountId: MerchantAccountId(),
  token: NonEmpty(255),
  accountHolderName: Optional(UserNameSchema),
  email: Optional(Text(64)),
  tokenExpiryTime: Optional(DateTime()),
});
export type UpdateTokenRequest = Type.Static<typeof UpdateTokenRequestSchema>;
export const UpdateTokenResponseSchema = Obj({ ...responseBase, token: Optional(Text(255)) });

export const DeleteTokenRequestSchema = Obj({ merchantAccountId: MerchantAccountId(), token: NonEmpty(255) });
export type DeleteTokenRequest = Type.Static<typeof DeleteTokenRequestSchema>;
export const DeleteTokenResponseSchema = Obj({ ...responseBase });

/**
 * notifyVaulting. The docs name no `notifyType` value; amsgate sends
 * `VAULTING_RESULT` so a receiver can tell this body from the others.
 */
export const NotifyVaultingBodySchema = Obj({
  notifyType: Optional(Text(32)),
  result: ResultSchema,
  vaultingRequestId: Optional(Text(64)),
  vaultingStatus: Optional(VaultingStatusSchema),
  paymentMethodDetail: Optional(VaultedPaymentMethodDetailSchema),
  vaultingCreateTime: Optional(DateTime()),
  acquirerInfo: Optional(AcquirerInfoSchema),
  customizedInfo: Optional(CustomizedInfoSchema),
  metadata: Optional(Text(2048)),
});
export type NotifyVaultingBody = Type.Static<typeof NotifyVaultingBodySchema>;
