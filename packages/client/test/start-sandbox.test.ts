/**
 * `startSandbox` as a merchant's test suite uses it. The first test is the
 * README's example, line for line, and the second its subscription
 * example: keep them the same.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type StartedSandbox } from '@amsgate/gateway';
import { AntomClient } from '@amsgate/client';

describe('startSandbox', () => {
  // README example: start
  let sandbox: StartedSandbox;
  let antom: AntomClient;
  beforeAll(async () => {
    sandbox = await startSandbox();
    antom = new AntomClient(sandbox.clientOptions);
  });
  afterAll(() => sandbox.stop());

  it('pays, is notified, refunds', async () => {
    const pay = await antom.pay({
      productCode: 'CASHIER_PAYMENT', paymentRequestId: 'order-1', paymentAmount: { currency: 'USD', value: '1000' },
      order: { referenceOrderId: 'order-1', orderDescription: 'Coffee', orderAmount: { currency: 'USD', value: '1000' } },
      paymentMethod: { paymentMethodType: 'GCASH' }, env: { terminalType: 'WEB' },
      paymentRedirectUrl: 'https://shop.example/return', paymentNotifyUrl: sandbox.notifications.url,
    });
    if (pay.resultStatus === 'F') throw new Error(pay.result.resultCode);
    const paymentId = pay.data.paymentId!;
    await sandbox.complete(paymentId);
    const notice = await sandbox.notifications.waitFor({ notifyType: 'PAYMENT_RESULT', paymentId });
    expect(antom.verifyNotification(notice).ok).toBe(true);
    const refund = await antom.refund({ refundRequestId: 'refund-1', paymentId, refundAmount: { currency: 'USD', value: '400' } });
    expect(refund.resultStatus).toBe('S');
  });
  // README example: end

  // README subscription example: start
  it('charges a subscription\'s second month', async () => {
    const created = await antom.subscriptions.create({
      subscriptionRequestId: 'sub-1', subscriptionDescription: 'Coffee beans every month', subscriptionRedirectUrl: 'https://shop.example/subscribed',
      subscriptionStartTime: new Date(sandbox.clock.now()).toISOString(), periodRule: { periodType: 'MONTH', periodCount: 1 },
      paymentAmount: { currency: 'USD', value: '1000' }, orderInfo: { orderAmount: { currency: 'USD', value: '1000' } },
      paymentMethod: { paymentMethodType: 'GCASH' }, settlementStrategy: { settlementCurrency: 'USD' }, env: { terminalType: 'WEB' },
      subscriptionNotificationUrl: sandbox.notifications.url, paymentNotificationUrl: sandbox.notifications.url,
    });
    if (created.resultStatus !== 'S') throw new Error(created.result.resultCode);
    const { subscriptionId } = await sandbox.subscriptions.agree(created.data.normalUrl!);
    await sandbox.clock.advance('1mo');
    const second = await sandbox.notifications.waitFor({ notifyType: 'PAYMENT_RESULT', subscriptionId, phaseNo: '2' });
    expect(antom.verifyNotification(second).ok).toBe(true);
    expect(second.body?.['result']).toMatchObject({ resultStatus: 'S' });
  });
  // README subscription example: end

  it('subscriptions: a refused one ends without a payment; the next payment fails with a chosen code, notified; a calendar month is a month', async () => {
    const create = (id: string) => antom.subscriptions.create({
      subscriptionRequestId: id, subscriptionDescription: 'Tea every week', subscriptionRedirectUrl: 'https://shop.example/subscribed',
      subscriptionStartTime: new Date(sandbox.clock.now()).toISOString(), periodRule: { periodType: 'WEEK', periodCount: 1 },
      paymentAmount: { currency: 'USD', value: '300' }, orderInfo: { orderAmount: { currency: 'USD', value: '300' } },
      paymentMethod: { paymentMethodType: 'GCASH' }, settlementStrategy: { settlementCurrency: 'USD' }, env: { terminalType: 'WEB' },
      subscriptionNotificationUrl: `${sandbox.notifications.url}/${id}`, paymentNotificationUrl: `${sandbox.notifications.url}/${id}`,
    });
    const refusedAnswer = await create('sub-refused');
    if (refusedAnswer.resultStatus !== 'S') throw new Error(refusedAnswer.result.resultCode);
    const refused = await sandbox.subscriptions.refuse(`${refusedAnswer.data.normalUrl!}?from=test`);
    expect(refused).toEqual({ subscriptionId: refusedAnswer.data.normalUrl!.split('/').pop(), status: 'TERMINATED', redirectUrl: 'https://shop.example/subscribed' });
    const ended = await sandbox.notifications.waitFor((n) => n.path.endsWith('/sub-refused'));
    expect(ended.body).toMatchObject({ subscriptionStatus: 'TERMINATED', subscriptionNotificationType: 'CREATE', result: { resultStatus: 'F' } });
    await expect(sandbox.subscriptions.agree(refused.subscriptionId)).rejects.toThrow(/already decided/);

    const answer = await create('sub-dunning');
    if (answer.resultStatus !== 'S') throw new Error(answer.result.resultCode);
    const { subscriptionId } = await sandbox.subscriptions.agree(answer.data.normalUrl!);
    await sandbox.subscriptions.failNextPayment(subscriptionId, 'RISK_REJECT');
    const before = sandbox.clock.now();
    const after = await sandbox.clock.advance('1mo');
    // A calendar month from the sandbox time: 28 to 31 days (plus the real milliseconds the sandbox clock ran on between the two reads).
    expect((after - before) / 86_400_000).toBeGreaterThanOrEqual(28);
    expect(after - before).toBeLessThanOrEqual(31 * 86_400_000 + 60_000);
    const failed = await sandbox.notifications.waitFor({ subscriptionId, phaseNo: '2' });
    expect(failed.body?.['result']).toMatchObject({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
    await expect(sandbox.subscriptions.failNextPayment(subscriptionId, 'NOT_A_CODE')).rejects.toThrow(/resultCode/);
  });

  it('keeps nothing on disk and hands over working credentials', async () => {
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.credentials.clientId).toMatch(/^SANDBOX_/);
    expect(sandbox.gateway.database.description).toContain(':memory:');
    const inquiry = await antom.inquiryPayment({ paymentRequestId: 'order-1' });
    expect(inquiry.resultStatus).toBe('S');
    expect(inquiry.data).toMatchObject({ paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '1000' } });
  });

  it('fails a payment with a chosen code, and the notification says so', async () => {
    const pay = await antom.pay({
      productCode: 'CASHIER_PAYMENT', paymentRequestId: 'order-2', paymentAmount: { currency: 'USD', value: '500' },
      order: { referenceOrderId: 'order-2', orderDescription: 'Tea', orderAmount: { currency: 'USD', value: '500' } },
      paymentMethod: { paymentMethodType: 'GCASH' }, env: { terminalType: 'WEB' },
      paymentRedirectUrl: 'https://shop.example/return', paymentNotifyUrl: `${sandbox.notifications.url}/order-2`,
    });
    if (pay.resultStatus === 'F') throw new Error(pay.result.resultCode);
    const completed = await sandbox.complete(pay.data.paymentId!, { fail: 'RISK_REJECT' });
    expect(completed).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'RISK_REJECT' });
    const notice = await sandbox.notifications.waitFor((n) => n.path.endsWith('/order-2'));
    expect(notice.verified).toBe(true);
    expect(notice.body?.['result']).toMatchObject({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
  });

  it('moves the sandbox clock: an unpaid cashier payment expires', async () => {
    const pay = await antom.pay({
      productCode: 'CASHIER_PAYMENT', paymentRequestId: 'order-3', paymentAmount: { currency: 'USD', value: '700' },
      order: { referenceOrderId: 'order-3', orderDescription: 'Cups', orderAmount: { currency: 'USD', value: '700' } },
      paymentMethod: { paymentMethodType: 'GCASH' }, env: { terminalType: 'WEB' }, paymentRedirectUrl: 'https://shop.example/return',
    });
    if (pay.resultStatus === 'F') throw new Error(pay.result.resultCode);
    const before = sandbox.clock.now();
    const after = await sandbox.clock.advance('1d');
    expect(after - before).toBeGreaterThanOrEqual(86_400_000);
    const inquiry = await antom.inquiryPayment({ paymentId: pay.data.paymentId! });
    expect(inquiry.data).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
  });

  it('the inbox verifies over the path without its query, and waitFor skips what did not verify unless asked', async () => {
    const pay = await antom.pay({
      productCode: 'CASHIER_PAYMENT', paymentRequestId: 'order-4', paymentAmount: { currency: 'USD', value: '300' },
      order: { referenceOrderId: 'order-4', orderDescription: 'Mugs', orderAmount: { currency: 'USD', value: '300' } },
      paymentMethod: { paymentMethodType: 'GCASH' }, env: { terminalType: 'WEB' },
      paymentRedirectUrl: 'https://shop.example/return', paymentNotifyUrl: `${sandbox.notifications.url}?flow=order-4`,
    });
    if (pay.resultStatus === 'F') throw new Error(pay.result.resultCode);
    await sandbox.complete(pay.data.paymentId!);
    const notice = await sandbox.notifications.waitFor({ paymentId: pay.data.paymentId! });
    expect(notice.verified).toBe(true);
    expect(notice.path).toContain('?flow=order-4');
    // A forged post (what any web page could send) is kept but not handed out as verified.
    await fetch(sandbox.notifications.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"notifyType":"PAYMENT_RESULT","paymentId":"FORGED"}' });
    await expect(sandbox.notifications.waitFor({ paymentId: 'FORGED' }, 200)).rejects.toThrow(/no notification matching/);
    expect((await sandbox.notifications.waitFor({ paymentId: 'FORGED' }, 200, { unverified: true })).verified).toBe(false);
    const big = await fetch(sandbox.notifications.url, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
  });

  it('waitFor names what it waited for when nothing comes', async () => {
    await expect(sandbox.notifications.waitFor({ notifyType: 'NEVER' }, 50)).rejects.toThrow(/no notification matching \{"notifyType":"NEVER"\} within 50 ms/);
  });

  it('a second sandbox in the same process is a world of its own', async () => {
    const other = await startSandbox();
    try {
      expect(other.baseUrl).not.toBe(sandbox.baseUrl);
      const otherClient = new AntomClient(other.clientOptions);
      const inquiry = await otherClient.inquiryPayment({ paymentRequestId: 'order-1' });
      expect(inquiry.result.resultCode).toBe('ORDER_NOT_EXIST');
    } finally {
      await other.stop();
    }
  });
});

describe('the README example', () => {
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  /** The lines between `// NAME: start` and `// NAME: end` of this file, dedented by the two spaces of the describe. */
  const blockOf = (name: string) => {
    const start = `  // ${name}: start\n`;
    const block = source.slice(source.indexOf(start) + start.length, source.indexOf(`  // ${name}: end`));
    return block.split('\n').map((line) => line.slice(2)).join('\n').trimEnd();
  };

  it('is the first test of this file, line for line', () => {
    const dedented = blockOf('README example');
    expect(dedented.length).toBeGreaterThan(500);
    expect(readme).toContain(dedented);
  });

  it('its subscription example is the second test, line for line', () => {
    const dedented = blockOf('README subscription example');
    expect(dedented).toMatch(/^it\('charges a subscription/);
    expect(dedented.length).toBeGreaterThan(500);
    expect(readme).toContain(dedented);
  });
});
