/**
 * Disputes (chargebacks) of successful payments: opened by the sandbox
 * (control API, CLI, dashboard, or a pay request's `dispute-after` trigger),
 * then accepted or defended by the merchant (acceptDispute,
 * supplyDefenseDocument) before the defense deadline, judged by the sandbox
 * (win or lose), cancelled by the buyer, or judged against the merchant
 * when the deadline passes undefended. Each change is one transaction with
 * its journal entries and its notifyDispute.
 *
 * Times (all on the gateway clock): a dispute is due for defense
 * `defenseWindowMs` after it opens (7 days unless the opener says;
 * amsgate's choice, the docs give no figure); DEFENSE_DUE_ALERT is sent 24
 * hours before that (the notifyDispute page: "within 24 hours of
 * defenseDueTime"), or just after the opening when the window is shorter.
 * `runDue` does what fell due, each step claimed with a conditional update
 * (`status = expected`), so several gateway processes on one database do
 * each step once; a step's notification and journal entries carry the time
 * it fell due, not the time the sweep ran, so a clock advanced past
 * several steps still reports them in their order.
 *
 * Money (journal): opening moves the disputed amount from the merchant's
 * balance to its dispute hold (`CHARGEBACK`); a win or the buyer's
 * cancellation moves it back (`CHARGEBACK_REVERSAL`); an acceptance, a
 * loss or an RDR resolution moves it to the buyer's payment method
 * (`CHARGEBACK_LOSS`). A payment can be disputed up to what was paid (or
 * captured) less what was refunded and what other disputes took; the
 * refund service's limit counts what disputes took likewise.
 */
import { AmsError, parseAmount, SUCCESS_RESULT, type AcceptDisputeRequest, type DisputeNotificationType, type DownloadDisputeEvidenceRequest, type SupplyDefenseDocumentRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import { newId } from '../../ids.js';
import { accounts, recordJournal, type Movement } from '../../ledger/journal.js';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Database, Tx } from '../../schema.js';
import { wireTime } from '../payments/answers.js';
import { isActive, sumAmounts } from '../payments/operation-records.js';
import { findAuthorization, findPaymentForUpdate, listCaptures, listRefunds } from '../payments/operations-repository.js';
import type { PaymentRecord } from '../payments/payment-record.js';
import { findPaymentById } from '../payments/payments-repository.js';
import { recordDisputeNotification } from './dispute-notifications.js';
import type { DisputeRecord } from './dispute-record.js';
import {
  chargedBackAmount,
  dropScheduledDispute,
  dueDisputeIds,
  findClientDispute,
  findDisputeById,
  findEvidence,
  insertDispute,
  insertEvidence,
  listDisputes,
  moveDispute,
} from './disputes-repository.js';
import { evidenceTemplate, readEvidence } from './evidence.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DisputeServiceOptions {
  /** The defense window when the opener names none. */
  defenseWindowMs: number;
  /** How long before the defense deadline DEFENSE_DUE_ALERT is sent. */
  alertLeadMs: number;
}

export const DEFAULT_DISPUTE_OPTIONS: DisputeServiceOptions = { defenseWindowMs: 7 * DAY, alertLeadMs: DAY };

/** The shortest and longest defense window the sandbox takes. */
export const MIN_DEFENSE_WINDOW_MS = 1_000;
export const MAX_DEFENSE_WINDOW_MS = 366 * DAY;

/**
 * Reason codes the sandbox describes (card networks' common chargeback
 * reasons); any other code (at most 64 characters) is taken with a generic
 * message. The default is a Visa "not received".
 */
export const DISPUTE_REASONS: Readonly<Record<string, string>> = {
  '10.4': 'Other fraud: card-absent environment',
  '13.1': 'Merchandise or services not received',
  '13.3': 'Not as described or defective merchandise or services',
  '4837': 'No cardholder authorization',
  '4853': 'Cardholder dispute: goods or services not as described',
};
export const DEFAULT_DISPUTE_REASON = '13.1';

