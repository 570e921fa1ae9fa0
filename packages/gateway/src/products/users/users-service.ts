/**
 * Users: an OTP check of a wallet user and the user behind an access token.
 *
 * - `users/initAuthentication` (keyed by `authenticationRequestId`): the
 *   user is named by `WALLET_TOKEN`, an Auto Debit access token of the
 *   client that can still pay (unknown, another client's, revoked or
 *   expired → INVALID_ACCESS_TOKEN, nothing recorded); the one-time password
 *   "sent" by SMS or e-mail is the sandbox's fixed one (`otp`, 123456 as for
 *   verifyAndCompletePayment), kept as a salted digest, valid `otpTtlMs` on
 *   the gateway clock. A repeat with the same values answers the same
 *   without sending another; other values REPEAT_REQ_INCONSISTENT.
 * - `users/verifyAuthentication`: the right OTP → `S`, `isPassed` true
 *   (again on a repeat); a wrong one → `F` VERIFY_UNMATCHED, `isPassed`
 *   false, counted; the last allowed wrong one (`maxAttempts`, 3) →
 *   VERIFY_TIMES_EXCEED_LIMIT and nothing passes after it; past its expiry →
 *   EXPIRED_CODE; an unknown or another client's id → RECORD_NOT_FOUND.
 *   A wrong OTP is counted in a conditional update, so two checks at once
 *   count twice and never pass together.
 * - `users/inquiryUserInfo`: the access token's wallet user: `userId`, and
 *   the masked `userLoginId` when the authorisation's scopes include
 *   USER_LOGIN_ID or AGREEMENT_PAY (as applyToken answers it). No
 *   `hashUserLoginId`: only the masked login id is kept, and the docs make
 *   the field depend on the wallet.
 * The docs give no codes for these three calls: the codes are those
 * verifyAndCompletePayment and authorizations/query answer for the same cases.
 */
import { createHash } from 'node:crypto';
import {
  AmsError,
  buildResult,
  SUCCESS_RESULT,
  type InitAuthenticationRequest,
  type InquiryUserInfoRequest,
  type VerifyAuthenticationRequest,
} from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded, type Fingerprint } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import type { Database, Tx } from '../../schema.js';
import { findAccessToken, type AccessTokenRecord } from '../auto-debit/auto-debit-repository.js';
import { hashSecret } from '../auto-debit/secrets.js';
import { otpDigest, otpMatches } from '../payments/buyer-steps-repository.js';
import { MAX_OTP_ATTEMPTS } from '../payments/otp-challenge.js';
import { countWrong, findAuthentication, findAuthenticationById, insertAuthentication, markPassed, type AuthenticationRecord } from './users-repository.js';

export interface UserServiceOptions {
  /** The one-time password every user is "sent". */
  otp: string;
  otpTtlMs: number;
  maxAttempts: number;
}

export const DEFAULT_USER_OPTIONS: UserServiceOptions = { otp: '123456', otpTtlMs: 5 * 60_000, maxAttempts: MAX_OTP_ATTEMPTS };

/** initAuthentication's key fields: the user's token only as a digest (the key store never holds a token). */
export function initAuthenticationFingerprint(request: InitAuthenticationRequest): Fingerprint {
  return {
    authenticationType: request.authenticationType,
    authenticationChannelType: request.authenticationChannelType,
    userIdentityType: request.userIdentityType,
    userIdentityValue: `sha256:${createHash('sha256').update(request.userIdentityValue, 'utf8').digest('hex')}`,
  };
}

