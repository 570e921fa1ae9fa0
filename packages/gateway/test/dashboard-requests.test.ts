/**
 * The request log in the dashboard (sandbox mode): the list with filters
 * and its polled fragment, one request with headers, bodies and answer,
 * the signature debugger for signature failures, and escaping of hostile
 * header values. Absent in gateway mode.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentToSign, importPrivateKey, signHeader } from '@amsgate/protocol';
import { cashierPay, startTestGateway, type TestGateway } from './harness.js';
import { DashboardSession, decodeHtml } from './dashboard-session.js';

const PAY_PATH = '/ams/api/v1/payments/pay';

/** The request ids of the list page's rows, newest first. */
function requestIds(page: string): string[] {
  return [...page.matchAll(/<tr data-request-id="(REQ\d+)">/g)].map((m) => m[1]!);
}

function section(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  expect(start, `no #${id} on the page`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

/** The text of an element's content with tags removed and entities of the html template decoded. */
function text(markup: string): string {
  return decodeHtml(markup.replace(/<[^>]+>/g, ''));
}

describe('request log pages (sandbox)', () => {
  let t: TestGateway;
  let session: DashboardSession;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { notifyDispatch: false });
    session = new DashboardSession(t.baseUrl);
  });
  afterAll(async () => t?.close());

  const clientId = () => t.client.client.clientId;
  const merchantKey = () => importPrivateKey(t.client.merchantPrivateKey as string);
  const newest = async () => requestIds((await session.get('/dashboard/requests')).html)[0]!;

  it('lists requests newest first with their result; filters by client, endpoint, status and failures; refuses a bad status', async () => {
    await t.call('payments/pay', cashierPay());
    await t.call('payments/inquiryPayment', { paymentRequestId: 'nothing-here' });
    await t.call('payments/pay', cashierPay(), { keyVersion: 5 });
    const page = await session.get('/dashboard/requests');
    expect(page.status).toBe(200);
    const ids = requestIds(page.html);
    expect(ids).toHaveLength(3);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(page.html).toContain('id="requests-table"');
    expect(page.html).toContain(`<a href="/dashboard/requests/${ids[0]}">`);
    expect(page.html).toMatch(/<span class="status-F">F<\/span> ORDER_NOT_EXIST/);

    expect(requestIds((await session.get('/dashboard/requests?endpoint=payments/inquiryPayment')).html)).toEqual([ids[1]]);
    expect(requestIds((await session.get('/dashboard/requests?status=u')).html)).toEqual([ids[2]]);
    expect(requestIds((await session.get('/dashboard/requests?failures=1')).html)).toEqual([ids[0]]);
    expect(requestIds((await session.get(`/dashboard/requests?clientId=${clientId()}`)).html)).toEqual(ids);
    expect(requestIds((await session.get('/dashboard/requests?clientId=SANDBOX_NOBODY')).html)).toEqual([]);
    const bad = await session.get('/dashboard/requests?status=X');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('status must be S, F or U');
  });

  it('serves the rows alone for the page’s polling script, which the page runs with its nonce; a Refresh link works without it', async () => {
    const page = await session.get('/dashboard/requests?failures=1');
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')![1]!;
    expect(page.html).toContain(`<script nonce="${nonce}">`);
    expect(page.html).toContain("url.searchParams.set('fragment', '1')");
    expect(page.html).toContain('<a href="/dashboard/requests?failures=1" id="refresh">Refresh</a>');
    expect(page.html).toContain('<span id="live-controls" hidden>');

    await t.call('payments/pay', cashierPay(), { keyVersion: 6 });
    const fragment = await session.get('/dashboard/requests?failures=1&fragment=1');
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(fragment.html.startsWith('<tr data-request-id="REQ')).toBe(true);
    expect(fragment.html).not.toContain('<html');
    expect(requestIds(fragment.html)).toHaveLength(2);
    expect((await session.get('/dashboard/requests?status=Z&fragment=1')).status).toBe(400);
  });

  it('shows one request: headers kept (signature cut, agent token masked), pretty bodies, the answer with its headers', async () => {
    const token = await t.gateway.clients.issueAgentToken(clientId());
    const body = cashierPay();
    const answer = await t.call('payments/pay', body, { headers: { 'agent-token': token, 'user-agent': 'sdk-test/2' } });
    const id = await newest();
    const page = await session.get(`/dashboard/requests/${id}`);
    expect(page.status).toBe(200);
    const headers = section(page.html, 'request-headers');
    expect(headers).toContain(`<code>${clientId()}</code>`);
    expect(headers).toMatch(/algorithm=RSA256,keyVersion=1,signature=.{8}… \(\d+ characters\)/);
    expect(headers).toMatch(/<code>.{0,4}… \(48 characters, masked\)<\/code>/);
    expect(headers).toContain('sdk-test/2');
    expect(page.html).not.toContain(token);
    expect(page.html).not.toContain(token.slice(0, 12));
    expect(text(/<pre id="request-body">([\s\S]*?)<\/pre>/.exec(page.html)![1]!)).toBe(JSON.stringify(body, null, 2));
    expect(text(/<pre id="response-body">([\s\S]*?)<\/pre>/.exec(page.html)![1]!)).toBe(JSON.stringify(JSON.parse(answer.text), null, 2));
    expect(section(page.html, 'response-headers')).toContain(`<code>${answer.headers.get('response-time')}</code>`);
    expect(page.html).not.toContain('id="signature-debugger"');
    expect((await session.get('/dashboard/requests/REQ999999999')).status).toBe(404);
    expect((await session.get('/dashboard/requests/nope')).status).toBe(404);
  });

  it('the signature debugger: a body re-serialised after signing — expected content with visible line feeds, its SHA-256, the cause and the fix', async () => {
    const body = cashierPay();
    const time = String(Date.now());
    const signature = signHeader({ uri: PAY_PATH, clientId: clientId(), time, body: JSON.stringify(body) }, merchantKey(), 1);
    const sent = JSON.stringify(body, null, 2);
    expect((await t.call('payments/pay', null, { rawBody: sent, time, unsigned: true, headers: { signature } })).body.result.resultCode).toBe('INVALID_SIGNATURE');
    const page = await session.get(`/dashboard/requests/${await newest()}`);
    const debuggerHtml = section(page.html, 'signature-debugger');
    const expected = contentToSign({ uri: PAY_PATH, clientId: clientId(), time, body: sent });
    const shown = /<pre id="expected-content">([\s\S]*?)<\/pre>/.exec(debuggerHtml)![1]!;
    expect(shown.startsWith(`POST ${PAY_PATH}<span class="muted" title="line feed (0x0A)">\\n</span>\n${clientId()}.${time}.{`)).toBe(true);
    expect(text(shown).replace(/\\n\n/g, '\n')).toBe(expected.toString('utf8'));
    expect(debuggerHtml).toContain(`<code id="expected-sha256">${createHash('sha256').update(expected).digest('hex')}</code> (${expected.length} bytes)`);
    expect(debuggerHtml).toMatch(/verified with key version: <code>1<\/code>/);
    const cause = text(/<div id="likely-cause">([\s\S]*?)<\/div>/.exec(debuggerHtml)![1]!);
    expect(cause).toContain('Body re-serialised after signing.');
    expect(cause).toContain('The client signed the body as compact JSON');
    expect(cause).toContain('Fix: Serialise the body once');
    expect(text(/<pre id="signed-content">([\s\S]*?)<\/pre>/.exec(debuggerHtml)![1]!).replace(/\\n\n/g, '\n'))
      .toBe(contentToSign({ uri: PAY_PATH, clientId: clientId(), time, body: JSON.stringify(body) }).toString('utf8'));
    expect(debuggerHtml).toContain('PKCS#1 / PKCS#8 mix-up');
  });

  it('the signature debugger names the other causes it can prove: sandbox path, key version, wrong key pair', async () => {
    const body = JSON.stringify(cashierPay());
    const time = String(Date.now());
    const signature = signHeader({ uri: PAY_PATH, clientId: clientId(), time, body }, merchantKey(), 1);
    await t.call('payments/pay', null, { path: '/ams/sandbox/api/v1/payments/pay', rawBody: body, time, unsigned: true, headers: { signature } });
    const likely = async () => text(/<div id="likely-cause">([\s\S]*?)<\/div>/.exec((await session.get(`/dashboard/requests/${await newest()}`)).html)![1]!);
    expect(await likely()).toContain('Wrong URI or sandbox path. The client signed POST /ams/api/v1/payments/pay but sent the request to /ams/sandbox/api/v1/payments/pay.');
    await t.call('payments/pay', cashierPay(), { keyVersion: 3 });
    expect(await likely()).toContain('Key version mismatch.');
    const other = await t.gateway.clients.create({ sandbox: true, name: 'unrelated' });
    await t.call('payments/pay', cashierPay(), { privateKey: other.merchantPrivateKey as string });
    expect(await likely()).toContain('Public key of the wrong pair.');
  });

  it('escapes hostile header values in the list and on the request page', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    await t.call('payments/pay', cashierPay(), { time: `"><script>alert(2)</script>`, headers: { 'user-agent': hostile } });
    await t.call('payments/pay', cashierPay(), { clientId: '<script>alert(3)</script>', headers: { 'user-agent': hostile } });
    const list = await session.get('/dashboard/requests');
    const fragment = await session.get('/dashboard/requests?fragment=1');
    const ids = requestIds(list.html).slice(0, 2);
    const pages = [list.html, fragment.html, ...(await Promise.all(ids.map((id) => session.get(`/dashboard/requests/${id}`)))).map((p) => p.html)];
    for (const page of pages) {
      expect(page).not.toContain('<img src=x');
      expect(page).not.toContain('<script>alert');
    }
    expect(pages.join('')).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(pages[2]).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('request log pages in gateway mode', () => {
  it('are not registered', async () => {
    const adminToken = 'dashboard-requests-admin-token';
    const t = await startTestGateway('sqlite', { mode: 'gateway', adminToken, notifyDispatch: false });
    try {
      const session = new DashboardSession(t.baseUrl);
      await session.post('/dashboard/login', { token: adminToken, _csrf: 'unused' });
      const overview = await session.get('/dashboard');
      expect(overview.status).toBe(200);
      expect(overview.html).not.toContain('href="/dashboard/requests"');
      expect((await session.get('/dashboard/requests')).status).toBe(404);
      expect((await session.get('/dashboard/requests/REQ000001')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
