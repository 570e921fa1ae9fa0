/**
 * Billing subscriptions on the sandbox clock, through signed HTTP on SQLite
 * and PostgreSQL: the first invoice at create (a trial first when asked),
 * one invoice per period as the clock passes period ends (never two, even
 * with concurrent clock runs), METERED prices billed in arrears at the
 * period's usage net of credit, cancel now or at the period end, resume.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointPath, EndpointResponse } from '@amsgate/protocol';
import { insertResource } from '../src/resources/resource-store.js';
import { newResourceId } from '../src/ids.js';
import { METER, METER_EVENT } from '../src/products/metering/kinds.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const DAY = 86_400_000;

describe.each(DIALECTS)('billing subscriptions on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));

    async function ok<P extends EndpointPath>(path: P, body: Record<string, unknown>): Promise<EndpointResponse<P>> {
      const answer = await t.call(path, body);
      expect(answer.body.result, `${path}: ${answer.body.result.resultMessage}`).toMatchObject({ resultCode: 'SUCCESS' });
      return answer.body as EndpointResponse<P>;
    }
    function present<T>(value: T | undefined, field: string): T {
      if (value === undefined) throw new Error(`${field} missing from the answer`);
      return value;
    }
    async function refused(path: string, body: Record<string, unknown>, code: string, mention?: string) {
      const answer = await t.call(path, body);
      expect(answer.body.result.resultCode, answer.body.result.resultMessage).toBe(code);
      if (mention !== undefined) expect(answer.body.result.resultMessage).toContain(mention);
    }
    const customer = async () => (await ok('billing/customer/create', { customerRequestId: uniqueId('cus'), email: `${uniqueId('c')}@example.com` })).customerId as string;
    const product = async () => (await ok('billing/product/create', { productRequestId: uniqueId('prd'), name: 'Plan' })).productId as string;
    const monthly = async (value: string, extra: Record<string, unknown> = {}) =>
      (await ok('billing/price/create', { priceRequestId: uniqueId('prc'), productId: await product(), unitAmount: { currency: 'USD', value }, recurring: { periodRule: { periodType: 'DAY', periodCount: 30 } }, ...extra })).priceId as string;
    const invoicesOf = async (subscriptionId: string | undefined) => present((await ok('billing/invoice/inquireList', { subscriptionId: present(subscriptionId, 'subscriptionId'), limit: 100 })).invoices, 'invoices').reverse();
    const subscribe = async (customerId: string, priceItems: unknown[], extra: Record<string, unknown> = {}) =>
      ok('billing/subscription/create', { subscriptionRequestId: uniqueId('bsub'), customerId, priceItems, ...extra });
    async function advance(ms: number): Promise<void> {
      clock.advance(ms);
      await t.gateway.runDueWork();
    }

    it('invoices the first period at create (INCOMPLETE until paid, then ACTIVE) and one invoice per period as the clock passes', async () => {
      const c = await customer();
      const price = await monthly('1500');
      const sub = await subscribe(c, [{ priceId: price, quantity: 2 }]);
      expect(sub.status).toBe('INCOMPLETE');
      const first = await ok('billing/invoice/inquireDetails', { invoiceId: sub.invoiceId });
      expect(first).toMatchObject({ status: 'OPEN', reason: 'SUBSCRIPTION_CREATION', phaseNo: '1', totalAmount: { currency: 'USD', value: '3000' } });
      await ok('billing/invoice/confirmPayment', { invoiceId: sub.invoiceId, confirmationType: 'OFFLINE' });
      expect((await ok('billing/subscription/inquireDetails', { subscriptionId: sub.subscriptionId })).status).toBe('ACTIVE');

      await advance(29 * DAY);
      expect(await invoicesOf(sub.subscriptionId)).toHaveLength(1);
      // Two periods pass at once, and four clock runs race: one invoice for each period.
      clock.advance(31 * DAY + 1000);
      await Promise.all([t.gateway.runDueWork(), t.gateway.runDueWork(), t.gateway.runDueWork(), t.gateway.runDueWork()]);
      const invoices = await invoicesOf(sub.subscriptionId);
      expect(invoices.map((i) => i.reason)).toEqual(['SUBSCRIPTION_CREATION', 'SUBSCRIPTION_RECURRENCE', 'SUBSCRIPTION_RECURRENCE']);
      expect(invoices.map((i) => i.totalAmount?.value)).toEqual(['3000', '3000', '3000']);
      expect(new Set(invoices.map((i) => i.periodStart)).size).toBe(3);
      const details = await ok('billing/subscription/inquireDetails', { subscriptionId: sub.subscriptionId });
      expect(Date.parse(present(details.currentPeriodEnd, 'currentPeriodEnd'))).toBeGreaterThan(clock.now());
      expect(Date.parse(present(details.currentPeriodStart, 'currentPeriodStart'))).toBeLessThanOrEqual(clock.now());
    });

    it('bills a METERED price in arrears at the period\'s usage, only events inside the period', async () => {
      const c = await customer();
      const clientId = t.client.client.clientId;
      const meterId = newResourceId('MTR', clock.now());
      await t.gateway.database.transaction(async (tx) => {
        await insertResource(tx, METER, clientId, { id: meterId, status: 'ACTIVE', now: clock.now(), doc: { meterName: 'API calls', eventName: uniqueId('calls'), aggregationMethod: 'SUM', valueKeyOverride: 'value' } });
      });
      const metered = await monthly('3', { usageType: 'METERED', meterId });
      const licensed = await monthly('1000');
      const sub = await subscribe(c, [{ priceId: licensed }, { priceId: metered }]);
      const start = clock.now();
      const event = (at: number, value: string, i: number) => t.gateway.database.transaction((tx) => insertResource(tx, METER_EVENT, clientId, {
        id: newResourceId('MEV', at), status: 'ACCEPTED', now: at, doc: { meterId, eventName: 'calls', customerId: c, eventTimestamp: at, value, position: i },
      }));
      await event(start + DAY, '40', 0);
      await event(start + 2 * DAY, '2', 1);
      await event(start - DAY, '1000', 2);
      const first = await ok('billing/invoice/inquireDetails', { invoiceId: sub.invoiceId });
      expect(first.totalAmount?.value).toBe('1000');
      await advance(30 * DAY + 1000);
      await event(clock.now() + DAY, '500', 3);
      const [, second] = await invoicesOf(sub.subscriptionId);
      const invoice = await ok('billing/invoice/inquireDetails', { invoiceId: present(second, 'second invoice').invoiceId });
      const usage = invoice.items?.find((item) => item.priceId === metered);
      expect(usage).toMatchObject({ quantity: '42', usageQuantity: '42', amount: { currency: 'USD', value: '126' } });
      expect(invoice.totalAmount?.value).toBe('1126');
    });

    it('starts with a trial (a zero invoice, paid) and bills the first period when the trial ends', async () => {
      const c = await customer();
      const sub = await subscribe(c, [{ priceId: await monthly('2000') }], { trialSettings: { trialPeriodDays: 7 } });
      expect(sub.status).toBe('TRIALING');
      expect((await ok('billing/invoice/inquireDetails', { invoiceId: sub.invoiceId })).status).toBe('PAID');
      await advance(7 * DAY + 1000);
      const after = await ok('billing/subscription/inquireDetails', { subscriptionId: sub.subscriptionId });
      expect(after.status).toBe('ACTIVE');
      const invoices = await invoicesOf(sub.subscriptionId);
      expect(invoices.map((i) => [i.reason, i.totalAmount?.value])).toEqual([['SUBSCRIPTION_CREATION', '0'], ['SUBSCRIPTION_CREATION', '2000']]);
    });

    it('cancels at the period end (no more invoices after it) and now (TERMINATED at once); refuses what its status does not allow', async () => {
      const c = await customer();
      const price = await monthly('500');
      const atEnd = await subscribe(c, [{ priceId: price }]);
      await refused('billing/subscription/cancel', { subscriptionId: atEnd.subscriptionId }, 'PARAM_ILLEGAL', 'cancellationReason');
      const pending = await ok('billing/subscription/cancel', { subscriptionId: atEnd.subscriptionId, cancellationType: 'AT_PERIOD_END', cancellationReason: 'too expensive' });
      expect(pending).toMatchObject({ status: 'INCOMPLETE', cancelAtPeriodEnd: true });
      const now = await subscribe(c, [{ priceId: price }]);
      const canceled = await ok('billing/subscription/cancel', { subscriptionId: now.subscriptionId, cancellationReason: 'moved away' });
      expect(canceled.status).toBe('TERMINATED');
      expect((await ok('billing/subscription/cancel', { subscriptionId: now.subscriptionId, cancellationReason: 'again' })).canceledAt).toBe(canceled.canceledAt);
      await refused('billing/subscription/resume', { subscriptionId: now.subscriptionId, reasonCode: 'back' }, 'NOT_ALLOW_IN_CURRENT_STATUS', 'TERMINATED');
      await refused('billing/subscription/update', { subscriptionId: now.subscriptionId, description: 'x' }, 'NOT_ALLOW_IN_CURRENT_STATUS');
      await advance(61 * DAY);
      expect((await ok('billing/subscription/inquireDetails', { subscriptionId: atEnd.subscriptionId })).status).toBe('TERMINATED');
      expect(await invoicesOf(atEnd.subscriptionId)).toHaveLength(1);
      expect(await invoicesOf(now.subscriptionId)).toHaveLength(1);
      const notified = await t.gateway.database.db.selectFrom('notifications').select('body').where('resource_id', '=', present(atEnd.subscriptionId, 'subscriptionId')).execute();
      expect(notified.map((n) => JSON.parse(n.body).status)).toEqual(['INCOMPLETE', 'TERMINATED']);
      await refused('billing/subscription/inquireDetails', { subscriptionId: 'BSUnope' }, 'SUBSCRIPTION_NOT_EXIST');
    });

    it('pauses at the end of a trial without a payment method when asked, and resumes with a new period invoice', async () => {
      const c = await customer();
      const sub = await subscribe(c, [{ priceId: await monthly('700') }], { trialSettings: { trialPeriodDays: 3, trialEndBehavior: 'PAUSE' } });
      await advance(3 * DAY + 1000);
      expect((await ok('billing/subscription/inquireDetails', { subscriptionId: sub.subscriptionId })).status).toBe('PAUSED');
      const resumed = await ok('billing/subscription/resume', { subscriptionId: sub.subscriptionId, reasonCode: 'paid' });
      expect(resumed.status).toBe('ACTIVE');
      const invoices = await invoicesOf(sub.subscriptionId);
      expect(invoices.map((i) => i.totalAmount?.value)).toEqual(['0', '700']);
      expect((await t.call('billing/subscription/inquireDetails', { subscriptionId: sub.subscriptionId }, fixture.asOther())).body.result.resultCode).toBe('SUBSCRIPTION_NOT_EXIST');
    });
  });
});
