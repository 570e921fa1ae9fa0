// Screenshots of the sandbox's main pages for the README (docs/screenshots/).
// Starts a gateway in a temporary data directory, makes a few payments (one
// paid, one declined, one pending, a refund, a request with a wrong
// signature, a notification that fails), then photographs the pages in
// headless Debian Chromium. Run after `npm run build`: `npm run screenshots`.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Gateway } from '../packages/gateway/dist/index.js';
import { importPrivateKey, signHeader } from '../packages/protocol/dist/index.js';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

const gateway = await Gateway.open({ dataDir: mkdtempSync(join(tmpdir(), 'amsgate-shots-')), port: 0, httpsPort: null, logger: false, mode: 'sandbox' });
const { httpUrl } = await gateway.start();
const created = await gateway.clients.create({ sandbox: true, name: 'Demo merchant' });
const clientId = created.client.clientId;
const key = importPrivateKey(created.merchantPrivateKey);

async function call(endpoint, body, { tamper = false } = {}) {
  const uri = `/ams/api/v1/${endpoint}`;
  const time = String(Date.now());
  const text = JSON.stringify(body);
  const signature = signHeader({ uri, clientId, time, body: text }, key, 1);
  const sent = tamper ? JSON.stringify(body, null, 2) : text;
  const response = await fetch(`${httpUrl}${uri}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': clientId, 'request-time': time, signature },
    body: sent,
  });
  return response.json();
}

let n = 0;
function pay(method, extra = {}) {
  n += 1;
  return call('payments/pay', {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: `demo-${Date.now()}-${n}`,
    paymentAmount: { currency: 'USD', value: String(1000 + n * 250) },
    order: { referenceOrderId: `ORDER-${1000 + n}`, orderDescription: `Demo order ${n}: 2 coffees`, orderAmount: { currency: 'USD', value: String(1000 + n * 250) } },
    paymentMethod: { paymentMethodType: method },
    paymentRedirectUrl: 'http://127.0.0.1:9/merchant/return',
    paymentNotifyUrl: 'http://127.0.0.1:9/antom/notify',
    env: { terminalType: 'WEB' },
    ...extra,
  });
}

const control = (path, body) => fetch(`${httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((r) => r.json());

const paid = await pay('ALIPAY_CN');
await control(`/sandbox/payments/${paid.paymentId}/complete`, { outcome: 'success' });
await call('payments/refund', { refundRequestId: `refund-${Date.now()}`, paymentId: paid.paymentId, refundAmount: { currency: 'USD', value: '500' } });
const declined = await pay('GCASH');
await control(`/sandbox/payments/${declined.paymentId}/complete`, { outcome: 'fail', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
const wallet = await pay('ALIPAY_HK');
const card = await pay('CARD', { paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' } });
const orderCode = await call('payments/pay', {
  productCode: 'IN_STORE_PAYMENT',
  paymentRequestId: `demo-instore-${Date.now()}`,
  paymentAmount: { currency: 'USD', value: '1200' },
  order: {
    referenceOrderId: 'ORDER-2001', orderDescription: 'Flat white', orderAmount: { currency: 'USD', value: '1200' },
    merchant: { referenceMerchantId: 'm-1', merchantMCC: '5411', merchantName: 'Cafe', store: { referenceStoreId: 's-1', storeName: 'Cafe Main St', storeMCC: '5411' } },
  },
  env: { storeTerminalId: 'T-1', storeTerminalRequestTime: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'), userAgent: 'Mozilla/5.0 AlipayConnect' },
  paymentMethod: { paymentMethodType: 'CONNECT_WALLET' },
  paymentFactor: { inStorePaymentScenario: 'OrderCode' },
  paymentNotifyUrl: 'http://127.0.0.1:9/antom/notify',
});
for (const [name, answer] of Object.entries({ paid, declined, wallet, card, orderCode })) {
  if (!answer.paymentId) throw new Error(`the ${name} payment was refused: ${JSON.stringify(answer.result)}`);
}
await call('payments/inquiryPayment', { paymentRequestId: 'no-such-request' }, { tamper: true });

const browser = await chromium.launch({
  executablePath: process.env.AMSGATE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

async function shot(name, path, { width = 1200, height = 800, prepare } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${httpUrl}${path}`);
  if (prepare) await prepare(page);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
  await page.close();
  console.log(`${name}.png  ${path}`);
}

await shot('checkout-wallet', `/checkout/${wallet.paymentId}`, { width: 420, height: 820 });
await shot('checkout-card', `/checkout/${card.paymentId}`, { width: 420, height: 820 });
await shot('checkout-order-code', `/checkout/${orderCode.paymentId}`, { width: 420, height: 820 });
await shot('dashboard-payments', '/dashboard/payments');
await shot('dashboard-payment-timeline', `/dashboard/payments/${paid.paymentId}`, {
  height: 900,
  prepare: (page) => page.locator('#timeline').evaluate((element) => element.scrollIntoView()),
});
await shot('dashboard-request-log', '/dashboard/requests');
await shot('dashboard-signature-debugger', '/dashboard/requests', {
  height: 1000,
  prepare: async (page) => {
    await page.locator('#requests-table tr', { hasText: 'inquiryPayment' }).locator('a').first().click();
    await page.locator('#signature-debugger').scrollIntoViewIfNeeded();
  },
});
await shot('dashboard-client', `/dashboard/clients/${encodeURIComponent(clientId)}`, { height: 900 });

await browser.close();
await gateway.close();
