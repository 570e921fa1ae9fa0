/** The Auto Debit authorisation endpoints: consult, applyToken, revoke, query. */
import {
  ApplyTokenRequestSchema,
  ApplyTokenResponseSchema,
  AuthConsultRequestSchema,
  AuthConsultResponseSchema,
  QueryTokenRequestSchema,
  QueryTokenResponseSchema,
  RevokeRequestSchema,
  RevokeResponseSchema,
} from '../schemas/authorizations.js';
import { exampleResult } from '../schemas/examples.js';
import { defineEndpoint } from './definition.js';

export const AUTHORIZATION_ENDPOINTS = [
  defineEndpoint({
    path: 'authorizations/consult',
    version: 'v1',
    method: 'authorizations.consult',
    summary: 'Auto Debit: the URL where the user authorises the merchant; agreeing issues an auth code.',
    request: AuthConsultRequestSchema,
    response: AuthConsultResponseSchema,
    idempotency: { kind: 'harmless-repeat', why: 'returns an authorisation URL; no state the merchant pays for' },
    resultCodes: ['SUCCESS'],
    notifications: [{ kind: 'notifyAuthorization', types: ['AUTHCODE_CREATED'] }],
    example: {
      request: () => ({
        customerBelongsTo: 'GCASH',
        authRedirectUrl: 'https://merchant.example/auth',
        scopes: ['AGREEMENT_PAY'],
        authState: 'state-1',
        terminalType: 'WEB',
      }),
      response: () => ({ result: exampleResult(), normalUrl: 'https://wallet.example/auth' }),
    },
  }),
  defineEndpoint({
    path: 'authorizations/applyToken',
    version: 'v1',
    method: 'authorizations.applyToken',
    summary: 'Auto Debit: an access token for an auth code, or a new one for a refresh token.',
    request: ApplyTokenRequestSchema,
    response: ApplyTokenResponseSchema,
    idempotency: {
      kind: 'not-idempotent',
      why: 'an authCode is single-use: a resend after an unclear failure is refused, which would hide that the first may have granted the token',
    },
    resultCodes: ['SUCCESS', 'OAUTH_FAILED', 'INVALID_ACCESS_TOKEN'],
    notifications: [],
    example: {
      request: () => ({ grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: 'code-1' }),
      response: () => ({ result: exampleResult(), accessToken: 'at-1', accessTokenExpiryTime: '2030-01-01T00:00:00+00:00' }),
    },
  }),
  defineEndpoint({
    path: 'authorizations/revoke',
    version: 'v1',
    method: 'authorizations.revoke',
    summary: 'Auto Debit: revokes an access token.',
    request: RevokeRequestSchema,
    response: RevokeResponseSchema,
    idempotency: { kind: 'by-resource', why: 'revoking twice leaves the token revoked' },
    resultCodes: ['SUCCESS', 'INVALID_ACCESS_TOKEN'],
    notifications: [{ kind: 'notifyAuthorization', types: ['TOKEN_CANCELED'] }],
    example: {
      request: () => ({ accessToken: 'token-1' }),
      response: () => ({ result: exampleResult() }),
    },
  }),
  defineEndpoint({
    path: 'authorizations/query',
    version: 'v1',
    method: 'authorizations.query',
    summary: 'Auto Debit: the status of an access token (active or not) and its expiry times.',
    request: QueryTokenRequestSchema,
    response: QueryTokenResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS', 'INVALID_ACCESS_TOKEN'],
    notifications: [],
    example: {
      request: () => ({ accessToken: 'token-1' }),
      response: () => ({ result: exampleResult(), accessToken: 'token-1', accessTokenExpiryTime: '2030-01-01T00:00:00+00:00', tokenStatusType: 'ACTIVE' }),
    },
  }),
] as const;
