/**
 * The README's pay → notification → refund flow (examples/pay-notify-refund.ts,
 * shown verbatim in the README) run against a real gateway whose delivery
 * worker posts the signed notifications to the example's notify server.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout, clientFrom, notifyServer, refund } from '../examples/pay-notify-refund.js';
import { unwrap } from '../src/index.js';
import { startGateway, uniqueId, type TestGateway } from './gateway-harness.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ notifyPollIntervalMs: 20 });
});
afterAll(() => gw.close());

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('README flow', () => {
  it('is shown verbatim in the README, in under 40 lines', () => {
    const example = readFileSync(new URL('../examples/pay-notify-refund.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
    expect(example.trimEnd().split('\n').length).toBeLessThan(40);
  });

  it('pays, takes the gateway-sent notification and acknowledges it, refunds', async () => {
    const antom = clientFrom({ ANTOM_CLIENT_ID: gw.clientId, ANTOM_PRIVATE_KEY: gw.merchantPrivateKey, ANTOM_PUBLIC_KEY: gw.antomPublicKey, ANTOM_BASE_URL: gw.baseUrl });
    const paid: string[] = [];
    const server = notifyServer(antom, async (id) => {
      paid.push(id);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // The client's default notify URLs: amsgate's counterpart of the Dashboard setting.
      const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/antom/notify`;
      for (const type of ['PAYMENT_RESULT', 'REFUND_RESULT'] as const) await gw.gateway.notifications.setDefaultUrl(gw.clientId, type, local);

      const orderId = uniqueId('order');
      const checkoutUrl = await checkout(antom, orderId);
      expect(checkoutUrl).toMatch(/\/checkout\/PAY/);
      const paymentId = checkoutUrl.split('/checkout/')[1] ?? '';
      await gw.complete(paymentId);
      expect(unwrap(await antom.inquiryPayment({ paymentId })).paymentStatus).toBe('SUCCESS');
      await until('the payment notification', () => paid.length > 0);
      expect(paid).toEqual([paymentId]);
      await until('the gateway to record the acknowledgement', async () => {
        const [notification] = await gw.gateway.notifications.list({ resourceId: paymentId });
        return notification?.status === 'DELIVERED';
      });

      expect(await refund(antom, paymentId)).toBe('refunded');
      const refundInquiry = unwrap(await antom.inquiryRefund({ refundRequestId: `${paymentId}-refund-1` }));
      expect(refundInquiry.refundStatus).toBe('SUCCESS');
      await until('the refund notification to be acknowledged', async () => {
        const [notification] = await gw.gateway.notifications.list({ resourceId: refundInquiry.refundId ?? '' });
        return notification?.status === 'DELIVERED';
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