/** What opens a dispute in the sandbox (control API, CLI, dashboard). */
export interface OpenDisputeInput {
  reasonCode?: string;
  /** Default: all that is left to dispute; the currency, when given, must be the payment's. */
  amount?: { currency?: string; value: string };
  /** Default: `defenseWindowMs`. */
  defenseDueInMs?: number;
  /** A rapid dispute resolution: resolved against the merchant at once (RDR_RESOLVED), nothing to defend. */
  rdr?: boolean;
}

/** What the sandbox's judge decides: the merchant wins (ACCEPT_BY_CUSTOMER) or loses (ACCEPT_BY_MERCHANT). */
export type JudgeOutcome = 'WIN' | 'LOSE';

type MerchantAction = 'accept' | 'defend';

export class DisputeService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: DisputeServiceOptions,
    private readonly outbox: NotificationOutbox,
  ) {}

  // ---------------------------------------------------------------------------
  // The sandbox's side: opening, judging, cancelling

  /** Opens a dispute on a successful payment now (sandbox): ORDER_NOT_EXIST, ORDER_STATUS_INVALID or PARAM_ILLEGAL when it cannot be. */
  async open(paymentId: string, input: OpenDisputeInput = {}): Promise<DisputeRecord> {
    const now = this.clock.now();
    const reasonCode = reasonCodeOf(input.reasonCode);
    const window = windowOf(input.defenseDueInMs, this.options.defenseWindowMs);
    return this.database.transaction(async (tx) => {
      const payment = await this.lockPayment(tx, paymentId);
      const { left, captureId } = await disputableOf(tx, payment);
      if (left <= 0n) {
        throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} has nothing left to dispute: what was paid is refunded or disputed already`);
      }
      const amount = requestedAmountOf(input.amount, payment, left);
      const record = this.newRecord(payment, { status: 'OPEN', kind: input.rdr === true ? 'RDR' : 'CHARGEBACK', amount, captureId, reasonCode, window, opensAt: now });
      await insertDispute(tx, record);
      return this.opened(tx, record, now);
    });
  }

  /**
   * Schedules a dispute of a payment `pay` has just made successful, to open
   * `afterMs` later on the gateway clock (the sandbox's `dispute-after`
   * trigger), in pay's transaction. It opens for what is left to dispute
   * then; when nothing is (refunded in full meanwhile), it is dropped.
   */
  async schedule(tx: Tx, payment: PaymentRecord, afterMs: number, now: number): Promise<void> {
    const record = this.newRecord(payment, {
      status: 'SCHEDULED', kind: 'CHARGEBACK', amount: payment.amount, captureId: null, reasonCode: DEFAULT_DISPUTE_REASON,
      window: this.options.defenseWindowMs, opensAt: now + afterMs,
    });
    await insertDispute(tx, { ...record, createdAt: now, updatedAt: now });
  }

  /** The sandbox judges a defended dispute: NOT_ALLOW_IN_CURRENT_STATUS for any other. */
  async judge(disputeId: string, outcome: JudgeOutcome): Promise<DisputeRecord> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const dispute = await this.sandboxDispute(tx, disputeId);
      if (dispute.status !== 'DEFENDED') {
        throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `Only a defended dispute can be judged: dispute ${disputeId} is ${describe(dispute)}`);
      }
      const judgedResult = outcome === 'WIN' ? 'WON' : 'LOST';
      if (!(await moveDispute(tx, disputeId, 'DEFENDED', { status: 'JUDGED', judged_result: judgedResult, resolved_at: now, updated_at: now }))) {
        throw changedMeanwhile(disputeId);
      }
      const judged: DisputeRecord = { ...dispute, status: 'JUDGED', judgedResult, resolvedAt: now, updatedAt: now };
      await this.journal(tx, judged, outcome === 'WIN' ? 'CHARGEBACK_REVERSAL' : 'CHARGEBACK_LOSS', now);
      await this.notify(tx, judged, 'DISPUTE_JUDGED', now);
      return judged;
    });
  }

  /** The buyer withdraws an open or defended dispute: the amount goes back to the merchant (DISPUTE_CANCELLED). */
  async cancel(disputeId: string): Promise<DisputeRecord> {
    const now = this.clock.now();
    return this.database.transaction(async (tx) => {
      const dispute = await this.sandboxDispute(tx, disputeId);
      const cancellable = dispute.status === 'DEFENDED' || (dispute.status === 'OPEN' && now < dispute.defenseDueAt);
      if (!cancellable) {
        throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `Only an open or defended dispute can be cancelled: dispute ${disputeId} is ${describe(dispute, now)}`);
      }
      if (!(await moveDispute(tx, disputeId, dispute.status, { status: 'CANCELLED', resolved_at: now, updated_at: now }))) throw changedMeanwhile(disputeId);
      const cancelled: DisputeRecord = { ...dispute, status: 'CANCELLED', resolvedAt: now, updatedAt: now };
      await this.journal(tx, cancelled, 'CHARGEBACK_REVERSAL', now);
      await this.notify(tx, cancelled, 'DISPUTE_CANCELLED', now);
      return cancelled;
    });
  }

  // ---------------------------------------------------------------------------
  // The merchant's side: the AMS endpoints

  async accept(clientId: string, request: AcceptDisputeRequest) {
    const now = this.clock.now();
    await this.database.transaction(async (tx) => {
      const dispute = await this.merchantDispute(tx, clientId, request.disputeId, now, 'accept');
      const changes = { status: 'ACCEPTED', accept_reason: 'MERCHANT_ACCEPTED', resolved_at: now, updated_at: now } as const;
      if (!(await moveDispute(tx, dispute.disputeId, 'OPEN', changes))) await this.refuseAsItIsNow(tx, dispute.disputeId, now, 'accept');
      const accepted: DisputeRecord = { ...dispute, status: 'ACCEPTED', acceptReason: 'MERCHANT_ACCEPTED', resolvedAt: now, updatedAt: now };
      await this.journal(tx, accepted, 'CHARGEBACK_LOSS', now);
      await this.notify(tx, accepted, 'DISPUTE_ACCEPTED', now);
    });
    return { result: { ...SUCCESS_RESULT }, disputeId: request.disputeId, disputeResolutionTime: wireTime(now) };
  }

  async supplyDefense(clientId: string, request: SupplyDefenseDocumentRequest) {
    const now = this.clock.now();
    // The document is read first: a bad one is the request's fault, whatever the dispute's state.
    const evidence = readEvidence(request.disputeEvidence);
    await this.database.transaction(async (tx) => {
      const dispute = await this.merchantDispute(tx, clientId, request.disputeId, now, 'defend');
      if (!(await moveDispute(tx, dispute.disputeId, 'OPEN', { status: 'DEFENDED', defended_at: now, updated_at: now }))) {
        await this.refuseAsItIsNow(tx, dispute.disputeId, now, 'defend');
      }
      await insertEvidence(tx, { dispute_id: dispute.disputeId, client_id: clientId, format: evidence.format, content: evidence.base64, size_bytes: evidence.bytes.length, created_at: now });
      await this.notify(tx, { ...dispute, status: 'DEFENDED', defendedAt: now, updatedAt: now }, 'DEFENSE_SUPPLIED', now);
    });
    return { result: { ...SUCCESS_RESULT }, disputeId: request.disputeId, disputeResolutionTime: wireTime(now) };
  }

  /**
   * The pre-filled template (generated: see `evidence.ts`) or the document
   * supplied, byte for byte. Asking for the document of a dispute that has
   * none is PARAM_ILLEGAL naming `disputeEvidenceType`.
   */
  async downloadEvidence(clientId: string, request: DownloadDisputeEvidenceRequest) {
    const found = await this.database.read(async (tx) => {
      const dispute = await findClientDispute(tx, clientId, request.disputeId);
      if (!dispute) throw notFound(request.disputeId);
      const template = request.disputeEvidenceType === 'DISPUTE_EVIDENCE_TEMPLATE' || request.disputeEvidenceType === 'TEMPLATE';
      return { dispute, template, evidence: template ? undefined : await findEvidence(tx, dispute.disputeId) };
    });
    if (found.template) {
      return { result: { ...SUCCESS_RESULT }, disputeEvidence: evidenceTemplate(found.dispute).toString('base64'), disputeEvidenceFormat: 'PDF' as const };
    }
    if (!found.evidence) {
      throw AmsError.paramIllegal('disputeEvidenceType', `is DISPUTE_EVIDENCE_FILE, but no defense document was supplied for dispute ${request.disputeId} (supplyDefenseDocument)`);
    }
    return { result: { ...SUCCESS_RESULT }, disputeEvidence: found.evidence.content, disputeEvidenceFormat: found.evidence.format };
  }

  // ---------------------------------------------------------------------------
  // What falls due on the clock

  /** Opens scheduled disputes, sends due alerts and judges disputes past their deadline, in that order; returns how many steps it took. */
  async runDue(limit = 100): Promise<number> {
    const now = this.clock.now();
    let steps = 0;
    for (const id of await dueDisputeIds(this.database.db, 'open', now, limit)) if (await this.openScheduled(id)) steps++;
    for (const id of await dueDisputeIds(this.database.db, 'alert', now, limit)) if (await this.sendAlert(id)) steps++;
    for (const id of await dueDisputeIds(this.database.db, 'deadline', now, limit)) if (await this.judgeOverdue(id)) steps++;
    return steps;
  }

  private openScheduled(disputeId: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const scheduled = await findDisputeById(tx, disputeId);
      if (!scheduled || scheduled.status !== 'SCHEDULED') return false;
      // The payment first (locked on PostgreSQL): refunds of it wait, so what is left is what is left.
      const payment = await findPaymentForUpdate(tx, this.database.dialect, scheduled.clientId, { paymentId: scheduled.paymentId });
      const at = scheduled.opensAt;
      const disputable = payment ? await disputableOf(tx, payment).catch(() => undefined) : undefined;
      if (!disputable || disputable.left <= 0n) return dropScheduledDispute(tx, disputeId);
      const amount = scheduled.amount < disputable.left ? scheduled.amount : disputable.left;
      const opened = { status: 'OPEN', amount, capture_id: disputable.captureId, updated_at: at } as const;
      if (!(await moveDispute(tx, disputeId, 'SCHEDULED', opened))) return false;
      await this.opened(tx, { ...scheduled, status: 'OPEN', amount, captureId: disputable.captureId, updatedAt: at }, at);
      return true;
    });
  }

  private sendAlert(disputeId: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const dispute = await findDisputeById(tx, disputeId);
      if (!dispute || dispute.status !== 'OPEN' || dispute.alertSentAt !== null) return false;
      const at = dispute.alertAt;
      if (!(await moveDispute(tx, disputeId, 'OPEN', { alert_sent_at: at }, { alertUnsent: true }))) return false;
      await this.notify(tx, { ...dispute, alertSentAt: at }, 'DEFENSE_DUE_ALERT', at);
      return true;
    });
  }

  private judgeOverdue(disputeId: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const dispute = await findDisputeById(tx, disputeId);
      if (!dispute || dispute.status !== 'OPEN') return false;
      // The alert falls due before the deadline: when no run has sent it yet (a batch limit, or another process judging
      // first), it goes now, claimed like the alert step's, so it is sent once and before the judgement.
      if (dispute.alertSentAt === null && (await moveDispute(tx, disputeId, 'OPEN', { alert_sent_at: dispute.alertAt }, { alertUnsent: true }))) {
        await this.notify(tx, { ...dispute, alertSentAt: dispute.alertAt }, 'DEFENSE_DUE_ALERT', dispute.alertAt);
      }
      const at = dispute.defenseDueAt;
      const changes = { status: 'JUDGED', judged_result: 'LOST', accept_reason: 'TIMEOUT', resolved_at: at, updated_at: at } as const;
      if (!(await moveDispute(tx, disputeId, 'OPEN', changes))) return false;
      const judged: DisputeRecord = { ...dispute, alertSentAt: dispute.alertSentAt ?? dispute.alertAt, status: 'JUDGED', judgedResult: 'LOST', acceptReason: 'TIMEOUT', resolvedAt: at, updatedAt: at };
      await this.journal(tx, judged, 'CHARGEBACK_LOSS', at);
      await this.notify(tx, judged, 'DISPUTE_JUDGED', at);
      return true;
    });
  }

  // ---------------------------------------------------------------------------
  // Reads for people (dashboard, control API)

  /** A payment's disputes, oldest first, SCHEDULED ones included. */
  listForPayment(paymentId: string): Promise<DisputeRecord[]> {
    return listDisputes(this.database.db, paymentId);
  }

  find(disputeId: string): Promise<DisputeRecord | undefined> {
    return findDisputeById(this.database.db, disputeId);
  }

  // ---------------------------------------------------------------------------

  /** A new dispute just inserted (OPEN, or RDR): freeze the amount, and for an RDR give it to the buyer at once; notify. */
  private async opened(tx: Tx, dispute: DisputeRecord, at: number): Promise<DisputeRecord> {
    await this.journal(tx, dispute, 'CHARGEBACK', at);
    if (dispute.kind !== 'RDR') {
      await this.notify(tx, dispute, 'DISPUTE_CREATED', at);
      return dispute;
    }
    if (!(await moveDispute(tx, dispute.disputeId, 'OPEN', { status: 'RESOLVED', resolved_at: at, updated_at: at }))) throw changedMeanwhile(dispute.disputeId);
    const resolved: DisputeRecord = { ...dispute, status: 'RESOLVED', resolvedAt: at, updatedAt: at };
    await this.journal(tx, resolved, 'CHARGEBACK_LOSS', at);
    await this.notify(tx, resolved, 'RDR_RESOLVED', at);
    return resolved;
  }

  private newRecord(
    payment: PaymentRecord,
    values: { status: 'OPEN' | 'SCHEDULED'; kind: DisputeRecord['kind']; amount: bigint; captureId: string | null; reasonCode: string; window: number; opensAt: number },
  ): DisputeRecord {
    const defenseDueAt = values.opensAt + values.window;
    return {
      disputeId: `DSP${newId('TXN', values.opensAt).slice(3)}`,
      clientId: payment.clientId,
      paymentId: payment.paymentId,
      paymentRequestId: payment.paymentRequestId,
      captureId: values.captureId,
      kind: values.kind,
      status: values.status,
      currency: payment.currency,
      amount: values.amount,
      reasonCode: values.reasonCode,
      reasonMsg: DISPUTE_REASONS[values.reasonCode] ?? 'Sandbox dispute',
      source: payment.card?.cardBrand ?? payment.paymentMethodType,
      paymentMethodType: payment.paymentMethodType,
      notifyUrl: payment.notifyUrl,
      opensAt: values.opensAt,
      defenseWindowMs: values.window,
      defenseDueAt,
      // Never at the opening itself: DISPUTE_CREATED comes first.
      alertAt: Math.max(values.opensAt + 1, defenseDueAt - this.options.alertLeadMs),
      alertSentAt: null,
      defendedAt: null,
      resolvedAt: null,
      judgedResult: null,
      acceptReason: null,
      createdAt: values.opensAt,
      updatedAt: values.opensAt,
    };
  }

  private async lockPayment(tx: Tx, paymentId: string): Promise<PaymentRecord> {
    const found = await findPaymentById(tx, paymentId);
    if (!found) throw new AmsError('ORDER_NOT_EXIST', `No payment ${paymentId}`);
    return (await findPaymentForUpdate(tx, this.database.dialect, found.clientId, { paymentId })) ?? found;
  }

  private async sandboxDispute(tx: Tx, disputeId: string): Promise<DisputeRecord> {
    const dispute = await findDisputeById(tx, disputeId);
    if (!dispute) throw notFound(disputeId);
    return dispute;
  }

  /** The client's dispute, if the merchant may still accept or defend it now; else the refusal its state calls for. */
  private async merchantDispute(tx: Tx, clientId: string, disputeId: string, now: number, action: MerchantAction): Promise<DisputeRecord> {
    const dispute = await findClientDispute(tx, clientId, disputeId);
    if (!dispute) throw notFound(disputeId);
    refuseUnlessActionable(dispute, now, action);
    return dispute;
  }

  /** Another request or process moved the dispute first: the refusal its state now calls for. */
  private async refuseAsItIsNow(tx: Tx, disputeId: string, now: number, action: MerchantAction): Promise<never> {
    const current = await findDisputeById(tx, disputeId);
    if (current) refuseUnlessActionable(current, now, action);
    throw changedMeanwhile(disputeId);
  }

  private async journal(tx: Tx, dispute: DisputeRecord, movement: Extract<Movement, 'CHARGEBACK' | 'CHARGEBACK_REVERSAL' | 'CHARGEBACK_LOSS'>, at: number): Promise<void> {
    const hold = accounts.disputeHold(dispute.clientId);
    const [from, to] = movement === 'CHARGEBACK'
      ? [accounts.merchantBalance(dispute.clientId), hold]
      : movement === 'CHARGEBACK_REVERSAL'
        ? [hold, accounts.merchantBalance(dispute.clientId)]
        : [hold, accounts.paymentMethod(dispute.paymentMethodType)];
    await recordJournal(tx, {
      clientId: dispute.clientId, paymentId: dispute.paymentId, movement, now: at,
      lines: [
        { account: from, currency: dispute.currency, amount: -dispute.amount },
        { account: to, currency: dispute.currency, amount: dispute.amount },
      ],
    });
  }

  private notify(tx: Tx, dispute: DisputeRecord, type: DisputeNotificationType, at: number): Promise<void> {
    return recordDisputeNotification(this.outbox, tx, dispute, type, at);
  }
}

/**
 * What a payment can still be disputed for: what was paid (or, for an
 * authorisation, captured) less its refunds (successful or in process) and
 * what its disputes took. Only a successful payment: ORDER_STATUS_INVALID
 * for any other.
 */
async function disputableOf(tx: Tx, payment: PaymentRecord): Promise<{ left: bigint; captureId: string | null }> {
  if (payment.status !== 'SUCCESS') {
    throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is ${payment.status} (${payment.resultCode}); only a successful payment can be disputed`);
  }
  const authorization = await findAuthorization(tx, payment.paymentId);
  const captures = authorization ? (await listCaptures(tx, payment.paymentId)).filter((c) => c.status === 'SUCCESS') : [];
  const paid = authorization ? sumAmounts(captures) : payment.amount;
  const refunded = sumAmounts((await listRefunds(tx, payment.paymentId)).filter(isActive));
  const disputed = await chargedBackAmount(tx, payment.paymentId);
  return { left: paid - refunded - disputed, captureId: captures.at(-1)?.captureId ?? null };
}

