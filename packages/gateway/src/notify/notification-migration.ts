/** Tables of the notification outbox (migration 0003). */
import type { Kysely, Migration } from 'kysely';

export const notificationsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('notifications')
      .addColumn('notification_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('notify_type', 'text', (c) => c.notNull())
      /** One notification per business event: `payment:<paymentId>`, `refund:<refundId>`, … */
      .addColumn('event_key', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('locked_until', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .addUniqueConstraint('notifications_event_unique', ['client_id', 'event_key'])
      .execute();
    await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_at']).execute();

    await db.schema
      .createTable('notification_attempts')
      .addColumn('attempt_id', 'text', (c) => c.primaryKey())
      .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.notification_id'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('request_time', 'text', (c) => c.notNull())
      .addColumn('http_status', 'integer')
      .addColumn('response_excerpt', 'text')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('succeeded', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notification_attempts_notification').on('notification_attempts').column('notification_id').execute();

    await db.schema
      .createTable('client_notify_urls')
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id'))
      .addColumn('notify_type', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('client_notify_urls_pk', ['client_id', 'notify_type'])
      .execute();
  },
};
