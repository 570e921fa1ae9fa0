// @amsgate/client per-call overhead: client-side CPU per call of
// `client.inquiryPayment()` (serialise, sign on the thread pool, fetch,
// read, verify the response signature, parse, classify) against a bare
// `fetch` + `signHeader` of the same request (serialise, sign, fetch, read
// the text; no verification), measured in the same run, interleaved round
// by round.
//
// - The answering server runs in a forked process (this file with
//   `--server`), so only the client's CPU is counted: process.cpuUsage()
//   covers every thread of this process, libuv's signing threads included.
// - The server answers with one pre-signed inquiry response (valid for the
//   request path), so its work per request is tiny and constant.
// - Calls are sequential over the platform fetch's keep-alive pool, the
//   same for both sides.
// - Target: SDK CPU per call <= 1.10 x the bare call's (the bare call is
//   mostly the RSA signature; the SDK adds verification and bookkeeping).
//   A miss is printed as MISSED, not turned into a failure: the machine is
//   shared and noisy.
//
// - Short rounds (BENCH_CALLS calls a side), many of them, the side that
//   goes first alternating: other work on a shared machine shifts the CPU
//   cost of a call by tens of percent within seconds, so both sides must
//   sample the same moments. The ratio reported is total SDK CPU over total
//   bare CPU across all rounds; the quartiles of the per-round ratios are
//   printed beside it to show the spread.
//
// - For information, a third side interleaved with the other two: the bare
//   call with what the SDK may not leave out (a per-attempt timeout through
//   an AbortSignal, redirects not followed, the body read as bytes for an
//   exact verification, the response signature verified, the JSON parsed).
//   Its ratio to bare is the floor any conforming client starts from; the
//   SDK's own code is what lies between it and the SDK side.
//
// Environment: BENCH_ROUNDS (200), BENCH_CALLS (25 per side per round).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { importPrivateKey, importPublicKey, signHeader, verifyHeader } from '../packages/protocol/dist/index.js';
import { AntomClient } from '../packages/client/dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const CALLS = Number(process.env.BENCH_CALLS ?? 25);
const WARMUP_CALLS = 1_500;
const TARGET_RATIO = 1.1;

const URI = '/ams/api/v1/payments/inquiryPayment';
const CLIENT_ID = '5YEXAMPLE000001';
const RESPONSE_TIME = '2026-03-01T12:00:00+08:00';
const vectors = JSON.parse(readFileSync(new URL('../packages/protocol/test/fixtures/signature-vectors.json', import.meta.url), 'utf8'));
const { merchant_v1: merchant, server_v1: server } = vectors.keys;

