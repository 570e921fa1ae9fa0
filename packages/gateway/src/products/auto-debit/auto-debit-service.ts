/**
 * Auto Debit (endpoints.md §2, §10–§13): `authorizations/consult`, the
 * authorisation page's decision, `authorizations/applyToken`,
 * `authorizations/revoke`, and `payments/pay` with `AGREEMENT_PAYMENT`.
 *
 * Flow: consult stores the request and answers `authUrl` / `normalUrl`
 * pointing at the gateway's authorisation page (`/authorize/{consultId}`).
 * Agreeing there (or through the sandbox control API) issues a single-use
 * auth code and sends the browser to `authRedirectUrl?authCode=…&authState=…`;
 * declining sends it to `authRedirectUrl?authState=…` without a code.
 * applyToken exchanges the code for an access token and a refresh token (a
 * "grant"); a refresh issues a new access token and leaves the earlier ones
 * valid until their own expiry; revoke ends the grant: every access token
 * and the refresh token. Pay with a live access token settles at once
 * (journal PAY) like a completed cashier payment, so inquiry, cancel,
 * refund and notifyPayment work through the payment services unchanged.
 *
 * Codes and tokens are stored as SHA-256 digests only; the pay request kept
 * with the payment has its `paymentMethodId` replaced by the digest.
 */
import {
  AmsError,
  parsePositiveAmount,
  SUCCESS_RESULT,
  type ApplyTokenRequest,
  type AuthConsultRequest,
  type PayAgreementRequest,
  type QueryTokenRequest,
  type RevokeRequest,
} from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import { newId } from '../../ids.js';
import { payAnswer, wireTime, type ResponseBody } from '../payments/answers.js';
import type { PaymentEventSink } from '../payments/events.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { accounts, recordJournal } from '../../ledger/journal.js';
import type { PaymentRecord } from '../payments/payment-record.js';
import type { PaymentService } from '../payments/payment-service.js';
import { checkNewExpiry, expiryTime, insertPaymentWithTransaction } from '../payments/payment-service.js';
import { findPayment } from '../payments/payments-repository.js';
import type { Database, Tx } from '../../schema.js';
import {
  decideConsult,
  findAccessToken,
  findAuthCode,
  findConsult,
  findGrantByRefreshToken,
  insertAccessToken,
  insertAuthCode,
  insertConsult,
  insertGrant,
  revokeGrant,
  useAuthCode,
  type ConsultRecord,
  type GrantRecord,
} from './auto-debit-repository.js';
import { hashSecret, maskLoginId, newSecret, storedPaymentMethodId, walletUserId } from './secrets.js';
import type { AmountDecline } from '../payments/pay-triggers.js';
import { appLinksOf } from '../payments/app-links.js';
import { pspCustomerInfoOf, type WalletCustomer } from '../payments/wallet-customer.js';

export interface AutoDebitOptions {
  /** Sandbox mode: the decline a reserved amount triggers (`sandbox/triggers.ts`); gateway mode has none. */
  amountDecline?: (minor: bigint) => AmountDecline | undefined;
  /** Builds the authorisation page URL for a consult. */
  authorizeUrl: (consultId: string) => string;
  /** How long the authorisation page of a consult can be used. */
  consultTtlMs: number;
  /** How long an auth code can be exchanged (single use). */
  authCodeTtlMs: number;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  /** What a new payment locks in other currencies (PaymentService.conversionsOf). */
  conversionsOf: PaymentService['conversionsOf'];
}

export const DEFAULT_AUTO_DEBIT_TIMES = {
  consultTtlMs: 30 * 60_000,
  // RFC 6749 §4.1.2 recommends at most 10 minutes for authorisation codes.
  authCodeTtlMs: 10 * 60_000,
  accessTokenTtlMs: 30 * 86_400_000,
  refreshTokenTtlMs: 365 * 86_400_000,
} as const;

/** Antom: an Auto Debit payment waits at most 1 minute; `paymentExpiryTime` may only shorten that. */
const AGREEMENT_PAYMENT_EXPIRY_MS = 60_000;

/** The login id the simulated wallet user has unless the tester names one. */
export const DEFAULT_SANDBOX_LOGIN_ID = 'sandbox_user@amsgate.test';

