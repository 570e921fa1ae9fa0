/**
 * Scheduled outcomes (`scheduled_outcomes`) on SQLite and PostgreSQL: in-store
 * payment codes the simulated wallet settles later use them like the sandbox
 * triggers (due at the payment's `expires_at`); migration 0007 carries the
 * in-store rows written before it (`in_store_payments.settle_at`) over so
 * they still settle; in gateway mode only in-store payments consult them.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inStoreScheduledOutcomesMigration } from '../src/products/payments/scheduled-outcomes-migration.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { checkLedger } from './ledger.js';
import { cashierPay, DIALECTS, inStorePay, paymentCode, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();
const SETTLE_DELAY_MS = 5_000;

async function scheduledRow(t: TestGateway, paymentId: string) {
  const row = await t.gateway.database.db.selectFrom('scheduled_outcomes').select(['due_at', 'result_code', 'result_message']).where('payment_id', '=', paymentId).executeTakeFirst();
  return row && { ...row, due_at: Number(row.due_at) };
}

async function paymentRow(t: TestGateway, paymentId: string) {
  const row = await t.gateway.database.db.selectFrom('payments').select(['status', 'result_code', 'created_at', 'expires_at']).where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
  return { ...row, created_at: Number(row.created_at), expires_at: Number(row.expires_at) };
}

describe.each(DIALECTS)('scheduled outcomes on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('sandbox mode', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clock, notifyDispatch: false, inStore: { settleDelayMs: SETTLE_DELAY_MS } });
    });
    afterAll(async () => t?.close());

    const inquire = async (paymentId: string) => (await t.call('payments/inquiryPayment', { paymentId })).body;

    it('a delayed payment code schedules its outcome, due at the payment\'s expires_at; a delay past the expiry schedules nothing', async () => {
      const settling = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('11')))).body.paymentId as string;
      const payment = await paymentRow(t, settling);
      expect(payment.expires_at - payment.created_at).toBe(SETTLE_DELAY_MS);
      expect(await scheduledRow(t, settling)).toEqual({ due_at: payment.expires_at, result_code: 'USER_PAYMENT_VERIFICATION_FAILED', result_message: null });
      // Also where a gateway from before migration 0007 reads it (a rolling upgrade).
      const inStore = await t.gateway.database.db.selectFrom('in_store_payments').select(['settle_at', 'settle_result_code']).where('payment_id', '=', settling).executeTakeFirstOrThrow();
      expect({ ...inStore, settle_at: Number(inStore.settle_at) }).toEqual({ settle_at: payment.expires_at, settle_result_code: 'USER_PAYMENT_VERIFICATION_FAILED' });

      // Expiring before the settle delay: closes at its expiry, as before.
      const short = (await t.call('payments/pay', inStorePay({ paymentExpiryTime: new Date(clock.now() + 3_000).toISOString() }, 'PaymentCode', paymentCode('10')))).body.paymentId as string;
      expect(await scheduledRow(t, short)).toBeUndefined();
      clock.advance(SETTLE_DELAY_MS);
      expect(await inquire(settling)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_PAYMENT_VERIFICATION_FAILED' });
      expect(await inquire(short)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
    });

    it('during a rolling upgrade, a delayed code written by a gateway from before 0007 (no scheduled outcome) settles at its settle time', async () => {
      const db = t.gateway.database.db;
      const succeeding = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('10')))).body.paymentId as string;
      const failing = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('11')))).body.paymentId as string;
      // As the old code wrote them: the outcome in in_store_payments only.
      await db.deleteFrom('scheduled_outcomes').where('payment_id', 'in', [succeeding, failing]).execute();
      clock.advance(SETTLE_DELAY_MS);
      expect(await inquire(succeeding)).toMatchObject({ paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' });
      expect(await inquire(failing)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_PAYMENT_VERIFICATION_FAILED' });
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      expect(report.payments.get(succeeding)).toMatchObject({ paid: 1200n });
    });

    it('migration 0007 carries in-store rows written before it over: they settle at their settle time, once', async () => {
      const db = t.gateway.database.db;
      // Three payments as the code before migration 0007 wrote them: the outcome in in_store_payments only.
      const succeeding = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('10')))).body.paymentId as string;
      const failing = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('11')))).body.paymentId as string;
      const closing = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('12')))).body.paymentId as string;
      const legacy: Array<[string, string, 'settle' | 'expiry']> = [[succeeding, 'SUCCESS', 'settle'], [failing, 'USER_PAYMENT_VERIFICATION_FAILED', 'settle'], [closing, 'SUCCESS', 'expiry']];
      await db.deleteFrom('scheduled_outcomes').where('payment_id', 'in', [succeeding, failing, closing]).execute();
      for (const [paymentId, code, when] of legacy) {
        const inStore = await db.selectFrom('in_store_payments').select('expires_at').where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
        // A settle time at or after the expiry never applied (the payment closes): not carried over.
        const settleAt = when === 'settle' ? (await paymentRow(t, paymentId)).expires_at : Number(inStore.expires_at);
        await db.updateTable('in_store_payments').set({ settle_at: settleAt, settle_result_code: code }).where('payment_id', '=', paymentId).execute();
      }

      await inStoreScheduledOutcomesMigration.up(db as unknown as Kysely<unknown>);
      // Run twice (as after a partial failure): nothing is duplicated.
      await inStoreScheduledOutcomesMigration.up(db as unknown as Kysely<unknown>);
      expect(await scheduledRow(t, succeeding)).toEqual({ due_at: (await paymentRow(t, succeeding)).expires_at, result_code: 'SUCCESS', result_message: null });
      expect(await scheduledRow(t, failing)).toMatchObject({ result_code: 'USER_PAYMENT_VERIFICATION_FAILED' });
      expect(await scheduledRow(t, closing)).toBeUndefined();
      expect(await db.selectFrom('scheduled_outcomes').select('payment_id').where('payment_id', 'in', [succeeding, failing]).execute()).toHaveLength(2);

      clock.advance(SETTLE_DELAY_MS);
      expect(await t.gateway.payments.closeExpired()).toBeGreaterThanOrEqual(2);
      expect(await paymentRow(t, succeeding)).toMatchObject({ status: 'SUCCESS', result_code: 'SUCCESS' });
      expect(await paymentRow(t, failing)).toMatchObject({ status: 'FAIL', result_code: 'USER_PAYMENT_VERIFICATION_FAILED' });
      expect(await inquire(closing)).toMatchObject({ paymentStatus: 'PROCESSING' });
      clock.advance(10 * 60_000);
      expect(await inquire(closing)).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'ORDER_IS_CLOSED' });
      for (const paymentId of [succeeding, failing, closing]) expect(await t.gateway.notifications.list({ resourceId: paymentId }), paymentId).toHaveLength(1);
      const report = await checkLedger(t.gateway.database);
      expect(report.violations).toEqual([]);
      expect(report.payments.get(succeeding)).toMatchObject({ paid: 1200n });
    });
  });

  describe.skipIf(dialect === 'postgres' && !postgresOk)('gateway mode', () => {
    let t: TestGateway;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { mode: 'gateway', clock, notifyDispatch: false, inStore: { settleDelayMs: SETTLE_DELAY_MS } });
    });
    afterAll(async () => t?.close());

    it('in-store payment codes still settle; other payments never consult scheduled outcomes and close as expired', async () => {
      const settling = (await t.call('payments/pay', inStorePay({}, 'PaymentCode', paymentCode('10')))).body.paymentId as string;
      expect(await scheduledRow(t, settling)).toMatchObject({ result_code: 'SUCCESS' });
      const cashier = await t.call('payments/pay', cashierPay());
      const cashierId = cashier.body.paymentId as string;
      // A row no gateway-mode payment can get: ignored, the payment closes at its expiry.
      const { expires_at } = await paymentRow(t, cashierId);
      await t.gateway.database.db.insertInto('scheduled_outcomes')
        .values({ payment_id: cashierId, due_at: expires_at, result_code: 'SUCCESS', result_message: null, created_at: clock.now() }).execute();

      clock.advance(SETTLE_DELAY_MS);
      expect((await t.call('payments/inquiryPayment', { paymentId: settling })).body).toMatchObject({ paymentStatus: 'SUCCESS' });
      clock.advance(14 * 60_000);
      expect(await t.gateway.payments.closeExpired()).toBeGreaterThanOrEqual(1);
      expect(await paymentRow(t, cashierId)).toMatchObject({ status: 'FAIL', result_code: 'ORDER_IS_CLOSED' });
    });
  });
});
