/** The outbox's rows: claiming due notifications, recording attempts, listing for people. */
import type { Selectable } from 'kysely';
import type { Database, Tx } from '../schema.js';
import { toNullableNumber, toNumber } from '../store/columns.js';
import type { NotificationAttemptsTable, NotificationsTable, NotificationStatus, NotifyType } from './tables.js';
import { newId } from '../ids.js';

/** The notification types a client can set a default URL for (Antom Dashboard → Notification URL). */
export { NOTIFY_TYPES, NOTIFICATION_STATUSES } from './tables.js';

export interface NotificationRecord {
  notificationId: string;
  clientId: string;
  notifyType: NotifyType;
  eventKey: string;
  resourceId: string;
  url: string | null;
  body: string;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

export interface AttemptRecord {
  attemptId: string;
  notificationId: string;
  attempt: number;
  startedAt: number;
  url: string;
  requestTime: string;
  httpStatus: number | null;
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
  succeeded: boolean;
}

export function notificationFromRow(row: Selectable<NotificationsTable>): NotificationRecord {
  return {
    notificationId: row.notification_id,
    clientId: row.client_id,
    notifyType: row.notify_type,
    eventKey: row.event_key,
    resourceId: row.resource_id,
    url: row.url,
    body: row.body,
    status: row.status,
    attempts: toNumber(row.attempts),
    nextAttemptAt: toNullableNumber(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    deliveredAt: toNullableNumber(row.delivered_at),
  };
}

export function attemptFromRow(row: Selectable<NotificationAttemptsTable>): AttemptRecord {
  return {
    attemptId: row.attempt_id,
    notificationId: row.notification_id,
    attempt: toNumber(row.attempt),
    startedAt: toNumber(row.started_at),
    url: row.url,
    requestTime: row.request_time,
    httpStatus: toNullableNumber(row.http_status),
    responseExcerpt: row.response_excerpt,
    error: row.error,
    durationMs: toNumber(row.duration_ms),
    succeeded: toNumber(row.succeeded) === 1,
  };
}

export class NotificationsRepository {
  constructor(private readonly database: Database) {}

  /**
   * Claims up to `limit` due notifications until `leaseUntil`. On PostgreSQL
   * `FOR UPDATE SKIP LOCKED` lets several gateway processes claim side by
   * side, each row by one of them; SQLite serialises writers anyway.
   */
  async claimDue(now: number, leaseUntil: number, limit: number, processId: string): Promise<NotificationRecord[]> {
    if (limit <= 0) return [];
    return this.database.transaction(async (tx) => {
      let due = tx
        .selectFrom('notifications')
        .select('notification_id')
        .where('status', '=', 'PENDING')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit);
      if (this.database.dialect === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await tx
        .updateTable('notifications')
        .set({ locked_until: leaseUntil, claimed_by: processId })
        .where('notification_id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(notificationFromRow);
    });
  }

  /** Records an attempt and its consequence for the notification, in one transaction. */
  async recordAttempt(
    notification: NotificationRecord,
    attempt: Omit<AttemptRecord, 'attemptId' | 'notificationId' | 'attempt'>,
    next: { status: NotificationStatus; nextAttemptAt: number | null; now: number },
  ): Promise<AttemptRecord> {
    return this.database.transaction(async (tx) => {
      const current = await tx.selectFrom('notifications').select('attempts').where('notification_id', '=', notification.notificationId).executeTakeFirstOrThrow();
      const number = toNumber(current.attempts) + 1;
      const record: AttemptRecord = { ...attempt, attemptId: newId('ATT', next.now), notificationId: notification.notificationId, attempt: number };
      await tx
        .insertInto('notification_attempts')
        .values({
          attempt_id: record.attemptId,
          notification_id: record.notificationId,
          attempt: number,
          started_at: record.startedAt,
          url: record.url,
          request_time: record.requestTime,
          http_status: record.httpStatus,
          response_excerpt: record.responseExcerpt,
          error: record.error,
          duration_ms: record.durationMs,
          succeeded: record.succeeded ? 1 : 0,
        })
        .execute();
      await tx
        .updateTable('notifications')
        .set({
          status: next.status,
          attempts: number,
          next_attempt_at: next.nextAttemptAt,
          locked_until: null,
          claimed_by: null,
          last_error: attempt.succeeded ? null : attempt.error,
          updated_at: next.now,
          ...(attempt.succeeded ? { delivered_at: next.now } : {}),
        })
        .where('notification_id', '=', notification.notificationId)
        .execute();
      return record;
    });
  }

  /** Frees one claim without recording an attempt: the delivery was abandoned, not tried. */
  async releaseClaim(notificationId: string): Promise<void> {
    await this.database.transaction((tx) =>
      tx.updateTable('notifications').set({ locked_until: null, claimed_by: null }).where('notification_id', '=', notificationId).where('status', '=', 'PENDING').execute(),
    );
  }

  /** The processes other than `processId` that hold claims (off the partial index of claimed rows). */
  async claimHoldersOtherThan(processId: string): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('notifications')
      .select('claimed_by')
      .distinct()
      .where('claimed_by', 'is not', null)
      .where('claimed_by', '<>', processId)
      .execute();
    return rows.flatMap((row) => (row.claimed_by === null ? [] : [row.claimed_by]));
  }

  /**
   * Frees the claims of processes that are gone (crashed): due again at once
   * instead of when their claims expire. Claims made before claim holders
   * were recorded (no holder) are freed too: only a process from before the
   * upgrade made them.
   */
  async releaseClaimsOf(processIds: readonly string[], includeUnowned = false): Promise<number> {
    if (processIds.length === 0 && !includeUnowned) return 0;
    const result = await this.database.transaction((tx) =>
      tx
        .updateTable('notifications')
        .set({ locked_until: null, claimed_by: null })
        .where('status', '=', 'PENDING')
        .where((eb) => {
          const held = processIds.length > 0 ? [eb('claimed_by', 'in', processIds)] : [];
          const unowned = includeUnowned ? [eb.and([eb('claimed_by', 'is', null), eb('locked_until', 'is not', null)])] : [];
          return eb.or([...held, ...unowned]);
        })
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  /** Notifications waiting for delivery: every `PENDING` one, and those due by `now` (one read off the `notifications_due` index, for `/metrics`). */
  async outboxDepth(now: number): Promise<{ pending: number; due: number }> {
    const row = await this.database.db
      .selectFrom('notifications')
      .select((eb) => [eb.fn.countAll<number | bigint | string>().as('pending'), eb.fn.countAll<number | bigint | string>().filterWhere('next_attempt_at', '<=', now).as('due')])
      .where('status', '=', 'PENDING')
      .executeTakeFirstOrThrow();
    return { pending: toNumber(row.pending), due: toNumber(row.due) };
  }

  async find(notificationId: string, tx: Tx = this.database.db): Promise<NotificationRecord | undefined> {
    const row = await tx.selectFrom('notifications').selectAll().where('notification_id', '=', notificationId).executeTakeFirst();
    return row && notificationFromRow(row);
  }

  async attempts(notificationId: string): Promise<AttemptRecord[]> {
    const rows = await this.database.db.selectFrom('notification_attempts').selectAll().where('notification_id', '=', notificationId).orderBy('attempt').execute();
    return rows.map(attemptFromRow);
  }

  async list(filter: { status?: NotificationStatus; clientId?: string; resourceId?: string; limit?: number }): Promise<NotificationRecord[]> {
    let query = this.database.db.selectFrom('notifications').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
    if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('notification_id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.map(notificationFromRow);
  }

  async setDefaultUrl(clientId: string, notifyType: NotifyType, url: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      await tx.deleteFrom('client_notify_urls').where('client_id', '=', clientId).where('notify_type', '=', notifyType).execute();
      await tx.insertInto('client_notify_urls').values({ client_id: clientId, notify_type: notifyType, url }).execute();
    });
  }

  async clearDefaultUrl(clientId: string, notifyType: NotifyType): Promise<boolean> {
    const result = await this.database.transaction((tx) =>
      tx.deleteFrom('client_notify_urls').where('client_id', '=', clientId).where('notify_type', '=', notifyType).executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }

  /** The client's default URL by notification type (types without one are absent). */
  async defaultUrls(clientId: string): Promise<Partial<Record<NotifyType, string>>> {
    const rows = await this.database.db.selectFrom('client_notify_urls').select(['notify_type', 'url']).where('client_id', '=', clientId).execute();
    return Object.fromEntries(rows.map((row) => [row.notify_type, row.url]));
  }
}
