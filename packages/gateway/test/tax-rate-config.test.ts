/**
 * The sandbox tax-rate table is the gateway's configuration
 * (`GatewayConfig.taxRates`): a calculation and an invoice are both taxed
 * by the configured rate, not the default one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TAX_RATES } from '../src/products/tax/rates.js';
import { startTestGateway, uniqueId, type TestGateway } from './harness.js';

describe('a configured tax-rate table', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Singapore at 12.5% instead of the default 9%.
    const taxRates = DEFAULT_TAX_RATES.map((entry) => (entry.country === 'SG' ? { ...entry, rateBasisPoints: 1250 } : entry));
    t = await startTestGateway('sqlite', { taxRates });
  });
  afterAll(async () => {
    await t.close();
  });

  it('taxes calculations and invoices at the configured rate', async () => {
    const registered = await t.call('tax/register', {
      registrationRequestId: uniqueId('reg'), taxType: 'GST', jurisdiction: { country: 'SG' }, registrationType: 'STANDARD_LOCAL_TAX', taxId: 'M90000000X',
      activeFrom: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(registered.body.result.resultCode).toBe('SUCCESS');
    const calculated = await t.call('tax/calculate', {
      taxCalculationRequestId: uniqueId('calc'), currency: 'SGD',
      lineItems: [{ goodsReferenceId: 'beans', unitAmount: '1000', quantity: 2, taxBehavior: 'EXCLUSIVE' }],
      customerDetails: { shippingAddress: { country: 'SG', city: 'Singapore' } },
    });
    expect(calculated.body).toMatchObject({ exclusiveTaxAmount: '250', totalAmount: '2250' });

    const customer = await t.call('billing/customer/create', { customerRequestId: uniqueId('cus'), email: `${uniqueId('sg')}@example.com`, country: 'SG' });
    const invoice = await t.call('billing/invoice/create', {
      invoiceRequestId: uniqueId('inv').replaceAll('-', '_'), customerId: customer.body.customerId, currency: 'USD',
      items: [{ description: 'Work', unitAmount: { currency: 'USD', value: '1000' }, quantity: 2 }],
    });
    expect(invoice.body.result.resultCode).toBe('SUCCESS');
    const details = await t.call('billing/invoice/inquireDetails', { invoiceId: invoice.body.invoiceId });
    expect(details.body).toMatchObject({ taxAmount: { value: '250' }, totalAmount: { value: '2250' } });
  });
});