function requestedAmountOf(input: OpenDisputeInput['amount'], payment: PaymentRecord, left: bigint): bigint {
  if (input === undefined) return left;
  const currency = input.currency ?? payment.currency;
  if (currency !== payment.currency) throw AmsError.paramIllegal('amount.currency', `must be the currency of payment ${payment.paymentId} (${payment.currency}), got ${currency}`);
  const amount = parseAmount({ currency, value: input.value }, 'amount');
  if (amount.minor <= 0n) throw AmsError.paramIllegal('amount.value', 'must be greater than 0');
  if (amount.minor > left) {
    throw AmsError.paramIllegal('amount.value', `${amount.minor} exceeds what payment ${payment.paymentId} can still be disputed for: ${left} (paid less refunded and disputed)`);
  }
  return amount.minor;
}

function reasonCodeOf(code: string | undefined): string {
  if (code === undefined) return DEFAULT_DISPUTE_REASON;
  if (code.length === 0 || code.length > 64) throw AmsError.paramIllegal('reasonCode', 'must be 1 to 64 characters');
  return code;
}

function windowOf(ms: number | undefined, fallback: number): number {
  if (ms === undefined) return fallback;
  if (!Number.isInteger(ms) || ms < MIN_DEFENSE_WINDOW_MS || ms > MAX_DEFENSE_WINDOW_MS) {
    throw AmsError.paramIllegal('defenseDueInMs', `must be a whole number of milliseconds from ${MIN_DEFENSE_WINDOW_MS} to ${MAX_DEFENSE_WINDOW_MS} (366 days)`);
  }
  return ms;
}

