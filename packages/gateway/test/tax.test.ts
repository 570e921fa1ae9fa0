/**
 * Tax end to end through signed HTTP on SQLite and PostgreSQL: settings
 * initialised once, calculations exact for exclusive and inclusive
 * behaviours in two jurisdictions, taxed only while the client holds an
 * ACTIVE registration there (not before registering, before activeFrom on
 * the sandbox clock, after cancelling or after expiry), idempotent
 * calculate, refusals with their codes and fields, another client unseen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResponseTime, type EndpointPath, type EndpointResponse } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { taxOn } from '../src/products/tax/rates.js';
import { DIALECTS, postgresAvailable, startTestGateway, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('taxOn', () => {
  it('rounds half up: exclusive on top, inclusive inside the amount', () => {
    expect(taxOn(333n, 900, 'EXCLUSIVE')).toEqual({ taxMinor: 30n, netMinor: 333n }); // 29.97
    expect(taxOn(1999n, 725, 'EXCLUSIVE')).toEqual({ taxMinor: 145n, netMinor: 1999n }); // 144.9275
    expect(taxOn(50n, 1000, 'EXCLUSIVE')).toEqual({ taxMinor: 5n, netMinor: 50n });
    expect(taxOn(5n, 1000, 'EXCLUSIVE')).toEqual({ taxMinor: 1n, netMinor: 5n }); // 0.5 → 1
    expect(taxOn(999n, 2000, 'INCLUSIVE')).toEqual({ taxMinor: 166n, netMinor: 833n }); // net 832.5 → 833
    expect(taxOn(1200n, 2000, 'INCLUSIVE')).toEqual({ taxMinor: 200n, netMinor: 1000n });
    expect(taxOn(1000n, 0, 'INCLUSIVE')).toEqual({ taxMinor: 0n, netMinor: 1000n });
  });
});

/** A call's answer, tagged (in its type only) with the endpoint it answers, so ok() can type the body. */
type Answer<P extends EndpointPath> = CallResult & { readonly endpoint?: P };
type Caller = <P extends EndpointPath>(endpoint: P, body: unknown) => Promise<Answer<P>>;

