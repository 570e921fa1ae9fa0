/** Users: a one-time-password check of a wallet user, and the user behind an Auto Debit access token. */
import { exampleResult } from '../schemas/examples.js';
import {
  InitAuthenticationRequestSchema,
  InitAuthenticationResponseSchema,
  InquiryUserInfoRequestSchema,
  InquiryUserInfoResponseSchema,
  VerifyAuthenticationRequestSchema,
  VerifyAuthenticationResponseSchema,
} from '../schemas/users.js';
import { defineEndpoint } from './definition.js';

export const USER_ENDPOINTS = [
  defineEndpoint({
    path: 'users/initAuthentication',
    version: 'v1',
    method: 'users.initAuthentication',
    summary: 'Sends a one-time password (SMS or e-mail) to the wallet user an access token names (`WALLET_TOKEN`); verifyAuthentication checks it.',
    request: InitAuthenticationRequestSchema,
    response: InitAuthenticationResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'authenticationRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT', 'INVALID_ACCESS_TOKEN'],
    notifications: [],
    example: {
      request: () => ({ authenticationType: 'OTP', authenticationRequestId: 'AUTH-1', authenticationChannelType: 'SMS', userIdentityType: 'WALLET_TOKEN', userIdentityValue: 'at_example' }),
      response: () => ({ result: exampleResult(), authenticationRequestId: 'AUTH-1' }),
    },
  }),
  defineEndpoint({
    path: 'users/verifyAuthentication',
    version: 'v1',
    method: 'users.verifyAuthentication',
    summary: 'Checks the one-time password of an authentication: `isPassed` true, or VERIFY_UNMATCHED (VERIFY_TIMES_EXCEED_LIMIT at the last allowed attempt, EXPIRED_CODE once it expired).',
    request: VerifyAuthenticationRequestSchema,
    response: VerifyAuthenticationResponseSchema,
    idempotency: { kind: 'by-resource', why: 'the right password answers isPassed true however often it is sent; only a wrong one counts an attempt' },
    resultCodes: ['SUCCESS', 'RECORD_NOT_FOUND', 'VERIFY_UNMATCHED', 'VERIFY_TIMES_EXCEED_LIMIT', 'EXPIRED_CODE'],
    notifications: [],
    example: {
      request: () => ({ authenticationType: 'OTP', authenticationRequestId: 'AUTH-1', authenticationValue: '123456' }),
      response: () => ({ result: exampleResult(), isPassed: true }),
    },
  }),
  defineEndpoint({
    path: 'users/inquiryUserInfo',
    version: 'v1',
    method: 'users.inquiryUserInfo',
    summary: 'The wallet user an Auto Debit access token was issued for: `userId` and, with the USER_LOGIN_ID or AGREEMENT_PAY scope, the masked `userLoginId`.',
    request: InquiryUserInfoRequestSchema,
    response: InquiryUserInfoResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS', 'INVALID_ACCESS_TOKEN'],
    notifications: [],
    example: {
      request: () => ({ accessToken: 'at_example' }),
      response: () => ({ result: exampleResult(), userId: '2188000000000001', userLoginId: 'san***@amsgate.test' }),
    },
  }),
] as const;
