/**
 * Sub-merchant registration for a marketplace: documents first
 * (submitAttachment), then merchants/register, which stays PROCESSING until
 * the sandbox decides — by itself `decisionDelayMs` later on the gateway
 * clock (SUCCESSFUL), or through the control API (approve, or reject with a
 * reason) — and notifies the result (notifyRegistration
 * REGISTRATION_RESULT, to the client's default URL for that type: the
 * register request names none). A registered sub-merchant's settlement
 * accounts change with merchants/settlementInfo/update.
 */
import {
  AmsError,
  SUCCESS_RESULT,
  type NotifyRegistrationBody,
  type RegisterRequest,
  type SettlementBankAccount,
  type SettlementInfoUpdateRequest,
  type SubmitAttachmentRequest,
} from '@amsgate/protocol';
import { maskCardData, maskCardDataInText } from '../cards/card-data-mask.js';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Database, Tx } from '../../schema.js';
import {
  decideSubMerchant,
  dueRegistrations,
  findAttachment,
  findSubMerchant,
  insertAttachment,
  insertSubMerchant,
  restartSubMerchant,
  updateSettlementAccounts,
  type SubMerchantRow,
} from './marketplace-repository.js';

export interface SubMerchantOptions {
  /** How long the sandbox takes to approve a registration by itself (gateway clock). */
  readonly decisionDelayMs: number;
}

export const DEFAULT_SUB_MERCHANT_OPTIONS: SubMerchantOptions = { decisionDelayMs: 10_000 };

export const REGISTRATION_NOTIFY_TYPE = 'REGISTRATION_RESULT';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** What the sandbox's control API decides. */
export type RegistrationDecision = { status: 'SUCCESSFUL' } | { status: 'FAILED'; failReason: string };

