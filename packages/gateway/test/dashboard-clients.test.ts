/**
 * /dashboard/clients over HTTP: key generation (private key shown once,
 * stored nowhere), pasted public keys, revocation, agent tokens, default
 * notification URLs, escaping, CSRF and login. Plus the repository methods
 * the pages use.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPkcs1Base64, generateKeyPair, importPrivateKey } from '@amsgate/protocol';
import { LastLiveKeyError } from '../src/auth/clients-repository.js';
import { parseNotifyUrl, RefusedUrlError } from '../src/notify/url-guard.js';
import { cashierPay, postgresAvailable, startTestGateway, type DialectName, type TestGateway } from './harness.js';
import { DashboardSession, decodeHtml, type PageResult } from './dashboard-session.js';

const postgresOk = await postgresAvailable();

/** The text of a `<textarea id=…>` on a page, or undefined. */
function textareaValue(page: string, id: string): string | undefined {
  const match = new RegExp(`<textarea id="${id}"[^>]*>([^<]*)</textarea>`).exec(page);
  return match ? decodeHtml(match[1] as string) : undefined;
}

interface GeneratedOnPage {
  page: PageResult;
  pkcs8: string;
  pkcs1Pem: string;
  keyVersion: number;
}

async function generateOnPage(session: DashboardSession, clientId: string): Promise<GeneratedOnPage> {
  const detail = `/dashboard/clients/${clientId}`;
  const page = await session.post(`${detail}/keys/generate`, {}, { csrfFrom: detail });
  expect(page.status).toBe(200);
  const pkcs8 = textareaValue(page.html, 'private-key-pkcs8');
  const pkcs1Pem = textareaValue(page.html, 'private-key-pkcs1');
  const version = /<span id="key-version">(\d+)<\/span>/.exec(page.html)?.[1];
  expect(pkcs8).toMatch(/^[A-Za-z0-9+/]+=*$/);
  expect(pkcs1Pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  return { page, pkcs8: pkcs8 as string, pkcs1Pem: pkcs1Pem as string, keyVersion: Number(version) };
}

/** Every byte the SQLite database holds on disk (main file, WAL, shared memory). */
function sqliteBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).filter((name) => name.includes('sqlite')).map((name) => readFileSync(join(dataDir, name))));
}

async function payWith(t: TestGateway, options: { privateKey?: string; keyVersion?: number; clientId?: string; headers?: Record<string, string> }) {
  return t.call('payments/pay', cashierPay(), options);
}

