/**
 * Users: a one-time-password check of a wallet user (users/initAuthentication
 * sends the OTP, users/verifyAuthentication checks it) and the user behind
 * an Auto Debit access token (users/inquiryUserInfo). Fields and enums are
 * the official SDKs' (AlipayInitAuthentication*, AlipayVerifyAuthentication*,
 * AlipayUserQueryInfo*; AuthenticationType, AuthenticationChannelType,
 * UserIdentityType); lengths are the inquiryUserInfo page's, the others ours.
 */
import type Type from 'typebox';
import { Bool, Enum, NonEmpty, Obj, Optional, Text } from './builder.js';
import { responseBase } from './common.js';

export const AuthenticationTypeSchema = Enum(['OTP']);
export const AuthenticationChannelTypeSchema = Enum(['EMAIL', 'SMS']);
/** Who is authenticated: `WALLET_TOKEN`, an access token from authorizations/applyToken. */
export const UserIdentityTypeSchema = Enum(['WALLET_TOKEN']);

export const InitAuthenticationRequestSchema = Obj({
  authenticationType: AuthenticationTypeSchema,
  authenticationRequestId: NonEmpty(64),
  authenticationChannelType: AuthenticationChannelTypeSchema,
  userIdentityType: UserIdentityTypeSchema,
  userIdentityValue: NonEmpty(128),
});
export type InitAuthenticationRequest = Type.Static<typeof InitAuthenticationRequestSchema>;

export const InitAuthenticationResponseSchema = Obj({
  ...responseBase,
  authenticationRequestId: Optional(Text(64)),
});

export const VerifyAuthenticationRequestSchema = Obj({
  authenticationType: AuthenticationTypeSchema,
  authenticationRequestId: NonEmpty(64),
  /** The one-time password the user typed. */
  authenticationValue: NonEmpty(32),
});
export type VerifyAuthenticationRequest = Type.Static<typeof VerifyAuthenticationRequestSchema>;

export const VerifyAuthenticationResponseSchema = Obj({
  ...responseBase,
  isPassed: Optional(Bool()),
});

export const InquiryUserInfoRequestSchema = Obj({
  accessToken: NonEmpty(128),
});
export type InquiryUserInfoRequest = Type.Static<typeof InquiryUserInfoRequestSchema>;

export const InquiryUserInfoResponseSchema = Obj({
  ...responseBase,
  userId: Optional(Text(64)),
  userLoginId: Optional(Text(64)),
  hashUserLoginId: Optional(Text(64)),
});
