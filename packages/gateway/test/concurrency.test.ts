/**
 * Concurrent duplicates: correctness comes from the database (the
 * idempotency key's primary key, conditional updates), so it must hold on
 * SQLite and on PostgreSQL with several pooled connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashierPay, DIALECTS, postgresAvailable, startTestGateway, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('concurrency on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect);
    });
    afterAll(async () => t?.close());

    it('50 identical pay requests at once create exactly one payment', async () => {
      const body = cashierPay();
      const answers = await Promise.all(Array.from({ length: 50 }, () => t.call('payments/pay', body)));
      const ids = new Set(answers.map((a) => a.body.paymentId));
      expect(answers.map((a) => a.body.result.resultCode)).toEqual(Array(50).fill('PAYMENT_IN_PROCESS'));
      expect(ids.size).toBe(1);
      expect(answers.every((a) => a.signatureValid === true)).toBe(true);
      const rows = await t.gateway.database.db
        .selectFrom('payments')
        .select('payment_id')
        .where('client_id', '=', t.client.client.clientId)
        .where('payment_request_id', '=', body.paymentRequestId as string)
        .execute();
      expect(rows).toHaveLength(1);
      const keys = await t.gateway.database.db.selectFrom('idempotency_keys').select('resource_id').where('request_id', '=', body.paymentRequestId as string).execute();
      expect(keys).toEqual([{ resource_id: rows[0]!.payment_id }]);
    });

    it('50 concurrent duplicates with a different amount mixed in: one payment, the others inconsistent', async () => {
      const body = cashierPay();
      const variants = Array.from({ length: 50 }, (_, i) => (i % 5 === 4 ? { ...body, paymentAmount: { currency: 'USD', value: '999' } } : body));
      const answers = await Promise.all(variants.map((v) => t.call('payments/pay', v)));
      const created = answers.filter((a) => a.body.result.resultCode === 'PAYMENT_IN_PROCESS');
      const inconsistent = answers.filter((a) => a.body.result.resultCode === 'REPEAT_REQ_INCONSISTENT');
      expect(created.length + inconsistent.length).toBe(50);
      expect(new Set(created.map((a) => a.body.paymentId)).size).toBe(1);
      // Whichever amount won the race, all answers agree with it.
      const winnerAmount = (created[0]!.body.paymentAmount as { value: string }).value;
      expect(created.every((a) => (a.body.paymentAmount as { value: string }).value === winnerAmount)).toBe(true);
      expect(inconsistent.length).toBe(winnerAmount === '1000' ? 10 : 40);
    });

    it('a payment completed and cancelled at the same time ends in exactly one final state', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 5; round++) {
        const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
        const [completed, cancelled] = await Promise.all([
          t.complete(paymentId).then((r) => r.status),
          t.call('payments/cancel', { paymentId }).then((r) => r.body.result.resultCode),
        ]);
        const final = (await t.call('payments/inquiryPayment', { paymentId })).body.paymentStatus as string;
        // Cancel after success is allowed (it reverses the payment), so both may succeed in that order.
        expect(['SUCCESS', 'CANCELLED']).toContain(final);
        if (final === 'SUCCESS') expect(cancelled).not.toBe('SUCCESS');
        if (completed !== 200) expect(final).toBe('CANCELLED');
        const journal = await t.gateway.database.db.selectFrom('journal_entries').select(['movement', 'amount']).where('payment_id', '=', paymentId).execute();
        const net = journal.reduce((sum, e) => sum + (e.movement === 'PAY' && BigInt(e.amount) > 0n ? 1 : 0), 0);
        expect(net).toBe(completed === 200 ? 1 : 0);
        outcomes.push(final);
      }
      expect(outcomes).toHaveLength(5);
    });
  });
});
