import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashierPay, startTestGateway, type TestGateway } from './harness.js';

describe('smoke', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite');
  });
  afterAll(async () => t?.close());

  it('pays, inquires, completes', async () => {
    const body = cashierPay();
    const pay = await t.call('payments/pay', body);
    console.log(pay.status, pay.text, pay.signatureValid);
    const paymentId = pay.body.paymentId as string;
    const inq = await t.call('payments/inquiryPayment', { paymentId });
    console.log(inq.text);
    const done = await fetch(`${t.baseUrl}/sandbox/payments/${paymentId}/complete`, { method: 'POST', body: '{"outcome":"success"}', headers: { 'content-type': 'application/json' } });
    console.log(done.status, await done.text());
    const inq2 = await t.call('payments/inquiryPayment', { paymentRequestId: body.paymentRequestId });
    console.log(inq2.text);
    expect(pay.signatureValid).toBe(true);
  });
});
