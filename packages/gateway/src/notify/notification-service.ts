/** What people and tools do with notifications: list, show with attempts, resend, set default URLs. */
import { isoTime } from '../iso-time.js';
import type { NotificationStatus, NotifyType } from './tables.js';
import type { NotificationDispatcher } from './dispatcher.js';
import type { AttemptRecord, NotificationRecord, NotificationsRepository } from './notifications-repository.js';

export class NotificationNotFoundError extends Error {}
export class NotificationNotSendableError extends Error {}

export class NotificationService {
  constructor(
    readonly repository: NotificationsRepository,
    readonly dispatcher: NotificationDispatcher,
  ) {}

  list(filter: { status?: NotificationStatus; clientId?: string; resourceId?: string; limit?: number }): Promise<NotificationRecord[]> {
    return this.repository.list(filter);
  }

  async show(notificationId: string): Promise<{ notification: NotificationRecord; attempts: AttemptRecord[] }> {
    const notification = await this.repository.find(notificationId);
    if (!notification) throw new NotificationNotFoundError(`No notification ${notificationId}`);
    return { notification, attempts: await this.repository.attempts(notificationId) };
  }

  async resend(notificationId: string): Promise<AttemptRecord> {
    const notification = await this.repository.find(notificationId);
    if (!notification) throw new NotificationNotFoundError(`No notification ${notificationId}`);
    if (notification.url === null) throw new NotificationNotSendableError(`Notification ${notificationId} has no URL: ${notification.lastError ?? ''}`);
    return this.dispatcher.resend(notification);
  }

  setDefaultUrl(clientId: string, notifyType: NotifyType, url: string): Promise<void> {
    return this.repository.setDefaultUrl(clientId, notifyType, url);
  }

  /** False when there was none. */
  clearDefaultUrl(clientId: string, notifyType: NotifyType): Promise<boolean> {
    return this.repository.clearDefaultUrl(clientId, notifyType);
  }

  defaultUrls(clientId: string): Promise<Partial<Record<NotifyType, string>>> {
    return this.repository.defaultUrls(clientId);
  }
}

/** The JSON shape the control API and the CLI show. */
export function notificationView(notification: NotificationRecord): Record<string, unknown> {
  return {
    notificationId: notification.notificationId,
    clientId: notification.clientId,
    notifyType: notification.notifyType,
    resourceId: notification.resourceId,
    url: notification.url,
    status: notification.status,
    attempts: notification.attempts,
    nextAttemptAt: isoTime(notification.nextAttemptAt),
    lastError: notification.lastError,
    createdAt: isoTime(notification.createdAt),
    deliveredAt: isoTime(notification.deliveredAt),
  };
}

export function attemptView(attempt: AttemptRecord): Record<string, unknown> {
  return {
    attempt: attempt.attempt,
    startedAt: isoTime(attempt.startedAt),
    url: attempt.url,
    requestTime: attempt.requestTime,
    httpStatus: attempt.httpStatus,
    succeeded: attempt.succeeded,
    error: attempt.error,
    durationMs: attempt.durationMs,
    responseExcerpt: attempt.responseExcerpt,
  };
}
