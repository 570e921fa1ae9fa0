/**
 * The notification outbox: turns payment events into notification rows in
 * the same database transaction as the change, so a notification exists if
 * and only if its change committed. Delivery is the dispatcher's job.
 */
import type { PaymentEvent, PaymentEventSink } from '../products/payments/events.js';
import type { Tx } from '../store/database.js';
import type { NotifyType } from '../store/schema.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../store/prepared-query.js';
import { authorizationBody, captureResultBody, paymentResultBody, refundResultBody } from '../products/payments/notification-bodies.js';

interface OutboxEntry {
  clientId: string;
  notifyType: NotifyType;
  eventKey: string;
  resourceId: string;
  /** The URL the request named, if any; else the client's default for the type. */
  requestUrl: string | null;
  body: Record<string, unknown>;
}

/** Which events are notified, and how. Events Antom does not notify (a merchant's own cancel) give undefined. */
export function outboxEntryFor(event: PaymentEvent): OutboxEntry | undefined {
  switch (event.kind) {
    case 'payment-final': {
      const { payment } = event;
      if (payment.status === 'CANCELLED') return undefined;
      return {
        clientId: payment.clientId,
        notifyType: 'PAYMENT_RESULT',
        eventKey: `payment:${payment.paymentId}`,
        resourceId: payment.paymentId,
        requestUrl: payment.notifyUrl,
        body: paymentResultBody(payment),
      };
    }
    case 'refund-final':
      return {
        clientId: event.refund.clientId,
        notifyType: 'REFUND_RESULT',
        eventKey: `refund:${event.refund.refundId}`,
        resourceId: event.refund.refundId,
        requestUrl: event.refund.notifyUrl,
        body: refundResultBody(event.refund),
      };
    case 'capture-final':
      // The spec names no capture notify URL: the pay request's, else the client's default.
      return {
        clientId: event.capture.clientId,
        notifyType: 'CAPTURE_RESULT',
        eventKey: `capture:${event.capture.captureId}`,
        resourceId: event.capture.captureId,
        requestUrl: event.payment.notifyUrl,
        body: captureResultBody(event.capture),
      };
    case 'authorization':
      // The consult's authNotifyUrl, else the client's default for AUTHORIZATION (the Dashboard setting).
      return {
        clientId: event.notice.clientId,
        notifyType: 'AUTHORIZATION',
        eventKey: event.notice.eventKey,
        resourceId: event.notice.resourceId,
        requestUrl: event.notice.notifyUrl,
        body: authorizationBody(event.notice),
      };
  }
}

const defaultUrl = preparedQuery<'clientId' | 'notifyType', unknown>((db, p) =>
  db.selectFrom('client_notify_urls').select('url').where('client_id', '=', p('clientId')).where('notify_type', '=', p('notifyType')),
);

const insertNotification = preparedQuery<
  'id' | 'clientId' | 'notifyType' | 'eventKey' | 'resourceId' | 'url' | 'body' | 'status' | 'nextAttemptAt' | 'lastError' | 'now',
  unknown
>((db, p) =>
  db
    .insertInto('notifications')
    .values({
      notification_id: p('id'),
      client_id: p('clientId'),
      notify_type: p('notifyType'),
      event_key: p('eventKey'),
      resource_id: p('resourceId'),
      url: p('url'),
      body: p('body'),
      status: p('status'),
      attempts: 0,
      next_attempt_at: p('nextAttemptAt'),
      locked_until: null,
      last_error: p('lastError'),
      created_at: p('now'),
      updated_at: p('now'),
      delivered_at: null,
    })
    // One notification per event, however often the event is raised.
    .onConflict((oc) => oc.columns(['client_id', 'event_key']).doNothing()),
);

export class NotificationOutbox implements PaymentEventSink {
  /** Called after an event was queued, so a dispatcher can look soon (it also polls). */
  constructor(private readonly onQueued: () => void = () => undefined) {}

  async record(tx: Tx, event: PaymentEvent, now: number): Promise<void> {
    const entry = outboxEntryFor(event);
    if (!entry) return;
    let url = entry.requestUrl;
    if (url === null) {
      const row = (await defaultUrl(tx, { clientId: entry.clientId, notifyType: entry.notifyType })).rows[0] as { url: string } | undefined;
      url = row?.url ?? null;
    }
    await insertNotification(tx, {
      id: newId('NTF', now),
      clientId: entry.clientId,
      notifyType: entry.notifyType,
      eventKey: entry.eventKey,
      resourceId: entry.resourceId,
      url,
      body: JSON.stringify(entry.body),
      status: url === null ? 'NO_URL' : 'PENDING',
      nextAttemptAt: url === null ? null : now,
      lastError: url === null ? `no notification URL: the request named none and the client has no default for ${entry.notifyType}` : null,
      now,
    });
    this.onQueued();
  }
}
