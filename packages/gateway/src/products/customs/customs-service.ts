/**
 * Customs declarations of paid payments (`customs/declare`,
 * `customs/inquiryDeclarationRequests`; README "Customs").
 *
 * A declaration sends part or all of what the buyer paid to customs, in the
 * currency the buyer paid in (CNY for an Alipay CN payment made in another
 * currency: its `actualPaymentAmount`). A payment may have several (split
 * orders, partial declarations); together they never declare more than was
 * paid (`TOTAL_DECLARATION_AMOUNT_EXCEED`). Only a `SUCCESS` payment can be
 * declared (`ORDER_STATUS_INVALID` otherwise), only one of the client's
 * (`ORDER_NOT_EXIST`).
 *
 * `declarationRequestId` keys a declaration. Its repeat with the same fields
 * answers the recorded declaration. A repeat that corrects what the declare
 * page lets a retransmission correct (the amount, customs, the merchant's
 * customs registration, the sub-order, the buyer certificate's number and
 * full name) is a retransmission: it replaces the declaration (its amount is
 * not added to the total) once `retransmitAfterMs` (5 minutes, the page's
 * figure) have passed since the last transmission, and answers as the first
 * did; sooner, or with any other field changed (payment, split flag,
 * currency, certificate type or holder), it is `CONTEXT_INCONSISTENT`, as
 * the page says.
 *
 * Customs' receipt is simulated: a declaration is `PROCESSING` until
 * `receiptDelayMs` after its last transmission on the gateway clock, then
 * `SUCCESS` with the receipt's time (computed when asked, nothing stored).
 */
import { createHash } from 'node:crypto';
import { AmsError, parsePositiveAmount, SUCCESS_RESULT, type DeclareRequest, type InquiryDeclarationRequestsRequest, type Result } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimIdempotencyKey, type Fingerprint } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import type { Database, Tx } from '../../schema.js';
import { wireTime } from '../payments/answers.js';
import { findPaymentForUpdate } from '../payments/operations-repository.js';
import type { PaymentRecord } from '../payments/payment-record.js';
import type { CorrectableFields, DeclarationRecord } from './declaration-record.js';
import { declaredTotal, findClientDeclarations, findDeclarationById, insertDeclaration, listPaymentDeclarations, retransmitDeclaration } from './customs-repository.js';

export interface CustomsOptions {
  /** How long after a transmission customs' receipt arrives (the declaration turns SUCCESS). */
  receiptDelayMs: number;
  /** How long after the last transmission a retransmission is accepted (the declare page: 5 minutes). */
  retransmitAfterMs: number;
}

export const DEFAULT_CUSTOMS_OPTIONS: CustomsOptions = { receiptDelayMs: 60_000, retransmitAfterMs: 5 * 60_000 };

/** The payment institution's registration id at customs (the declare page's customs table). */
const PROVIDER_REGISTRATION_ID = '31222699S7';

type Answer = { result: Result } & Record<string, unknown>;

