// Grow without slowing: the same measurements on an empty store and on one
// seeded with BENCH_PAYMENTS payments (default 1,000,000) with their
// transactions, refunds, journal entries, notifications and idempotency
// keys, printed side by side as ratios, on SQLite and (when reachable)
// PostgreSQL.
//
// Seeding goes through the store, not HTTP: ten template payments are made
// over signed HTTP (paid, some refunded, notified), then every row they left
// is copied in bulk with SQL (INSERT … SELECT), each copy's ids suffixed so
// that keys stay unique and references stay consistent; the journal of each
// copy balances as the template's does.
//
// Measured on each store: gateway start to /readyz; inquiryPayment and pay
// throughput (closed loop, BENCH_CONNECTIONS keep-alive connections,
// requests signed before the clock starts, BENCH_LOAD_MS each); the
// dashboard's payment list (first page) and a search by paymentRequestId
// (the control API's GET /admin/payments, the dashboard's query), median
// of 7; the gateway's RSS after the load.
//
// Then the outbox: BENCH_OUTBOX (100,000) deliveries made due at once (copies
// of a delivered notification, through the store) to a local receiver; the
// rate they drain at, second by second, and the inquiry rate while they do,
// against the same store with nothing due (SQLite).
//
// Environment: BENCH_PAYMENTS (1000000), BENCH_PG_PAYMENTS (BENCH_PAYMENTS), BENCH_OUTBOX (100000),
// BENCH_LOAD_MS (3000), BENCH_CONNECTIONS (16), BENCH_DIALECTS
// (sqlite,postgres), AMSGATE_TEST_POSTGRES_URL.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { sql } from 'kysely';
import pg from 'pg';
import { payBody } from './gateway-bench-requests.mjs';
import { importPrivateKey, signHeader } from '../packages/protocol/dist/index.js';
import { CREDENTIALS_FILE, openDatabase } from '../packages/gateway/dist/index.js';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1_000_000);
const PG_PAYMENTS = Number(process.env.BENCH_PG_PAYMENTS ?? PAYMENTS);
const LOAD_MS = Number(process.env.BENCH_LOAD_MS ?? 3_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const PG_URL = process.env.AMSGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEMPLATES = 10;
const OUTBOX = Number(process.env.BENCH_OUTBOX ?? 100_000);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

// ---------------------------------------------------------------- the gateway process

async function startGateway(dataDir, env) {
  const started = performance.now();
  const child = fork(new URL('./large-store-server.mjs', import.meta.url), [dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before it was ready`)));
    child.on('message', (m) => m?.type === 'ready' && resolve(m));
  });
  const response = await fetch(`${ready.httpUrl}/readyz`);
  if (response.status !== 200) throw new Error(`/readyz answered ${response.status}`);
  const startMs = performance.now() - started;
  const credentials = JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8'));
  return { child, url: ready.httpUrl, startMs, credentials };
}

async function stopGateway(gateway) {
  gateway.child.send({ type: 'close' });
  await new Promise((resolve) => gateway.child.once('exit', resolve));
}

// ---------------------------------------------------------------- requests

function signed(gateway, endpoint, body) {
  const path = `/ams/api/v1/${endpoint}`;
  const bytes = Buffer.from(body);
  const time = String(Date.now());
  const { clientId } = gateway.credentials;
  gateway.key ??= importPrivateKey(gateway.credentials.merchantPrivateKey);
  const signature = signHeader({ uri: path, clientId, time, body: bytes }, gateway.key, 1);
  return { path, bytes, headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': clientId, 'request-time': time, signature } };
}

function send(url, request) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${request.path}`, { method: request.method ?? 'POST', agent, headers: request.headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(request.bytes);
  });
}

async function call(gateway, endpoint, body) {
  const answer = await send(gateway.url, signed(gateway, endpoint, JSON.stringify(body)));
  return JSON.parse(answer.body);
}

/** Requests from `next()` on CONNECTIONS connections for LOAD_MS; answers checked by `ok`. */
async function closedLoop(url, next, ok) {
  let done = 0;
  let failed = 0;
  const until = performance.now() + LOAD_MS;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const request = next();
        if (request === undefined) return;
        const answer = await send(url, request);
        if (answer.status === 200 && ok(JSON.parse(answer.body))) done++;
        else failed++;
      }
    }),
  );
  if (failed > 0) throw new Error(`${failed} requests answered otherwise than expected`);
  return done / (LOAD_MS / 1_000);
}

