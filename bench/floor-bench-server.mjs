// The floor for bench/gateway-pay-inquiry.mjs: a bare node:http server that
// does only what no AMS server can skip (read the request, verify its
// signature, parse the JSON, sign the response on libuv's pool, answer) and
// nothing else: no framework, no validation, no database (payments live in
// a Map). Driven by the same load generator in the same run, its inquiry
// rate is the most this machine allows an AMS server written on node:http;
// the gateway's rate divided by it is the share the gateway's own work leaves.
//
// Same IPC as bench/gateway-bench-server.mjs: 'ready' with the URL and
// credentials, 'snapshot' with CPU figures, 'close'.
import { createVerify, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { lowerHelperThreadPriority } from '../packages/gateway/dist/index.js';
import { threadTimes } from './thread-times.mjs';

if (!process.send) {
  console.error('usage: forked by bench/gateway-pay-inquiry.mjs');
  process.exit(2);
}

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientId = 'SANDBOX_FLOOR_BENCH_CLIENT';
const payments = new Map();
const SIGNATURE_VALUE = /(?:^|,)\s*signature=([^,\s]+)/;

function answerFor(uri, request, verified) {
  if (!verified) return { result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'invalid signature' } };
  if (uri.endsWith('/payments/pay')) {
    const paymentId = `PAY${randomUUID().replaceAll('-', '')}`;
    const payment = { paymentId, paymentRequestId: request.paymentRequestId, paymentAmount: request.paymentAmount, createdAt: new Date().toISOString() };
    payments.set(paymentId, payment);
    return {
      result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' },
      paymentId, paymentRequestId: payment.paymentRequestId, paymentAmount: payment.paymentAmount, paymentCreateTime: payment.createdAt,
      normalUrl: `http://127.0.0.1/checkout/${paymentId}`,
      redirectActionForm: { method: 'GET', redirectUrl: `http://127.0.0.1/checkout/${paymentId}`, actionFormType: 'RedirectActionForm' },
    };
  }
  if (uri.endsWith('/payments/inquiryPayment')) {
    const payment = payments.get(request.paymentId);
    if (!payment) return { result: { resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F', resultMessage: 'order not exist' } };
    return {
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
      paymentStatus: 'PROCESSING', paymentResultCode: 'PAYMENT_IN_PROCESS', paymentResultMessage: 'payment in process',
      paymentRequestId: payment.paymentRequestId, paymentId: payment.paymentId, paymentAmount: payment.paymentAmount,
      paymentCreateTime: payment.createdAt, paymentMethodType: 'ALIPAY_CN',
      redirectActionForm: { method: 'GET', redirectUrl: `http://127.0.0.1/checkout/${payment.paymentId}`, actionFormType: 'RedirectActionForm' },
      transactions: [],
    };
  }
  return { result: { resultCode: 'NO_INTERFACE_DEF', resultStatus: 'F', resultMessage: 'not in the floor server' } };
}

const httpServer = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const uri = req.url;
    const signature = SIGNATURE_VALUE.exec(req.headers.signature ?? '')?.[1];
    const verifier = createVerify('sha256');
    verifier.update(`POST ${uri}\n${req.headers['client-id']}.${req.headers['request-time']}.`);
    verifier.update(body);
    const verified = signature !== undefined && verifier.verify(merchant.publicKey, Buffer.from(decodeURIComponent(signature), 'base64'));
    const text = JSON.stringify(answerFor(uri, JSON.parse(body.toString('utf8')), verified));
    const responseTime = new Date().toISOString();
    sign('sha256', Buffer.from(`POST ${uri}\n${clientId}.${responseTime}.${text}`, 'utf8'), server.privateKey, (error, signed) => {
      if (error) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(text),
        'client-id': clientId,
        'response-time': responseTime,
        signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signed.toString('base64'))}`,
      });
      res.end(text);
    });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  // The floor may lower its helper threads as the gateway does (BENCH_HELPER_NICE), so that the best floor has every advantage the gateway has.
  const helperNice = Number(process.env.BENCH_HELPER_NICE ?? 0);
  const loweredThreads = lowerHelperThreadPriority(helperNice);
  process.on('message', (message) => {
    if (message?.type === 'snapshot') {
      process.send({ type: 'snapshot', id: message.id, atMs: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), threads: threadTimes(), pid: process.pid });
    } else if (message?.type === 'close') {
      httpServer.close();
      httpServer.closeAllConnections();
      process.send({ type: 'closed' });
      process.disconnect();
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({
    type: 'ready',
    pid: process.pid,
    httpUrl: `http://127.0.0.1:${httpServer.address().port}`,
    clientId,
    keyVersion: 1,
    merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    gatewayPublicKey: server.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    database: 'none (payments in a Map)',
    storeSettings: 'floor',
    threadpoolSize: process.env.UV_THREADPOOL_SIZE,
    helperNice: loweredThreads > 0 ? helperNice : 0,
  });
});
