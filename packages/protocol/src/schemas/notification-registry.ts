/**
 * Which schema belongs to which notification, and how a received body
 * tells its kind.
 */
import type Type from 'typebox';
import type { TSchema } from 'typebox';
import { NotifyPaymentInStoreBodySchema } from './in-store.js';
import { NotifyVaultingBodySchema } from './vaults.js';
import { NotifySubscriptionBodySchema, NotifySubscriptionCancelBodySchema, NotifySubscriptionPaymentBodySchema, SUBSCRIPTION_NOTIFICATION_TYPES } from './subscriptions.js';
import { DISPUTE_NOTIFICATION_TYPES, NotifyDisputeBodySchema } from './disputes.js';
import { NotifyRegistrationBodySchema } from './marketplace.js';
import { NotifyRegistrationStatusBodySchema, REGISTRATION_STATUS_NOTIFY_TYPE } from './registration.js';
import { ABATransferNotifyBodySchema, BillingSubscriptionNotifyBodySchema, CreditNoteNotifyBodySchema, DirectRefundNotifyBodySchema, InvoiceNotifyBodySchema, MeterEventNotifyBodySchema } from './surface/notifications.js';
import { NotifyAuthorizationBodySchema, NotifyCaptureBodySchema, NotifyPaymentBodySchema, NotifyRefundBodySchema } from './notifications.js';

/**
 * Notification kinds, with the field that carries the event type and the
 * types each kind covers. `notifyPaymentInStore` is for in-store merchants
 * (its `PAYMENT_RESULT` has the in-store field set); a receiver that cannot
 * tell uses {@link notificationKindOf}, which maps `PAYMENT_RESULT` to the
 * online kind. A kind with a `marker` is the one a shared type means when
 * the body has that field (a subscription period's notifyPayment has
 * `subscriptionId`).
 */
export const NOTIFICATIONS = {
  notifyPayment: { schema: NotifyPaymentBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT', 'PAYMENT_PENDING', 'UPDATE_AMOUNT_RESULT'] },
  notifyPaymentInStore: { schema: NotifyPaymentInStoreBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT', 'OFFLINE_PAYMENT_CODE'] },
  notifyRefund: { schema: NotifyRefundBodySchema, typeField: 'notifyType', types: ['REFUND_RESULT'] },
  notifyCapture: { schema: NotifyCaptureBodySchema, typeField: 'notifyType', types: ['CAPTURE_RESULT'] },
  notifyAuthorization: { schema: NotifyAuthorizationBodySchema, typeField: 'authorizationNotifyType', types: ['AUTHCODE_CREATED', 'TOKEN_CANCELED'] },
  notifyVaulting: { schema: NotifyVaultingBodySchema, typeField: 'notifyType', types: ['VAULTING_RESULT'] },
  notifyDispute: { schema: NotifyDisputeBodySchema, typeField: 'disputeNotificationType', types: DISPUTE_NOTIFICATION_TYPES },
  notifySubscription: { schema: NotifySubscriptionBodySchema, typeField: 'subscriptionNotificationType', types: SUBSCRIPTION_NOTIFICATION_TYPES },
  notifySubscriptionPayment: { schema: NotifySubscriptionPaymentBodySchema, typeField: 'notifyType', types: ['PAYMENT_RESULT'], marker: 'subscriptionId' },
  notifySubscriptionCancel: { schema: NotifySubscriptionCancelBodySchema, typeField: 'subscriptionOrderStatus', types: ['CANCEL', 'TERMINATE'] },
  notifyRegistration: { schema: NotifyRegistrationBodySchema, typeField: 'notifyType', types: ['REGISTRATION_RESULT'] },
  notifyRegistrationStatus: { schema: NotifyRegistrationStatusBodySchema, typeField: 'notifyType', types: [REGISTRATION_STATUS_NOTIFY_TYPE] },
  // The resource products'. No public page gives their notifyType values: these are ours, one per SDK class.
  notifyInvoice: { schema: InvoiceNotifyBodySchema, typeField: 'notifyType', types: ['INVOICE'] },
  notifyCreditNote: { schema: CreditNoteNotifyBodySchema, typeField: 'notifyType', types: ['CREDIT_NOTE'] },
  notifyBillingSubscription: { schema: BillingSubscriptionNotifyBodySchema, typeField: 'notifyType', types: ['BILLING_SUBSCRIPTION'] },
  notifyMeterEvent: { schema: MeterEventNotifyBodySchema, typeField: 'notifyType', types: ['METER_EVENT'] },
  notifyDirectRefund: { schema: DirectRefundNotifyBodySchema, typeField: 'notifyType', types: ['DIRECT_REFUND_RESULT'] },
  notifyAbaTransfer: { schema: ABATransferNotifyBodySchema, typeField: 'notifyType', types: ['ABA_TRANSFER'] },
} as const satisfies Record<string, { schema: TSchema; typeField: string; types: readonly string[]; marker?: string }>;

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

/** The fields that carry an event type, `notifyType` first (a dispute body's `notifyType` is `DISPUTE`; its event is `disputeNotificationType`). */
const TYPE_FIELDS: readonly string[] = [...new Set(Object.values(NOTIFICATIONS).map((entry) => entry.typeField as string))];

/** The kind of a notification body from its event type, or `undefined` when it has none we know. */
export function notificationKindOf(body: unknown): NotificationKind | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const has = (field: string) => Object.prototype.hasOwnProperty.call(record, field);
  for (const field of TYPE_FIELDS) {
    const value = has(field) ? record[field] : undefined;
    if (typeof value !== 'string') continue;
    // The kinds this field and value name (subscription CANCEL is two kinds' type, each in its own field), a marked one first when its marker is there.
    const kinds = KINDS.filter((kind) => NOTIFICATIONS[kind].typeField === field && (NOTIFICATIONS[kind].types as readonly string[]).includes(value));
    const kind = kinds.find((k) => markerOf(k) !== undefined && has(markerOf(k)!)) ?? kinds.find((k) => markerOf(k) === undefined);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

const KINDS = Object.keys(NOTIFICATIONS) as NotificationKind[];

function markerOf(kind: NotificationKind): string | undefined {
  const entry = NOTIFICATIONS[kind];
  return 'marker' in entry ? entry.marker : undefined;
}
