// A soak at half the peak rate: the gateway (SQLite, its own process) is
// first driven flat out for BENCH_PEAK_MS to find its peak rate, then at
// half of it, open loop (requests sent on a schedule, not when answers come
// back), for BENCH_SOAK_MS (10 minutes). Nine requests in ten are
// inquiryPayment, one in ten a new pay (signed ahead on worker threads), sent
// on raw keep-alive connections (bench/raw-connection.mjs). Printed: the
// p50/p99 latency at half the peak (target p99 < 10 ms), as the client sees
// it and as the gateway does (headers parsed to response finished), and the
// gateway's RSS per minute, the last minute against the first (target:
// flat within ±10 %).
//
// Environment: BENCH_SOAK_MS (600000), BENCH_PEAK_MS (5000), BENCH_GATEWAY_NODE_ARGS (node options for
// the gateway process, e.g. --trace-gc).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { Worker } from 'node:worker_threads';
import { payBody } from './gateway-bench-requests.mjs';
import { RawConnection, serialiseRequest } from './raw-connection.mjs';
import { importPrivateKey, signHeader } from '../packages/protocol/dist/index.js';
import { CREDENTIALS_FILE, recommendedThreadPoolSize } from '../packages/gateway/dist/index.js';

const SOAK_MS = Number(process.env.BENCH_SOAK_MS ?? 600_000);
const PEAK_MS = Number(process.env.BENCH_PEAK_MS ?? 5_000);

const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-soak-'));
// As `amsgate` starts a gateway: one libuv pool thread per core (an explicit UV_THREADPOOL_SIZE wins).
const child = fork(new URL('./large-store-server.mjs', import.meta.url), [dataDir], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(recommendedThreadPoolSize()) },
  execArgv: process.env.BENCH_GATEWAY_NODE_ARGS ? process.env.BENCH_GATEWAY_NODE_ARGS.split(' ') : [],
});
const ready = await new Promise((resolve) => child.on('message', (m) => m?.type === 'ready' && resolve(m)));
const credentials = JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8'));
const key = importPrivateKey(credentials.merchantPrivateKey);

const url = new URL(ready.httpUrl);
const CONTENT_TYPE = 'application/json; charset=UTF-8';
const serialise = (path, body, time, signature) => serialiseRequest(url, path, { 'Content-Type': CONTENT_TYPE, 'client-id': credentials.clientId, 'request-time': time, signature }, body);

function signed(endpoint, body) {
  const path = `/ams/api/v1/${endpoint}`;
  const bytes = Buffer.from(body);
  const time = String(Date.now());
  return serialise(path, bytes, time, signHeader({ uri: path, clientId: credentials.clientId, time, body: bytes }, key, 1));
}

// The load generator shares the cores with the gateway, so it writes pre-serialised requests on raw keep-alive
// connections (bench/raw-connection.mjs), one request at a time on each; a request due while all are busy waits
// for the first free one, and that wait counts in its latency (open loop).
const CONNECTIONS = 64;
const connections = Array.from({ length: CONNECTIONS }, () => new RawConnection(url));
await Promise.all(connections.map((c) => c.open()));
const idle = [...connections];
const waiting = [];
function send(raw) {
  return new Promise((resolve, reject) => {
    const job = { raw, resolve, reject };
    // First in, first out: every connection is used in turn, so none sits idle into the server's keep-alive timeout.
    const connection = idle.shift();
    if (connection) run(connection, job);
    else waiting.push(job);
  });
}
function run(connection, job) {
  connection.send(job.raw, (error, status, body) => {
    const nextJob = waiting.shift();
    if (nextJob) run(connection, nextJob);
    else idle.push(connection);
    if (error) job.reject(error);
    else if (status !== 200) job.reject(new Error(`HTTP ${status}`));
    else job.resolve(JSON.parse(body.toString('utf8')));
  });
}

/** Asks the gateway process for a report of `type` ('rss', 'latency'). */
const ask = (type, extra = {}) =>
  new Promise((resolve) => {
    const onMessage = (m) => {
      if (m?.type !== type) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send({ type, ...extra });
  });
const rss = () => ask('rss');

// Pays are signed ahead, on two worker threads (bench/gateway-bench-signer.mjs), as the throughput bench does: an RSA
// signature on this loop (about 1 ms on a slow-signing host) would hold up the timing of every answer behind it.
// Request times are not checked for freshness by default, so a request signed early is answered as any other.
const signers = Array.from({ length: 2 }, () => new Worker(new URL('./gateway-bench-signer.mjs', import.meta.url), { workerData: { privateKeyBase64: credentials.merchantPrivateKey } }));
let presignedFrom = 0;
async function presignPays(count) {
  const perSigner = Math.ceil(count / signers.length);
  const batches = await Promise.all(
    signers.map((worker, i) => new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ cmd: 'presign', clientId: credentials.clientId, keyVersion: 1, uri: '/ams/api/v1/payments/pay', idPrefix: `soak-${process.pid}`, from: presignedFrom + i * perSigner, count: perSigner });
    })),
  );
  presignedFrom += perSigner * signers.length;
  return batches.flatMap((batch) => batch.requests).map((r) => serialise('/ams/api/v1/payments/pay', Buffer.from(r.body), r.time, r.signature));
}
let presigned = await presignPays(2_000);
let signedInline = 0;
let payCount = 0;
const newPay = () => {
  payCount++;
  const ready = presigned.pop();
  if (ready !== undefined) return ready;
  signedInline++;
  return signed('payments/pay', payBody(`soak-${process.pid}-inline-${payCount}`));
};
const first = await send(newPay());
const inquiryRequest = signed('payments/inquiryPayment', JSON.stringify({ paymentId: first.paymentId }));
let n = 0;
const next = () => (++n % 10 === 0 ? newPay() : inquiryRequest);
const ok = (answer) => answer.result?.resultStatus === 'S' || answer.result?.resultCode === 'PAYMENT_IN_PROCESS';