export class SubMerchantService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: SubMerchantOptions,
    private readonly outbox: NotificationOutbox,
  ) {}

  async submitAttachment(context: KeyedHandlerContext, request: SubmitAttachmentRequest): Promise<AnswerBody<'business/attachment/submitAttachment'>> {
    if (!SHA256_HEX.test(request.fileSha256)) throw AmsError.paramIllegal('fileSha256', 'must be the SHA-256 of the file: 64 hexadecimal digits');
    const now = this.clock.now();
    const attachmentKey = `ATK${newId('TXN', now).slice(3)}`;
    return this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, attachmentKey, now, (key) => findAttachment(tx, context.clientId, key));
      const row: { attachment_key: string; submit_request_id: string } = claim.claimed
        ? { attachment_key: attachmentKey, client_id: context.clientId, submit_request_id: request.submitAttachmentRequestId, attachment_type: request.attachmentType, file_sha256: request.fileSha256.toLowerCase(), created_at: now }
        : claim.recorded;
      if (claim.claimed) await insertAttachment(tx, { ...row, client_id: context.clientId, attachment_type: request.attachmentType, file_sha256: request.fileSha256.toLowerCase(), created_at: now });
      return { result: { ...SUCCESS_RESULT }, submitAttachmentRequestId: row.submit_request_id, attachmentType: request.attachmentType, attachmentKey: row.attachment_key };
    });
  }

  async register(context: KeyedHandlerContext, request: RegisterRequest): Promise<AnswerBody<'merchants/register'>> {
    const settlementAccounts = settlementAccountsOf(request);
    const referenceMerchantId = request.merchantInfo.referenceMerchantId;
    if (request.merchantInfo.legalEntityType === 'COMPANY' && request.merchantInfo.company === undefined) {
      throw AmsError.paramIllegal('merchantInfo.company', 'required when merchantInfo.legalEntityType is COMPANY');
    }
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, referenceMerchantId, now, (id) => findSubMerchant(tx, context.clientId, id));
      if (!claim.claimed) return registerAnswer(claim.recorded);
      await this.checkAttachments(tx, context.clientId, request);
      const row = {
        client_id: context.clientId, reference_merchant_id: referenceMerchantId, registration_request_id: request.registrationRequestId,
        // Certificate and bank account numbers are kept masked: the sandbox never needs them back.
        status: 'PROCESSING' as const, fail_reason: null, request_json: maskCardDataInText(context.requestJson), settlement_accounts: JSON.stringify(maskCardData(settlementAccounts).value),
        decides_at: now + this.options.decisionDelayMs, decided_at: null, created_at: now, updated_at: now,
      };
      // Insert-or-nothing, then a restart only from FAILED: two registrations of one merchant at once make one.
      if (!(await insertSubMerchant(tx, row)) && !(await restartSubMerchant(tx, row))) {
        const existing = await findSubMerchant(tx, context.clientId, referenceMerchantId);
        throw AmsError.paramIllegal('merchantInfo.referenceMerchantId', `${referenceMerchantId} is registered already (registration ${existing?.registration_request_id ?? '?'}, ${existing?.status ?? '?'}); only a FAILED one can be registered again`);
      }
      return { result: { ...SUCCESS_RESULT }, registrationStatus: 'PROCESSING' };
    });
  }

  async updateSettlementInfo(context: KeyedHandlerContext, request: SettlementInfoUpdateRequest): Promise<AnswerBody<'merchants/settlementInfo/update'>> {
    if (!CURRENCY.test(request.settlementCurrency)) throw AmsError.paramIllegal('settlementCurrency', 'must be an ISO 4217 currency code such as USD');
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, request.referenceMerchantId, now, async () => true);
      if (!claim.claimed) return { result: { ...SUCCESS_RESULT }, updateStatus: 'SUCCESS' };
      const merchant = await findSubMerchant(tx, context.clientId, request.referenceMerchantId);
      if (merchant === undefined || merchant.status === 'FAILED') {
        throw new AmsError('MERCHANT_NOT_REGISTERED', `referenceMerchantId ${request.referenceMerchantId} is not a registered sub-merchant of this marketplace`);
      }
      const accounts = JSON.parse(merchant.settlement_accounts) as Record<string, SettlementBankAccount>;
      accounts[request.settlementCurrency] = maskCardData(request.settlementBankAccount).value as SettlementBankAccount;
      await updateSettlementAccounts(tx, context.clientId, request.referenceMerchantId, JSON.stringify(accounts), now);
      return { result: { ...SUCCESS_RESULT }, updateStatus: 'SUCCESS' };
    });
  }

  /** A sub-merchant of the client, or undefined. */
  find(clientId: string, referenceMerchantId: string): Promise<SubMerchantRow | undefined> {
    return this.database.read((tx) => findSubMerchant(tx, clientId, referenceMerchantId));
  }

  /** The sandbox decides a PROCESSING registration now: MERCHANT_NOT_REGISTERED when unknown, ORDER_STATUS_INVALID when decided already. */
  async decide(clientId: string, referenceMerchantId: string, decision: RegistrationDecision): Promise<SubMerchantRow> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const merchant = await findSubMerchant(tx, clientId, referenceMerchantId);
      if (merchant === undefined) throw new AmsError('MERCHANT_NOT_REGISTERED', `Client ${clientId} registered no sub-merchant ${referenceMerchantId}`);
      if (!(await this.decideIn(tx, merchant, decision, now))) {
        throw new AmsError('ORDER_STATUS_INVALID', `The registration of ${referenceMerchantId} is ${merchant.status} already`);
      }
      return (await findSubMerchant(tx, clientId, referenceMerchantId))!;
    });
  }

  /** Approves every registration whose decision time has come (the sweeper, clock advances). */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.database.read((tx) => dueRegistrations(tx, now, 100));
    let decided = 0;
    for (const { client_id: clientId, reference_merchant_id: referenceMerchantId } of due) {
      const done = await this.database.transaction(async (tx) => {
        const merchant = await findSubMerchant(tx, clientId, referenceMerchantId);
        return merchant !== undefined && merchant.status === 'PROCESSING' && (await this.decideIn(tx, merchant, { status: 'SUCCESSFUL' }, now));
      });
      if (done) decided++;
    }
    return decided;
  }

  private async decideIn(tx: Tx, merchant: SubMerchantRow, decision: RegistrationDecision, now: number): Promise<boolean> {
    const failReason = decision.status === 'FAILED' ? decision.failReason : null;
    if (!(await decideSubMerchant(tx, merchant.client_id, merchant.reference_merchant_id, { status: decision.status, failReason }, now))) return false;
    const body: NotifyRegistrationBody = {
      notifyType: REGISTRATION_NOTIFY_TYPE,
      referenceMerchantId: merchant.reference_merchant_id,
      registrationRequestId: merchant.registration_request_id,
      registrationStatus: decision.status,
      ...(failReason !== null ? { failReason } : {}),
    };
    await this.outbox.record(tx, {
      clientId: merchant.client_id,
      notifyType: REGISTRATION_NOTIFY_TYPE,
      eventKey: `registration:${merchant.reference_merchant_id}:${merchant.registration_request_id}`,
      resourceId: merchant.reference_merchant_id,
      requestUrl: null,
      body,
    }, now);
    return true;
  }

  /** Every file a registration names must be one this client submitted. */
  private async checkAttachments(tx: Tx, clientId: string, request: RegisterRequest): Promise<void> {
    const company = request.merchantInfo.company;
    const named: Array<[string, string]> = [
      ...(company?.attachments ?? []).map((attachment, i): [string, string] => [`merchantInfo.company.attachments[${i}].fileKey`, attachment.fileKey]),
      ...(company?.certificates?.fileKeys ?? []).map((key, i): [string, string] => [`merchantInfo.company.certificates.fileKeys[${i}]`, key]),
    ];
    for (const [field, key] of named) {
      if ((await findAttachment(tx, clientId, key)) === undefined) throw AmsError.paramIllegal(field, `${key} is not an attachmentKey submitAttachment answered`);
    }
  }
}

function registerAnswer(merchant: SubMerchantRow): AnswerBody<'merchants/register'> {
  return { result: { ...SUCCESS_RESULT }, registrationStatus: merchant.status };
}

/** settlementInfos as currency → bank account; a currency twice, or not ISO 4217, is refused naming it. */
function settlementAccountsOf(request: RegisterRequest): Record<string, SettlementBankAccount | null> {
  const accounts: Record<string, SettlementBankAccount | null> = {};
  request.settlementInfos.forEach((info, i) => {
    const field = `settlementInfos[${i}].settlementCurrency`;
    if (!CURRENCY.test(info.settlementCurrency)) throw AmsError.paramIllegal(field, 'must be an ISO 4217 currency code such as USD');
    if (Object.prototype.hasOwnProperty.call(accounts, info.settlementCurrency)) throw AmsError.paramIllegal(field, `${info.settlementCurrency} is given twice`);
    accounts[info.settlementCurrency] = info.settlementBankAccount ?? null;
  });
  return accounts;
}
