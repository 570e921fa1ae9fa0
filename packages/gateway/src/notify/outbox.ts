/**
 * The notification outbox: records what a product describes as one
 * notification, in the database transaction of the change it reports, so a
 * notification exists if and only if its change committed. Which changes are
 * notified, and with what body, is each product's business; delivery is the
 * dispatcher's.
 */
import { preparedQuery, type Tx } from '../schema.js';
import type { NotifyType } from './tables.js';
import { newId } from '../ids.js';

/** One notification to queue, as a product describes it. */
export interface NotificationDescriptor {
  clientId: string;
  notifyType: NotifyType;
  /** One notification per key and client, however often the event is raised: `payment:<paymentId>`, … */
  eventKey: string;
  resourceId: string;
  /** The URL the request named, if any; else the client's default for the type. */
  requestUrl: string | null;
  body: Record<string, unknown>;
}

const defaultUrl = preparedQuery(['clientId', 'notifyType'], (db, p) =>
  db.selectFrom('client_notify_urls').select('url').where('client_id', '=', p('clientId')).where('notify_type', '=', p('notifyType')),
);

const insertNotification = preparedQuery(
  ['id', 'clientId', 'notifyType', 'eventKey', 'resourceId', 'url', 'body', 'status', 'nextAttemptAt', 'lastError', 'now'],
  (db, p) =>
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

export class NotificationOutbox {
  /** Called after a notification was queued, so a dispatcher can look soon (it also polls). */
  constructor(private readonly onQueued: () => void = () => undefined) {}

  async record(tx: Tx, notification: NotificationDescriptor, now: number): Promise<void> {
    let url = notification.requestUrl;
    if (url === null) {
      const row = (await defaultUrl(tx, { clientId: notification.clientId, notifyType: notification.notifyType })).rows[0];
      url = row?.url ?? null;
    }
    await insertNotification(tx, {
      id: newId('NTF', now),
      clientId: notification.clientId,
      notifyType: notification.notifyType,
      eventKey: notification.eventKey,
      resourceId: notification.resourceId,
      url,
      body: JSON.stringify(notification.body),
      status: url === null ? 'NO_URL' : 'PENDING',
      nextAttemptAt: url === null ? null : now,
      lastError: url === null ? `no notification URL: the request named none and the client has no default for ${notification.notifyType}` : null,
      now,
    });
    this.onQueued();
  }
}
