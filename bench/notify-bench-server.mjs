// The gateway side of bench/notify-delivery.mjs, in its own process: serves
// the data directory given as argv[2] with the notification worker on, and
// reports over IPC when it is ready.
import { Gateway } from '../packages/gateway/dist/index.js';

const gateway = await Gateway.open({ dataDir: process.argv[2], port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0, notifyPollIntervalMs: 5 });
await gateway.start();
process.send({ type: 'ready', threadpoolSize: process.env.UV_THREADPOOL_SIZE });
process.on('message', async (message) => {
  if (message?.type !== 'close') return;
  await gateway.close();
  process.send({ type: 'closed', cpu: process.cpuUsage() });
  process.disconnect();
});
