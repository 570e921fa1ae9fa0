/** The notification outbox, its delivery attempts and the clients' default URLs (migration 0003, `notification-migration.ts`), as Kysely sees them. */
import type { IntColumn, NullableIntColumn } from '../store/columns.js';

/** The categories a client sets a default notification URL for (Antom's Dashboard settings). */
export const NOTIFY_TYPES = ['PAYMENT_RESULT', 'REFUND_RESULT', 'CAPTURE_RESULT', 'AUTHORIZATION', 'VAULTING_RESULT', 'DISPUTE', 'SUBSCRIPTION_RESULT', 'SUBSCRIPTION_PAYMENT_RESULT', 'REGISTRATION_RESULT', 'REGISTRATION_STATUS', 'INVOICE', 'CREDIT_NOTE', 'BILLING_SUBSCRIPTION', 'METER_EVENT', 'DIRECT_PAYMENT_RESULT', 'DIRECT_REFUND_RESULT', 'ABA_TRANSFER', 'CARD_BILL', 'CARD_STATUS'] as const;

/** The notification type `value` names, or undefined (a form field, a route parameter). */
export function notifyTypeOf(value: string | null | undefined): NotifyType | undefined {
  return NOTIFY_TYPES.find((type) => type === value);
}
export type NotifyType = (typeof NOTIFY_TYPES)[number];
export type NotificationStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'NO_URL';

/** Where a notification stands; the filters of the dashboard and `GET /admin/notifications` accept these. */
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['PENDING', 'DELIVERED', 'FAILED', 'NO_URL'];

/** The notification outbox: written in the transaction of the change it reports. */
export interface NotificationsTable {
  notification_id: string;
  client_id: string;
  notify_type: NotifyType;
  event_key: string;
  resource_id: string;
  url: string | null;
  /** The exact JSON sent on every attempt. */
  body: string;
  status: NotificationStatus;
  attempts: IntColumn;
  next_attempt_at: NullableIntColumn;
  /** A worker's claim: others leave it alone until then (a crashed worker's claim expires). */
  locked_until: NullableIntColumn;
  /** The process holding the claim (`ProcessLiveness.processId`); null when unclaimed. */
  claimed_by: string | null;
  last_error: string | null;
  created_at: IntColumn;
  updated_at: IntColumn;
  delivered_at: NullableIntColumn;
}

export interface NotificationAttemptsTable {
  attempt_id: string;
  notification_id: string;
  attempt: IntColumn;
  started_at: IntColumn;
  url: string;
  request_time: string;
  http_status: NullableIntColumn;
  /** At most a few hundred characters of the merchant's answer. */
  response_excerpt: string | null;
  error: string | null;
  duration_ms: IntColumn;
  succeeded: IntColumn;
}

/** A client's default notification URL per notification type (Antom's Dashboard setting). */
export interface ClientNotifyUrlsTable {
  client_id: string;
  notify_type: NotifyType;
  url: string;
}

export interface NotifyTables {
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  client_notify_urls: ClientNotifyUrlsTable;
}