export class CustomsService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: CustomsOptions = DEFAULT_CUSTOMS_OPTIONS,
  ) {}

  /** The key fields no retransmission may change (`declare`'s idempotency fingerprint). */
  static fingerprintOf(request: DeclareRequest): Fingerprint {
    const certificate = request.buyerCertificate;
    return {
      paymentId: request.paymentId,
      splitOrder: String(isSplitOrder(request)),
      'declarationAmount.currency': request.declarationAmount.currency,
      // Digests: the idempotency store never holds a buyer's document details.
      buyerCertificate: certificate === undefined ? null : digest({
        certificateType: certificate.certificateType,
        firstName: certificate.holderName?.firstName ?? null,
        middleName: certificate.holderName?.middleName ?? null,
        lastName: certificate.holderName?.lastName ?? null,
        certificateAuthority: certificate.certificateAuthority ?? null,
        fileKeys: certificate.fileKeys ?? null,
      }),
    };
  }

  async declare(context: KeyedHandlerContext, request: DeclareRequest): Promise<Answer> {
    const amount = parsePositiveAmount(request.declarationAmount, 'declarationAmount');
    const subOrderId = subOrderIdOf(request);
    if (isSplitOrder(request) && (subOrderId === undefined || subOrderId === '')) throw AmsError.paramIllegal('subOrderId', 'is required when splitOrder is true');
    const fields: CorrectableFields = {
      amount: amount.minor,
      customsCode: request.customs.customsCode.toUpperCase(),
      customsRegion: request.customs.region ?? null,
      merchantCustomsCode: request.merchantCustomsInfo.merchantCustomsCode,
      merchantCustomsName: request.merchantCustomsInfo.merchantCustomsName,
      subOrderId: subOrderId ?? null,
      buyerDigest: request.buyerCertificate === undefined ? null : digest({ certificateNo: request.buyerCertificate.certificateNo, fullName: request.buyerCertificate.holderName?.fullName ?? null }),
    };
    const now = this.clock.now();
    const declaration = await this.database.transaction(async (tx) => {
      // Locked on PostgreSQL: declarations of one payment run one after the other, so their total is checked against what each committed.
      const payment = await findPaymentForUpdate(tx, this.database.dialect, context.clientId, { paymentId: request.paymentId });
      if (!payment) throw new AmsError('ORDER_NOT_EXIST', `No payment with paymentId ${request.paymentId}`);
      const declarationId = newId('DCL', now);
      const claim = await claimIdempotencyKey(tx, context.idempotencyKey, context.idempotencyKey.fingerprint(), declarationId, now);
      if (!claim.claimed) {
        if (claim.differingFields.length > 0) {
          throw new AmsError('CONTEXT_INCONSISTENT', `declarationRequestId ${request.declarationRequestId} was declared with different ${claim.differingFields.join(', ')}, which a retransmission cannot change`);
        }
        const recorded = await findDeclarationById(tx, claim.resourceId);
        if (!recorded) throw new AmsError('UNKNOWN_EXCEPTION', `The declaration of declarationRequestId ${request.declarationRequestId} is missing`);
        return this.retransmit(tx, payment, recorded, fields, now);
      }
      const paid = paidAmountOf(payment);
      checkCurrency(paid, amount.currency);
      checkDeclarable(payment);
      await checkTotal(tx, payment, paid, amount.minor, undefined);
      const record: DeclarationRecord = {
        declarationId, clientId: context.clientId, declarationRequestId: request.declarationRequestId, paymentId: payment.paymentId, paymentRequestId: payment.paymentRequestId,
        currency: amount.currency, ...fields, splitOrder: isSplitOrder(request), hasBuyer: request.buyerCertificate !== undefined,
        transmissions: 1, lastTransmittedAt: now, createdAt: now, updatedAt: now,
      };
      await insertDeclaration(tx, record);
      return record;
    });
    return declareAnswer(declaration);
  }

  /** A repeat of a recorded declaration: the same answer, or a correction sent once more. */
  private async retransmit(tx: Tx, payment: PaymentRecord, recorded: DeclarationRecord, fields: CorrectableFields, now: number): Promise<DeclarationRecord> {
    const changed = changedFields(recorded, fields);
    if (changed.length === 0) return recorded;
    const allowedAt = recorded.lastTransmittedAt + this.options.retransmitAfterMs;
    if (now < allowedAt) {
      throw new AmsError('CONTEXT_INCONSISTENT', `declarationRequestId ${recorded.declarationRequestId} was declared with different ${changed.join(', ')}; a retransmission is accepted from ${wireTime(allowedAt)}, 5 minutes after the last one`);
    }
    checkDeclarable(payment);
    if (fields.amount !== recorded.amount) await checkTotal(tx, payment, paidAmountOf(payment), fields.amount, recorded.declarationId);
    return retransmitDeclaration(tx, recorded, fields, now);
  }

  async inquire(clientId: string, request: InquiryDeclarationRequestsRequest): Promise<Answer> {
    const now = this.clock.now();
    const ids = [...new Set(request.declarationRequestIds)];
    const found = await this.database.read((tx) => findClientDeclarations(tx, clientId, ids));
    const byId = new Map(found.map((d) => [d.declarationRequestId, d]));
    const notFound = ids.filter((id) => !byId.has(id));
    return {
      result: { ...SUCCESS_RESULT },
      ...(notFound.length > 0 ? { declarationRequestsNotFound: notFound } : {}),
      declarationRecords: ids.flatMap((id) => {
        const declaration = byId.get(id);
        return declaration ? [this.recordOf(declaration, now)] : [];
      }),
    };
  }

  /** inquiryPayment's `customsDeclarationAmount`: what the client's payment has declared so far; undefined before its first declaration. */
  async declaredAmountOf(clientId: string, paymentId: string): Promise<{ currency: string; value: string } | undefined> {
    const declarations = (await listPaymentDeclarations(this.database.db, paymentId)).filter((d) => d.clientId === clientId);
    const first = declarations[0];
    if (!first) return undefined;
    return { currency: first.currency, value: declarations.reduce((sum, d) => sum + d.amount, 0n).toString() };
  }

  private recordOf(declaration: DeclarationRecord, now: number): Record<string, unknown> {
    const receiptAt = declaration.lastTransmittedAt + this.options.receiptDelayMs;
    const received = now >= receiptAt;
    return {
      declarationRequestId: declaration.declarationRequestId,
      customsPaymentId: declaration.paymentId,
      customsOrderId: customsOrderIdOf(declaration),
      customs: { customsCode: declaration.customsCode, ...(declaration.customsRegion !== null ? { region: declaration.customsRegion } : {}) },
      merchantCustomsInfo: { merchantCustomsCode: declaration.merchantCustomsCode, merchantCustomsName: declaration.merchantCustomsName },
      declarationAmount: { currency: declaration.currency, value: declaration.amount.toString() },
      splitOrder: declaration.splitOrder,
      declarationRequestStatus: received ? 'SUCCESS' : 'PROCESSING',
      lastModifiedTime: wireTime(received ? receiptAt : declaration.lastTransmittedAt),
      ...(received
        ? { customsDeclarationResultCode: 'SUCCESS', customsDeclarationResultDesc: 'Declaration received by customs (sandbox receipt)', customsDeclarationReturnTime: wireTime(receiptAt) }
        : {}),
    };
  }
}