export class UserService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: UserServiceOptions,
  ) {}

  async initAuthentication(context: KeyedHandlerContext, request: InitAuthenticationRequest): Promise<AnswerBody<'users/initAuthentication'>> {
    const { clientId } = context;
    const now = this.clock.now();
    const authenticationId = `UAU${newId('ATT', now).slice(3)}`;
    await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, authenticationId, now, (id) => findAuthenticationById(tx, clientId, id));
      if (!claim.claimed) return;
      const token = await usableToken(tx, clientId, request.userIdentityValue, now, 'userIdentityValue');
      await insertAuthentication(tx, {
        authenticationId,
        clientId,
        authenticationRequestId: request.authenticationRequestId,
        channel: request.authenticationChannelType,
        userId: token.grant.userId,
        otpHash: otpDigest(this.options.otp),
        failedAttempts: 0,
        maxAttempts: this.options.maxAttempts,
        expiresAt: now + this.options.otpTtlMs,
        passedAt: null,
        lockedAt: null,
        createdAt: now,
      });
    });
    return { result: { ...SUCCESS_RESULT }, authenticationRequestId: request.authenticationRequestId };
  }

  async verifyAuthentication(clientId: string, request: VerifyAuthenticationRequest): Promise<AnswerBody<'users/verifyAuthentication'>> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const found = await findAuthentication(tx, clientId, request.authenticationRequestId);
      if (!found) throw new AmsError('RECORD_NOT_FOUND', `No authentication with authenticationRequestId ${request.authenticationRequestId}`);
      const matches = otpMatches(request.authenticationValue, found.otpHash);
      if (found.passedAt !== null) return matches ? passed() : unmatched('The one-time password is wrong (the authentication already passed)');
      if (found.lockedAt !== null) return failed('VERIFY_TIMES_EXCEED_LIMIT', `Wrong one-time password ${found.maxAttempts} times: authenticate again with a new authenticationRequestId`);
      if (found.expiresAt <= now) return failed('EXPIRED_CODE', 'The one-time password expired: authenticate again with a new authenticationRequestId');
      const changed = () => new AmsError('UNKNOWN_EXCEPTION', `Authentication ${request.authenticationRequestId} changed while verifying; retry`);
      if (matches) {
        if (!(await markPassed(tx, found, now))) throw changed();
        return passed();
      }
      const counted: AuthenticationRecord | undefined = await countWrong(tx, found, now);
      if (!counted) throw changed();
      if (counted.lockedAt !== null) return failed('VERIFY_TIMES_EXCEED_LIMIT', `Wrong one-time password ${counted.maxAttempts} times: authenticate again with a new authenticationRequestId`);
      const left = counted.maxAttempts - counted.failedAttempts;
      return unmatched(`The one-time password is wrong; ${left} attempt${left === 1 ? '' : 's'} left`);
    });
  }

  async inquiryUserInfo(clientId: string, request: InquiryUserInfoRequest): Promise<AnswerBody<'users/inquiryUserInfo'>> {
    const now = this.clock.now();
    const token = await this.database.read((tx) => usableToken(tx, clientId, request.accessToken, now, 'accessToken'));
    const grant = token.grant;
    return {
      result: { ...SUCCESS_RESULT },
      userId: grant.userId,
      ...(grant.scopes.includes('USER_LOGIN_ID') || grant.scopes.includes('AGREEMENT_PAY') ? { userLoginId: grant.userLoginId } : {}),
    };
  }
}

/** One of the client's access tokens that can still be used; INVALID_ACCESS_TOKEN naming `field` otherwise. */
async function usableToken(tx: Tx, clientId: string, token: string, now: number, field: string): Promise<AccessTokenRecord> {
  const found = await findAccessToken(tx, clientId, hashSecret(token));
  if (!found) throw new AmsError('INVALID_ACCESS_TOKEN', `${field} is not a valid access token`);
  if (found.grant.revokedAt !== null) throw new AmsError('INVALID_ACCESS_TOKEN', `${field}: the access token was revoked`);
  if (found.expiresAt <= now) throw new AmsError('INVALID_ACCESS_TOKEN', `${field}: the access token has expired`);
  return found;
}

const passed = (): AnswerBody<'users/verifyAuthentication'> => ({ result: { ...SUCCESS_RESULT }, isPassed: true });
const unmatched = (message: string): AnswerBody<'users/verifyAuthentication'> => failed('VERIFY_UNMATCHED', message);
function failed(code: 'VERIFY_UNMATCHED' | 'VERIFY_TIMES_EXCEED_LIMIT' | 'EXPIRED_CODE', message: string): AnswerBody<'users/verifyAuthentication'> {
  return { result: buildResult(code, message), isPassed: false };
}