async function medianMs(times, fn) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function measure(gateway, templates, searchId) {
  const inquiries = templates.map((paymentId) => signed(gateway, 'payments/inquiryPayment', JSON.stringify({ paymentId })));
  let i = 0;
  const inquiry = await closedLoop(gateway.url, () => inquiries[i++ % inquiries.length], (a) => a.result?.resultStatus === 'S');
  // Enough pay requests for a rate well above what this machine reaches, signed before the clock starts.
  const pays = Array.from({ length: Math.ceil((LOAD_MS / 1_000) * 4_000) }, (_, n) => signed(gateway, 'payments/pay', payBody(`large-pay-${Date.now().toString(36)}-${n}`)));
  let p = 0;
  const pay = await closedLoop(gateway.url, () => pays[p++], (a) => a.result?.resultCode === 'PAYMENT_IN_PROCESS');
  const get = (query) => send(gateway.url, { method: 'GET', path: `/admin/payments?${query}`, headers: {} }).then((a) => {
    if (a.status !== 200) throw new Error(`GET /admin/payments?${query} answered ${a.status}`);
    return JSON.parse(a.body);
  });
  const listMs = await medianMs(7, () => get('limit=50'));
  const found = await get(`q=${encodeURIComponent(searchId)}`);
  if (found.payments.length !== 1) throw new Error(`search for ${searchId} found ${found.payments.length} payments`);
  const searchMs = await medianMs(7, () => get(`q=${encodeURIComponent(searchId)}`));
  return { startMs: gateway.startMs, inquiry, pay, listMs, searchMs };
}

// ---------------------------------------------------------------- seeding

