/**
 * Which schema belongs to which notification, and how a received body
 * tells its kind.
 */
import type Type from 'typebox';
import type { TSchema } from 'typebox';
import { NotifyPaymentInStoreBodySchema } from './in-store.js';
import { NotifyVaultingBodySchema } from './vaults.js';
import { NotifyAuthorizationBodySchema, NotifyCaptureBodySchema, NotifyPaymentBodySchema, NotifyRefundBodySchema } from './notifications.js';

/**
 * Notification kinds, with the field that carries the event type and the
 * types each kind covers. `notifyPaymentInStore` is for in-store merchants
 * (its `PAYMENT_RESULT` has the in-store field set); a receiver that cannot
 * tell uses {@link notificationKindOf}, which maps `PAYMENT_RESULT` to the
 * online kind.
 */
export const NOTIFICATIONS = {
  notifyPayment: { schema: NotifyPaymentBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT', 'PAYMENT_PENDING', 'UPDATE_AMOUNT_RESULT'] },
  notifyPaymentInStore: { schema: NotifyPaymentInStoreBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT', 'OFFLINE_PAYMENT_CODE'] },
  notifyRefund: { schema: NotifyRefundBodySchema, typeField: 'notifyType', types: ['REFUND_RESULT'] },
  notifyCapture: { schema: NotifyCaptureBodySchema, typeField: 'notifyType', types: ['CAPTURE_RESULT'] },
  notifyAuthorization: { schema: NotifyAuthorizationBodySchema, typeField: 'authorizationNotifyType', types: ['AUTHCODE_CREATED', 'TOKEN_CANCELED'] },
  notifyVaulting: { schema: NotifyVaultingBodySchema, typeField: 'notifyType', types: ['VAULTING_RESULT'] },
} as const satisfies Record<string, { schema: TSchema; typeField: string; types: readonly string[] }>;

export type NotificationKind = keyof typeof NOTIFICATIONS;
export type NotificationBody<K extends NotificationKind> = Type.Static<(typeof NOTIFICATIONS)[K]['schema']>;
/** An event type of a kind: `PAYMENT_RESULT`, `TOKEN_CANCELED`, … */
export type NotificationType<K extends NotificationKind> = (typeof NOTIFICATIONS)[K]['types'][number];

/**
 * Event type (`notifyType` or `authorizationNotifyType` value) → kind, from
 * the kinds above; a type two kinds share (`PAYMENT_RESULT`) maps to the
 * first listed (the online kind).
 */
export const NOTIFICATION_KIND_BY_TYPE: Readonly<Record<string, NotificationKind>> = Object.fromEntries(
  (Object.entries(NOTIFICATIONS) as Array<[NotificationKind, { types: readonly string[] }]>)
    .flatMap(([kind, { types }]) => types.map((type) => [type, kind] as const))
    .reverse(),
);

/** The kind of a notification body from its event type, or `undefined` when it has none we know. */
export function notificationKindOf(body: unknown): NotificationKind | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  for (const field of ['notifyType', 'authorizationNotifyType']) {
    const value = Object.prototype.hasOwnProperty.call(record, field) ? record[field] : undefined;
    if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(NOTIFICATION_KIND_BY_TYPE, value)) {
      return NOTIFICATION_KIND_BY_TYPE[value];
    }
  }
  return undefined;
}
