/**
 * Which payment events Antom notifies, and how: the one mapping from a
 * `PaymentEvent` to the notification the outbox queues.
 */
import type { NotificationDescriptor, NotificationOutbox } from '../../notify/outbox.js';
import type { Tx } from '../../schema.js';
import type { PaymentEvent, PaymentEventSink } from './events.js';
import { authorizationBody, captureResultBody, paymentPendingBody, paymentResultBody, refundResultBody, updateAmountResultBody } from './notification-bodies.js';

/** Events Antom does not notify (a merchant's own cancel) give undefined. */
export function notificationFor(event: PaymentEvent): NotificationDescriptor | undefined {
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
    case 'payment-pending':
      return {
        clientId: event.payment.clientId,
        notifyType: 'PAYMENT_RESULT',
        eventKey: `payment-pending:${event.payment.paymentId}`,
        resourceId: event.payment.paymentId,
        requestUrl: event.payment.notifyUrl,
        body: paymentPendingBody(event.payment),
      };
    case 'amount-update-final':
      // notifyPayment too: the pay request's notify URL, else the client's default for payment results.
      return {
        clientId: event.payment.clientId,
        notifyType: 'PAYMENT_RESULT',
        eventKey: `update-amount:${event.update.transactionId}`,
        resourceId: event.payment.paymentId,
        requestUrl: event.payment.notifyUrl,
        body: updateAmountResultBody(event.payment, event.update),
      };
    case 'refund-final':
      return {
        clientId: event.refund.clientId,
        notifyType: 'REFUND_RESULT',
        eventKey: `refund:${event.refund.refundId}`,
        resourceId: event.refund.refundId,
        requestUrl: event.refund.notifyUrl,
        body: refundResultBody(event.refund, event.payment.paymentMethodType),
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

/** The services' event sink: queues each notified event in the outbox, in the transaction that raised it. */
export class PaymentNotifications implements PaymentEventSink {
  constructor(private readonly outbox: NotificationOutbox) {}

  async record(tx: Tx, event: PaymentEvent, now: number): Promise<void> {
    const notification = notificationFor(event);
    if (notification) await this.outbox.record(tx, notification, now);
  }
}