/** The tables holding the templates' rows and how to copy them: id-like text columns get the copy's suffix. */
async function tablesToCopy(db, dialect, schema) {
  const names = dialect === 'sqlite'
    ? (await sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db)).rows.map((r) => r.name)
    : (await sql`select table_name as name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(db)).rows.map((r) => r.name);
  const skip = new Set(['clients', 'client_keys', 'agent_tokens', 'client_notify_urls']);
  const tables = [];
  for (const name of names.filter((n) => !skip.has(n))) {
    const count = Number((await sql.raw(`select count(*) as n from "${name}"`).execute(db)).rows[0].n);
    if (count === 0) continue;
    const columns = dialect === 'sqlite'
      ? (await sql.raw(`pragma table_info("${name}")`).execute(db)).rows.map((r) => ({ name: r.name, text: /text/i.test(r.type) }))
      : (await sql`select column_name as name, data_type as type from information_schema.columns where table_schema = ${schema} and table_name = ${name} order by ordinal_position`.execute(db)).rows.map((r) => ({ name: r.name, text: /text|char/i.test(r.type) }));
    const suffixed = columns.filter((c) => c.text && c.name !== 'client_id' && /(_id|_key|^key|request_id)$/.test(c.name));
    if (suffixed.length === 0) throw new Error(`table ${name}: no id column to make copies unique`);
    const refs = dialect === 'sqlite'
      ? (await sql.raw(`pragma foreign_key_list("${name}")`).execute(db)).rows.map((r) => r.table)
      : (await sql`select ccu.table_name as ref from information_schema.table_constraints tc join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = ${schema} and tc.table_name = ${name}`.execute(db)).rows.map((r) => r.ref);
    tables.push({ name, count, columns, suffixed, refs: refs.filter((ref) => ref !== name) });
  }
  // Referenced tables first: a copy's foreign keys must find their rows.
  const ordered = [];
  const placed = new Set(skip);
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t.name) && t.refs.every((ref) => placed.has(ref) || !tables.some((u) => u.name === ref)));
    if (ready.length === 0) throw new Error('foreign keys form a cycle');
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

async function seed(dataDir, dialect, schema, copies) {
  // The gateway migrated the store already.
  const db = (await openDatabase(dialect === 'sqlite' ? { dataDir, migrate: false } : { url: PG_URL, schema, dataDir, migrate: false })).db;
  try {
    const tables = await tablesToCopy(db, dialect, schema);
    const chunk = Math.max(1, Math.floor(200_000 / tables.reduce((n, t) => n + t.count, 0)));
    for (let from = 1; from <= copies; from += chunk) {
      const to = Math.min(copies, from + chunk - 1);
      await db.transaction().execute(async (tx) => {
        for (const table of tables) {
          const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
          const exprs = table.columns.map((c) => (table.suffixed.includes(c) ? `t."${c.name}" || '-c' || n.i` : `t."${c.name}"`)).join(', ');
          const original = `t."${table.suffixed[0].name}" not like '%-c%'`;
          const series = dialect === 'sqlite'
            ? `(with recursive s(i) as (select ${from} union all select i + 1 from s where i < ${to}) select i from s) n`
            : `generate_series(${from}, ${to}) as n(i)`;
          await sql.raw(`insert into "${table.name}" (${cols}) select ${exprs} from "${table.name}" t, ${series} where ${original}`).execute(tx);
        }
      });
    }
    if (dialect === 'postgres') await sql`analyze`.execute(db);
    return tables.map((t) => `${t.name} ${t.count * (copies + 1)}`);
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------- the outbox

/** A local merchant endpoint that acknowledges every notification at once, counting them per second. */
async function startReceiver() {
  const perSecond = new Map();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const second = Math.floor(performance.now() / 1_000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      res.setHeader('content-type', 'application/json');
      res.end('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/notify`, perSecond, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function outboxDrain() {
  const receiver = await startReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-outbox-'));
  try {
    let gateway = await startGateway(dataDir, {});
    const paid = await call(gateway, 'payments/pay', { ...JSON.parse(payBody('outbox-template')), paymentNotifyUrl: receiver.url });
    await fetch(`${gateway.url}/sandbox/payments/${paid.paymentId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const templates = [paid.paymentId];
    await new Promise((r) => setTimeout(r, 1_000)); // the template's own notification delivered
    const quiet = await closedLoop(gateway.url, (() => { const q = signed(gateway, 'payments/inquiryPayment', JSON.stringify({ paymentId: templates[0] })); return () => q; })(), (a) => a.result?.resultStatus === 'S');
    await stopGateway(gateway);

    // OUTBOX copies of the delivered notification, due now.
    const db = (await openDatabase({ dataDir, migrate: false })).db;
    try {
      const [template] = (await sql`select * from notifications where resource_id = ${paid.paymentId}`.execute(db)).rows;
      if (template === undefined) throw new Error('the template notification is missing');
      const now = Date.now();
      for (let from = 1; from <= OUTBOX; from += 20_000) {
        const to = Math.min(OUTBOX, from + 19_999);
        await sql.raw(`insert into notifications (notification_id, client_id, notify_type, event_key, resource_id, url, body, status, attempts, next_attempt_at, locked_until, last_error, created_at, updated_at, delivered_at, claimed_by)
          select notification_id || '-c' || n.i, client_id, notify_type, event_key || '-c' || n.i, resource_id, url, body, 'PENDING', 0, ${now}, null, null, created_at, updated_at, null, null
          from notifications, (with recursive s(i) as (select ${from} union all select i + 1 from s where i < ${to}) select i from s) n
          where notification_id = '${template.notification_id}'`).execute(db);
      }
    } finally {
      await db.destroy();
    }

    gateway = await startGateway(dataDir, {});
    const drainStarted = performance.now();
    const q = signed(gateway, 'payments/inquiryPayment', JSON.stringify({ paymentId: templates[0] }));
    const during = await closedLoop(gateway.url, () => q, (a) => a.result?.resultStatus === 'S');
    // Then let it drain, up to 180 s more.
    const delivered = () => [...receiver.perSecond.values()].reduce((a, b) => a + b, 0) - 1;
    const until = performance.now() + 180_000;
    while (delivered() < OUTBOX && performance.now() < until) await new Promise((r) => setTimeout(r, 200));
    const drainS = (performance.now() - drainStarted) / 1_000;
    await stopGateway(gateway);
    const seconds = [...receiver.perSecond.entries()].sort(([a], [b]) => a - b).slice(1, -1).map(([, n]) => n);
    const sorted = [...seconds].sort((a, b) => a - b);
    return { quiet, during, delivered: delivered(), drainS, perSecond: { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0, count: seconds.length } };
  } finally {
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the run

async function templatesOn(gateway) {
  const ids = [];
  for (let n = 0; n < TEMPLATES; n++) {
    // No notify URL: the notifications are recorded (NO_URL) but never due, so copies add rows, not deliveries.
    const paid = await call(gateway, 'payments/pay', JSON.parse(payBody(`large-template-${n}`)));
    if (typeof paid.paymentId !== 'string') throw new Error(`template pay: ${JSON.stringify(paid.result)}`);
    await fetch(`${gateway.url}/sandbox/payments/${paid.paymentId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (n % 3 === 0) {
      const refund = await call(gateway, 'payments/refund', { refundRequestId: `large-refund-${n}`, paymentId: paid.paymentId, refundAmount: { currency: 'USD', value: '300' } });
      if (refund.result?.resultStatus !== 'S') throw new Error(`template refund: ${JSON.stringify(refund.result)}`);
    }
    ids.push(paid.paymentId);
  }
  return ids;
}

async function pgReachable() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const rows = [];
for (const dialect of DIALECTS) {
  if (dialect === 'postgres' && !(await pgReachable())) {
    console.log(`PostgreSQL at ${PG_URL} is not reachable: SKIPPED`);
    continue;
  }
  const payments = dialect === 'postgres' ? PG_PAYMENTS : PAYMENTS;
  const copies = Math.ceil(payments / TEMPLATES) - 1;
  // Two stores: the empty one (its templates and measured requests only), and one seeded from its templates alone.
  const stores = ['empty', 'large'].map((kind) => {
    const schema = dialect === 'postgres' ? `large_${kind}_${Date.now().toString(36)}` : undefined;
    return { kind, dataDir: mkdtempSync(join(tmpdir(), `amsgate-${kind}-`)), schema, env: schema ? { AMSGATE_BENCH_DATABASE_URL: PG_URL, AMSGATE_BENCH_DATABASE_SCHEMA: schema } : {} };
  });
  try {
    const [emptyStore, largeStore] = stores;
    let gateway = await startGateway(emptyStore.dataDir, emptyStore.env);
    const emptyTemplates = await templatesOn(gateway);
    const empty = await measure(gateway, emptyTemplates, 'large-template-3');
    await stopGateway(gateway);

    gateway = await startGateway(largeStore.dataDir, largeStore.env);
    await templatesOn(gateway);
    await stopGateway(gateway);
    const seedStarted = performance.now();
    const seeded = await seed(largeStore.dataDir, dialect, largeStore.schema, copies);
    const seedS = (performance.now() - seedStarted) / 1_000;
    gateway = await startGateway(largeStore.dataDir, largeStore.env);
    const templates = await Promise.all(Array.from({ length: TEMPLATES }, async (_, n) => (await call(gateway, 'payments/inquiryPayment', { paymentRequestId: `large-template-${n}` })).paymentId));
    if (!templates.every((id) => typeof id === 'string')) throw new Error('the seeded store lost its templates');
    const large = await measure(gateway, templates, `large-template-3-c${Math.floor(copies / 2)}`);
    await stopGateway(gateway);
    rows.push({ dialect, payments: (copies + 1) * TEMPLATES, seeded, seedS, empty, large });
  } finally {
    for (const store of stores) {
      rmSync(store.dataDir, { recursive: true, force: true });
      if (store.schema) {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop schema if exists "${store.schema}" cascade`);
        await client.end();
      }
    }
  }
}
const outbox = OUTBOX > 0 ? await outboxDrain() : undefined;
agent.destroy();

const fmt = (x, d = 0) => x.toFixed(d);
for (const r of rows) {
  console.log(`\n${r.dialect}: ${r.payments.toLocaleString('en')} payments seeded in ${fmt(r.seedS, 1)} s (${r.seeded.join(', ')})`);
  console.log('measure'.padEnd(34) + 'empty'.padStart(10) + 'large'.padStart(10) + 'large/empty'.padStart(13) + '  target');
  const line = (name, a, b, unit, target) => console.log(name.padEnd(34) + `${fmt(a, unit === 'ms' ? 1 : 0)}`.padStart(10) + `${fmt(b, unit === 'ms' ? 1 : 0)}`.padStart(10) + fmt(b / a, 3).padStart(13) + `  ${target}`);
  line('inquiryPayment req/s', r.empty.inquiry, r.large.inquiry, 'req/s', `>= 0.90 ${r.large.inquiry / r.empty.inquiry >= 0.9 ? 'ok' : 'MISSED'}`);
  line('pay req/s', r.empty.pay, r.large.pay, 'req/s', `>= 0.90 ${r.large.pay / r.empty.pay >= 0.9 ? 'ok' : 'MISSED'}`);
  line('payment list, first page (ms)', r.empty.listMs, r.large.listMs, 'ms', `< 100 ms ${r.large.listMs < 100 ? 'ok' : 'MISSED'}`);
  line('search by paymentRequestId (ms)', r.empty.searchMs, r.large.searchMs, 'ms', `< 100 ms ${r.large.searchMs < 100 ? 'ok' : 'MISSED'}`);
  line('start to /readyz (ms)', r.empty.startMs, r.large.startMs, 'ms', `< 2000 ms ${r.large.startMs < 2_000 ? 'ok' : 'MISSED'}`);
}
if (outbox) {
  console.log(`\nsqlite outbox: ${OUTBOX.toLocaleString('en')} deliveries due at once to a local receiver; ${outbox.delivered.toLocaleString('en')} delivered in ${fmt(outbox.drainS, 1)} s; ` +
    `per whole second min ${outbox.perSecond.min}, median ${outbox.perSecond.median}, max ${outbox.perSecond.max} (${outbox.perSecond.count} s)`);
  const share = outbox.during / outbox.quiet;
  console.log(`inquiryPayment while draining: ${fmt(outbox.during)} req/s against ${fmt(outbox.quiet)} with nothing due: ${fmt(share, 3)} (target >= 0.80 ${share >= 0.8 ? 'ok' : 'MISSED'})`);
}
console.log('\nthe RSS soak and p99 at half the peak: bench/soak.mjs');
