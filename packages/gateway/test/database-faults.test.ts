/**
 * Faults the database raises mid-request, injected for real: a full disk
 * and a busy file on SQLite, a connection dropped mid-transaction, a
 * failing commit and idle connections killed on PostgreSQL. Each must be
 * answered U / UNKNOWN_EXCEPTION (signed, never an acknowledgement of what
 * was not committed), leave no half-written record, and the same request
 * retried afterwards must give the one true outcome, once.
 */
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, SQLITE_FILE } from '../src/index.js';
import { checkLedger } from './ledger.js';
import { cashierPay, postgresAvailable, POSTGRES_URL, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const UNKNOWN = { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' };

async function paymentRows(t: TestGateway, paymentRequestId: string): Promise<number> {
  const rows = await t.gateway.database.db.selectFrom('payments').select('payment_id').where('payment_request_id', '=', paymentRequestId).execute();
  return rows.length;
}

async function refundRows(t: TestGateway, refundRequestId: string): Promise<number> {
  const rows = await t.gateway.database.db.selectFrom('refunds').select('refund_id').where('refund_request_id', '=', refundRequestId).execute();
  return rows.length;
}

async function expectLedgerSound(t: TestGateway): Promise<void> {
  expect((await checkLedger(t.gateway.database, { derivedBalances: true })).violations).toEqual([]);
}

/** After the fault is gone: the retried pay succeeds, a second retry answers the same payment, and there is exactly one. */
async function expectPayRetriedOnce(t: TestGateway, body: Record<string, unknown>): Promise<string> {
  const retried = await t.call('payments/pay', body);
  expect(retried.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
  const again = await t.call('payments/pay', body);
  expect(again.body.paymentId).toBe(retried.body.paymentId);
  expect(await paymentRows(t, body.paymentRequestId as string)).toBe(1);
  return retried.body.paymentId as string;
}

async function paidPayment(t: TestGateway): Promise<string> {
  const paymentId = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
  expect((await t.complete(paymentId)).status).toBe(200);
  return paymentId;
}

describe('database faults on SQLite', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyDispatch: false });
    // A write that needs room the file may not take: a blob far over the page limit set below.
    await sql`create table fault_filler (b blob)`.execute(t.gateway.database.db);
    for (const [table, column] of [['payments', 'payment_request_id'], ['refunds', 'refund_request_id']] as const) {
      await sql
        .raw(`create trigger fault_full_${table} before insert on ${table} when new.${column} like 'FULL-%' begin insert into fault_filler values (zeroblob(8000000)); end`)
        .execute(t.gateway.database.db);
    }
  });
  afterAll(async () => t?.close());

  const fullDisk = async (on: boolean) => {
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t.gateway.database.db);
    // The page limit is the connection's: at the current size plus a little, as on a disk with a few pages left.
    const limit = on ? Number(rows[0]!.page_count) + 64 : 1_073_741_823;
    await sql.raw(`pragma max_page_count = ${limit}`).execute(t.gateway.database.db);
  };

  it('a full disk during pay: U, no payment, the requests beside it in the same group commit unharmed; the retry pays once', async () => {
    const faulty = cashierPay({ paymentRequestId: uniqueId('FULL') });
    await fullDisk(true);
    try {
      const others = Array.from({ length: 5 }, () => cashierPay());
      const answers = await Promise.all([faulty, ...others].map((body) => t.call('payments/pay', body)));
      expect(answers[0]!.body.result).toEqual({ ...UNKNOWN, resultMessage: expect.any(String) });
      expect(answers[0]!.signatureValid).toBe(true);
      expect(answers[0]!.status).toBe(200);
      expect(await paymentRows(t, faulty.paymentRequestId as string)).toBe(0);
      // Whatever was acknowledged was committed; whatever was not is absent, and its retry creates it once.
      for (const [i, answer] of answers.entries()) {
        const body = [faulty, ...others][i]!;
        if (answer.body.result.resultCode === 'PAYMENT_IN_PROCESS') expect(await paymentRows(t, body.paymentRequestId as string)).toBe(1);
        else expect(await paymentRows(t, body.paymentRequestId as string)).toBe(0);
      }
      const { rows } = await sql<{ n: number }>`select count(*) as n from fault_filler`.execute(t.gateway.database.db);
      expect(Number(rows[0]!.n)).toBe(0);
    } finally {
      await fullDisk(false);
    }
    // The disk has room again: the one true outcome.
    await sql`drop trigger fault_full_payments`.execute(t.gateway.database.db);
    await expectPayRetriedOnce(t, faulty);
  });

  it('a full disk during refund: U, no refund and no journal entry; the retry refunds once', async () => {
    const paymentId = await paidPayment(t);
    const refund = { refundRequestId: uniqueId('FULL'), paymentId, refundAmount: { currency: 'USD', value: '600' } };
    await fullDisk(true);
    try {
      const answer = await t.call('payments/refund', refund);
      expect(answer.body.result).toMatchObject(UNKNOWN);
      expect(await refundRows(t, refund.refundRequestId)).toBe(0);
      expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ paid: 1000n, refunded: 0n });
    } finally {
      await fullDisk(false);
    }
    await sql`drop trigger fault_full_refunds`.execute(t.gateway.database.db);
    const retried = await t.call('payments/refund', refund);
    expect(retried.body.result).toMatchObject({ resultStatus: 'S' });
    expect((await t.call('payments/refund', refund)).body.refundId).toBe(retried.body.refundId);
    expect(await refundRows(t, refund.refundRequestId)).toBe(1);
    expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ paid: 1000n, refunded: 600n });
    await expectLedgerSound(t);
  });

  it('a file kept busy by another process past the busy timeout: U, nothing written; the retry pays once', async () => {
    await sql`pragma busy_timeout = 200`.execute(t.gateway.database.db);
    const other = new BetterSqlite(join(t.gateway.config.dataDir, SQLITE_FILE));
    try {
      other.exec('begin exclusive');
      const body = cashierPay();
      const answer = await t.call('payments/pay', body);
      expect(answer.body.result).toMatchObject(UNKNOWN);
      expect(answer.signatureValid).toBe(true);
      other.exec('rollback');
      expect(await paymentRows(t, body.paymentRequestId as string)).toBe(0);
      await expectPayRetriedOnce(t, body);
    } finally {
      if (other.inTransaction) other.exec('rollback');
      other.close();
      await sql`pragma busy_timeout = 10000`.execute(t.gateway.database.db);
    }
  });
});

