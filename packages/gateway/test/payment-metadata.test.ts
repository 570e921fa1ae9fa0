/** `metadata` given in pay comes back, as sent, in inquiryPayment and notifyPayment (and nothing when none was given). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('pay metadata on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false });
    });
    afterAll(async () => t?.close());

    const notificationBody = async (paymentId: string) => {
      const [notification] = await t.gateway.notifications.repository.list({ resourceId: paymentId });
      return JSON.parse(notification!.body) as Record<string, unknown>;
    };

    it('is echoed by inquiryPayment and notifyPayment, byte for byte', async () => {
      const metadata = '{"cart":"c-9","note":"ünïcode & \\"quotes\\""}';
      const paymentId = (await t.call('payments/pay', cashierPay({ metadata }))).body.paymentId as string;
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.metadata).toBe(metadata);
      await t.complete(paymentId);
      expect((await t.call('payments/inquiryPayment', { paymentId })).body.metadata).toBe(metadata);
      expect(await notificationBody(paymentId)).toMatchObject({ notifyType: 'PAYMENT_RESULT', metadata });
    });

    it('is absent when the pay request had none', async () => {
      const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      await t.complete(paymentId, { outcome: 'fail', resultCode: 'RISK_REJECT' });
      expect('metadata' in (await t.call('payments/inquiryPayment', { paymentId })).body).toBe(false);
      expect('metadata' in (await notificationBody(paymentId))).toBe(false);
    });
  });
});