describe('dashboard clients pages (sandbox, SQLite)', () => {
  let t: TestGateway;
  let session: DashboardSession;
  let clientId: string;
  let detail: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway('sqlite', { logger: { level: 'trace', stream: { write: (line: string) => void logLines.push(line) } } });
    session = new DashboardSession(t.baseUrl);
    clientId = t.client.client.clientId;
    detail = `/dashboard/clients/${clientId}`;
  });
  afterAll(() => t?.close());

  it('lists clients with their key versions and shows a client with its Antom public key', async () => {
    const list = await session.get('/dashboard/clients');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="/dashboard/clients/${clientId}"`);
    expect(list.html).toContain('live</span> v1');
    const page = await session.get(detail);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<code id="client-id">${clientId}</code>`);
    expect(page.html).toContain(t.client.client.gatewayPublicKey);
    expect(page.html).toContain('id="generate-key"');
  });

  it('generates a key pair: the private key is shown once, in both forms, and signs requests that succeed', async () => {
    const generated = await generateOnPage(session, clientId);
    expect(generated.keyVersion).toBe(2);
    expect(generated.page.headers.get('cache-control')).toBe('no-store');
    expect(generated.page.html).toContain('only time it is shown');
    expect(exportPrivateKeyPkcs1Base64(importPrivateKey(generated.pkcs1Pem))).toBe(exportPrivateKeyPkcs1Base64(importPrivateKey(generated.pkcs8)));

    for (const privateKey of [generated.pkcs8, generated.pkcs1Pem]) {
      const paid = await payWith(t, { privateKey, keyVersion: 2 });
      expect(paid.body.result).toMatchObject({ resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U' });
      expect(paid.signatureValid).toBe(true);
    }
    // Version 1 stays live.
    expect((await payWith(t, { keyVersion: 1 })).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');

    const pkcs1Base64 = exportPrivateKeyPkcs1Base64(importPrivateKey(generated.pkcs8));
    const der = Buffer.from(generated.pkcs8, 'base64');
    // Slices from the private exponent and primes: the modulus, early in both forms, is public.
    const traces = [generated.pkcs8, pkcs1Base64, generated.pkcs8.slice(700, 760), pkcs1Base64.slice(1200, 1260)];
    for (const path of [detail, '/dashboard/clients', '/dashboard']) {
      const later = await session.get(path);
      for (const trace of traces) expect(later.html).not.toContain(trace);
      expect(later.html).not.toContain('private-key-pkcs8');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const onDisk = sqliteBytes(t.gateway.config.dataDir);
    // The scan sees what is stored: the gateway's own private key for the client is.
    expect(onDisk.includes(Buffer.from(t.client.client.gatewayPrivateKey.slice(700, 760)))).toBe(true);
    for (const trace of traces) expect(onDisk.includes(Buffer.from(trace))).toBe(false);
    expect(onDisk.includes(der.subarray(500, 560))).toBe(false);
    const keys = await t.gateway.clients.keys(clientId);
    expect(JSON.stringify(keys)).not.toContain(generated.pkcs8.slice(700, 760));
    const logs = logLines.join('');
    for (const trace of traces) expect(logs).not.toContain(trace);
  });

  it('creates a client, showing its first private key once; an XSS attempt in the name is escaped', async () => {
    const name = `<script>alert('x')</script>&co`;
    const created = await session.post('/dashboard/clients', { name }, { csrfFrom: '/dashboard/clients' });
    expect(created.status).toBe(200);
    expect(created.html).not.toContain('<script>alert');
    expect(created.html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;co');
    const newId = /<code id="client-id">(SANDBOX_[0-9A-Z]{14})<\/code>/.exec(created.html)?.[1] as string;
    expect(newId).toBeDefined();
    const privateKey = textareaValue(created.html, 'private-key-pkcs8') as string;
    const paid = await payWith(t, { clientId: newId, privateKey, keyVersion: 1 });
    expect(paid.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const list = await session.get('/dashboard/clients');
    expect(list.html).toContain(newId);
    expect(list.html).not.toContain('<script>alert');
    expect(list.html).not.toContain(privateKey.slice(700, 760));

    const tooLong = await session.post('/dashboard/clients', { name: 'n'.repeat(101) }, { csrfFrom: '/dashboard/clients' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('longer than 100');
  });

  it('re-shows the add-key form with the specific error for a wrong key, and adds a good one', async () => {
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const privatePair = await generateKeyPair();
    const cases: Array<[string, string, boolean]> = [
      [privatePair.privateKeyPem, 'This is a private key', false],
      [privatePair.privateKeyBase64, 'This is a private key', false],
      [ec, 'This is an ec key', true],
      ['not a key!', 'neither PEM nor base64', true],
      [rsa1024, 'This RSA key has 1024 bits', true],
      ['', 'is empty', true],
    ];
    for (const [publicKey, message, echoed] of cases) {
      const refused = await session.post(`${detail}/keys`, { publicKey }, { csrfFrom: detail });
      expect(refused.status, message).toBe(400);
      expect(refused.html).toContain(message);
      expect(refused.html).toContain('id="add-key"');
      if (publicKey !== '') expect(refused.html.includes(publicKey.trim().split('\n')[1] ?? publicKey), message).toBe(echoed);
    }
    expect((await t.gateway.clients.keys(clientId)).map((k) => k.keyVersion)).toEqual([1, 2]);

    const added = await session.post(`${detail}/keys`, { publicKey: privatePair.publicKeyPem }, { csrfFrom: detail });
    expect(added.status).toBe(303);
    const page = await session.follow(added);
    expect(page.html).toContain('Added key version 3');
    expect(page.html).toContain('id="key-row-3"');
    expect((await payWith(t, { privateKey: privatePair.privateKeyBase64, keyVersion: 3 })).body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
  });

  it('revokes a key version after a confirmation step; requests with it then get KEY_NOT_FOUND', async () => {
    const asked = await session.post(`${detail}/keys/3/revoke`, {}, { csrfFrom: detail });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('id="confirm-revoke"');
    expect((await t.gateway.clients.keys(clientId)).find((k) => k.keyVersion === 3)?.revokedAt).toBeNull();

    const revoked = await session.post(`${detail}/keys/3/revoke`, { confirm: 'yes' }, { csrfFrom: detail });
    expect(revoked.status).toBe(303);
    expect((await session.follow(revoked)).html).toContain('Revoked key version 3');
    const refused = await payWith(t, { keyVersion: 3 });
    expect(refused.body.result).toMatchObject({ resultCode: 'KEY_NOT_FOUND', resultStatus: 'F' });

    const again = await session.follow(await session.post(`${detail}/keys/3/revoke`, { confirm: 'yes' }, { csrfFrom: detail }));
    expect(again.html).toContain('has no live key version 3');
  });

  it('refuses to revoke the last live key', async () => {
    const lonely = await t.gateway.clients.create({ sandbox: true, name: 'one key' });
    const path = `/dashboard/clients/${lonely.client.clientId}`;
    expect((await session.get(path)).html).toContain('only live key');
    for (const fields of [{}, { confirm: 'yes' }] as Array<Record<string, string>>) {
      const result = await session.post(`${path}/keys/1/revoke`, fields, { csrfFrom: path });
      expect(result.status).toBe(303);
      expect((await session.follow(result)).html).toContain('last live key');
    }
    expect((await t.gateway.clients.keys(lonely.client.clientId))[0]?.revokedAt).toBeNull();
  });

  it('issues an agent token shown once, lists it by hash, and revokes it', async () => {
    const issued = await session.post(`${detail}/agent-tokens`, {}, { csrfFrom: detail });
    expect(issued.status).toBe(200);
    const token = textareaValue(issued.html, 'agent-token') as string;
    expect(token).toMatch(/^[0-9A-Z]{48}$/);
    const ok = await payWith(t, { headers: { 'agent-token': token } });
    expect(ok.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');

    const page = await session.get(detail);
    expect(page.html).not.toContain(token);
    const [listed] = await t.gateway.clients.agentTokens(clientId);
    expect(listed?.revokedAt).toBeNull();
    expect(page.html).toContain(listed?.tokenHash.slice(0, 16));

    const revoked = await session.post(`${detail}/agent-tokens/${listed?.tokenHash}/revoke`, {}, { csrfFrom: detail });
    expect((await session.follow(revoked)).html).toContain('Revoked agent token');
    expect((await payWith(t, { headers: { 'agent-token': token } })).body.result.resultCode).toBe('INVALID_AGENT_TOKEN');
    const unknown = await session.post(`${detail}/agent-tokens/${'0'.repeat(64)}/revoke`, {}, { csrfFrom: detail });
    expect((await session.follow(unknown)).html).toContain('No such live agent token');
  });

  it('gives the same client data as JSON through the control API, without secrets', async () => {
    await t.gateway.notifications.setDefaultUrl(clientId, 'PAYMENT_RESULT', 'https://merchant.example/json-check');
    const issued = await session.post(`${detail}/agent-tokens`, {}, { csrfFrom: detail });
    const token = textareaValue(issued.html, 'agent-token') as string;
    const list = (await (await fetch(`${t.baseUrl}/admin/clients`)).json()) as { clients: Array<Record<string, unknown>> };
    expect(list.clients.find((c) => c.clientId === clientId)).toMatchObject({ status: 'ACTIVE', liveKeyVersions: expect.arrayContaining([1]) });
    const response = await fetch(`${t.baseUrl}/admin/clients/${clientId}`);
    const text = await response.text();
    const one = JSON.parse(text) as Record<string, unknown> & { keys: Array<Record<string, unknown>>; agentTokens: Array<Record<string, unknown>> };
    const client = (await t.gateway.clients.find(clientId))!;
    expect(one.antomPublicKey).toBe(client.gatewayPublicKey);
    expect(one.keys[0]).toMatchObject({ keyVersion: 1, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(one.agentTokens.length).toBeGreaterThan(0);
    expect(text).not.toContain(client.gatewayPrivateKey);
    expect(text).not.toContain(token);
    expect(one.notifyUrls).toMatchObject({ PAYMENT_RESULT: 'https://merchant.example/json-check' });
    await t.gateway.notifications.clearDefaultUrl(clientId, 'PAYMENT_RESULT');
    expect((await fetch(`${t.baseUrl}/admin/clients/NOBODY`)).status).toBe(404);
  });

  it('sets and clears a default notification URL through the control API (notify listen --register)', async () => {
    const put = (type: string, body: unknown) =>
      fetch(`${t.baseUrl}/admin/clients/${clientId}/notify-urls/${type}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const set = await put('CAPTURE_RESULT', { url: 'http://127.0.0.1:9/listen' });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ clientId, notifyType: 'CAPTURE_RESULT', url: 'http://127.0.0.1:9/listen' });
    expect((await t.gateway.notifications.defaultUrls(clientId)).CAPTURE_RESULT).toBe('http://127.0.0.1:9/listen');
    const refused = await put('CAPTURE_RESULT', { url: 'javascript:alert(1)' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^url: /);
    expect((await put('CAPTURE_RESULT', {})).status).toBe(400);
    expect((await put('NOT_A_TYPE', { url: 'http://127.0.0.1:9/' })).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/admin/clients/NOBODY/notify-urls/CAPTURE_RESULT`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"url":"http://127.0.0.1:9/"}' })).status).toBe(404);
    const cleared = await fetch(`${t.baseUrl}/admin/clients/${clientId}/notify-urls/CAPTURE_RESULT`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ clientId, notifyType: 'CAPTURE_RESULT', cleared: true });
    expect((await t.gateway.notifications.defaultUrls(clientId)).CAPTURE_RESULT).toBeUndefined();
  });

  it('sets and clears default notification URLs, validating and escaping them', async () => {
    const url = 'https://merchant.example/notify?a=1&b="x"';
    const set = await session.post(`${detail}/notify-urls`, { notifyType: 'REFUND_RESULT', url }, { csrfFrom: detail });
    expect(set.status).toBe(303);
    const stored = (await t.gateway.notifications.defaultUrls(clientId)).REFUND_RESULT;
    expect(stored).toBe('https://merchant.example/notify?a=1&b=%22x%22');
    const page = await session.follow(set);
    expect(page.html).toContain('<code id="notify-url-current-REFUND_RESULT">https://merchant.example/notify?a=1&amp;b=%22x%22</code>');

    const xss = '"><script>alert(1)</script>';
    const refused = await session.post(`${detail}/notify-urls`, { notifyType: 'PAYMENT_RESULT', url: xss }, { csrfFrom: detail });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('PAYMENT_RESULT URL not saved');
    expect(refused.html).not.toContain('<script>alert(1)');
    expect(refused.html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    for (const bad of ['javascript:alert(1)', 'https://user:secret@merchant.example/n']) {
      const result = await session.post(`${detail}/notify-urls`, { notifyType: 'PAYMENT_RESULT', url: bad }, { csrfFrom: detail });
      expect(result.status, bad).toBe(400);
    }
    const badType = await session.post(`${detail}/notify-urls`, { notifyType: 'NOT_A_NOTIFY_TYPE', url }, { csrfFrom: detail });
    expect(badType.status).toBe(400);
    // Sandbox mode: a local receiver is allowed.
    expect((await session.post(`${detail}/notify-urls`, { notifyType: 'AUTHORIZATION', url: 'http://127.0.0.1:9090/n' }, { csrfFrom: detail })).status).toBe(303);
    expect(Object.keys(await t.gateway.notifications.defaultUrls(clientId)).sort()).toEqual(['AUTHORIZATION', 'REFUND_RESULT']);

    const cleared = await session.post(`${detail}/notify-urls/clear`, { notifyType: 'REFUND_RESULT' }, { csrfFrom: detail });
    expect((await session.follow(cleared)).html).toContain('Cleared the default REFUND_RESULT URL');
    expect((await t.gateway.notifications.defaultUrls(clientId)).REFUND_RESULT).toBeUndefined();
  });

  it('answers 404 for an unknown client on every route', async () => {
    const unknown = '/dashboard/clients/SANDBOX_%3Cb%3ENOBODY';
    const page = await session.get(unknown);
    expect(page.status).toBe(404);
    expect(page.html).toContain('<code>SANDBOX_&lt;b&gt;NOBODY</code>');
    for (const [path, fields] of [
      ['/keys/generate', {}],
      ['/keys', { publicKey: (await generateKeyPair()).publicKeyPem }],
      ['/keys/1/revoke', { confirm: 'yes' }],
      ['/agent-tokens', {}],
      [`/agent-tokens/${'0'.repeat(64)}/revoke`, {}],
      ['/notify-urls', { notifyType: 'PAYMENT_RESULT', url: 'https://merchant.example/n' }],
      ['/notify-urls/clear', { notifyType: 'PAYMENT_RESULT' }],
    ] as const) {
      expect((await session.post(`${unknown}${path}`, fields, { csrfFrom: detail })).status, path).toBe(404);
    }
  });

  it('refuses every POST route without the right CSRF token, changing nothing', async () => {
    const before = {
      clients: (await t.gateway.clients.list()).length,
      keys: await t.gateway.clients.keys(clientId),
      tokens: await t.gateway.clients.agentTokens(clientId),
      urls: await t.gateway.notifications.defaultUrls(clientId),
    };
    const [token] = before.tokens;
    const routes: Array<[string, Record<string, string>]> = [
      ['/dashboard/clients', { name: 'csrf' }],
      [`${detail}/keys/generate`, {}],
      [`${detail}/keys`, { publicKey: (await generateKeyPair()).publicKeyPem }],
      [`${detail}/keys/1/revoke`, { confirm: 'yes' }],
      [`${detail}/agent-tokens`, {}],
      [`${detail}/agent-tokens/${token?.tokenHash}/revoke`, {}],
      [`${detail}/notify-urls`, { notifyType: 'PAYMENT_RESULT', url: 'https://merchant.example/n' }],
      [`${detail}/notify-urls/clear`, { notifyType: 'AUTHORIZATION' }],
    ];
    for (const [path, fields] of routes) {
      expect((await session.post(path, { ...fields, _csrf: 'x'.repeat(43) })).status, path).toBe(403);
      expect((await session.post(path, fields, { csrfFrom: detail, headers: { 'sec-fetch-site': 'cross-site' } })).status, path).toBe(403);
    }
    expect((await t.gateway.clients.list()).length).toBe(before.clients);
    expect(await t.gateway.clients.keys(clientId)).toEqual(before.keys);
    expect(await t.gateway.clients.agentTokens(clientId)).toEqual(before.tokens);
    expect(await t.gateway.notifications.defaultUrls(clientId)).toEqual(before.urls);
  });
});

describe('dashboard clients pages, gateway mode', () => {
  const adminToken = 'clients-admin-token-0123456789';
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite', { mode: 'gateway', adminToken });
  });
  afterAll(() => t?.close());

  it('needs the admin token; after login creates production clients and refuses internal notify URLs', async () => {
    const detail = `/dashboard/clients/${t.client.client.clientId}`;
    const anonymous = new DashboardSession(t.baseUrl);
    const list = await anonymous.get('/dashboard/clients');
    expect(list.status).toBe(303);
    expect(list.location).toBe('/dashboard/login');
    expect((await anonymous.get(detail)).status).toBe(303);
    const post = await fetch(`${t.baseUrl}${detail}/keys/generate`, { method: 'POST', body: '_csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(post.status).toBe(403);
    expect((await t.gateway.clients.keys(t.client.client.clientId)).length).toBe(1);

    const session = new DashboardSession(t.baseUrl);
    expect((await session.post('/dashboard/login', { token: adminToken, _csrf: 'unused' })).status).toBe(303);
    expect((await session.get('/dashboard/clients')).status).toBe(200);
    const created = await session.post('/dashboard/clients', { name: 'Production shop' }, { csrfFrom: '/dashboard/clients' });
    expect(created.status).toBe(200);
    expect(created.html).toMatch(/<code id="client-id">[0-9A-Z]{14}<\/code>/);
    expect(created.html).toContain('id="private-key-pkcs8"');

    const internal = await session.post(`${detail}/notify-urls`, { notifyType: 'PAYMENT_RESULT', url: 'http://127.0.0.1:9090/n' }, { csrfFrom: detail });
    expect(internal.status).toBe(400);
    expect(internal.html).toContain('is internal');
    expect((await session.get('/dashboard/scenarios')).status).toBe(404);
    expect((await session.get('/dashboard/clock')).status).toBe(404);
  });
});

describe.each(['sqlite', 'postgres'] as DialectName[])('client key repository on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(dialect);
    });
    afterAll(() => t?.close());

    if (dialect === 'postgres') {
      it('generates a key on the dashboard that signs a request that succeeds', async () => {
        const session = new DashboardSession(t.baseUrl);
        const generated = await generateOnPage(session, t.client.client.clientId);
        expect(generated.keyVersion).toBe(2);
        const paid = await payWith(t, { privateKey: generated.pkcs8, keyVersion: 2 });
        expect(paid.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
        const stored = await t.gateway.database.db.selectFrom('client_keys').selectAll().execute();
        expect(JSON.stringify(stored, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(generated.pkcs8.slice(700, 760));
      });
    }

    it('keepOneLive: concurrent revocations of the last two live keys leave one live', async () => {
      const created = await t.gateway.clients.create({ sandbox: true });
      const clientId = created.client.clientId;
      await t.gateway.clients.addKey(clientId, (await generateKeyPair()).publicKey);
      const outcomes = await Promise.allSettled([1, 2].map((version) => t.gateway.clients.revokeKey(clientId, version, { keepOneLive: true })));
      expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === true)).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof LastLiveKeyError)).toHaveLength(1);
      expect((await t.gateway.clients.keys(clientId)).filter((k) => k.revokedAt === null)).toHaveLength(1);
      // Without the option the last key can still be revoked (the CLI allows it, with a warning).
      const live = (await t.gateway.clients.keys(clientId)).find((k) => k.revokedAt === null);
      expect(await t.gateway.clients.revokeKey(clientId, live?.keyVersion as number)).toBe(true);
    });

    it('lists and revokes agent tokens by hash; clears default notify URLs', async () => {
      const clientId = t.client.client.clientId;
      const first = await t.gateway.clients.issueAgentToken(clientId, 1000);
      await t.gateway.clients.issueAgentToken(clientId, 2000);
      const tokens = await t.gateway.clients.agentTokens(clientId);
      expect(tokens.map((tk) => tk.createdAt)).toEqual([1000, 2000]);
      const firstHash = tokens[0]?.tokenHash as string;
      expect(await t.gateway.clients.agentTokenClient(first)).toBe(clientId);
      expect(await t.gateway.clients.revokeAgentToken('SANDBOX_OTHERCLIENT00', firstHash)).toBe(false);
      expect(await t.gateway.clients.revokeAgentToken(clientId, firstHash, 3000)).toBe(true);
      expect(await t.gateway.clients.revokeAgentToken(clientId, firstHash)).toBe(false);
      expect(await t.gateway.clients.agentTokenClient(first)).toBeUndefined();
      expect((await t.gateway.clients.agentTokens(clientId))[0]?.revokedAt).toBe(3000);

      await t.gateway.notifications.setDefaultUrl(clientId, 'CAPTURE_RESULT', 'https://merchant.example/c');
      expect(await t.gateway.notifications.defaultUrls(clientId)).toEqual({ CAPTURE_RESULT: 'https://merchant.example/c' });
      expect(await t.gateway.notifications.clearDefaultUrl(clientId, 'CAPTURE_RESULT')).toBe(true);
      expect(await t.gateway.notifications.clearDefaultUrl(clientId, 'CAPTURE_RESULT')).toBe(false);
      expect(await t.gateway.notifications.defaultUrls(clientId)).toEqual({});
    });
  });
});

describe('parseNotifyUrl', () => {
  it('accepts http(s) URLs and says what is wrong with others', () => {
    expect(parseNotifyUrl(' https://merchant.example/n ', false).toString()).toBe('https://merchant.example/n');
    expect(parseNotifyUrl('http://127.0.0.1:9090/n', true).host).toBe('127.0.0.1:9090');
    const problems: Array<[string, string]> = [
      ['', 'empty'],
      ['merchant.example/n', 'is not a URL'],
      ['ftp://merchant.example/n', 'is not http or https'],
      ['https://u:p@merchant.example/n', 'credentials'],
      ['http://10.0.0.1/n', 'is internal'],
      [`https://merchant.example/${'a'.repeat(2048)}`, 'longer than 2048'],
    ];
    for (const [text, message] of problems) {
      expect(() => parseNotifyUrl(text, false), text).toThrow(RefusedUrlError);
      expect(() => parseNotifyUrl(text, false), text).toThrow(message);
    }
  });
});
