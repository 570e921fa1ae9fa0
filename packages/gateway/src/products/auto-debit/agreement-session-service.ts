/**
 * `payments/createPaymentSession` with `AGREEMENT_PAYMENT` (docs:
 * "createPaymentSession (Tokenized Payment)"; the SDKs'
 * AlipayAuthCreateSessionRequest): a session in which the buyer authorises
 * Auto Debit on a wallet. It is an authorisation request like
 * `authorizations/consult`, made from the session's fields: the wallet is
 * `paymentMethod.paymentMethodType`, the state `agreementInfo.authState`,
 * the scopes `scopes` (default `AGREEMENT_PAY`), and the buyer returns to
 * `paymentRedirectUrl`. The answer is the session (id, data, expiry) and,
 * for a browser, its link: the authorisation page. Agreeing there issues
 * the auth code (AUTHCODE_CREATED to the client's AUTHORIZATION URL, and
 * `paymentRedirectUrl?authCode=…&authState=…`), which
 * `authorizations/applyToken` exchanges for the access token Auto Debit
 * payments use, exactly as after consult.
 *
 * Keyed by `agreementInfo.authState` (the merchant's unique id of the
 * authorisation request; there is no paymentRequestId): a repeat answers the
 * same session; the same state with another wallet, redirect or scopes is
 * REPEAT_REQ_INCONSISTENT. The session lasts as an authorisation page does
 * (`consultTtlMs`).
 */
import { SUCCESS_RESULT, type CreateAgreementSessionRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { Database } from '../../schema.js';
import { newId } from '../../ids.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { wireTime, type ResponseBody } from '../payments/answers.js';
import { findConsult, insertConsult, type ConsultRecord } from './auto-debit-repository.js';

export interface AgreementSessionOptions {
  /** The authorisation page of a consult (the session's link). */
  authorizeUrl: (consultId: string) => string;
  /** How long the session (its authorisation page) can be used. */
  consultTtlMs: number;
}

/** What a session asks for when it names no scopes. */
const DEFAULT_SESSION_SCOPES = ['AGREEMENT_PAY'] as const;

export class AgreementSessionService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: AgreementSessionOptions,
  ) {}

  async create(context: KeyedHandlerContext, request: CreateAgreementSessionRequest): Promise<ResponseBody> {
    const { clientId } = context;
    const now = this.clock.now();
    const consultId = newId('ACN', now);
    const consult = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, consultId, now, async (id) => {
        const recorded = await findConsult(tx, id);
        return recorded?.clientId === clientId ? recorded : undefined;
      });
      if (!claim.claimed) return claim.recorded;
      const scopes = [...new Set(request.scopes ?? DEFAULT_SESSION_SCOPES)];
      const record: ConsultRecord = {
        consultId,
        clientId,
        customerBelongsTo: request.paymentMethod.paymentMethodType,
        authRedirectUrl: request.paymentRedirectUrl,
        authState: request.agreementInfo.authState,
        scopes,
        terminalType: request.env?.terminalType ?? 'WEB',
        authClientId: null,
        // A session names no notify URL: the client's default for AUTHORIZATION.
        notifyUrl: null,
        status: 'PENDING',
        createdAt: now,
        expiresAt: now + this.options.consultTtlMs,
        decidedAt: null,
      };
      await insertConsult(tx, {
        consult_id: record.consultId,
        client_id: clientId,
        customer_belongs_to: record.customerBelongsTo,
        auth_redirect_url: record.authRedirectUrl,
        auth_state: record.authState,
        scopes: JSON.stringify(record.scopes),
        terminal_type: record.terminalType,
        auth_client_id: null,
        notify_url: null,
        status: 'PENDING',
        created_at: now,
        expires_at: record.expiresAt,
        decided_at: null,
      });
      return record;
    });
    const paymentSessionData = `${consult.consultId}.${consult.expiresAt.toString(36)}`;
    return {
      result: { ...SUCCESS_RESULT },
      // Not a cashier session's `SES<payment>`: retrievePaymentSession (one-time payments) does not know it.
      paymentSessionId: `SESA${consult.consultId.slice(3)}`,
      paymentSessionData,
      paymentSessionExpiryTime: wireTime(consult.expiresAt),
      normalUrl: this.options.authorizeUrl(consult.consultId),
    };
  }
}
