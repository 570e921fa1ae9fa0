/**
 * Notifications a real gateway sent (its delivery worker running), received
 * by a merchant endpoint that verifies them with the SDK and acknowledges
 * them: payment success and failure, refund, capture.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap, type AntomClient, type NotificationVerification } from '../src/index.js';
import { cashierPay, startGateway, uniqueId, type TestGateway } from './gateway-harness.js';

let gw: TestGateway;
let antom: AntomClient;
let server: Server;
let notifyBase: string;
const received: Array<{ path: string; verification: NotificationVerification }> = [];

beforeAll(async () => {
  gw = await startGateway({ notifyPollIntervalMs: 20 });
  antom = gw.client();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
      const verification = antom.verifyNotification({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks) });
      received.push({ path: req.url ?? '', verification });
      if (verification.ok) res.writeHead(200, { 'content-type': 'application/json' }).end(antom.notificationAck());
      else res.writeHead(400).end(verification.reason);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifyBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gw.close();
});

/** The next verified notification about `id` (payment, refund or capture id). */
async function notificationAbout(id: string): Promise<{ path: string; verification: NotificationVerification }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = received.find(({ verification }) => JSON.stringify(verification).includes(`"${id}"`));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no notification about ${id}; received: ${JSON.stringify(received)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function paid(overrides: Record<string, unknown> = {}, outcome: 'success' | 'fail' = 'success'): Promise<string> {
  const answer = await antom.pay(cashierPay({ paymentNotifyUrl: `${notifyBase}/antom/notify?shop=1`, ...overrides }));
  if (answer.resultStatus === 'F' || answer.data.paymentId === undefined) throw new Error(`pay: ${answer.result.resultCode}`);
  await gw.complete(answer.data.paymentId, outcome);
  return answer.data.paymentId;
}

async function deliveredStatus(resourceId: string): Promise<string | undefined> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [notification] = await gw.gateway.notifications.list({ resourceId });
    if (notification?.status === 'DELIVERED' || Date.now() > deadline) return notification?.status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('notifications the gateway sent', () => {
  it('notifyPayment PAYMENT_RESULT for a success verifies (query string in the notify URL included) and our ack is accepted', async () => {
    const paymentId = await paid();
    const { path, verification } = await notificationAbout(paymentId);
    expect(path).toBe('/antom/notify?shop=1');
    if (!verification.ok) throw new Error(verification.message);
    expect(verification.clientId).toBe(gw.clientId);
    expect(verification.requestTime).toMatch(/^\d{13}$/);
    if (verification.kind !== 'notifyPayment') throw new Error(verification.kind);
    expect(verification.notification).toMatchObject({
      notifyType: 'PAYMENT_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      paymentId,
      paymentAmount: { currency: 'USD', value: '1000' },
    });
    expect(await deliveredStatus(paymentId)).toBe('DELIVERED');
  });

  it('notifyPayment for a failed payment carries the failure code', async () => {
    const paymentId = await paid({}, 'fail');
    const { verification } = await notificationAbout(paymentId);
    if (!verification.ok || verification.kind !== 'notifyPayment') throw new Error(JSON.stringify(verification));
    expect(verification.notification.result).toMatchObject({ resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F' });
  });

  it('notifyRefund after a refund through the SDK', async () => {
    const paymentId = await paid();
    const refundRequestId = uniqueId('refund');
    const refund = await antom.refund({
      refundRequestId, paymentId, refundAmount: { currency: 'USD', value: '300' }, refundNotifyUrl: `${notifyBase}/antom/refunds`,
    });
    if (refund.resultStatus === 'F' || refund.data.refundId === undefined) throw new Error(`refund: ${refund.result.resultCode}`);
    const refundId = refund.data.refundId;
    const { path, verification } = await notificationAbout(refundId);
    expect(path).toBe('/antom/refunds');
    if (!verification.ok || verification.kind !== 'notifyRefund') throw new Error(JSON.stringify(verification));
    expect(verification.notification).toMatchObject({
      notifyType: 'REFUND_RESULT', refundStatus: 'SUCCESS', refundId, refundRequestId, refundAmount: { currency: 'USD', value: '300' },
    });
    expect(unwrap(await antom.inquiryRefund({ refundRequestId })).refundStatus).toBe('SUCCESS');
  });

  it('notifyCapture after a capture through the SDK', async () => {
    const paymentId = await paid({ paymentFactor: { captureMode: 'MANUAL' } });
    const capture = unwrap(await antom.capture({ captureRequestId: uniqueId('capture'), paymentId, captureAmount: { currency: 'USD', value: '1000' } }));
    expect(capture.captureId).toBeDefined();
    const { verification } = await notificationAbout(capture.captureId ?? '');
    if (!verification.ok || verification.kind !== 'notifyCapture') throw new Error(JSON.stringify(verification));
    expect(verification.notification).toMatchObject({ notifyType: 'CAPTURE_RESULT', paymentId, captureId: capture.captureId, result: { resultStatus: 'S' } });
  });

  it('every notification received verified', () => {
    expect(received.length).toBeGreaterThanOrEqual(5);
    expect(received.filter(({ verification }) => !verification.ok)).toEqual([]);
  });
});