describe.skipIf(!postgresOk)('database faults on PostgreSQL', () => {
  let t: TestGateway;
  let schema: string;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestGateway('postgres', { notifyDispatch: false });
    schema = t.gateway.config.databaseSchema as string;
    admin = new Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
    await admin.connect();
    // A session that inserts a row whose request id names the fault ends its own connection, or fails at commit.
    await admin.query(`
      create function fault_inject() returns trigger language plpgsql as $$
      declare request_id text := coalesce(to_jsonb(new) ->> 'payment_request_id', to_jsonb(new) ->> 'refund_request_id');
      begin
        if request_id like 'DROP-%' then perform pg_terminate_backend(pg_backend_pid()); perform pg_sleep(5); end if;
        if request_id like 'COMMIT-%' then raise exception 'injected commit failure' using errcode = '40001'; end if;
        return new;
      end $$`);
    for (const table of ['payments', 'refunds']) {
      const requestId = `to_jsonb(new) ->> '${table === 'payments' ? 'payment' : 'refund'}_request_id'`;
      await admin.query(`create trigger fault_drop_${table} before insert on ${table} for each row when (${requestId} like 'DROP-%') execute function fault_inject()`);
      await admin.query(`create constraint trigger fault_commit_${table} after insert on ${table} deferrable initially deferred for each row when (${requestId} like 'COMMIT-%') execute function fault_inject()`);
    }
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  it('the connection dropped mid-transaction during pay: U, no payment; the gateway keeps serving; the retry pays once', async () => {
    const body = cashierPay({ paymentRequestId: uniqueId('DROP') });
    const answer = await t.call('payments/pay', body);
    expect(answer.body.result).toMatchObject(UNKNOWN);
    expect(answer.signatureValid).toBe(true);
    expect(await paymentRows(t, body.paymentRequestId as string)).toBe(0);
    expect((await t.call('payments/pay', cashierPay())).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    await admin.query('drop trigger fault_drop_payments on payments');
    await expectPayRetriedOnce(t, body);
  });

  it('the connection dropped during refund: U, no refund, no journal entry; the retry refunds once', async () => {
    const paymentId = await paidPayment(t);
    const refund = { refundRequestId: uniqueId('DROP'), paymentId, refundAmount: { currency: 'USD', value: '250' } };
    expect((await t.call('payments/refund', refund)).body.result).toMatchObject(UNKNOWN);
    expect(await refundRows(t, refund.refundRequestId)).toBe(0);
    expect((await checkLedger(t.gateway.database)).payments.get(paymentId)).toMatchObject({ refunded: 0n });
    await admin.query('drop trigger fault_drop_refunds on refunds');
    const retried = await t.call('payments/refund', refund);
    expect(retried.body.result).toMatchObject({ resultStatus: 'S' });
    expect((await t.call('payments/refund', refund)).body.refundId).toBe(retried.body.refundId);
    expect(await refundRows(t, refund.refundRequestId)).toBe(1);
    await expectLedgerSound(t);
  });

  it('a commit that fails (a serialization failure at COMMIT): U, nothing committed; the retry pays once', async () => {
    const body = cashierPay({ paymentRequestId: uniqueId('COMMIT') });
    expect((await t.call('payments/pay', body)).body.result).toMatchObject(UNKNOWN);
    expect(await paymentRows(t, body.paymentRequestId as string)).toBe(0);
    await admin.query('drop trigger fault_commit_payments on payments');
    await expectPayRetriedOnce(t, body);
  });

  it('a session the server ends is reported to the store\'s owner (the gateway logs it), not thrown', async () => {
    const ended: Error[] = [];
    const store = await openDatabase({ url: POSTGRES_URL, schema, migrate: false, onSessionError: (error) => ended.push(error) });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      await admin.query('select pg_terminate_backend($1)', [Number(rows[0]!.pid)]);
      const until = Date.now() + 2_000;
      while (ended.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(ended.length).toBeGreaterThan(0);
      expect((await sql<{ one: number }>`select 1 as one`.execute(store.db)).rows[0]!.one).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('idle pooled connections killed by the server (a restart, a failover): no crash, the next requests are served', async () => {
    // Several requests at once so the pool holds several connections, then every one of them is ended by the server.
    await Promise.all(Array.from({ length: 4 }, () => t.call('payments/pay', cashierPay())));
    // The gateway's own pooled sessions (other test files share the server: theirs are left alone).
    const pids = new Set<number>();
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(t.gateway.database.db);
        pids.add(Number(rows[0]!.pid));
      }),
    );
    expect(pids.size).toBeGreaterThan(1);
    for (const pid of pids) await admin.query('select pg_terminate_backend($1)', [pid]);
    await new Promise((r) => setTimeout(r, 200));
    const answers = await Promise.all(Array.from({ length: 4 }, () => t.call('payments/pay', cashierPay())));
    // A request on a connection not yet known dead may be U; none may be acknowledged without its payment.
    for (const answer of answers) expect(['PAYMENT_IN_PROCESS', 'UNKNOWN_EXCEPTION']).toContain(answer.body.result.resultCode);
    expect((await t.call('payments/pay', cashierPay())).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
  });
});
