/**
 * notifyDispute bodies, one per `disputeNotificationType`, and how each is
 * queued: through the outbox, in the transaction of the change it reports,
 * to the payment's paymentNotifyUrl or else the client's default URL for
 * DISPUTE. One notification per dispute and type (`eventKey`).
 *
 * Every body carries the dispute and its payment (disputeId, paymentId,
 * paymentRequestId, disputeTime, disputeAmount, the reason, disputeSource,
 * arn, disputeType, defendable and, for a captured authorisation,
 * captureId); then by type (notifyDispute page):
 * - DISPUTE_CREATED, DEFENSE_DUE_ALERT: `defenseDueTime`;
 * - DISPUTE_ACCEPTED: `disputeAcceptReason` MERCHANT_ACCEPTED and `disputeAcceptTime`;
 * - DISPUTE_JUDGED: `disputeJudgedTime`, `disputeJudgedResult` (ACCEPT_BY_CUSTOMER: the
 *   merchant won; ACCEPT_BY_MERCHANT: lost) and `disputeJudgedAmount` (what was
 *   deducted: the disputed amount when lost, 0 when won); a deadline that passed
 *   undefended adds `disputeAcceptReason` TIMEOUT with its time;
 * - RDR_RESOLVED: resolved against the merchant at once, judged fields as a loss;
 * - DEFENSE_SUPPLIED, DISPUTE_CANCELLED: the common fields.
 */
import type { DisputeNotificationType, NotifyDisputeBody } from '@amsgate/protocol';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Tx } from '../../schema.js';
import { acquirerTransactionIdOf } from '../payments/acquirer.js';
import { amountOf, wireTime } from '../payments/answers.js';
import type { DisputeRecord } from './dispute-record.js';

/** The `notifyType` of every dispute body (the docs name none; the event is `disputeNotificationType`). */
export const DISPUTE_NOTIFY_TYPE = 'DISPUTE';

export function disputeNotificationBody(dispute: DisputeRecord, type: DisputeNotificationType): NotifyDisputeBody {
  const base: NotifyDisputeBody = {
    notifyType: DISPUTE_NOTIFY_TYPE,
    disputeNotificationType: type,
    disputeId: dispute.disputeId,
    paymentId: dispute.paymentId,
    paymentRequestId: dispute.paymentRequestId,
    disputeTime: wireTime(dispute.opensAt),
    disputeAmount: amountOf(dispute),
    disputeReasonCode: dispute.reasonCode,
    disputeReasonMsg: dispute.reasonMsg,
    disputeSource: dispute.source,
    // The payment's acquirerReferenceNo (acquirer.ts): what the card network files the dispute under.
    arn: acquirerTransactionIdOf(dispute.paymentId),
    disputeType: 'CHARGEBACK',
    defendable: dispute.kind === 'CHARGEBACK',
    ...(dispute.captureId !== null ? { captureId: dispute.captureId } : {}),
  };
  const resolvedAt = wireTime(dispute.resolvedAt ?? dispute.updatedAt);
  switch (type) {
    case 'DISPUTE_CREATED':
    case 'DEFENSE_DUE_ALERT':
      return { ...base, defenseDueTime: wireTime(dispute.defenseDueAt) };
    case 'DISPUTE_ACCEPTED':
      return { ...base, disputeAcceptReason: 'MERCHANT_ACCEPTED', disputeAcceptTime: resolvedAt };
    case 'DISPUTE_JUDGED':
    case 'RDR_RESOLVED': {
      const lost = type === 'RDR_RESOLVED' || dispute.judgedResult === 'LOST';
      return {
        ...base,
        disputeJudgedTime: resolvedAt,
        disputeJudgedResult: lost ? 'ACCEPT_BY_MERCHANT' : 'ACCEPT_BY_CUSTOMER',
        disputeJudgedAmount: { currency: dispute.currency, value: lost ? dispute.amount.toString() : '0' },
        ...(dispute.acceptReason === 'TIMEOUT' ? { disputeAcceptReason: 'TIMEOUT', disputeAcceptTime: resolvedAt } : {}),
      };
    }
    case 'DEFENSE_SUPPLIED':
    case 'DISPUTE_CANCELLED':
      return base;
  }
}

/** Queues one notifyDispute, at `at` (the time of the event it reports). */
export async function recordDisputeNotification(outbox: NotificationOutbox, tx: Tx, dispute: DisputeRecord, type: DisputeNotificationType, at: number): Promise<void> {
  await outbox.record(tx, {
    clientId: dispute.clientId,
    notifyType: DISPUTE_NOTIFY_TYPE,
    eventKey: `dispute:${dispute.disputeId}:${type}`,
    resourceId: dispute.disputeId,
    requestUrl: dispute.notifyUrl,
    body: disputeNotificationBody(dispute, type),
  }, at);
}
