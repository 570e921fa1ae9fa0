/** The dashboard's frame: who gets in, CSRF on every form post, escaping, security headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';
import { html, raw } from '../src/web/html.js';

describe('html template', () => {
  it('escapes interpolated text and keeps nested fragments', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    const out = html`<p title="${name}">${name}${html`<b>${'<i>'}</b>`}${raw('<br>')}</p>`.text;
    expect(out).toBe('<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;<b>&lt;i&gt;</b><br></p>');
  });
  it('joins arrays and drops null, undefined and false', () => {
    expect(html`${[1, 'a<', null, undefined, false, html`<i></i>`]}`.text).toBe('1a&lt;<i></i>');
  });
});

describe('dashboard, sandbox mode on loopback (open)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('sqlite');
  });
  afterAll(() => gw.close());

  it('opens without a token, sets a strict HttpOnly session cookie and sends security headers', async () => {
    const response = await fetch(`${gw.baseUrl}/dashboard`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^amsgate_dashboard=[^;]+; Path=\/dashboard; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const page = await response.text();
    expect(page).toContain('name="viewport"');
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
  });

  it('refuses a form post without a session, without a CSRF token, with a wrong one, or cross-site', async () => {
    const session = new DashboardSession(gw.baseUrl);
    const noSession = await fetch(`${gw.baseUrl}/dashboard/logout`, { method: 'POST', body: '', redirect: 'manual' });
    expect(noSession.status).toBe(403);
    await session.get('/dashboard');
    expect((await session.post('/dashboard/logout', { _csrf: '' })).status).toBe(403);
    expect((await session.post('/dashboard/logout', { _csrf: 'x'.repeat(43) })).status).toBe(403);
    const crossSite = await session.post('/dashboard/logout', {}, { csrfFrom: '/dashboard/clock', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.html).toContain('cross-site');
    const foreign = await session.post('/dashboard/logout', {}, { csrfFrom: '/dashboard/clock', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await session.post('/dashboard/logout', {}, { csrfFrom: '/dashboard/clock' })).status).toBe(303);
  });

  it('answers a repeated query parameter as its first value, never a 500', async () => {
    for (const path of ['/admin/notifications?status=a&status=b', '/admin/payments?from=x&from=y', '/dashboard/payments?status=NOPE&status=SUCCESS']) {
      expect((await fetch(`${gw.baseUrl}${path}`)).status, path).toBe(400);
    }
    for (const path of ['/admin/notifications?status=failed&status=nonsense', '/dashboard/payments?status=SUCCESS&status=NOPE']) {
      expect((await fetch(`${gw.baseUrl}${path}`)).status, path).toBe(200);
    }
  });

  it('shows a notice only when the dashboard itself wrote it', async () => {
    const session = new DashboardSession(gw.baseUrl);
    const forged = await session.get('/dashboard?notice=Your+token+expired%2C+log+in+at+evil.example&noticeTag=AAAAAAAAAAAAAAAA');
    expect(forged.html).not.toContain('evil.example');
  });
});

describe('dashboard, gateway mode (admin token)', () => {
  const adminToken = 'test-admin-token-0123456789';
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('sqlite', { mode: 'gateway', adminToken });
  });
  afterAll(() => gw.close());

  it('sends a visitor without a session to the login page and refuses a wrong token', async () => {
    const session = new DashboardSession(gw.baseUrl);
    const first = await session.get('/dashboard');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/dashboard/login');
    const refused = await fetch(`${gw.baseUrl}/dashboard/login`, { method: 'POST', body: 'token=not-the-token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });

  it('logs in with the admin token, hides sandbox-only sections, and logs out', async () => {
    const session = new DashboardSession(gw.baseUrl);
    const login = await session.post('/dashboard/login', { token: adminToken, _csrf: 'unused' });
    expect(login.status).toBe(303);
    const overview = await session.follow(login);
    expect(overview.status).toBe(200);
    expect(overview.html).toContain('Gateway mode');
    expect(overview.html).not.toContain('/dashboard/scenarios');
    const logout = await session.post('/dashboard/logout', {});
    expect(logout.status).toBe(303);
    expect((await session.get('/dashboard')).status).toBe(303);
  });

  it('does not accept a session cookie forged or signed for another token', async () => {
    const forged = await fetch(`${gw.baseUrl}/dashboard`, { headers: { cookie: `amsgate_dashboard=${Date.now()}.AAAA` }, redirect: 'manual' });
    expect(forged.status).toBe(303);
  });
});