/** Refuses what the merchant may no longer do with a dispute (see the endpoint definitions' result codes). */
function refuseUnlessActionable(dispute: DisputeRecord, now: number, action: MerchantAction): void {
  const id = dispute.disputeId;
  if (dispute.status === 'OPEN') {
    if (now < dispute.defenseDueAt) return;
    throw new AmsError('TIME_EXCEEDS_LIMIT', `The defense of dispute ${id} was due at ${wireTime(dispute.defenseDueAt)}; it can no longer be accepted or defended`);
  }
  if (dispute.status === 'JUDGED' && dispute.acceptReason === 'TIMEOUT') {
    throw new AmsError('TIME_EXCEEDS_LIMIT', `The defense of dispute ${id} was due at ${wireTime(dispute.defenseDueAt)}; it was judged against the merchant`);
  }
  // A second defense is a repeated request too: the docs keep NOT_ALLOW_IN_CURRENT_STATUS (and DEFENSE_EXCEED_LIMIT)
  // for compliance requests, and the sandbox opens chargebacks only.
  throw new AmsError('REPEAT_REQUEST', `Dispute ${id} is already ${describe(dispute)}: it can no longer be ${action === 'accept' ? 'accepted' : 'defended'}`);
}

/** A dispute's state in words, for messages. */
function describe(dispute: DisputeRecord, now?: number): string {
  const at = dispute.resolvedAt === null ? '' : ` at ${wireTime(dispute.resolvedAt)}`;
  switch (dispute.status) {
    case 'SCHEDULED': return `scheduled to open at ${wireTime(dispute.opensAt)}`;
    case 'OPEN': return now !== undefined && now >= dispute.defenseDueAt ? `past its defense deadline (${wireTime(dispute.defenseDueAt)})` : 'open, awaiting the merchant';
    case 'DEFENDED': return `defended at ${wireTime(dispute.defendedAt ?? dispute.updatedAt)}, awaiting its judgement`;
    case 'ACCEPTED': return `accepted by the merchant${at}`;
    case 'JUDGED': return `judged${at}: the merchant ${dispute.judgedResult === 'WON' ? 'won' : 'lost'}`;
    case 'CANCELLED': return `cancelled by the buyer${at}`;
    case 'RESOLVED': return `resolved by rapid dispute resolution${at}`;
  }
}

function notFound(disputeId: string): AmsError {
  return new AmsError('DISPUTE_NOT_FOUND_OR_NO_ACCESS', `No dispute ${disputeId} of this merchant`);
}

function changedMeanwhile(disputeId: string): AmsError {
  return new AmsError('UNKNOWN_EXCEPTION', `Dispute ${disputeId} changed meanwhile; retry`);
}
