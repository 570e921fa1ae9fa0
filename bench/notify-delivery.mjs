// Notification delivery throughput: N notifications already in the outbox,
// delivered by a gateway process (its own process, pool as `amsgate serve`
// sizes it) to a local receiver that acknowledges at once, next to the RSA
// sign rate measured in the same run (every delivery is signed; the pool
// thread count bounds how many signs run at once).
//
// Environment: BENCH_NOTIFICATIONS (3000).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { sign as rawSign, generateKeyPairSync } from 'node:crypto';
import { Gateway, recommendedThreadPoolSize } from '../packages/gateway/dist/index.js';

const COUNT = Number(process.env.BENCH_NOTIFICATIONS ?? 3000);
const ACK = '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';
const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-notify-bench-'));
let child;

function signRate(ms) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const content = Buffer.alloc(600, 1);
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    rawSign('sha256', content, privateKey);
    n++;
  }
  return (n * 1000) / ms;
}

async function main() {
  // The receiver: counts and acknowledges.
  let received = 0;
  let firstAt;
  let allReceived;
  const done = new Promise((resolve) => (allReceived = resolve));
  const receiver = createServer((req, res) => {
    firstAt ??= performance.now();
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(ACK);
      if (++received === COUNT) allReceived();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const notifyUrl = `http://127.0.0.1:${receiver.address().port}/antom/notify`;

  // Fill the outbox: COUNT completed payments, each with its notification.
  const setup = await Gateway.open({ dataDir, port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, notifyDispatch: false });
  await setup.start();
  const client = await setup.clients.create({ sandbox: true });
  const body = (i) => ({
    productCode: 'CASHIER_PAYMENT', paymentRequestId: `bench-${i}`, paymentAmount: { currency: 'USD', value: '1000' },
    order: { referenceOrderId: `o-${i}`, orderDescription: 'Bench order', orderAmount: { currency: 'USD', value: '1000' } },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' }, paymentRedirectUrl: 'https://merchant.example/return', paymentNotifyUrl: notifyUrl, env: { terminalType: 'WEB' },
  });
  await Promise.all(Array.from({ length: COUNT }, async (_, i) => {
    const answer = await setup.run('payments/pay', client.client.clientId, body(i));
    await setup.payments.complete(answer.paymentId, { kind: 'success' });
  }));
  await setup.close();

  const signBefore = signRate(1000);
  const threadpool = process.env.UV_THREADPOOL_SIZE ?? String(recommendedThreadPoolSize());
  child = fork(new URL('./notify-bench-server.mjs', import.meta.url), [dataDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, UV_THREADPOOL_SIZE: threadpool },
  });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code})`)));
    child.once('message', resolve);
  });
  const timeout = setTimeout(() => {
    console.error(`only ${received} of ${COUNT} notifications arrived within 120 s`);
    process.exit(1);
  }, 120_000);
  await done;
  // From the first delivery's arrival to the last one's: the gateway's start-up is not counted.
  const elapsed = performance.now() - firstAt;
  clearTimeout(timeout);
  const closed = new Promise((resolve) => child.on('message', (m) => m?.type === 'closed' && resolve(m)));
  child.send({ type: 'close' });
  const { cpu } = await closed;
  receiver.close();
  const signAfter = signRate(1000);
  const sign1 = Math.max(signBefore, signAfter);
  const rate = (COUNT * 1000) / elapsed;
  const gatewayCpuMs = (cpu.user + cpu.system) / 1000;

  console.log(`\namsgate notification delivery: ${COUNT} notifications from the outbox to a local receiver that acknowledges at once; node ${process.version}`);
  console.log(`gateway: own process, libuv pool ${threadpool} thread(s), at most 16 deliveries in flight, a new connection per delivery; timed from the first arrival to the last`);
  console.log('operation'.padEnd(40) + 'per second'.padStart(12) + '   ratio to the 1-core sign rate');
  console.log('RSA-2048 sign, 1 core'.padEnd(40) + sign1.toFixed(0).padStart(12) + '   1.000 (best of before/after)');
  console.log('notifications delivered'.padEnd(40) + rate.toFixed(0).padStart(12) + `   ${(rate / sign1).toFixed(3)}`);
  console.log(`gateway CPU per delivery: ${((gatewayCpuMs * 1000) / COUNT).toFixed(0)} µs (signing alone ≈ ${(1e6 / sign1).toFixed(0)} µs)`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  child?.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