// Peak: a closed loop of 32.
let peakDone = 0;
const peakUntil = performance.now() + PEAK_MS;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (performance.now() < peakUntil) {
      if (!ok(await send(next()))) throw new Error('a request was answered otherwise than expected');
      peakDone++;
    }
  }),
);
const peak = peakDone / (PEAK_MS / 1_000);
const rate = peak / 2;
// Enough for the whole soak (one request in ten is a pay), plus a tenth.
presigned = await presignPays(Math.ceil(((rate * SOAK_MS) / 1_000 / 10) * 1.1) + 100);
await Promise.all(signers.map((worker) => worker.terminate()));

// Soak: open loop at half the peak, requests due every millisecond sent then (a coarser tick sends bursts, whose
// queueing the latency figures would then show).
const latencies = [];
let rssByMinute = [];
let failed = 0;
let sent = 0;
// The gateway's own latency figures count from here.
await ask('latency', { reset: true });
const started = performance.now();
const inFlight = new Set();
let nextRss = started;
while (performance.now() - started < SOAK_MS) {
  const due = Math.floor(((performance.now() - started) / 1_000) * rate);
  while (sent < due) {
    sent++;
    const request = next();
    const at = performance.now();
    const p = send(request).then(
      (answer) => {
        if (ok(answer)) latencies.push(performance.now() - at);
        else failed++;
      },
      () => failed++,
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  if (performance.now() >= nextRss) {
    rssByMinute.push(await rss());
    nextRss += 60_000;
  }
  await new Promise((r) => setTimeout(r, 1));
}
await Promise.all([...inFlight]);
rssByMinute.push(await rss());
const gatewaySide = await ask('latency');
child.send({ type: 'close' });
await new Promise((resolve) => child.once('exit', resolve));
for (const connection of connections) connection.close();
rmSync(dataDir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
const mb = (b) => (b / 1024 / 1024).toFixed(1);
const memory = rssByMinute;
rssByMinute = memory.map((m) => m.rssBytes);
const p99 = pct(0.99);
// The first sample is taken before any soak traffic: the first minute's is the reference.
const reference = rssByMinute[1] ?? rssByMinute[0];
const last = rssByMinute.at(-1);
const drift = last / reference - 1;
console.log(`peak (closed loop of 32, ${PEAK_MS} ms): ${peak.toFixed(0)} req/s; soak at ${rate.toFixed(0)} req/s for ${(SOAK_MS / 1_000).toFixed(0)} s, ${sent} requests (${payCount} pays${signedInline > 0 ? `, ${signedInline} of them signed as sent: the pre-signed ones ran out` : ''}), ${failed} failed`);
console.log(`latency at half the peak: p50 ${pct(0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target < 10 ms ${p99 < 10 ? 'ok' : 'MISSED'})`);
const ms = (x) => x.toFixed(2);
const { served, loopDelay } = gatewaySide;
console.log(
  `  inside the gateway (headers parsed to response finished, ${served.count} requests): p50 ${ms(served.p50)} ms, p99 ${ms(served.p99)} ms, p99.9 ${ms(served.p999)} ms, max ${ms(served.max)} ms; ` +
    `its event loop's delay: p50 ${ms(loopDelay.p50)} ms, p99 ${ms(loopDelay.p99)} ms, max ${ms(loopDelay.max)} ms. The rest of the client's figure is the load generator's (on the same cores) and the sockets'.`,
);
console.log(`gateway RSS per minute (MiB): ${rssByMinute.map(mb).join(', ')}`);
console.log(`  of it the JavaScript heap in use (MiB): ${memory.map((m) => mb(m.heapUsedBytes)).join(', ')}`);
console.log(`  RSS less the heap's reserved size and external buffers (MiB; native: SQLite's page cache, code, stacks): ${memory.map((m) => mb(m.rssBytes - m.heapTotalBytes - m.externalBytes)).join(', ')}`);
// SQLite's page cache (64 MiB by default) fills as the database grows, then stays: the second half shows whether anything else grows.
const middle = rssByMinute[Math.floor((rssByMinute.length - 1) / 2)];
console.log(`RSS last against the soak's middle (minute ${Math.floor((rssByMinute.length - 1) / 2)}): ${((last / middle - 1) * 100).toFixed(1)}% (information: the page cache is bounded, so a leak shows here once it is full)`);
console.log(`RSS last against the first soak minute: ${(drift * 100).toFixed(1)}% (target within ±10% ${Math.abs(drift) <= 0.1 ? 'ok' : 'MISSED'})`);
if (failed > 0) process.exitCode = 1;