export type AuthorizationDecision = { agree: true; userLoginId?: string } | { agree: false };

export interface DecisionResult {
  consult: ConsultRecord;
  /** Where the browser goes next. */
  redirectUrl: string;
  /** Only when agreed; shown once. */
  authCode?: string;
}

export class AutoDebitService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: AutoDebitOptions,
    private readonly events: PaymentEventSink,
  ) {}

  // -------------------------------------------------------------------------
  // authorizations/consult

  async consult(clientId: string, request: AuthConsultRequest): Promise<ResponseBody> {
    const now = this.clock.now();
    const consultId = newId('ACN', now);
    await this.database.transaction((tx) =>
      insertConsult(tx, {
        consult_id: consultId,
        client_id: clientId,
        customer_belongs_to: request.customerBelongsTo,
        auth_redirect_url: request.authRedirectUrl,
        auth_state: request.authState,
        scopes: JSON.stringify([...new Set(request.scopes)]),
        terminal_type: request.terminalType,
        auth_client_id: request.authClientId ?? null,
        notify_url: request.authNotifyUrl ?? null,
        status: 'PENDING',
        created_at: now,
        expires_at: now + this.options.consultTtlMs,
        decided_at: null,
      }),
    );
    const url = this.options.authorizeUrl(consultId);
    // The spec's response names schemeUrl / applinkUrl / normalUrl (≥ 1) and authUrl: ours is a web page, so normalUrl and authUrl,
    // and on a phone (WAP, APP) the links that would open the wallet's app, leading to the same page.
    return { result: { ...SUCCESS_RESULT }, authUrl: url, normalUrl: url, ...appLinksOf(url, request.terminalType) };
  }

  /** The consult behind an authorisation page, by its unguessable id. */
  async findConsult(consultId: string): Promise<ConsultRecord | undefined> {
    return findConsult(this.database.db, consultId);
  }

  isExpired(consult: ConsultRecord): boolean {
    return consult.status === 'PENDING' && consult.expiresAt <= this.clock.now();
  }

  /**
   * The user's answer on the authorisation page (or the sandbox control
   * API). Agree issues the auth code and raises AUTHCODE_CREATED in the
   * same transaction. A consult is decided once; an unknown one →
   * ORDER_NOT_EXIST, an expired or decided one → OAUTH_FAILED.
   */
  async decide(consultId: string, decision: AuthorizationDecision): Promise<DecisionResult> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const consult = await findConsult(tx, consultId);
      if (!consult) throw new AmsError('ORDER_NOT_EXIST', `No authorisation request ${consultId}`);
      if (consult.status !== 'PENDING') throw new AmsError('OAUTH_FAILED', `The authorisation request was already ${consult.status.toLowerCase()}`);
      if (consult.expiresAt <= now) throw new AmsError('OAUTH_FAILED', 'The authorisation request has expired; the merchant must consult again');
      if (!(await decideConsult(tx, consultId, decision.agree ? 'AGREED' : 'DECLINED', now))) {
        throw new AmsError('OAUTH_FAILED', 'The authorisation request was decided meanwhile');
      }
      const decided: ConsultRecord = { ...consult, status: decision.agree ? 'AGREED' : 'DECLINED', decidedAt: now };
      if (!decision.agree) return { consult: decided, redirectUrl: withQuery(consult.authRedirectUrl, { authState: consult.authState }) };

      const loginId = decision.userLoginId?.trim() || DEFAULT_SANDBOX_LOGIN_ID;
      if (loginId.length > 64) throw AmsError.paramIllegal('userLoginId', 'must be at most 64 characters');
      const userId = walletUserId(consult.customerBelongsTo, loginId);
      const userLoginId = maskLoginId(loginId);
      const authCode = newSecret('authCode');
      await insertAuthCode(tx, {
        code_hash: hashSecret(authCode),
        consult_id: consultId,
        client_id: consult.clientId,
        user_id: userId,
        user_login_id: userLoginId,
        created_at: now,
        expires_at: now + this.options.authCodeTtlMs,
        used_at: null,
      });
      await this.events.record(tx, {
        kind: 'authorization',
        notice: {
          clientId: consult.clientId,
          authorizationNotifyType: 'AUTHCODE_CREATED',
          eventKey: `auth-code:${consultId}`,
          resourceId: consultId,
          notifyUrl: consult.notifyUrl,
          authClientId: consult.authClientId,
          authState: consult.authState,
          authCode,
          userLoginId,
          userId,
        },
      }, now);
      return { consult: decided, authCode, redirectUrl: withQuery(consult.authRedirectUrl, { authCode, authState: consult.authState }) };
    });
  }

  // -------------------------------------------------------------------------
  // authorizations/applyToken

  async applyToken(clientId: string, request: ApplyTokenRequest): Promise<ResponseBody> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      if (request.grantType === 'AUTHORIZATION_CODE') {
        const authCode = request.authCode ?? '';
        const codeHash = hashSecret(authCode);
        // The spec names no applyToken codes [?]: a bad auth code is OAUTH_FAILED (the authorisation flow failed: consult again).
        const found = await findAuthCode(tx, clientId, codeHash);
        if (!found) throw new AmsError('OAUTH_FAILED', 'authCode is not valid');
        if (found.consult.customerBelongsTo !== request.customerBelongsTo) {
          throw new AmsError('OAUTH_FAILED', `authCode was not issued for customerBelongsTo ${request.customerBelongsTo}`);
        }
        if (found.usedAt !== null) throw new AmsError('OAUTH_FAILED', 'authCode has already been used');
        if (found.expiresAt <= now) throw new AmsError('OAUTH_FAILED', 'authCode has expired; the merchant must consult again');
        if (!(await useAuthCode(tx, codeHash, now))) throw new AmsError('OAUTH_FAILED', 'authCode has already been used');

        const refreshToken = newSecret('refreshToken');
        const grant: GrantRecord = {
          grantId: newId('AGR', now),
          clientId,
          consultId: found.consult.consultId,
          customerBelongsTo: found.consult.customerBelongsTo,
          scopes: found.consult.scopes,
          authState: found.consult.authState,
          authClientId: found.consult.authClientId,
          userId: found.userId,
          userLoginId: found.userLoginId,
          notifyUrl: found.consult.notifyUrl,
          refreshExpiresAt: now + this.options.refreshTokenTtlMs,
          createdAt: now,
          revokedAt: null,
        };
        await insertGrant(tx, {
          grant_id: grant.grantId,
          client_id: clientId,
          consult_id: grant.consultId,
          customer_belongs_to: grant.customerBelongsTo,
          scopes: JSON.stringify(grant.scopes),
          auth_state: grant.authState,
          auth_client_id: grant.authClientId,
          user_id: grant.userId,
          user_login_id: grant.userLoginId,
          notify_url: grant.notifyUrl,
          refresh_token_hash: hashSecret(refreshToken),
          refresh_expires_at: grant.refreshExpiresAt,
          created_at: now,
          revoked_at: null,
        });
        return this.issueAccessToken(tx, grant, refreshToken, now);
      }

      // REFRESH_TOKEN. No code is documented for a bad refresh token [?]: INVALID_ACCESS_TOKEN, whose action (re-authorise) is the one that applies.
      const refreshToken = request.refreshToken ?? '';
      const grant = await findGrantByRefreshToken(tx, clientId, hashSecret(refreshToken));
      if (!grant || grant.customerBelongsTo !== request.customerBelongsTo) throw new AmsError('INVALID_ACCESS_TOKEN', 'refreshToken is not valid');
      if (grant.revokedAt !== null) throw new AmsError('INVALID_ACCESS_TOKEN', 'refreshToken was revoked');
      if (grant.refreshExpiresAt <= now) throw new AmsError('INVALID_ACCESS_TOKEN', 'refreshToken has expired; the user must authorise again');
      return this.issueAccessToken(tx, grant, refreshToken, now);
    });
  }

  private async issueAccessToken(tx: Tx, grant: GrantRecord, refreshToken: string, now: number): Promise<ResponseBody> {
    const accessToken = newSecret('accessToken');
    const expiresAt = now + this.options.accessTokenTtlMs;
    await insertAccessToken(tx, { token_hash: hashSecret(accessToken), grant_id: grant.grantId, client_id: grant.clientId, created_at: now, expires_at: expiresAt });
    return {
      result: { ...SUCCESS_RESULT },
      accessToken,
      accessTokenExpiryTime: wireTime(expiresAt),
      // The refresh token is not rotated: a refresh answers the same one, with its original expiry.
      refreshToken,
      refreshTokenExpiryTime: wireTime(grant.refreshExpiresAt),
      // Masked, and (per the spec) for the AGREEMENT_PAY scope.
      ...(grant.scopes.includes('AGREEMENT_PAY') || grant.scopes.includes('USER_LOGIN_ID') ? { userLoginId: grant.userLoginId } : {}),
      pspCustomerInfo: pspCustomerInfoOf(grant.customerBelongsTo, walletCustomerOf(grant)),
    };
  }

  // -------------------------------------------------------------------------
  // authorizations/query

  /**
   * The status of one of the client's access tokens: `ACTIVE` while it can
   * pay, `INACTIVE` once revoked (its grant) or expired, with its expiry
   * times. The refresh token is not answered: only its digest is kept. An
   * unknown or another client's token → INVALID_ACCESS_TOKEN, as for revoke.
   * (No SDK publishes the values of `tokenStatusType`; these are ours.)
   */
  async query(clientId: string, request: QueryTokenRequest): Promise<AnswerBody<'authorizations/query'>> {
    const now = this.clock.now();
    const token = await this.database.read((tx) => findAccessToken(tx, clientId, hashSecret(request.accessToken)));
    if (!token) throw new AmsError('INVALID_ACCESS_TOKEN', 'accessToken is not valid');
    const active = token.grant.revokedAt === null && token.expiresAt > now;
    return {
      result: { ...SUCCESS_RESULT },
      accessToken: request.accessToken,
      accessTokenExpiryTime: wireTime(token.expiresAt),
      refreshTokenExpiryTime: wireTime(token.grant.refreshExpiresAt),
      tokenStatusType: active ? 'ACTIVE' : 'INACTIVE',
    };
  }

  // -------------------------------------------------------------------------
  // authorizations/revoke

  /**
   * Revokes the grant of an access token: all its access tokens and its
   * refresh token. Repeating it (or revoking an expired token of the client)
   * answers SUCCESS; an unknown or another client's token → INVALID_ACCESS_TOKEN.
   */
  async revoke(clientId: string, request: RevokeRequest): Promise<ResponseBody> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const token = await findAccessToken(tx, clientId, hashSecret(request.accessToken));
      if (!token) throw new AmsError('INVALID_ACCESS_TOKEN', 'accessToken is not valid');
      const { grant } = token;
      if (await revokeGrant(tx, grant.grantId, now)) {
        await this.events.record(tx, {
          kind: 'authorization',
          notice: {
            clientId,
            authorizationNotifyType: 'TOKEN_CANCELED',
            eventKey: `token-canceled:${grant.grantId}`,
            resourceId: grant.consultId,
            notifyUrl: grant.notifyUrl,
            authClientId: grant.authClientId,
            authState: grant.authState,
            accessToken: request.accessToken,
            reason: 'The merchant revoked the authorisation',
            userLoginId: grant.userLoginId,
            userId: grant.userId,
          },
        }, now);
      }
      return { result: { ...SUCCESS_RESULT } };
    });
  }

  // -------------------------------------------------------------------------
  // payments/pay, AGREEMENT_PAYMENT

  /**
   * Debits the wallet behind the access token in `paymentMethod.paymentMethodId`,
   * synchronously: `S` SUCCESS (journal PAY), or `F` with the wallet's code
   * (sandbox triggers). A revoked, expired, unknown or another client's
   * token, one of another wallet or without the AGREEMENT_PAY scope →
   * INVALID_ACCESS_TOKEN and nothing is recorded (the paymentRequestId
   * stays free). Idempotent on paymentRequestId in the same key space as
   * cashier pay.
   */
  async pay(context: KeyedHandlerContext, request: PayAgreementRequest): Promise<ResponseBody> {
    const { clientId } = context;
    const now = this.clock.now();
    const amount = parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    // The syntax is checked here, before anything is written; the time once the paymentRequestId is claimed.
    const expiresAt = expiryTime(request.paymentExpiryTime, now, AGREEMENT_PAYMENT_EXPIRY_MS);
    const tokenHash = hashSecret(request.paymentMethod.paymentMethodId);
    const storedMethodId = storedPaymentMethodId(tokenHash);
    // The normalised request as kept with the payment, the token replaced by its digest.
    const storedRequestJson = JSON.stringify({ ...request, paymentMethod: { ...request.paymentMethod, paymentMethodId: storedMethodId } });
    const paymentId = newId('PAY', now);
    const { settlement, buyerPayment } = this.options.conversionsOf(request, amount);

    const payment = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, paymentId, now, (id) => findPayment(tx, clientId, { paymentId: id }));
      // A repeat answers the recorded payment, however late it comes.
      if (!claim.claimed) return claim.recorded;
      // A refusal from here on rolls the key back with the transaction.
      checkNewAgreementExpiry(expiresAt, now);

      const token = await findAccessToken(tx, clientId, tokenHash);
      // One code and one message for every reason, so nothing tells whether a token exists elsewhere.
      if (!token || token.grant.revokedAt !== null || token.expiresAt <= now || token.grant.customerBelongsTo !== request.paymentMethod.paymentMethodType) {
        throw new AmsError('INVALID_ACCESS_TOKEN', 'The access token in paymentMethod.paymentMethodId is expired, revoked or not found');
      }
      if (!token.grant.scopes.includes('AGREEMENT_PAY')) {
        throw new AmsError('INVALID_ACCESS_TOKEN', 'The access token was not authorised for the AGREEMENT_PAY scope');
      }
      const failure = this.options.amountDecline?.(amount.minor);
      const record: PaymentRecord = {
        paymentId,
        clientId,
        paymentRequestId: request.paymentRequestId,
        productCode: 'AGREEMENT_PAYMENT',
        status: failure ? 'FAIL' : 'SUCCESS',
        resultCode: failure ? failure.resultCode : 'SUCCESS',
        resultMessage: failure ? failure.resultMessage : 'success',
        currency: amount.currency,
        amount: amount.minor,
        paymentMethodType: request.paymentMethod.paymentMethodType,
        paymentMethodId: storedMethodId,
        referenceOrderId: request.order.referenceOrderId,
        orderDescription: request.order.orderDescription,
        redirectUrl: request.paymentRedirectUrl ?? null,
        notifyUrl: request.paymentNotifyUrl ?? null,
        createdAt: now,
        updatedAt: now,
        expiresAt,
        paidAt: failure ? null : now,
        closedAt: failure ? now : null,
        settlement,
        metadata: request.metadata ?? null,
        taxCalculationId: request.taxCalculationId ?? null,
        buyerPayment,
        card: null,
        // The wallet user who agreed: pspCustomerInfo once paid, as applyToken answered it.
        walletCustomer: walletCustomerOf(token.grant),
      };
      await insertPaymentWithTransaction(tx, record, storedRequestJson);
      if (record.status === 'SUCCESS') {
        await recordJournal(tx, {
          clientId, paymentId, movement: 'PAY', now,
          lines: [
            { account: accounts.paymentMethod(record.paymentMethodType), currency: record.currency, amount: -record.amount },
            { account: accounts.merchantBalance(clientId), currency: record.currency, amount: record.amount },
          ],
        });
      }
      await this.events.record(tx, { kind: 'payment-final', payment: record }, now);
      return record;
    });
    // A settled payment's answer needs no checkout URL.
    return payAnswer(payment, '');
  }
}

/** A new Auto Debit payment's expiry is in the future (`checkNewExpiry`) and within the minute after the request. */
function checkNewAgreementExpiry(expiresAt: number, now: number): void {
  checkNewExpiry(expiresAt, now);
  if (expiresAt > now + AGREEMENT_PAYMENT_EXPIRY_MS) throw AmsError.paramIllegal('paymentExpiryTime', 'may be at most 1 minute after the request for AGREEMENT_PAYMENT');
}

/** `url` with the parameters appended to its query (before any fragment). */
export function withQuery(url: string, parameters: Record<string, string>): string {
  const query = new URLSearchParams(parameters).toString();
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}${query}${fragment}`;
}

/** The wallet account of an agreement: the user who agreed (the id notifyAuthorization carries, the masked login applyToken answers). */
function walletCustomerOf(grant: Pick<GrantRecord, 'userId' | 'userLoginId'>): WalletCustomer {
  return { pspCustomerId: grant.userId, displayCustomerId: grant.userLoginId };
}
