/**
 * Vaulting: card tokens made from a session (the buyer enters the card on
 * the sandbox vaulting page) or from a card a PCI merchant sends, the
 * 3-D Secure challenge some need first, inquiries, nonces and the token
 * endpoints. Each change is one transaction with its notifyVaulting row.
 *
 * What decides an outcome is the published test card: a success card (or
 * the 3DS-exemption card) is stored, a failure card or any other number
 * fails with VERIFICATION_FAIL. `is3DSAuthentication: true` makes the
 * buyer pass a challenge first (the exemption card skips it).
 */
import { AmsError, RESULT_CODES, SUCCESS_RESULT, type CardInput, type CreateVaultingSessionRequest, type DeleteTokenRequest, type InquireTokenRequest, type InquireVaultingRequest, type UpdateTokenRequest, type VaultPaymentMethodRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Database, Tx } from '../../schema.js';
import { wireTime } from '../payments/answers.js';
import { parseWireTime } from '../payments/wire-time.js';
import { cardFactsOf } from '../cards/test-cards.js';
import { readCardInput, type ReadCard } from './card-input.js';
import { inquireVaultingAnswer, vaultPaymentMethodAnswer, vaultingResultBody, type VaultAnswer } from './vault-answers.js';
import { cardExpiresAt, storedCardColumns, testCardOf, type CardTokenRecord, type StoredCard, type VaultingRecord } from './vault-records.js';
import { findCardToken, findVaultingById, findVaultingByRequestId, insertCardToken, insertVaulting, spendNonce, updateCardToken, updateVaulting } from './vaults-repository.js';

export interface VaultServiceOptions {
  /** The sandbox vaulting page of a vaulting (`normalUrl`). */
  pageUrl: (vaultingId: string) => string;
  /** How long a vaulting session's page takes a card. The docs give no figure: 30 minutes here. */
  sessionTtlMs: number;
  /** How long a nonce from fetchNonce can be used (once). */
  nonceTtlMs: number;
}

export const DEFAULT_VAULT_OPTIONS: Omit<VaultServiceOptions, 'pageUrl'> = { sessionTtlMs: 30 * 60_000, nonceTtlMs: 15 * 60_000 };

/** What the buyer did on the challenge page. */
export type ChallengeOutcome = 'pass' | 'fail';

const IN_PROCESS = { resultCode: 'VERIFICATION_IN_PROCESS', resultMessage: RESULT_CODES.VERIFICATION_IN_PROCESS.message } as const;

