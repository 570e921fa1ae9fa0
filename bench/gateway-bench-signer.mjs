// Worker thread for bench/gateway-pay-inquiry.mjs: measures the RSA-2048
// sign rate of one core, and pre-signs pay requests before a measured phase
// so that the load generator does no RSA work while the clock runs.
//
// Messages:
//   { cmd: 'rate', content, until }  -> { n, ms }: crypto.sign (synchronous,
//       this thread only) over `content` until Date.now() >= until.
//   { cmd: 'presign', clientId, keyVersion, uri, idPrefix, from, count, paymentIds?, privateKeyBase64? }
//       -> { requests: [{ body, time, signature, paymentRequestId }] }: pay
//       requests, or with paymentIds refunds of 1 minor unit of those payments;
//       signed with privateKeyBase64 when given (another gateway's client).
import { sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { importPrivateKey, signHeader } from '../packages/protocol/dist/index.js';
import { payBody } from './gateway-bench-requests.mjs';

const privateKey = importPrivateKey(workerData.privateKeyBase64);

parentPort.on('message', (message) => {
  if (message.cmd === 'rate') {
    const content = Buffer.from(message.content);
    let n = 0;
    const start = performance.now();
    while (Date.now() < message.until) {
      for (let i = 0; i < 4; i++) sign('sha256', content, privateKey);
      n += 4;
    }
    parentPort.postMessage({ n, ms: performance.now() - start });
  } else if (message.cmd === 'presign') {
    const requests = [];
    const key = message.privateKeyBase64 ? importPrivateKey(message.privateKeyBase64) : privateKey;
    for (let i = message.from; i < message.from + message.count; i++) {
      const paymentRequestId = `${message.idPrefix}-${i}`;
      // Refunds: one minor unit of one of the given (paid) payments each.
      const body = message.paymentIds
        ? JSON.stringify({ refundRequestId: paymentRequestId, paymentId: message.paymentIds[i % message.paymentIds.length], refundAmount: { currency: 'USD', value: '1' } })
        : payBody(paymentRequestId);
      const time = String(Date.now());
      const signature = signHeader({ uri: message.uri, clientId: message.clientId, time, body: Buffer.from(body, 'utf8') }, key, message.keyVersion);
      requests.push({ body, time, signature, paymentRequestId });
    }
    parentPort.postMessage({ requests });
  }
});
