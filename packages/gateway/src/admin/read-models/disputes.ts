/**
 * Disputes for people: the JSON view the control API answers, the timeline
 * events of a payment's disputes, and reading the sandbox's "open a
 * dispute" and "judge" inputs (control API JSON, dashboard forms, the CLI
 * through the control API).
 */
import { AmsError } from '@amsgate/protocol';
import type { DisputeRecord } from '../../products/disputes/dispute-record.js';
import type { JudgeOutcome, OpenDisputeInput } from '../../products/disputes/dispute-service.js';
import { moneyText } from '../../products/payments/money-text.js';
import { parseDuration } from '../../sandbox/sandbox-clock.js';
import { isoTime } from '../../iso-time.js';

/** A dispute's state in one word for badges and JSON: OPEN, DEFENDED, ACCEPTED, WON, LOST, CANCELLED, RESOLVED, SCHEDULED. */
export function disputeState(dispute: DisputeRecord): string {
  return dispute.status === 'JUDGED' ? (dispute.judgedResult ?? 'JUDGED') : dispute.status;
}

export function disputeView(dispute: DisputeRecord): Record<string, unknown> {
  return {
    disputeId: dispute.disputeId,
    paymentId: dispute.paymentId,
    paymentRequestId: dispute.paymentRequestId,
    clientId: dispute.clientId,
    captureId: dispute.captureId,
    kind: dispute.kind,
    status: dispute.status,
    judgedResult: dispute.judgedResult,
    acceptReason: dispute.acceptReason,
    disputeAmount: { currency: dispute.currency, value: dispute.amount.toString() },
    reasonCode: dispute.reasonCode,
    reasonMsg: dispute.reasonMsg,
    disputeTime: isoTime(dispute.opensAt),
    defenseDueTime: isoTime(dispute.defenseDueAt),
    alertTime: isoTime(dispute.alertAt),
    alertSentAt: isoTime(dispute.alertSentAt),
    defendedAt: isoTime(dispute.defendedAt),
    resolvedAt: isoTime(dispute.resolvedAt),
  };
}

/** One step of a dispute for a payment's timeline. */
export interface DisputeStep {
  at: number;
  title: string;
  status: string;
  detail: string;
}

/** What happened to a dispute so far, in order (notifications are on the timeline of their own). */
export function disputeSteps(dispute: DisputeRecord): DisputeStep[] {
  const amount = moneyText(dispute.currency, dispute.amount);
  const id = dispute.disputeId;
  if (dispute.status === 'SCHEDULED') {
    return [{ at: dispute.createdAt, title: `Dispute ${id} scheduled`, status: 'SCHEDULED', detail: `opens at ${isoTime(dispute.opensAt)} (sandbox trigger)` }];
  }
  const steps: DisputeStep[] = [{
    at: dispute.opensAt,
    title: `${dispute.kind === 'RDR' ? 'RDR dispute' : 'Dispute'} ${id} opened`,
    status: 'OPEN',
    detail: `${amount}; reason ${dispute.reasonCode} ${dispute.reasonMsg}; defense due ${isoTime(dispute.defenseDueAt)}`,
  }];
  if (dispute.alertSentAt !== null) steps.push({ at: dispute.alertSentAt, title: `Dispute ${id}: defense due alert`, status: 'OPEN', detail: `defense due ${isoTime(dispute.defenseDueAt)}` });
  if (dispute.defendedAt !== null) steps.push({ at: dispute.defendedAt, title: `Dispute ${id} defended`, status: 'DEFENDED', detail: 'defense document supplied' });
  if (dispute.resolvedAt !== null) {
    const what: Record<string, string> = {
      ACCEPTED: 'accepted by the merchant: the amount went to the buyer',
      CANCELLED: 'cancelled by the buyer: the amount went back to the merchant',
      RESOLVED: 'resolved by rapid dispute resolution: the amount went to the buyer',
      WON: 'judged: the merchant won, the amount went back to the merchant',
      LOST: dispute.acceptReason === 'TIMEOUT' ? 'judged: the merchant lost (the defense deadline passed)' : 'judged: the merchant lost, the amount went to the buyer',
    };
    const state = disputeState(dispute);
    steps.push({ at: dispute.resolvedAt, title: `Dispute ${id} ${state.toLowerCase()}`, status: state, detail: `${amount}; ${what[state] ?? state}` });
  }
  return steps;
}

/** The "open a dispute" input of the control API's JSON body or a dashboard form (strings there): PARAM_ILLEGAL naming the field. */
export function openDisputeInputOf(input: Record<string, unknown>): OpenDisputeInput {
  const out: OpenDisputeInput = {};
  const reasonCode = present(input.reasonCode);
  if (reasonCode !== undefined) {
    if (typeof reasonCode !== 'string') throw AmsError.paramIllegal('reasonCode', 'must be a string');
    out.reasonCode = reasonCode;
  }
  const amount = present(input.amount);
  if (amount !== undefined) {
    const given = typeof amount === 'object' && amount !== null && !Array.isArray(amount) ? (amount as Record<string, unknown>) : { value: amount };
    const value = given.value;
    if (typeof value !== 'string' && typeof value !== 'number') throw AmsError.paramIllegal('amount.value', 'must be minor units, e.g. "500"');
    const currency = present(given.currency);
    if (currency !== undefined && typeof currency !== 'string') throw AmsError.paramIllegal('amount.currency', 'must be a currency code');
    out.amount = { value: String(value), ...(currency !== undefined ? { currency } : {}) };
  }
  const due = present(input.defenseDueInMs) ?? present(input.defenseDueIn);
  if (due !== undefined) {
    if (typeof due === 'number') out.defenseDueInMs = due;
    else if (typeof due === 'string') {
      try {
        out.defenseDueInMs = parseDuration(due);
      } catch {
        throw AmsError.paramIllegal('defenseDueInMs', `"${due}" is not a duration such as 48h or 7d, nor milliseconds`);
      }
    } else throw AmsError.paramIllegal('defenseDueInMs', 'must be milliseconds or a duration such as 48h');
  }
  const rdr = present(input.rdr);
  if (rdr !== undefined) {
    if (rdr !== true && rdr !== false && rdr !== 'true' && rdr !== 'false' && rdr !== 'on') throw AmsError.paramIllegal('rdr', 'must be true or false');
    out.rdr = rdr === true || rdr === 'true' || rdr === 'on';
  }
  return out;
}

/** The judge's decision: WIN / LOSE (any case), or Antom's judged results ACCEPT_BY_CUSTOMER (the merchant won) / ACCEPT_BY_MERCHANT (lost). */
export function judgeOutcomeOf(value: unknown): JudgeOutcome {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (text === 'WIN' || text === 'ACCEPT_BY_CUSTOMER') return 'WIN';
  if (text === 'LOSE' || text === 'ACCEPT_BY_MERCHANT') return 'LOSE';
  throw AmsError.paramIllegal('result', 'must be WIN or LOSE (or ACCEPT_BY_CUSTOMER: the merchant won, ACCEPT_BY_MERCHANT: it lost)');
}

/** Absent: undefined, null or an empty form field. */
function present(value: unknown): unknown {
  return value === null || value === '' ? undefined : value;
}