function declareAnswer(declaration: DeclarationRecord): Answer {
  return {
    result: { ...SUCCESS_RESULT },
    customsPaymentId: declaration.paymentId,
    customsOrderId: customsOrderIdOf(declaration),
    ...(declaration.hasBuyer ? { identityCheckResult: 'CHECK_PASSED' } : {}),
    clearingChannel: 'NUCC',
    clearingTransactionId: declaration.declarationId,
    customsProviderRegistrationId: PROVIDER_REGISTRATION_ID,
  };
}

/** The order id customs sees: the sub-order of a split declaration, else the payment request. */
function customsOrderIdOf(declaration: DeclarationRecord): string {
  return declaration.subOrderId ?? declaration.paymentRequestId;
}

/** What the buyer paid, in the currency they paid in (a converted payment's `actualPaymentAmount`). */
function paidAmountOf(payment: PaymentRecord): { currency: string; amount: bigint } {
  return payment.buyerPayment ?? { currency: payment.currency, amount: payment.amount };
}

function checkCurrency(paid: { currency: string }, currency: string): void {
  if (currency !== paid.currency) throw AmsError.paramIllegal('declarationAmount.currency', `must be ${paid.currency}, the currency the buyer paid in, got ${currency}`);
}

function checkDeclarable(payment: PaymentRecord): void {
  if (payment.status === 'SUCCESS') return;
  const state = payment.status === 'PROCESSING' ? 'is still being processed' : payment.status === 'CANCELLED' ? 'was cancelled' : `has failed (${payment.resultCode})`;
  throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} ${state}: only a successful payment can be declared`);
}

async function checkTotal(tx: Tx, payment: PaymentRecord, paid: { currency: string; amount: bigint }, amount: bigint, excluding: string | undefined): Promise<void> {
  const others = await declaredTotal(tx, payment.paymentId, excluding);
  if (others + amount <= paid.amount) return;
  const left = paid.amount - others;
  throw new AmsError('TOTAL_DECLARATION_AMOUNT_EXCEED', `Payment ${payment.paymentId} paid ${paid.currency} ${paid.amount} (minor units); other declarations hold ${others}, so at most ${left > 0n ? left : 0n} can be declared here`);
}

const CORRECTABLE: ReadonlyArray<[keyof CorrectableFields, string]> = [
  ['amount', 'declarationAmount.value'],
  ['customsCode', 'customs.customsCode'],
  ['customsRegion', 'customs.region'],
  ['merchantCustomsCode', 'merchantCustomsInfo.merchantCustomsCode'],
  ['merchantCustomsName', 'merchantCustomsInfo.merchantCustomsName'],
  ['subOrderId', 'subOrderId'],
  ['buyerDigest', 'buyerCertificate'],
];

function changedFields(recorded: DeclarationRecord, fields: CorrectableFields): string[] {
  return CORRECTABLE.filter(([key]) => recorded[key] !== fields[key]).map(([, name]) => name);
}

/** Absent is false: the Go SDK never sends false (`omitempty`), Python sends the field only when true. */
function isSplitOrder(request: DeclareRequest): boolean {
  return request.splitOrder ?? false;
}

/** The sub-order in either spelling: `subOrderId` (Java, Go) or `suborderId` (Antom's reference, Python); both at once must agree. */
function subOrderIdOf(request: DeclareRequest): string | undefined {
  const { subOrderId, suborderId } = request;
  if (subOrderId !== undefined && suborderId !== undefined && subOrderId !== suborderId) {
    throw AmsError.paramIllegal('suborderId', `differs from subOrderId (${JSON.stringify(suborderId)} against ${JSON.stringify(subOrderId)}): they are one field, send one spelling`);
  }
  return subOrderId ?? suborderId;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
