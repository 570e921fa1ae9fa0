// The gateway side of bench/gateway-pay-inquiry.mjs, run as its own process
// (child_process.fork) so that its CPU use is separate from the load
// generator's. Opens a gateway on the data directory given as argv[2] with
// the embedded default store (SQLite, WAL, synchronous=FULL), creates a
// sandbox client and reports the URL and credentials over IPC.
//
// IPC messages from the parent:
//   { type: 'snapshot', id }  -> { type: 'snapshot', id, ... } CPU so far:
//                                process.cpuUsage(), the main thread's event
//                                loop utilisation, and per-thread time on
//                                CPU and waiting for one (/proc schedstat).
//   { type: 'close' }         -> closes the gateway, answers { type: 'closed' }
//                                and exits once the event loop is empty (so
//                                that --cpu-prof can write its profile).
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { sql } from 'kysely';
import { Gateway, HELPER_THREAD_NICE, lowerHelperThreadPriority } from '../packages/gateway/dist/index.js';
import { threadTimes } from './thread-times.mjs';

const dataDir = process.argv[2];
if (!dataDir || !process.send) {
  console.error('usage: forked by bench/gateway-pay-inquiry.mjs with the data directory as its argument');
  process.exit(2);
}

// AMSGATE_BENCH_DATABASE_URL (+ _SCHEMA): PostgreSQL instead of the embedded SQLite.
const databaseUrl = process.env.AMSGATE_BENCH_DATABASE_URL;
const gateway = await Gateway.open({
  // BENCH_GATEWAY_MODE=gateway: the production mode (no request log, no sandbox scenarios or triggers).
  dataDir, port: 0, httpsPort: null, logger: false, mode: process.env.BENCH_GATEWAY_MODE === 'gateway' ? 'gateway' : 'sandbox', sweepIntervalMs: 0,
  ...(databaseUrl ? { databaseUrl, databaseSchema: process.env.AMSGATE_BENCH_DATABASE_SCHEMA } : {}),
});
let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  try {
    await gateway.close();
  } finally {
    if (process.connected) {
      process.send({ type: 'closed' });
      process.disconnect();
    }
    // Everything should be closed now; do not hang if something is not.
    setTimeout(() => process.exit(0), 2_000).unref();
  }
}

try {
  const started = await gateway.start();
  // As `amsgate serve` does; BENCH_HELPER_NICE=0 measures the gateway without it.
  const helperNice = Number(process.env.BENCH_HELPER_NICE ?? HELPER_THREAD_NICE);
  const loweredThreads = lowerHelperThreadPriority(helperNice);
  const created = await gateway.clients.create({ sandbox: true });
  // What the store really runs with (the report prints it).
  const pragma = async (name) => Object.values((await sql.raw(`pragma ${name}`).execute(gateway.database.db)).rows[0] ?? {})[0];
  const storeSettings = gateway.database.dialect === 'sqlite'
    ? `journal_mode=${await pragma('journal_mode')}, synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(await pragma('synchronous'))] ?? '?'}`
    : gateway.database.dialect;
  process.on('message', (message) => {
    if (message?.type === 'snapshot') {
      process.send({
        type: 'snapshot',
        id: message.id,
        atMs: performance.now(),
        cpu: process.cpuUsage(),
        elu: performance.eventLoopUtilization(),
        threads: threadTimes(),
        pid: process.pid,
      });
    } else if (message?.type === 'close') {
      void close();
    }
  });
  // The parent went away (killed, crashed): do not linger.
  process.on('disconnect', () => void close());
  process.send({
    type: 'ready',
    pid: process.pid,
    httpUrl: started.httpUrl,
    clientId: created.client.clientId,
    keyVersion: created.keyVersion,
    merchantPrivateKey: created.merchantPrivateKey,
    gatewayPublicKey: created.client.gatewayPublicKey,
    database: gateway.database.description,
    storeSettings,
    threadpoolSize: process.env.UV_THREADPOOL_SIZE,
    helperNice: loweredThreads > 0 ? helperNice : 0,
  });
} catch (error) {
  console.error('bench gateway failed to start:', error);
  await close();
  process.exitCode = 1;
}
