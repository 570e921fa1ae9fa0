/**
 * Merchant registration (acquirers and ISVs): `merchants/registration`
 * records a secondary merchant for review and answers `S` (accepted); the
 * review ends asynchronously, by itself `reviewDelayMs` later on the gateway
 * clock (every payment method approves), or earlier through the sandbox's
 * control API (approve, with some payment methods rejecting, or reject as a
 * whole). Its end is notified once (notifyRegistrationStatus) and answered
 * by `inquiryRegistrationStatus`; `inquiryRegistrationInfo` answers what the
 * merchant's latest completed registration holds.
 *
 * Rules (docs: registration, inquiryRegistrationStatus,
 * inquiryRegistrationInfo pages; the rest ours):
 * - keyed by `registrationRequestId`: a repeat with the same merchant,
 *   store and products answers the same; other values REPEAT_REQ_INCONSISTENT;
 * - a merchant (`referenceMerchantId`, per client) has one live
 *   registration: a new request while one is PENDING or COMPLETED is
 *   REPEAT_REGISTRATION; after a REJECTED one it may register again (the
 *   docs allow re-registering a merchant whose information was wrong);
 * - `storeInfo` is required with IN_STORE_PAYMENT (the schema refuses it);
 * - an unknown merchant or request id, or another client's, is
 *   RECORD_NOT_FOUND; a review past its end is finished by whatever looks at
 *   it first (an inquiry, the sweeper, a sandbox clock advance), once: a
 *   conditional update from PENDING.
 */
import { AmsError, SUCCESS_RESULT, type InquiryRegistrationInfoRequest, type InquiryRegistrationStatusRequest, type MerchantRegistrationRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Database } from '../../schema.js';
import { pspResultList, registrationResultOf } from './registration-answers.js';
import { recordRegistrationNotification } from './registration-notifications.js';
import type { PspResult, RegistrationRecord } from './registration-record.js';
import { decideRegistration, dueRegistrationIds, findAnyByRequestId, findByRequestId, findRegistrationById, insertRegistration, listForMerchant } from './registration-repository.js';

export interface RegistrationOptions {
  /** How long a review takes on the gateway clock before it ends by itself, every payment method approving. */
  reviewDelayMs: number;
  /** The payment methods (PSPs) that review each registration. */
  pspNames: readonly string[];
}

export const DEFAULT_REGISTRATION_OPTIONS: RegistrationOptions = { reviewDelayMs: 2 * 60_000, pspNames: ['ALIPAY_CN', 'ALIPAY_HK'] };

/** How the sandbox ends a review: approved (some payment methods may still reject it), or rejected as a whole. */
export type RegistrationDecision =
  | { outcome: 'approve'; rejectedPsps?: Readonly<Record<string, string>> }
  | { outcome: 'reject'; rejectReasons: string };

/** A sandbox decision that cannot apply (the registration is not PENDING, or names an unknown payment method). */
export class RegistrationDecisionError extends Error {}

