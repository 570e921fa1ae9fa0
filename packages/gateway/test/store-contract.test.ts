/**
 * One contract for the storage layer, run against SQLite and PostgreSQL:
 * migrations, idempotency claims, conditional transitions, the journal,
 * readiness.
 */
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/schema.js';
import { SQLITE_FILE } from '../src/store/database.js';
import { openDatabase } from '../src/migrations.js';
import { claimIdempotencyKey, differingFields } from '../src/endpoints/idempotency.js';
import { accountBalance, assertBalanced, recordJournal, UnbalancedJournalError } from '../src/ledger/journal.js';
import { insertPayment, transitionPayment, findPayment } from '../src/products/payments/payments-repository.js';
import { ClientsRepository } from '../src/auth/clients-repository.js';
import { DIALECTS, dropSchema, postgresAvailable, POSTGRES_URL } from './harness.js';

const postgresOk = await postgresAvailable();

describe.each(DIALECTS)('store contract on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const schema = `c_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const options = dialect === 'postgres' ? { url: POSTGRES_URL, schema } : { dataDir: mkdtempSync(join(tmpdir(), 'amsgate-store-')) };
    let database: Database;
    let clientId: string;

    beforeAll(async () => {
      database = await openDatabase(options);
      clientId = (await new ClientsRepository(database).create({ sandbox: true })).client.clientId;
    });
    afterAll(async () => {
      await database?.close();
      if (dialect === 'postgres') await dropSchema(schema);
    });

    it('migrates once and is ready; opening again is a no-op', async () => {
      expect(await database.ready()).toBe(true);
      const again = await openDatabase(options);
      expect(await again.ready()).toBe(true);
      await again.close();
      expect(database.dialect).toBe(dialect);
    });

    it('the dashboard\'s lookups have indexes: a payment by paymentRequestId, a client\'s payments and notifications, a resource\'s notifications', async () => {
      const names = ['payments_request_id', 'payments_client_listing', 'notifications_resource', 'notifications_client_listing'];
      if (dialect === 'postgres') {
        const rows = await sql<{ indexname: string }>`select indexname from pg_indexes where schemaname = ${schema}`.execute(database.db);
        expect(rows.rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(names));
        return;
      }
      // SQLite: the planner's own word that the queries of listPayments, the notification list and the payment timeline search an index.
      const plan = async (query: { compile: () => CompiledQuery }) => {
        const compiled = query.compile();
        const rows = await database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]));
        return rows.rows.map((r) => r.detail).join(' | ');
      };
      const db = database.db;
      expect(await plan(db.selectFrom('payments').selectAll().where((eb) => eb.or([eb('payment_id', '=', 'x'), eb('payment_request_id', '=', 'x')])))).toMatch(/payments_request_id/);
      expect(await plan(db.selectFrom('payments').selectAll().where('client_id', '=', 'c').orderBy('payment_id', 'desc').limit(51))).toMatch(/USING INDEX payments_client_listing(?!.*TEMP B-TREE)/);
      expect(await plan(db.selectFrom('notifications').selectAll().where('resource_id', '=', 'r').orderBy('created_at', 'desc').limit(100))).toMatch(/notifications_resource/);
      expect(await plan(db.selectFrom('notifications').selectAll().where('client_id', '=', 'c').where('resource_id', 'in', ['a', 'b']))).toMatch(/notifications_resource/);
      expect(await plan(db.selectFrom('notifications').selectAll().where('client_id', '=', 'c').orderBy('created_at', 'desc').limit(100))).toMatch(/notifications_client_listing/);
    });

    if (dialect === 'sqlite') it('keeps the database file (every client\'s signing key) and its WAL owner-only, in a data directory that was world-readable', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-perm-'));
      chmodSync(dataDir, 0o755);
      const file = join(dataDir, SQLITE_FILE);
      // A file an older amsgate (or a copy) left readable by everyone.
      writeFileSync(file, '');
      chmodSync(file, 0o644);
      const opened = await openDatabase({ dataDir });
      try {
        await new ClientsRepository(opened).create({ sandbox: true });
        for (const path of [file, `${file}-wal`]) expect(statSync(path).mode & 0o777, path).toBe(0o600);
      } finally {
        await opened.close();
      }
      const fresh = mkdtempSync(join(tmpdir(), 'amsgate-perm-'));
      const created = await openDatabase({ dataDir: join(fresh, 'new') });
      await created.close();
      expect(statSync(join(fresh, 'new', SQLITE_FILE)).mode & 0o777).toBe(0o600);
    });

    it('claims an idempotency key once; a second claim reads it back and compares fingerprints', async () => {
      const key = { clientId, scope: 'test', requestId: 'r1' };
      const first = await database.transaction((tx) => claimIdempotencyKey(tx, key, { amount: '1' }, 'RES1', 1));
      expect(first).toEqual({ claimed: true });
      const same = await database.transaction((tx) => claimIdempotencyKey(tx, key, { amount: '1' }, 'RES2', 2));
      expect(same).toEqual({ claimed: false, resourceId: 'RES1', differingFields: [] });
      const other = await database.transaction((tx) => claimIdempotencyKey(tx, key, { amount: '2' }, 'RES3', 3));
      expect(other).toEqual({ claimed: false, resourceId: 'RES1', differingFields: ['amount'] });
      // Another scope or client is another key.
      expect(await database.transaction((tx) => claimIdempotencyKey(tx, { ...key, scope: 'other' }, { amount: '2' }, 'RES4', 4))).toEqual({ claimed: true });
      expect(differingFields({ a: '1', b: null }, { a: '1' })).toEqual([]);
    });

    it('concurrent claims of one key: exactly one wins', async () => {
      const key = { clientId, scope: 'race', requestId: 'r-race' };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => database.transaction((tx) => claimIdempotencyKey(tx, key, { n: 'same' }, `RES${i}`, i))),
      );
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const winner = results.findIndex((r) => r.claimed);
      for (const r of results) if (!r.claimed) expect(r.resourceId).toBe(`RES${winner}`);
    });

    it('a failed transaction leaves nothing behind', async () => {
      const key = { clientId, scope: 'rollback', requestId: 'r-rb' };
      await expect(
        database.transaction(async (tx) => {
          await claimIdempotencyKey(tx, key, { n: '1' }, 'RES', 1);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await database.transaction((tx) => claimIdempotencyKey(tx, key, { n: '1' }, 'RES', 1))).toEqual({ claimed: true });
    });

    it('concurrent transactions are independent: one failing leaves the others committed', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          database.transaction(async (tx) => {
            await claimIdempotencyKey(tx, { clientId, scope: 'batch', requestId: `b${i}` }, { n: String(i) }, `RES${i}`, i);
            if (i === 4) throw new Error('the fifth fails after writing');
            return i;
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const rows = await database.db.selectFrom('idempotency_keys').select('request_id').where('scope', '=', 'batch').orderBy('request_id').execute();
      expect(rows.map((r) => r.request_id)).toEqual(['b0', 'b1', 'b2', 'b3', 'b5', 'b6', 'b7', 'b8', 'b9']);
    });

    it('moves a payment only from the state it is in', async () => {
      await insertPayment(database.db, {
        payment_id: 'PAYCONTRACT1', client_id: clientId, payment_request_id: 'req-contract-1', product_code: 'CASHIER_PAYMENT',
        status: 'PROCESSING', result_code: 'PAYMENT_IN_PROCESS', result_message: 'm', currency: 'USD', amount: 9_007_199_254_740_993n,
        payment_method_type: 'ALIPAY_CN', payment_method_id: null, reference_order_id: 'o', order_description: 'd',
        redirect_url: null, notify_url: null, request_json: '{}', created_at: 1, updated_at: 1, expires_at: 2, paid_at: null, closed_at: null,
      });
      const moved = await database.transaction((tx) => transitionPayment(tx, 'PAYCONTRACT1', 'PROCESSING', { status: 'SUCCESS', resultCode: 'SUCCESS', resultMessage: 's', now: 3, paidAt: 3 }));
      expect(moved).toBe(true);
      const stale = await database.transaction((tx) => transitionPayment(tx, 'PAYCONTRACT1', 'PROCESSING', { status: 'FAIL', resultCode: 'X', resultMessage: 'x', now: 4 }));
      expect(stale).toBe(false);
      const payment = await findPayment(database.db, clientId, { paymentRequestId: 'req-contract-1' });
      // 2^53 + 1 survives the round trip exactly: money is never a double.
      expect(payment).toMatchObject({ status: 'SUCCESS', paidAt: 3, amount: 9_007_199_254_740_993n });
      expect(await findPayment(database.db, 'SANDBOX_OTHER', { paymentId: 'PAYCONTRACT1' })).toBeUndefined();
    });

    it('returns rows keyed by column name, whatever characters the name holds', async () => {
      const { rows } = await sql<Record<string, unknown>>`select 1 as "a""b", 'x' as "x y", null as "n"`.execute(database.db);
      expect(rows).toEqual([{ 'a"b': dialect === 'sqlite' ? 1n : 1, 'x y': 'x', n: null }]);
      const none = await sql`select 1 as "one" where 1 = 0`.execute(database.db);
      expect(none.rows).toEqual([]);
    });

    // A newer amsgate may migrate the file while this process runs: SQLite re-prepares cached statements, and rows follow.
    if (dialect === 'sqlite') it('rows follow a table that another connection widened under a cached statement', async () => {
      await sql`create table widened (a integer)`.execute(database.db);
      await sql`insert into widened (a) values (1)`.execute(database.db);
      expect((await sql`select * from widened`.execute(database.db)).rows).toEqual([{ a: 1n }]);
      const other = await openDatabase(options);
      try {
        await sql`alter table widened add column b text default 'x'`.execute(other.db);
      } finally {
        await other.close();
      }
      expect((await sql`select * from widened`.execute(database.db)).rows).toEqual([{ a: 1n, b: 'x' }]);
    });

    it('read: sees only committed data, leaves no transaction behind when it throws, and runs beside writes', async () => {
      const countPayments = async (tx: Parameters<Parameters<Database['read']>[0]>[0]) =>
        Number((await sql<{ n: number | bigint }>`select count(*) as n from payments`.execute(tx)).rows[0]?.n);
      const before = await database.read(countPayments);
      await expect(database.read(async (tx) => {
        await countPayments(tx);
        throw new Error('read failed');
      })).rejects.toThrow('read failed');
      // Reads racing a batch of writes: each sees whole transactions, and the writes all land.
      const writes = Array.from({ length: 8 }, (_, i) => database.transaction((tx) => insertPayment(tx, {
        payment_id: `PAYREAD${i}`, client_id: clientId, payment_request_id: `req-read-${i}`, product_code: 'CASHIER_PAYMENT',
        status: 'PROCESSING', result_code: 'PAYMENT_IN_PROCESS', result_message: 'm', currency: 'USD', amount: 1n,
        payment_method_type: 'ALIPAY_CN', payment_method_id: null, reference_order_id: 'o', order_description: 'd',
        redirect_url: null, notify_url: null, request_json: '{}', created_at: 1, updated_at: 1, expires_at: 2, paid_at: null, closed_at: null,
      })));
      const reads = Array.from({ length: 8 }, () => database.read(countPayments));
      await Promise.all(writes);
      for (const seen of await Promise.all(reads)) expect(seen).toBeGreaterThanOrEqual(before);
      expect(await database.read(countPayments)).toBe(before + 8);
      expect(await database.read((tx) => findPayment(tx, clientId, { paymentId: 'PAYREAD3' }))).toMatchObject({ paymentRequestId: 'req-read-3' });
    });

    // PostgreSQL's read runs each statement on its own (documented on Database.read).
    if (dialect === 'sqlite') it('read on SQLite is one snapshot: a commit from another connection shows only in the next read', async () => {
      const other = await openDatabase(options);
      try {
        const counts = await database.read(async (tx) => {
          const first = await sql<{ n: bigint }>`select count(*) as n from payments`.execute(tx);
          await other.transaction((otx) => insertPayment(otx, {
            payment_id: 'PAYSNAPSHOT', client_id: clientId, payment_request_id: 'req-snapshot', product_code: 'CASHIER_PAYMENT',
            status: 'PROCESSING', result_code: 'PAYMENT_IN_PROCESS', result_message: 'm', currency: 'USD', amount: 1n,
            payment_method_type: 'ALIPAY_CN', payment_method_id: null, reference_order_id: 'o', order_description: 'd',
            redirect_url: null, notify_url: null, request_json: '{}', created_at: 1, updated_at: 1, expires_at: 2, paid_at: null, closed_at: null,
          }));
          const second = await sql<{ n: bigint }>`select count(*) as n from payments`.execute(tx);
          return [first.rows[0]?.n, second.rows[0]?.n];
        });
        expect(counts[1]).toBe(counts[0]);
        expect(await findPayment(database.db, clientId, { paymentId: 'PAYSNAPSHOT' })).toMatchObject({ paymentRequestId: 'req-snapshot' });
      } finally {
        await other.close();
      }
    });

    it('journals only balanced transactions and derives balances from the entries', async () => {
      expect(() => assertBalanced([{ account: 'a', currency: 'USD', amount: 1n }, { account: 'b', currency: 'USD', amount: -2n }])).toThrow(UnbalancedJournalError);
      expect(() => assertBalanced([{ account: 'a', currency: 'USD', amount: 1n }, { account: 'b', currency: 'EUR', amount: -1n }])).toThrow(UnbalancedJournalError);
      await database.transaction((tx) =>
        recordJournal(tx, {
          clientId, paymentId: 'PAYCONTRACT1', movement: 'PAY', now: 5,
          lines: [{ account: 'ext', currency: 'USD', amount: -700n }, { account: 'merchant', currency: 'USD', amount: 700n }],
        }),
      );
      await database.transaction((tx) =>
        recordJournal(tx, {
          clientId, paymentId: 'PAYCONTRACT1', movement: 'CANCEL', now: 6,
          lines: [{ account: 'merchant', currency: 'USD', amount: -200n }, { account: 'ext', currency: 'USD', amount: 200n }],
        }),
      );
      expect(await accountBalance(database.db, 'merchant', 'USD')).toBe(500n);
      expect(await accountBalance(database.db, 'ext', 'USD')).toBe(-500n);
      expect(await accountBalance(database.db, 'merchant', 'EUR')).toBe(0n);
    });
  });
});
