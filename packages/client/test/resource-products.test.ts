/**
 * The resource products through the TypeScript SDK's typed methods
 * (`billing.*`, `tax.*`, `meter.*`, `aba.*`), against an embedded sandbox:
 * signed, verified, retried by their definitions. A customer in Singapore,
 * a GST registration, a 25% coupon and an invoice: its total is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type StartedSandbox } from '@amsgate/gateway';
import { AntomClient } from '@amsgate/client';

describe('resource products through the client', () => {
  let sandbox: StartedSandbox;
  let antom: AntomClient;
  beforeAll(async () => {
    sandbox = await startSandbox();
    antom = new AntomClient(sandbox.clientOptions);
  });
  afterAll(() => sandbox.stop());

  /** The answer's data, once it is S (anything else fails the test naming its code). */
  function data<A extends { resultStatus: string; result: { resultCode: string } }>(answer: A): Extract<A, { resultStatus: 'S' }> extends { data: infer D } ? D : never {
    if (answer.resultStatus !== 'S') throw new Error(answer.result.resultCode);
    return (answer as unknown as { data: Extract<A, { resultStatus: 'S' }> extends { data: infer D } ? D : never }).data;
  }

  it('bills a customer: 4 × 25.00 − 25% + 9% GST = 81.75, finalized OPEN with a hosted page', async () => {
    data(await antom.tax.register({
      registrationRequestId: 'reg-sg', taxType: 'GST', jurisdiction: { country: 'SG' }, registrationType: 'STANDARD_LOCAL_TAX', taxId: 'M90000000X',
      activeFrom: new Date(Date.now() - 60_000).toISOString(),
    }));
    const customer = data(await antom.billing.createCustomer({ customerRequestId: 'cus-1', email: 'ada@example.com', country: 'SG' }));
    const coupon = data(await antom.billing.createCoupon({ couponRequestId: 'cpn-1', discountType: 'PERCENT', percentOff: '25', durationType: 'ONCE' }));
    const invoice = data(await antom.billing.createInvoice({
      invoiceRequestId: 'inv_1', customerId: customer.customerId!, currency: 'USD',
      items: [{ description: 'Consulting hour', unitAmount: { currency: 'USD', value: '2500' }, quantity: 4 }],
      discounts: [{ couponId: coupon.couponId! }],
    }));
    const finalized = data(await antom.billing.finalizeInvoice({ invoiceId: invoice.invoiceId! }));
    expect(finalized.status).toBe('OPEN');
    expect(finalized.hostedInvoiceUrl).toContain(`/billing/invoices/${invoice.invoiceId!}/view?token=`);
    const details = data(await antom.billing.inquireInvoiceDetails({ invoiceId: invoice.invoiceId! }));
    expect([details.subtotal?.value, details.discountAmount?.value, details.taxAmount?.value, details.totalAmount?.value]).toEqual(['10000', '2500', '675', '8175']);
    const page = await fetch(finalized.hostedInvoiceUrl!);
    expect(page.status).toBe(200);
  });

  it('meters usage and refuses what the definitions say, typed', async () => {
    const meter = data(await antom.meter.create({ meterName: 'API calls', eventName: 'api_call', aggregationMethod: 'COUNT' }));
    expect(meter.meter?.meterId).toMatch(/^MTR/);
    const again = await antom.meter.create({ meterName: 'Again', eventName: 'api_call', aggregationMethod: 'COUNT' });
    expect(again.resultStatus).toBe('F');
    expect(again.result.resultCode).toBe('REPEAT_REQUEST');
    const missing = await antom.aba.inquireDirectPayment({ paymentId: 'DPY0000000000000000000000000' });
    expect(missing.result.resultCode).toBe('ORDER_NOT_EXIST');
  });
});