describe.each(DIALECTS)('tax on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let clock: SandboxClock;
    beforeAll(async () => {
      clock = new SandboxClock();
      t = await startTestGateway(dialect, { notifyDispatch: false, clock });
    });
    afterAll(async () => t?.close());

    /** A merchant of its own per test: its registrations are the test's alone. */
    async function merchant(): Promise<Caller> {
      const created = await t.gateway.clients.create({ sandbox: true, name: uniqueId('merchant') });
      return (endpoint, body) => t.call(endpoint, body, { clientId: created.client.clientId, privateKey: created.merchantPrivateKey as string });
    }

    async function advance(by: string): Promise<void> {
      const response = await fetch(`${t.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
      expect(response.status).toBe(200);
    }

    const at = (offsetMs: number) => formatResponseTime(clock.now() + offsetMs);

    function ok<P extends EndpointPath>(answer: Answer<P>): EndpointResponse<P> {
      expect(answer.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      return answer.body as EndpointResponse<P>;
    }

    function present<T>(value: T | undefined, field: string): T {
      if (value === undefined) throw new Error(`${field} missing from the answer`);
      return value;
    }

    function refused(answer: CallResult, code: string, field?: string): void {
      expect(answer.body.result).toMatchObject({ resultCode: code, resultStatus: 'F' });
      if (field !== undefined) expect(answer.body.result.resultMessage).toContain(field);
    }

    async function register(call: Caller, overrides: Record<string, unknown> = {}): Promise<EndpointResponse<'tax/register'>> {
      return ok(await call('tax/register', registration(overrides)));
    }

    function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
      return {
        registrationRequestId: uniqueId('reg'),
        taxType: 'GST',
        jurisdiction: { country: 'SG' },
        registrationType: 'STANDARD_LOCAL_TAX',
        taxId: 'M90000000X',
        activeFrom: at(-60_000),
        ...overrides,
      };
    }

    function calculation(country: string, overrides: Record<string, unknown> = {}, region?: string): Record<string, unknown> {
      return {
        taxCalculationRequestId: uniqueId('calc'),
        currency: 'SGD',
        lineItems: [
          { goodsReferenceId: 'beans', unitAmount: '1000', quantity: 3, taxBehavior: 'EXCLUSIVE' },
          { goodsReferenceId: 'filter', unitAmount: '333', quantity: 1, taxBehavior: 'EXCLUSIVE' },
        ],
        customerDetails: { shippingAddress: { country, ...(region ? { region } : {}), city: 'Somewhere' } },
        ...overrides,
      };
    }

    async function totals(call: Caller, body: Record<string, unknown>): Promise<EndpointResponse<'tax/calculate'>> {
      return ok(await call('tax/calculate', body));
    }

    it('initialises settings once, reads and updates them; none before initialising', async () => {
      const call = await merchant();
      refused(await call('tax/inquireSettings', {}), 'RECORD_NOT_FOUND', 'initializeSettings');
      refused(await call('tax/updateSettings', { settingsUpdateRequestId: uniqueId('su'), defaultTaxCode: 'txcd_1' }), 'RECORD_NOT_FOUND');
      const init = { settingsRequestId: uniqueId('set'), defaultTaxCode: 'txcd_10000000', defaultTaxBehavior: 'EXCLUSIVE', headOffice: { address: { country: 'sg', postalCode: '018956' } } };
      refused(await call('tax/initializeSettings', { ...init, settingsRequestId: uniqueId('set'), defaultTaxBehavior: 'SOMETIMES' }), 'PARAM_ILLEGAL', 'defaultTaxBehavior');
      refused(await call('tax/initializeSettings', { ...init, settingsRequestId: uniqueId('set'), headOffice: { address: { country: 'SGP' } } }), 'PARAM_ILLEGAL', 'headOffice.address.country');
      const first = ok(await call('tax/initializeSettings', init));
      expect(first).toMatchObject({ defaultTaxCode: 'txcd_10000000', defaultTaxBehavior: 'EXCLUSIVE', status: 'ACTIVE', headOffice: { address: { country: 'SG', postalCode: '018956' } } });
      expect(ok(await call('tax/initializeSettings', init))).toMatchObject({ status: 'ACTIVE' });
      refused(await call('tax/initializeSettings', { ...init, defaultTaxCode: 'txcd_2' }), 'REPEAT_REQ_INCONSISTENT', 'defaultTaxCode');
      refused(await call('tax/initializeSettings', { ...init, settingsRequestId: uniqueId('set') }), 'REPEAT_REQUEST', 'settingsRequestId');

      refused(await call('tax/updateSettings', { settingsUpdateRequestId: uniqueId('su') }), 'PARAM_ILLEGAL', 'defaultTaxCode');
      refused(await call('tax/updateSettings', { settingsUpdateRequestId: uniqueId('su'), defaultTaxBehavior: 'BOTH' }), 'PARAM_ILLEGAL', 'defaultTaxBehavior');
      const update = { settingsUpdateRequestId: uniqueId('su'), defaultTaxBehavior: 'INCLUSIVE' };
      expect(ok(await call('tax/updateSettings', update))).toMatchObject({ defaultTaxBehavior: 'INCLUSIVE', defaultTaxCode: 'txcd_10000000', status: 'ACTIVE' });
      expect(ok(await call('tax/updateSettings', update))).toMatchObject({ defaultTaxBehavior: 'INCLUSIVE' });
      refused(await call('tax/updateSettings', { ...update, defaultTaxBehavior: 'EXCLUSIVE' }), 'REPEAT_REQ_INCONSISTENT', 'defaultTaxBehavior');
      expect(ok(await call('tax/inquireSettings', {}))).toMatchObject({ defaultTaxBehavior: 'INCLUSIVE', status: 'ACTIVE' });

      // The default behaviour applies to a line that names none, and to shipping.
      await register(call, { jurisdiction: { country: 'SG' } });
      const calc = await totals(call, calculation('SG', { lineItems: [{ goodsReferenceId: 'a', unitAmount: '1090', quantity: 1 }], shippingCost: { amount: '109' } }));
      expect(calc).toMatchObject({ inclusiveTaxAmount: '99', exclusiveTaxAmount: '0', totalAmount: '1199', shippingCost: { amount: '109', taxAmount: '9' } });
      expect(calc.lineItems?.[0]).toMatchObject({ taxBehavior: 'INCLUSIVE', taxCode: 'txcd_10000000', taxAmount: '90' });
    });

    it('taxes nothing without a registration, and exactly once registered: exclusive in SG, inclusive in GB, a US state', async () => {
      const call = await merchant();
      const untaxed = await totals(call, calculation('SG'));
      expect(untaxed).toMatchObject({ totalAmount: '3333', exclusiveTaxAmount: '0', inclusiveTaxAmount: '0' });
      expect(untaxed.taxBreakdown).toEqual([{ taxType: 'GST', taxRate: '0', taxAmount: '0', taxableAmount: '3333', taxabilityReason: 'NOT_COLLECTING', inclusive: false }]);

      const sg = await register(call);
      expect(sg).toMatchObject({ status: 'ACTIVE', taxType: 'GST', jurisdiction: { country: 'SG' } });
      expect(sg.taxRegistrationId).toMatch(/^TXR/);
      const taxed = await totals(call, calculation('SG'));
      expect(taxed).toMatchObject({ currency: 'SGD', totalAmount: '3633', exclusiveTaxAmount: '300', inclusiveTaxAmount: '0' });
      expect(taxed.lineItems?.map((line) => [line.amount, line.taxAmount])).toEqual([['3000', '270'], ['333', '30']]);
      expect(taxed.taxBreakdown).toEqual([{ taxType: 'GST', authorityName: expect.any(String), taxRate: '9', taxAmount: '300', taxableAmount: '3333', taxabilityReason: 'STANDARD_RATED', inclusive: false }]);
      expect(Date.parse(present(taxed.expireAt, 'expireAt')) - Date.parse(present(taxed.taxDate, 'taxDate'))).toBeGreaterThanOrEqual(90 * DAY - 1000);

      // GB is a second jurisdiction: untaxed until registered there.
      const gbCart = (id: string) => calculation('GB', {
        taxCalculationRequestId: id, currency: 'GBP',
        lineItems: [{ goodsReferenceId: 'mug', unitAmount: '1200', quantity: 1, taxBehavior: 'INCLUSIVE' }, { goodsReferenceId: 'tea', unitAmount: '999', quantity: 1, taxBehavior: 'INCLUSIVE' }],
      });
      expect(await totals(call, gbCart(uniqueId('gb')))).toMatchObject({ totalAmount: '2199', inclusiveTaxAmount: '0' });
      await register(call, { taxType: 'VAT', jurisdiction: { country: 'GB' }, taxId: 'GB123456789' });
      const gb = await totals(call, gbCart(uniqueId('gb')));
      expect(gb).toMatchObject({ totalAmount: '2199', inclusiveTaxAmount: '366', exclusiveTaxAmount: '0' });
      expect(gb.lineItems?.map((line) => line.taxBreakdown?.[0]?.taxableAmount)).toEqual(['1000', '833']);
      expect(gb.taxBreakdown).toEqual([expect.objectContaining({ taxType: 'VAT', taxRate: '20', taxAmount: '366', taxableAmount: '1833', inclusive: true })]);

      // A state registration covers its state only.
      await register(call, { taxType: 'SALES_TAX', jurisdiction: { country: 'US', region: 'CA' }, registrationType: 'STANDARD_SALES_AND_USE_TAX', taxId: 'CA-1' });
      const usCart = (region: string) => calculation('US', { currency: 'USD', lineItems: [{ goodsReferenceId: 'grinder', unitAmount: '1999', quantity: 1, taxBehavior: 'EXCLUSIVE' }] }, region);
      expect(await totals(call, usCart('CA'))).toMatchObject({ exclusiveTaxAmount: '145', totalAmount: '2144' });
      expect(await totals(call, usCart('NY'))).toMatchObject({ exclusiveTaxAmount: '0', totalAmount: '1999' });
    });

    it('taxes from activeFrom on the clock, stops at cancellation and at expiry; periods move only as allowed', async () => {
      const call = await merchant();
      const jp = await register(call, { taxType: 'JCT', jurisdiction: { country: 'JP' }, activeFrom: at(DAY) });
      expect(jp.status).toBe('SCHEDULED');
      const jpCart = () => calculation('JP', { currency: 'JPY', lineItems: [{ goodsReferenceId: 'tea', unitAmount: '1000', quantity: 2, taxBehavior: 'EXCLUSIVE' }] });
      expect(await totals(call, jpCart())).toMatchObject({ exclusiveTaxAmount: '0' });

      // activeFrom may move while SCHEDULED, never into the past.
      refused(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: jp.taxRegistrationId, activeFrom: at(-HOUR) }), 'PARAM_ILLEGAL', 'activeFrom');
      refused(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: jp.taxRegistrationId, expireAt: at(HOUR) }), 'PARAM_ILLEGAL', 'expireAt');
      refused(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: jp.taxRegistrationId }), 'PARAM_ILLEGAL', 'activeFrom');
      const newStart = at(2 * DAY);
      const moved = ok(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: jp.taxRegistrationId, activeFrom: newStart }));
      expect(moved).toMatchObject({ status: 'SCHEDULED', activeFrom: newStart });

      await advance('1d');
      expect(await totals(call, jpCart())).toMatchObject({ exclusiveTaxAmount: '0' });
      await advance('1d1h');
      expect(await totals(call, jpCart())).toMatchObject({ exclusiveTaxAmount: '200', totalAmount: '2200' });
      const listed = ok(await call('tax/inquireRegistrationList', { status: 'ACTIVE' }));
      expect(listed.registrations?.map((r) => r.taxRegistrationId)).toEqual([jp.taxRegistrationId]);
      expect(listed.paginator).toEqual({ currentPage: 1, pageSize: 10, totalCount: 1, totalPage: 1 });

      // ACTIVE: its start is fixed; its end can be set, and is honoured.
      refused(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: jp.taxRegistrationId, activeFrom: at(DAY) }), 'NOT_ALLOW_IN_CURRENT_STATUS', 'activeFrom');
      ok(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: jp.taxRegistrationId, expireAt: at(HOUR) }));
      await advance('2h');
      expect(await totals(call, jpCart())).toMatchObject({ exclusiveTaxAmount: '0' });
      expect(ok(await call('tax/inquireRegistrationList', { status: 'EXPIRED' })).registrations).toHaveLength(1);
      refused(await call('tax/cancelRegistration', { registrationCancelRequestId: uniqueId('c'), taxRegistrationId: jp.taxRegistrationId }), 'NOT_ALLOW_IN_CURRENT_STATUS', 'EXPIRED');

      // Cancelling stops taxing at once; a resend answers the same; the place can be registered again.
      const sg = await register(call);
      expect(await totals(call, calculation('SG'))).toMatchObject({ exclusiveTaxAmount: '300' });
      refused(await call('tax/register', registration()), 'REPEAT_REQUEST', 'jurisdiction');
      const cancel = { registrationCancelRequestId: uniqueId('c'), taxRegistrationId: sg.taxRegistrationId };
      expect(ok(await call('tax/cancelRegistration', cancel))).toMatchObject({ status: 'CANCELLED', taxRegistrationId: sg.taxRegistrationId });
      expect(ok(await call('tax/cancelRegistration', cancel))).toMatchObject({ status: 'CANCELLED' });
      refused(await call('tax/cancelRegistration', { ...cancel, registrationCancelRequestId: uniqueId('c') }), 'NOT_ALLOW_IN_CURRENT_STATUS', 'CANCELLED');
      refused(await call('tax/updateRegistrationPeriod', { registrationUpdatePeriodRequestId: uniqueId('p'), taxRegistrationId: sg.taxRegistrationId, expireAt: at(DAY) }), 'NOT_ALLOW_IN_CURRENT_STATUS');
      expect(await totals(call, calculation('SG'))).toMatchObject({ exclusiveTaxAmount: '0', totalAmount: '3333' });
      await register(call);
      expect(await totals(call, calculation('SG'))).toMatchObject({ exclusiveTaxAmount: '300' });
      const all = ok(await call('tax/inquireRegistrationList', { pageSize: 2, currentPage: 2 }));
      expect(all.paginator).toEqual({ currentPage: 2, pageSize: 2, totalCount: 3, totalPage: 2 });
      expect(all.registrations).toHaveLength(1);
    });

    it('answers a repeated calculate with the same calculation, finds it by id or request id, and records its tax transaction', async () => {
      const call = await merchant();
      await register(call);
      const body = calculation('SG');
      const first = await totals(call, body);
      expect(first.taxCalculationId).toMatch(/^TXC/);
      const again = await totals(call, body);
      expect(again).toEqual(first);
      refused(await call('tax/calculate', { ...body, currency: 'USD' }), 'REPEAT_REQ_INCONSISTENT', 'currency');

      const byId = ok(await call('tax/inquireCalculation', { taxCalculationId: first.taxCalculationId }));
      const byRequest = ok(await call('tax/inquireCalculation', { taxCalculationRequestId: body.taxCalculationRequestId }));
      const { result: _r, ...fields } = first;
      expect(byId).toMatchObject(fields);
      expect(byRequest).toMatchObject(fields);
      refused(await call('tax/inquireCalculation', {}), 'PARAM_ILLEGAL', 'taxCalculationId');
      refused(await call('tax/inquireCalculation', { taxCalculationId: first.taxCalculationId, taxCalculationRequestId: body.taxCalculationRequestId }), 'PARAM_ILLEGAL', 'taxCalculationRequestId');
      refused(await call('tax/inquireCalculation', { paymentRequestId: uniqueId('pay') }), 'RECORD_NOT_FOUND', 'paymentRequestId');
      refused(await call('tax/inquireCalculation', { taxCalculationId: 'TXC0000000000NOSUCHCALC00000' }), 'RECORD_NOT_FOUND', 'taxCalculationId');

      const transactions = ok(await call('tax/inquireTransactionList', { taxCalculationId: first.taxCalculationId }));
      expect(transactions.transactions).toEqual([expect.objectContaining({ taxCalculationId: first.taxCalculationId, type: 'TRANSACTION', taxAmount: '300', currency: 'SGD', status: 'POSTED' })]);
      expect(transactions.paginator).toEqual({ currentPage: 1, pageSize: 10, totalCount: 1, totalPage: 1 });
      expect(ok(await call('tax/inquireTransactionList', { paymentId: uniqueId('pay') })).transactions).toEqual([]);
      refused(await call('tax/inquireTransactionList', { taxCalculationId: first.taxCalculationId, refundId: 'r' }), 'PARAM_ILLEGAL', 'refundId');
      refused(await call('tax/inquireTransactionList', { taxCalculationId: 'TXC0000000000NOSUCHCALC00000' }), 'RECORD_NOT_FOUND', 'taxCalculationId');
      refused(await call('tax/inquireTransactionList', { taxCalculationId: first.taxCalculationId, pageSize: 101 }), 'PARAM_ILLEGAL', 'pageSize');
    });

    it('refuses bad calculations and registrations with their codes, naming the field', async () => {
      const call = await merchant();
      refused(await call('tax/calculate', calculation('SG', { currency: 'ABC' })), 'CURRENCY_NOT_SUPPORT', 'currency');
      refused(await call('tax/calculate', calculation('SG', { lineItems: [] })), 'PARAM_ILLEGAL', 'lineItems');
      refused(await call('tax/calculate', calculation('SG', { lineItems: [{ goodsReferenceId: 'a', unitAmount: '100', quantity: 0 }] })), 'PARAM_ILLEGAL', 'lineItems[0].quantity');
      refused(await call('tax/calculate', calculation('SG', { lineItems: [{ goodsReferenceId: 'a', unitAmount: '1.5', quantity: 1 }] })), 'PARAM_ILLEGAL', 'lineItems[0].unitAmount');
      refused(await call('tax/calculate', calculation('SG', { lineItems: [{ goodsReferenceId: 'a', unitAmount: '100', quantity: 1, taxBehavior: 'MAYBE' }] })), 'PARAM_ILLEGAL', 'lineItems[0].taxBehavior');
      refused(await call('tax/calculate', calculation('SG', { lineItems: [{ goodsReferenceId: 'a', unitAmount: '1', quantity: 1 }, { goodsReferenceId: 'a', unitAmount: '2', quantity: 1 }] })), 'PARAM_ILLEGAL', 'lineItems[1].goodsReferenceId');
      refused(await call('tax/calculate', calculation('SG', { customerDetails: { name: 'Nobody' } })), 'PARAM_ILLEGAL', 'customerDetails');
      refused(await call('tax/calculate', calculation('SG', { customerDetails: { billingAddress: { country: 'S' } } })), 'PARAM_ILLEGAL', 'customerDetails.billingAddress.country');
      refused(await call('tax/calculate', calculation('SG', { customerDetails: undefined, customerId: 'CUS-none' })), 'RECORD_NOT_FOUND', 'customerId');
      refused(await call('tax/calculate', calculation('SG', { taxDate: 'yesterday' })), 'PARAM_ILLEGAL', 'taxDate');

      refused(await call('tax/register', registration({ taxType: 'VATT' })), 'PARAM_ILLEGAL', 'taxType');
      refused(await call('tax/register', registration({ registrationType: 'WHATEVER' })), 'PARAM_ILLEGAL', 'registrationType');
      refused(await call('tax/register', registration({ jurisdiction: { region: 'CA' } })), 'PARAM_ILLEGAL', 'jurisdiction.country');
      refused(await call('tax/register', registration({ activeFrom: 'soon' })), 'PARAM_ILLEGAL', 'activeFrom');
      refused(await call('tax/register', registration({ activeFrom: at(DAY), expireAt: at(HOUR) })), 'PARAM_ILLEGAL', 'expireAt');
      refused(await call('tax/cancelRegistration', { registrationCancelRequestId: uniqueId('c'), taxRegistrationId: 'TXR-none' }), 'RECORD_NOT_FOUND', 'taxRegistrationId');
      refused(await call('tax/inquireRegistrationList', { status: 'LIVE' }), 'PARAM_ILLEGAL', 'status');
      refused(await call('tax/inquireRegistrationList', { currentPage: 0 }), 'PARAM_ILLEGAL', 'currentPage');
      const reg = registration();
      await register(call, reg);
      expect(ok(await call('tax/register', reg)).status).toBe('ACTIVE');
      refused(await call('tax/register', { ...reg, taxId: 'other' }), 'REPEAT_REQ_INCONSISTENT', 'taxId');
    });

    it("shows another client none of this client's settings, registrations or calculations, nor taxes it by them", async () => {
      const mine = await merchant();
      const other = await merchant();
      ok(await mine('tax/initializeSettings', { settingsRequestId: uniqueId('set'), defaultTaxCode: 'txcd_1', defaultTaxBehavior: 'EXCLUSIVE', headOffice: {} }));
      const reg = await register(mine);
      const calc = await totals(mine, calculation('SG'));
      expect(calc.exclusiveTaxAmount).toBe('300');

      refused(await other('tax/inquireSettings', {}), 'RECORD_NOT_FOUND');
      expect(ok(await other('tax/inquireRegistrationList', {})).registrations).toEqual([]);
      refused(await other('tax/cancelRegistration', { registrationCancelRequestId: uniqueId('c'), taxRegistrationId: reg.taxRegistrationId }), 'RECORD_NOT_FOUND', 'taxRegistrationId');
      refused(await other('tax/inquireCalculation', { taxCalculationId: calc.taxCalculationId }), 'RECORD_NOT_FOUND');
      refused(await other('tax/inquireTransactionList', { taxCalculationId: calc.taxCalculationId }), 'RECORD_NOT_FOUND');
      expect(await totals(other, calculation('SG'))).toMatchObject({ exclusiveTaxAmount: '0' });
      // Its own registration is its own: the first client's still stands.
      await register(other);
      expect(ok(await mine('tax/inquireRegistrationList', {})).registrations?.map((r) => r.status)).toEqual(['ACTIVE']);
    });
  });
});
