// The gateway side of bench/large-store.mjs: a sandbox gateway on the data
// directory given as argv[2] (PostgreSQL when AMSGATE_BENCH_DATABASE_URL
// and _SCHEMA are set), reporting over IPC when it listens; answers
// { type: 'rss' } with its resident set size and heap figures; closes on
// { type: 'close' }. Started as `amsgate serve` starts a gateway: the parent
// sets UV_THREADPOOL_SIZE, and helper threads yield to the JavaScript thread.
import { Gateway, lowerHelperThreadPriority } from '../packages/gateway/dist/index.js';

const url = process.env.AMSGATE_BENCH_DATABASE_URL;
const gateway = await Gateway.open({
  dataDir: process.argv[2],
  port: 0,
  httpsPort: null,
  logger: false,
  mode: 'sandbox',
  sweepIntervalMs: 0,
  ...(url ? { databaseUrl: url, databaseSchema: process.env.AMSGATE_BENCH_DATABASE_SCHEMA } : {}),
});
const started = await gateway.start();
lowerHelperThreadPriority();
process.on('message', async (message) => {
  if (message?.type === 'rss') {
    const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
    process.send({ type: 'rss', rssBytes: rss, heapTotalBytes: heapTotal, heapUsedBytes: heapUsed, externalBytes: external });
  }
  if (message?.type !== 'close') return;
  await gateway.close();
  process.send({ type: 'closed' });
  process.disconnect();
});
process.send({ type: 'ready', httpUrl: started.httpUrl, rssBytes: process.memoryUsage().rss });