export class VaultService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: VaultServiceOptions,
    private readonly outbox: NotificationOutbox,
  ) {}

  pageUrl(vaultingId: string): string {
    return this.options.pageUrl(vaultingId);
  }

  // ---------------------------------------------------------------------------
  // Sessions and direct vaulting

  async createSession(context: KeyedHandlerContext, request: CreateVaultingSessionRequest): Promise<VaultAnswer> {
    const now = this.clock.now();
    const vaultingId = newId('VLT', now);
    const vaulting = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, vaultingId, now, (id) => findVaultingById(tx, id));
      if (!claim.claimed) return this.closeIfExpired(tx, claim.recorded, now);
      const record: VaultingRecord = {
        vaultingId, clientId: context.clientId, vaultingRequestId: request.vaultingRequestId, source: 'SESSION', status: 'PROCESSING', ...IN_PROCESS,
        notifyUrl: request.vaultingNotificationUrl, redirectUrl: request.redirectUrl ?? null, require3ds: request.is3DSAuthentication === true, metadata: null,
        card: null, cardToken: null, createdAt: now, updatedAt: now, expiresAt: now + this.options.sessionTtlMs, completedAt: null,
      };
      await insertVaulting(tx, rowOf(record));
      return record;
    });
    const normalUrl = this.pageUrl(vaulting.vaultingId);
    const sessionData = Buffer.from(JSON.stringify({ vaultingSessionId: vaulting.vaultingId, normalUrl, paymentMethodType: 'CARD' })).toString('base64');
    return {
      result: { ...SUCCESS_RESULT },
      vaultingSessionData: sessionData,
      vaultingSessionId: vaulting.vaultingId,
      vaultingSessionExpiryTime: wireTime(vaulting.expiresAt),
      normalUrl,
    };
  }

  async vaultPaymentMethod(context: KeyedHandlerContext, request: VaultPaymentMethodRequest): Promise<VaultAnswer> {
    const now = this.clock.now();
    const vaultingId = newId('VLT', now);
    const cardInput = request.paymentMethodDetail.card;
    const vaulting = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, vaultingId, now, (id) => findVaultingById(tx, id));
      if (!claim.claimed) return this.closeIfExpired(tx, claim.recorded, now);
      // Refusals from here roll the key back with the transaction: the vaultingRequestId stays free.
      const card = await this.cardOf(tx, context.clientId, cardInput, 'paymentMethodDetail.card', now);
      const record: VaultingRecord = {
        vaultingId, clientId: context.clientId, vaultingRequestId: request.vaultingRequestId, source: 'DIRECT', status: 'PROCESSING', ...IN_PROCESS,
        notifyUrl: request.vaultingNotificationUrl, redirectUrl: request.redirectUrl, require3ds: cardInput.is3DSAuthentication === true,
        metadata: request.metadata ?? null, card: card.stored, cardToken: null, createdAt: now, updatedAt: now, expiresAt: now + this.options.sessionTtlMs, completedAt: null,
      };
      await insertVaulting(tx, rowOf(record));
      return this.afterCardSubmitted(tx, record, card, now);
    });
    return vaultPaymentMethodAnswer(vaulting, this.pageUrl(vaulting.vaultingId));
  }

  async inquire(clientId: string, request: InquireVaultingRequest): Promise<VaultAnswer> {
    const now = this.clock.now();
    const vaulting = await this.database.transaction(async (tx) => {
      const found = await findVaultingByRequestId(tx, clientId, request.vaultingRequestId);
      if (!found) throw new AmsError('VAULTING_NOT_EXIST', `No vaulting with vaultingRequestId ${request.vaultingRequestId}`);
      return this.closeIfExpired(tx, found, now);
    });
    return inquireVaultingAnswer(vaulting, this.pageUrl(vaulting.vaultingId));
  }

  /** The vaulting behind a page link (its unguessable id), closed first if its time is up. */
  async findForPage(vaultingId: string): Promise<VaultingRecord | undefined> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const found = await findVaultingById(tx, vaultingId);
      return found && this.closeIfExpired(tx, found, now);
    });
  }

  /** The buyer entered a card on the vaulting page of a session. */
  async submitCard(vaultingId: string, input: CardInput): Promise<VaultingRecord> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const vaulting = await this.pendingForPage(tx, vaultingId, now);
      if (vaulting.card !== null) throw new AmsError('PROCESS_FAIL', 'A card was already entered; complete its 3-D Secure challenge');
      const card = readCardInput(input, 'card', now);
      // Only while no card is in: two submits at once must not swap the card waiting for its challenge.
      const moved = await updateVaulting(tx, vaultingId, 'PROCESSING', { ...storedCardColumns(card.stored), updated_at: now }, { cardless: true });
      if (!moved) throw new AmsError('PROCESS_FAIL', 'The vaulting changed meanwhile; reload the page');
      return this.afterCardSubmitted(tx, { ...vaulting, card: card.stored, updatedAt: now }, card, now);
    });
  }

  /** The buyer passed or failed the 3-D Secure challenge of a submitted card. */
  async completeChallenge(vaultingId: string, outcome: ChallengeOutcome): Promise<VaultingRecord> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const vaulting = await this.pendingForPage(tx, vaultingId, now);
      if (vaulting.card === null) throw new AmsError('PROCESS_FAIL', 'No card waits for a challenge; enter the card first');
      if (outcome === 'fail') return this.finish(tx, vaulting, { status: 'FAIL', resultCode: 'VERIFICATION_FAIL', resultMessage: 'The buyer failed the 3-D Secure challenge' }, now);
      return this.store(tx, vaulting, vaulting.card, now);
    });
  }

  private async pendingForPage(tx: Tx, vaultingId: string, now: number): Promise<VaultingRecord> {
    const found = await findVaultingById(tx, vaultingId);
    if (!found) throw new AmsError('VAULTING_NOT_EXIST', `No vaulting ${vaultingId}`);
    const vaulting = await this.closeIfExpired(tx, found, now);
    if (vaulting.status !== 'PROCESSING') throw new AmsError('PROCESS_FAIL', `This vaulting is already ${vaulting.status} (${vaulting.resultCode})`);
    return vaulting;
  }

  /** A card is in: a failure or unknown card fails; one that needs a challenge waits for it; any other is stored. */
  private async afterCardSubmitted(tx: Tx, vaulting: VaultingRecord, card: ReadCard, now: number): Promise<VaultingRecord> {
    const testCard = card.testCard;
    if (!testCard || testCard.outcome === 'failure') {
      const resultMessage = testCard ? 'The issuing bank declined to verify the card' : 'Only the published sandbox test cards verify here';
      return this.finish(tx, vaulting, { status: 'FAIL', resultCode: 'VERIFICATION_FAIL', resultMessage }, now);
    }
    if (vaulting.require3ds && testCard.outcome !== '3ds-exemption') return vaulting;
    return this.store(tx, vaulting, card.stored, now);
  }

  /** Issues the card token and finishes the vaulting SUCCESS. */
  private async store(tx: Tx, vaulting: VaultingRecord, card: StoredCard, now: number): Promise<VaultingRecord> {
    const cardToken = newId('CTK', now);
    await insertCardToken(tx, {
      card_token: cardToken, client_id: vaulting.clientId, vaulting_id: vaulting.vaultingId, ...storedCardColumns(card),
      card_bin: card.bin, card_last4: card.lastFour, card_expiry_month: card.expiryMonth, card_expiry_year: card.expiryYear,
      email: null, token_expires_at: cardExpiresAt(card), kind: 'TOKEN', created_at: now, updated_at: now, deleted_at: null, used_at: null,
    });
    return this.finish(tx, vaulting, { status: 'SUCCESS', resultCode: 'SUCCESS', resultMessage: 'success', cardToken, card }, now);
  }

  private async finish(
    tx: Tx,
    vaulting: VaultingRecord,
    end: { status: 'SUCCESS' | 'FAIL'; resultCode: string; resultMessage: string; cardToken?: string; card?: StoredCard },
    now: number,
    options: { raced?: 'refuse' | 'reread' } = {},
  ): Promise<VaultingRecord> {
    const moved = await updateVaulting(tx, vaulting.vaultingId, 'PROCESSING', {
      status: end.status, result_code: end.resultCode, result_message: end.resultMessage, card_token: end.cardToken ?? null,
      ...(end.card ? storedCardColumns(end.card) : {}), updated_at: now, completed_at: now,
    });
    if (!moved) {
      const current = options.raced === 'reread' ? await findVaultingById(tx, vaulting.vaultingId) : undefined;
      if (current) return current;
      throw new AmsError('PROCESS_FAIL', 'The vaulting changed meanwhile; inquire it');
    }
    const finished: VaultingRecord = {
      ...vaulting, status: end.status, resultCode: end.resultCode, resultMessage: end.resultMessage,
      cardToken: end.cardToken ?? null, card: end.card ?? vaulting.card, updatedAt: now, completedAt: now,
    };
    await this.outbox.record(tx, {
      clientId: finished.clientId, notifyType: 'VAULTING_RESULT', eventKey: `vaulting:${finished.vaultingId}`, resourceId: finished.vaultingId,
      requestUrl: finished.notifyUrl, body: vaultingResultBody(finished),
    }, now);
    return finished;
  }

  /**
   * A pending vaulting past its time fails (PROCESS_FAIL, notified); any
   * other is as it is. When another process closed or finished it first,
   * the vaulting as that process left it.
   */
  private async closeIfExpired(tx: Tx, vaulting: VaultingRecord, now: number): Promise<VaultingRecord> {
    if (vaulting.status !== 'PROCESSING' || vaulting.expiresAt > now) return vaulting;
    return this.finish(tx, vaulting, { status: 'FAIL', resultCode: 'PROCESS_FAIL', resultMessage: 'The vaulting session expired before the card was stored' }, now, { raced: 'reread' });
  }

  /** The card a request gives: its number, or a nonce from fetchNonce in `cardToken` (spent here). */
  private async cardOf(tx: Tx, clientId: string, input: CardInput, field: string, now: number): Promise<ReadCard> {
    if (input.cardNo === undefined && input.cardToken !== undefined) {
      const nonce = await findCardToken(tx, clientId, input.cardToken);
      if (!nonce || nonce.kind !== 'NONCE' || nonce.usedAt !== null || nonce.tokenExpiresAt <= now || !(await spendNonce(tx, nonce.cardToken, now))) {
        throw AmsError.paramIllegal(`${field}.cardToken`, 'is not a nonce from fetchNonce that is unused and unexpired');
      }
      return { testCard: testCardOf(nonce.card), stored: nonce.card };
    }
    return readCardInput(input, field, now);
  }

  // ---------------------------------------------------------------------------
  // Nonces and tokens

  /** A single-use card token for `card`, valid for `nonceTtlMs`: vaultPaymentMethod or pay take it instead of the number. */
  async fetchNonce(clientId: string, input: CardInput | undefined, field: string): Promise<VaultAnswer> {
    const now = this.clock.now();
    if (input === undefined) throw AmsError.paramIllegal(field, 'is required');
    const card = readCardInput(input, field, now);
    if (!card.testCard) throw new AmsError('PROCESS_FAIL', `${field}.cardNo is not one of the published sandbox test cards`);
    const nonce = newId('NCE', now);
    await this.database.transaction((tx) => insertCardToken(tx, {
      card_token: nonce, client_id: clientId, vaulting_id: null, ...storedCardColumns(card.stored),
      card_bin: card.stored.bin, card_last4: card.stored.lastFour, card_expiry_month: card.stored.expiryMonth, card_expiry_year: card.stored.expiryYear,
      email: null, token_expires_at: now + this.options.nonceTtlMs, kind: 'NONCE', created_at: now, updated_at: now, deleted_at: null, used_at: null,
    }));
    return { result: { ...SUCCESS_RESULT }, cardToken: nonce };
  }

  async inquireToken(clientId: string, request: InquireTokenRequest): Promise<VaultAnswer> {
    const token = await this.database.read((tx) => this.liveToken(tx, clientId, request.token));
    const testCard = testCardOf(token.card);
    const facts = testCard ? cardFactsOf(testCard) : undefined;
    return {
      result: { ...SUCCESS_RESULT },
      token: token.cardToken,
      ...(token.card.holder ? { accountHolderName: token.card.holder } : {}),
      ...(token.email !== null ? { email: token.email } : {}),
      ...(facts ? { issuerName: facts.issuerName, issuingCountry: facts.issuingCountry } : {}),
      tokenExpiryTime: wireTime(token.tokenExpiresAt),
    };
  }

  async updateToken(clientId: string, request: UpdateTokenRequest): Promise<VaultAnswer> {
    const now = this.clock.now();
    const expiresAt = request.tokenExpiryTime === undefined ? undefined : parseWireTime(request.tokenExpiryTime);
    if (request.tokenExpiryTime !== undefined && (expiresAt === undefined || expiresAt <= now)) throw AmsError.paramIllegal('tokenExpiryTime', 'must be a date-time in the future');
    await this.database.transaction(async (tx) => {
      const token = await this.liveToken(tx, clientId, request.token);
      await updateCardToken(tx, token.cardToken, {
        ...(request.accountHolderName !== undefined ? { cardholder_name: JSON.stringify(request.accountHolderName) } : {}),
        ...(request.email !== undefined ? { email: request.email } : {}),
        ...(expiresAt !== undefined ? { token_expires_at: expiresAt } : {}),
        updated_at: now,
      });
    });
    return { result: { ...SUCCESS_RESULT }, token: request.token };
  }

  /** Deletes a token; deleting it again answers SUCCESS (a retried delete must not look like a failure). */
  async deleteToken(clientId: string, request: DeleteTokenRequest): Promise<VaultAnswer> {
    const now = this.clock.now();
    await this.database.transaction(async (tx) => {
      const token = await findCardToken(tx, clientId, request.token);
      if (!token || token.kind !== 'TOKEN') throw tokenNotExist();
      if (token.deletedAt === null) await updateCardToken(tx, token.cardToken, { deleted_at: now, updated_at: now });
    });
    return { result: { ...SUCCESS_RESULT } };
  }

  private async liveToken(tx: Tx, clientId: string, cardToken: string): Promise<CardTokenRecord> {
    const token = await findCardToken(tx, clientId, cardToken);
    if (!token || token.kind !== 'TOKEN' || token.deletedAt !== null) throw tokenNotExist();
    return token;
  }

  /**
   * The card behind `paymentMethodId` of a CARD payment, in the payment's
   * transaction: a live token of this client (not deleted, not expired) or
   * an unused nonce (spent here). Anything else is refused with one code
   * and one message, so nothing tells whether a token exists elsewhere.
   */
  async cardForPayment(tx: Tx, clientId: string, paymentMethodId: string, now: number): Promise<{ token: CardTokenRecord; onFile: boolean }> {
    const token = await findCardToken(tx, clientId, paymentMethodId);
    const usable = token !== undefined && token.deletedAt === null && (token.kind === 'TOKEN' || (token.usedAt === null && token.tokenExpiresAt > now));
    if (!usable) throw new AmsError('INVALID_PAYMENT_METHOD_META_DATA', 'paymentMethod.paymentMethodId is not a card token or nonce of this merchant (unknown, deleted or used)');
    if (token.kind === 'TOKEN' && (token.tokenExpiresAt <= now || cardExpiresAt(token.card) <= now)) {
      throw new AmsError('INVALID_EXPIRATION_DATE', 'The stored card of paymentMethod.paymentMethodId has expired');
    }
    if (token.kind === 'NONCE' && !(await spendNonce(tx, token.cardToken, now))) {
      throw new AmsError('INVALID_PAYMENT_METHOD_META_DATA', 'paymentMethod.paymentMethodId is not a card token or nonce of this merchant (unknown, deleted or used)');
    }
    return { token, onFile: token.kind === 'TOKEN' };
  }
}

function tokenNotExist(): AmsError {
  return new AmsError('TOKEN_NOT_EXIST', 'token is not a card token of this merchant, or it was deleted');
}

function rowOf(record: VaultingRecord) {
  return {
    vaulting_id: record.vaultingId,
    client_id: record.clientId,
    vaulting_request_id: record.vaultingRequestId,
    source: record.source,
    status: record.status,
    result_code: record.resultCode,
    result_message: record.resultMessage,
    notify_url: record.notifyUrl,
    redirect_url: record.redirectUrl,
    require_3ds: record.require3ds ? 1 : 0,
    metadata: record.metadata,
    ...storedCardColumns(record.card),
    card_token: record.cardToken,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    expires_at: record.expiresAt,
    completed_at: record.completedAt,
  };
}
