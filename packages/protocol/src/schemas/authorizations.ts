/**
 * Auto Debit authorisation: authorizations/consult, applyToken, revoke
 * (endpoints.md §10–12).
 */
import type Type from 'typebox';
import { ArrayOf, Bool, DateTime, Enum, HttpUrl, JsonObject, NonEmpty, Obj, Optional, Refine, Text, Url, requiredWhen } from './builder.js';
import { EnvSchema, MerchantAccountId, OsTypeSchema, PspCustomerInfoSchema, TerminalTypeSchema, responseBase } from './common.js';

export const AUTH_SCOPES = ['BASE_USER_INFO', 'USER_INFO', 'AGREEMENT_PAY', 'USER_LOGIN_ID', 'HASH_LOGIN_ID', 'SEND_OTP', 'TAOBAO_REBIND'] as const;
export const AuthScopeSchema = Enum(AUTH_SCOPES);
export type AuthScope = Type.Static<typeof AuthScopeSchema>;

// ---------------------------------------------------------------------------
// authorizations/consult

const AuthConsultBase = Obj({
  customerBelongsTo: NonEmpty(64, { description: 'the wallet, e.g. ALIPAY_CN, GCASH' }),
  authRedirectUrl: Url(1024),
  scopes: ArrayOf(AuthScopeSchema, { minItems: 1, maxItems: 4 }),
  authState: NonEmpty(256),
  terminalType: TerminalTypeSchema,
  osType: Optional(OsTypeSchema),
  osVersion: Optional(Text(16)),
  authClientId: Optional(Text(64)),
  merchantRegion: Optional(Text(2)),
  recurringPayment: Optional(Bool()),
  authMetaData: Optional(JsonObject()),
  // The notifications guide says this URL is set in the Dashboard only; the SDK model has the field [?].
  authNotifyUrl: Optional(HttpUrl(2048)),
  merchantAccountId: MerchantAccountId(),
  env: Optional(EnvSchema),
  extendInfo: Optional(Text()),
});

/** `osType` is required for APP, WAP and MINI_APP. `authClientId`/`merchantRegion` are conditional on facts a schema cannot see. */
export const AuthConsultRequestSchema = Refine(
  AuthConsultBase,
  requiredWhen<Type.Static<typeof AuthConsultBase>>(
    'os-type-for-app',
    ['osType'],
    (request) => request.terminalType !== 'WEB',
    'terminalType is APP, WAP or MINI_APP',
    { if: { properties: { terminalType: { enum: ['WAP', 'APP', 'MINI_APP'] } } }, then: { required: ['osType'] } },
  ),
);
export type AuthConsultRequest = Type.Static<typeof AuthConsultRequestSchema>;

/** At least one of the three URLs on success. */
export const AuthConsultResponseSchema = Obj({
  ...responseBase,
  schemeUrl: Optional(Text(2048)),
  applinkUrl: Optional(Text(2048)),
  normalUrl: Optional(Text(2048)),
  appIdentifier: Optional(Text(128)),
  authUrl: Optional(Text()),
  authCodeForm: Optional(JsonObject({ description: 'QR-code form, shaped like orderCodeForm' })),
});
export type AuthConsultResponse = Type.Static<typeof AuthConsultResponseSchema>;

// ---------------------------------------------------------------------------
// authorizations/applyToken

export const GrantTypeSchema = Enum(['AUTHORIZATION_CODE', 'REFRESH_TOKEN']);
export type GrantType = Type.Static<typeof GrantTypeSchema>;

const ApplyTokenBase = Obj({
  grantType: GrantTypeSchema,
  customerBelongsTo: NonEmpty(64),
  authCode: Optional(NonEmpty(128)),
  refreshToken: Optional(NonEmpty(128)),
  merchantRegion: Optional(Text(2)),
  merchantAccountId: MerchantAccountId(),
  extendInfo: Optional(Text()),
});
type ApplyTokenShape = Type.Static<typeof ApplyTokenBase>;

export const ApplyTokenRequestSchema = Refine(
  ApplyTokenBase,
  requiredWhen<ApplyTokenShape>('auth-code-for-grant', ['authCode'], (r) => r.grantType === 'AUTHORIZATION_CODE', 'grantType is AUTHORIZATION_CODE', {
    if: { properties: { grantType: { const: 'AUTHORIZATION_CODE' } } },
    then: { required: ['authCode'] },
  }),
  requiredWhen<ApplyTokenShape>('refresh-token-for-grant', ['refreshToken'], (r) => r.grantType === 'REFRESH_TOKEN', 'grantType is REFRESH_TOKEN', {
    if: { properties: { grantType: { const: 'REFRESH_TOKEN' } } },
    then: { required: ['refreshToken'] },
  }),
);
export type ApplyTokenRequest = Type.Static<typeof ApplyTokenRequestSchema>;

/** No `refreshToken` means the wallet issues long-lived access tokens. */
export const ApplyTokenResponseSchema = Obj({
  ...responseBase,
  accessToken: Optional(Text(128)),
  accessTokenExpiryTime: Optional(DateTime()),
  refreshToken: Optional(Text(128)),
  refreshTokenExpiryTime: Optional(DateTime()),
  userLoginId: Optional(Text(64)),
  pspCustomerInfo: Optional(PspCustomerInfoSchema),
  extendInfo: Optional(Text(2048)),
});
export type ApplyTokenResponse = Type.Static<typeof ApplyTokenResponseSchema>;

// ---------------------------------------------------------------------------
// authorizations/revoke

export const RevokeRequestSchema = Obj({
  accessToken: NonEmpty(128),
  merchantAccountId: MerchantAccountId(),
  extendInfo: Optional(Text()),
});
export type RevokeRequest = Type.Static<typeof RevokeRequestSchema>;

export const RevokeResponseSchema = Obj({
  ...responseBase,
  extendInfo: Optional(Text()),
});
export type RevokeResponse = Type.Static<typeof RevokeResponseSchema>;

// ---------------------------------------------------------------------------
// authorizations/query

/** The SDKs send the access token only; 128 as for `revoke`. */
export const QueryTokenRequestSchema = Obj({
  accessToken: NonEmpty(128),
});
export type QueryTokenRequest = Type.Static<typeof QueryTokenRequestSchema>;

/** `tokenStatusType` is a free string in every SDK (no enum is published). */
export const QueryTokenResponseSchema = Obj({
  ...responseBase,
  accessToken: Optional(Text(128)),
  accessTokenExpiryTime: Optional(DateTime()),
  refreshToken: Optional(Text(128)),
  refreshTokenExpiryTime: Optional(DateTime()),
  tokenStatusType: Optional(Text(64)),
});
export type QueryTokenResponse = Type.Static<typeof QueryTokenResponseSchema>;