export class RegistrationService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: RegistrationOptions,
    private readonly outbox: NotificationOutbox,
  ) {}

  async register(context: KeyedHandlerContext, request: MerchantRegistrationRequest): Promise<AnswerBody<'merchants/registration'>> {
    const { clientId } = context;
    const now = this.clock.now();
    const registration: RegistrationRecord = {
      registrationId: `REG${newId('ATT', now).slice(3)}`,
      clientId,
      registrationRequestId: request.registrationRequestId,
      referenceMerchantId: request.merchantInfo.referenceMerchantId,
      referenceStoreId: request.storeInfo?.referenceStoreId ?? null,
      productCodes: [...new Set(request.productCodes)],
      merchantInfo: request.merchantInfo,
      storeInfo: request.storeInfo ?? null,
      passThroughInfo: request.passThroughInfo ?? null,
      notifyUrl: request.registrationNotifyURL ?? null,
      status: 'PENDING',
      rejectReasons: null,
      pspResults: null,
      decideAt: now + this.options.reviewDelayMs,
      decidedAt: null,
      createdAt: now,
    };
    const answered = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, registration.registrationId, now, (id) => findRegistrationById(tx, id));
      if (!claim.claimed) return claim.recorded;
      if (!(await insertRegistration(tx, registration))) {
        const live = (await listForMerchant(tx, clientId, registration.referenceMerchantId)).filter((r) => r.status !== 'REJECTED').pop();
        const what = live ? `${live.status === 'PENDING' ? 'is under review' : 'is registered'} (registrationRequestId ${live.registrationRequestId})` : 'is registered';
        throw new AmsError('REPEAT_REGISTRATION', `merchantInfo.referenceMerchantId ${registration.referenceMerchantId} ${what}`);
      }
      return registration;
    });
    return { result: { ...SUCCESS_RESULT }, ...(answered.passThroughInfo !== null ? { passThroughInfo: answered.passThroughInfo } : {}) };
  }

  async inquiryStatus(clientId: string, request: InquiryRegistrationStatusRequest): Promise<AnswerBody<'merchants/inquiryRegistrationStatus'>> {
    if (request.registrationRequestId === undefined && request.referenceMerchantId === undefined) {
      throw AmsError.paramIllegal('registrationRequestId', 'give registrationRequestId or referenceMerchantId');
    }
    const found = await this.database.read(async (tx) => {
      const candidate = request.registrationRequestId !== undefined
        ? await findByRequestId(tx, clientId, request.registrationRequestId)
        : (await listForMerchant(tx, clientId, request.referenceMerchantId!)).filter((r) => request.referenceStoreId === undefined || r.referenceStoreId === request.referenceStoreId).pop();
      if (!candidate) return undefined;
      if (request.referenceMerchantId !== undefined && candidate.referenceMerchantId !== request.referenceMerchantId) return undefined;
      if (request.referenceStoreId !== undefined && candidate.referenceStoreId !== request.referenceStoreId) return undefined;
      return candidate;
    });
    if (!found) throw new AmsError('RECORD_NOT_FOUND', `No registration for ${describeLookup(request)}`);
    const registration = await this.current(found);
    return {
      result: { ...SUCCESS_RESULT },
      registrationResult: registrationResultOf(registration),
      pspRegistrationResultList: pspResultList(registration, this.options.pspNames),
    };
  }

  async inquiryInfo(clientId: string, request: InquiryRegistrationInfoRequest): Promise<AnswerBody<'merchants/inquiryRegistrationInfo'>> {
    const all = (await this.database.read((tx) => listForMerchant(tx, clientId, request.referenceMerchantId)))
      .filter((r) => request.referenceStoreId === undefined || r.referenceStoreId === request.referenceStoreId);
    if (all.length === 0) throw new AmsError('RECORD_NOT_FOUND', `No registration for ${describeLookup(request)}`);
    const current = await Promise.all(all.map((registration) => this.current(registration)));
    const completed = current.filter((r) => r.status === 'COMPLETED').pop();
    // Docs: without a successful registration, only the acceptance of the request is answered.
    if (!completed) return { result: { ...SUCCESS_RESULT } };
    return {
      result: { ...SUCCESS_RESULT },
      merchantInfo: completed.merchantInfo,
      ...(completed.storeInfo !== null ? { storeInfo: completed.storeInfo } : {}),
      productCodes: completed.productCodes,
    };
  }

  /**
   * The sandbox's decision on a PENDING registration, by its
   * registrationRequestId and the client's id (which may be left out when
   * only one client used that request id).
   */
  async decide(clientId: string | undefined, registrationRequestId: string, decision: RegistrationDecision): Promise<RegistrationRecord> {
    const candidates = clientId !== undefined
      ? [await this.database.read((tx) => findByRequestId(tx, clientId, registrationRequestId))].filter((r) => r !== undefined)
      : await findAnyByRequestId(this.database.db, registrationRequestId);
    if (candidates.length > 1) throw new RegistrationDecisionError(`Several clients used registrationRequestId ${registrationRequestId}: name the clientId`);
    const found = candidates[0];
    if (!found) throw new AmsError('RECORD_NOT_FOUND', `No registration with registrationRequestId ${registrationRequestId}`);
    const current = await this.current(found);
    if (current.status !== 'PENDING') throw new RegistrationDecisionError(`Registration ${registrationRequestId} is already ${current.status}`);
    const decided = await this.apply(current, decision, this.clock.now());
    if (!decided) throw new RegistrationDecisionError(`Registration ${registrationRequestId} was decided meanwhile`);
    return decided;
  }

  /** Ends every review past its end (approved by every payment method); returns how many. */
  async runDue(limit = 100): Promise<number> {
    let decided = 0;
    for (const id of await dueRegistrationIds(this.database.db, this.clock.now(), limit)) {
      const registration = await findRegistrationById(this.database.db, id);
      if (registration && (await this.apply(registration, { outcome: 'approve' }, registration.decideAt))) decided++;
    }
    return decided;
  }

  /** The registration as it is now: a review past its end is finished first. */
  private async current(registration: RegistrationRecord): Promise<RegistrationRecord> {
    if (registration.status !== 'PENDING' || registration.decideAt > this.clock.now()) return registration;
    return (await this.apply(registration, { outcome: 'approve' }, registration.decideAt))
      ?? (await findRegistrationById(this.database.db, registration.registrationId))
      ?? registration;
  }

  /** Decides a PENDING registration and queues its notification; undefined when it was decided first elsewhere. */
  private async apply(registration: RegistrationRecord, decision: RegistrationDecision, at: number): Promise<RegistrationRecord | undefined> {
    const outcome = this.outcomeOf(decision);
    return this.database.transaction(async (tx) => {
      if (!(await decideRegistration(tx, registration.registrationId, outcome, at))) return undefined;
      const decided: RegistrationRecord = { ...registration, status: outcome.status, rejectReasons: outcome.rejectReasons, pspResults: outcome.pspResults, decidedAt: at };
      await recordRegistrationNotification(this.outbox, tx, decided, this.options.pspNames, at);
      return decided;
    });
  }

  private outcomeOf(decision: RegistrationDecision): { status: 'COMPLETED' | 'REJECTED'; rejectReasons: string | null; pspResults: PspResult[] } {
    if (decision.outcome === 'reject') {
      return {
        status: 'REJECTED',
        rejectReasons: decision.rejectReasons,
        pspResults: this.options.pspNames.map((pspName) => ({ pspName, registrationStatus: 'REJECTED', rejectReasons: decision.rejectReasons })),
      };
    }
    const rejected = decision.rejectedPsps ?? {};
    const unknown = Object.keys(rejected).filter((name) => !this.options.pspNames.includes(name));
    if (unknown.length > 0) throw new RegistrationDecisionError(`rejectedPsps: unknown payment method ${unknown.join(', ')} (the reviewers are ${this.options.pspNames.join(', ')})`);
    return {
      status: 'COMPLETED',
      rejectReasons: null,
      pspResults: this.options.pspNames.map((pspName): PspResult =>
        rejected[pspName] !== undefined ? { pspName, registrationStatus: 'REJECTED', rejectReasons: rejected[pspName] } : { pspName, registrationStatus: 'APPROVED' }),
    };
  }
}

function describeLookup(request: { registrationRequestId?: string; referenceMerchantId?: string; referenceStoreId?: string }): string {
  const parts = [
    request.registrationRequestId !== undefined ? `registrationRequestId ${request.registrationRequestId}` : undefined,
    request.referenceMerchantId !== undefined ? `referenceMerchantId ${request.referenceMerchantId}` : undefined,
    request.referenceStoreId !== undefined ? `referenceStoreId ${request.referenceStoreId}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.join(' and ');
}
