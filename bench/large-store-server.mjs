// The gateway side of bench/large-store.mjs: a sandbox gateway on the data
// directory given as argv[2] (PostgreSQL when AMSGATE_BENCH_DATABASE_URL
// and _SCHEMA are set), reporting over IPC when it listens; answers
// { type: 'rss' } with its resident set size and heap figures; closes on
// { type: 'close' }. Started as `amsgate serve` starts a gateway: the parent
// sets UV_THREADPOOL_SIZE, and helper threads yield to the JavaScript thread.
// { type: 'latency', reset } answers the gateway's own view of the requests
// since the last reset: from the request's headers parsed to its response
// finished (node's http diagnostics channels), and the event loop's delay.
import { subscribe } from 'node:diagnostics_channel';
import { createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Gateway, lowerHelperThreadPriority } from '../packages/gateway/dist/index.js';

let served = createHistogram();
const startedAt = new WeakMap();
subscribe('http.server.request.start', ({ request }) => startedAt.set(request, performance.now()));
subscribe('http.server.response.finish', ({ request }) => {
  const at = startedAt.get(request);
  if (at !== undefined) served.record(Math.max(1, Math.round((performance.now() - at) * 1e3)));
});
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const percentiles = (h, unitPerMs) => ({
  count: h.count,
  p50: h.percentile(50) / unitPerMs,
  p99: h.percentile(99) / unitPerMs,
  p999: h.percentile(99.9) / unitPerMs,
  max: h.max / unitPerMs,
});

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
  if (message?.type === 'latency') {
    // Served in µs, the loop's delay in ns; both reported in ms.
    process.send({ type: 'latency', served: percentiles(served, 1e3), loopDelay: percentiles(loopDelay, 1e6) });
    if (message.reset) {
      served = createHistogram();
      loopDelay.reset();
    }
  }
  if (message?.type !== 'close') return;
  await gateway.close();
  process.send({ type: 'closed' });
  process.disconnect();
});
process.send({ type: 'ready', httpUrl: started.httpUrl, rssBytes: process.memoryUsage().rss });