if (process.argv[2] === '--server') {
  const body = JSON.stringify({
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    paymentStatus: 'PROCESSING',
    paymentRequestId: 'pay-20260301-0001',
    paymentId: 'PAY20260301000000000000000000001',
    paymentAmount: { currency: 'USD', value: '1000' },
    paymentCreateTime: '2026-03-01T12:00:00+08:00',
    paymentMethodType: 'ALIPAY_CN',
    transactions: [],
  });
  const headers = {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': CLIENT_ID,
    'response-time': RESPONSE_TIME,
    signature: signHeader({ uri: URI, clientId: CLIENT_ID, time: RESPONSE_TIME, body }, importPrivateKey(server.privateKeyPkcs8Base64), 1),
  };
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, headers).end(body));
  });
  srv.keepAliveTimeout = 60_000;
  srv.listen(0, '127.0.0.1', () => process.send?.({ port: srv.address().port }));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message.port));
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const privateKey = importPrivateKey(merchant.privateKeyPkcs8Base64);
    const antomPublicKey = importPublicKey(server.publicKeyBase64);
    const client = new AntomClient({ clientId: CLIENT_ID, privateKey, antomPublicKey, baseUrl, maxRetries: 0 });
    const request = { paymentRequestId: 'pay-20260301-0001', merchantAccountId: '21881200000001' };

    const sdkCall = async () => {
      const answer = await client.inquiryPayment(request);
      if (answer.resultStatus !== 'S' || answer.signature !== 'verified') throw new Error(`SDK call: ${answer.result.resultCode}`);
    };
    const bareCall = async () => {
      const body = JSON.stringify(request);
      const time = String(Date.now());
      const signature = signHeader({ uri: URI, clientId: CLIENT_ID, time, body }, privateKey, 1);
      const response = await fetch(`${baseUrl}${URI}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': CLIENT_ID, 'request-time': time, signature },
        body,
      });
      if (response.status !== 200) throw new Error(`bare call: HTTP ${response.status}`);
      await response.text();
    };

    const requiredCall = async () => {
      const body = JSON.stringify(request);
      const time = String(Date.now());
      const signature = signHeader({ uri: URI, clientId: CLIENT_ID, time, body }, privateKey, 1);
      const controller = new globalThis.AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const response = await fetch(`${baseUrl}${URI}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': CLIENT_ID, 'request-time': time, signature },
          body,
          signal: controller.signal,
          redirect: 'manual',
        });
        if (response.status !== 200) throw new Error(`required call: HTTP ${response.status}`);
        const raw = Buffer.from(await response.arrayBuffer());
        const checked = verifyHeader({ uri: URI, clientId: CLIENT_ID, time: response.headers.get('response-time'), body: raw }, response.headers.get('signature'), antomPublicKey);
        if (!checked.ok) throw new Error(`required call: ${checked.message}`);
        JSON.parse(raw.toString('utf8'));
      } finally {
        clearTimeout(timer);
      }
    };

    // Sanity: the bare side's answer is what the SDK verifies.
    const probe = await fetch(`${baseUrl}${URI}`, { method: 'POST', body: '{}' });
    const probeBody = await probe.text();
    const probeCheck = verifyHeader({ uri: URI, clientId: CLIENT_ID, time: probe.headers.get('response-time'), body: probeBody }, probe.headers.get('signature'), antomPublicKey);
    if (!probeCheck.ok) throw new Error(`bench server answer does not verify: ${probeCheck.message}`);

    // Long enough for the JIT to settle both paths (shorter warm-ups left the first rounds ~50% off).
    await cpuPerCall(sdkCall, WARMUP_CALLS);
    await cpuPerCall(bareCall, WARMUP_CALLS);
    await cpuPerCall(requiredCall, WARMUP_CALLS);
    const sdk = [];
    const bare = [];
    const required = [];
    const ratios = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order of the sides.
      const order = round % 2 === 0 ? ['sdk', 'bare', 'required'] : ['required', 'bare', 'sdk'];
      const measured = {};
      for (const side of order) measured[side] = await cpuPerCall({ sdk: sdkCall, bare: bareCall, required: requiredCall }[side], CALLS);
      sdk.push(measured.sdk);
      bare.push(measured.bare);
      required.push(measured.required);
      ratios.push(measured.sdk / measured.bare);
    }
    const signOnly = syncCpuPerCall(() => signHeader({ uri: URI, clientId: CLIENT_ID, time: String(Date.now()), body: JSON.stringify(request) }, privateKey, 1), 300);
    const verifyOnly = syncCpuPerCall(
      () => verifyHeader({ uri: URI, clientId: CLIENT_ID, time: probe.headers.get('response-time'), body: probeBody }, probe.headers.get('signature'), antomPublicKey),
      2_000,
    );

    const sdkUs = sdk.reduce((a, b) => a + b, 0) / sdk.length;
    const requiredUs = required.reduce((a, b) => a + b, 0) / required.length;
    const bareUs = bare.reduce((a, b) => a + b, 0) / bare.length;
    const ratio = sdkUs / bareUs;
    console.log(`@amsgate/client vs bare fetch + sign, ${ROUNDS} interleaved rounds of ${CALLS} sequential calls, client CPU per call (means over all rounds), node ${process.version}`);
    console.log('side'.padEnd(54) + 'CPU µs/call'.padStart(12));
    console.log('bare: JSON.stringify + signHeader + fetch + text()'.padEnd(54) + bareUs.toFixed(1).padStart(12));
    console.log('SDK: client.inquiryPayment() (sign, fetch, verify, parse)'.padEnd(54) + sdkUs.toFixed(1).padStart(12));
    console.log('bare + required: timeout, no redirect, verify, parse'.padEnd(54) + requiredUs.toFixed(1).padStart(12));
    console.log('  for scale: signHeader alone'.padEnd(54) + signOnly.toFixed(1).padStart(12));
    console.log('  for scale: verifyHeader alone (part of the SDK side)'.padEnd(54) + verifyOnly.toFixed(1).padStart(12));
    const overhead = (ratio - 1) * 100;
    const ok = ratio <= TARGET_RATIO;
    console.log(`SDK extra CPU per call: ${(sdkUs - bareUs).toFixed(1)} µs, of which verifying the response signature (required) ~${verifyOnly.toFixed(1)} µs`);
    console.log(`for information: (bare + required) / bare ${(requiredUs / bareUs).toFixed(3)}; SDK / (bare + required) ${(sdkUs / requiredUs).toFixed(3)} (the SDK's own code)`);
    console.log(`SDK / bare: ${ratio.toFixed(3)} (overhead ${overhead.toFixed(1)}%; per-round ratios p25/p50/p75 ${quartiles(ratios).map((q) => q.toFixed(2)).join('/')})  target <= ${TARGET_RATIO} ${ok ? 'ok' : 'MISSED'}`);
  } finally {
    child.disconnect();
  }
}

async function cpuPerCall(fn, calls) {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function syncCpuPerCall(fn, calls) {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function quartiles(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  return [0.25, 0.5, 0.75].map((q) => sorted[Math.floor((sorted.length - 1) * q)]);
}
