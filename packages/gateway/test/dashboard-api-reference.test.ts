/**
 * /dashboard/api: Swagger UI over /openapi.json, its files served by the
 * gateway from swagger-ui-dist (a fixed list, nothing else of the package or
 * the disk), the page under the dashboard's CSP and login.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';
import { rawRequest } from './raw-http.js';

const distPackage = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json');
const distVersion = (JSON.parse(readFileSync(distPackage, 'utf8')) as { version: string }).version;
const assets = `/dashboard/api/assets/${distVersion}`;

const directivesOf = (csp: string | null) => new Map((csp ?? '').split('; ').map((d) => [d.slice(0, d.indexOf(' ')), d.slice(d.indexOf(' ') + 1)]));

describe('dashboard API reference, sandbox mode (open)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('sqlite', { notifyDispatch: false });
  });
  afterAll(() => gw?.close());

  it('serves the page under a nonce CSP that allows no inline code, no eval and no other host', async () => {
    const page = await new DashboardSession(gw.baseUrl).get('/dashboard/api');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy');
    const directives = directivesOf(csp);
    const nonce = /^'nonce-([^']+)'$/.exec(directives.get('script-src') ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'none'",
      'style-src': `'nonce-${nonce}'`,
      'script-src': `'nonce-${nonce}'`,
      'connect-src': "'self'",
      'img-src': 'data:',
      'form-action': "'self'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(csp).not.toMatch(/unsafe-|\*|https?:/);

    // Every script and stylesheet carries the nonce; the files are the gateway's own.
    const scripts = page.html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual([`<script src="${assets}/swagger-ui-bundle.js" nonce="${nonce}">`, `<script nonce="${nonce}">`]);
    expect(page.html).toContain(`<link rel="stylesheet" href="${assets}/swagger-ui.css" nonce="${nonce}">`);
    for (const style of page.html.match(/<style\b[^>]*>/g) ?? []) expect(style).toBe(`<style nonce="${nonce}">`);
    expect(page.html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    expect(page.html).not.toMatch(/(?:src|href)="(?!\/)/);
    expect(page.html).not.toMatch(/https?:\/\//);

    // Swagger UI boots on /openapi.json with nothing to send requests with and no online validator badge.
    expect(page.html).toContain("url: '/openapi.json'");
    expect(page.html).toContain('supportedSubmitMethods: []');
    expect(page.html).toContain('validatorUrl: null');
    expect(page.html).toContain('<a href="/dashboard/api" aria-current="page">API reference</a>');
  });

  it('adds img-src only on this page and lists it in every page’s navigation', async () => {
    const overview = await new DashboardSession(gw.baseUrl).get('/dashboard');
    expect(directivesOf(overview.headers.get('content-security-policy')).has('img-src')).toBe(false);
    expect(overview.html).toContain('<a href="/dashboard/api">API reference</a>');
  });

  it('serves the stylesheet and the bundle from swagger-ui-dist with their types and a year of caching', async () => {
    const session = new DashboardSession(gw.baseUrl);
    for (const [name, type] of [['swagger-ui.css', 'text/css; charset=utf-8'], ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8']] as const) {
      const asset = await session.get(`${assets}/${name}`);
      expect(asset.status, name).toBe(200);
      expect(asset.headers.get('content-type'), name).toBe(type);
      expect(asset.headers.get('cache-control'), name).toBe('private, max-age=31536000, immutable');
      expect(asset.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(asset.html, name).toBe(readFileSync(join(dirname(distPackage), name), 'utf8'));
    }
  });

  it('answers 404 for any other name, another version, or a way out of the directory', async () => {
    const session = new DashboardSession(gw.baseUrl);
    const paths = [
      `${assets}/package.json`,
      `${assets}/index.html`,
      `${assets}/swagger-initializer.js`,
      `${assets}/swagger-ui-bundle.js.map`,
      `${assets}/constructor`,
      `${assets}/__proto__`,
      `${assets}/SWAGGER-UI.CSS`,
      `${assets}/..%2fpackage.json`,
      `${assets}/..%2f..%2f..%2fpackage.json`,
      `${assets}/%2e%2e%2f%2e%2e%2fpackage.json`,
      `${assets}/..%5cpackage.json`,
      `${assets}/swagger-ui.css%00.map`,
      `/dashboard/api/assets/0.0.0/swagger-ui.css`,
      `/dashboard/api/assets/..%2f..%2fswagger-ui.css`,
      `/dashboard/api/assets/swagger-ui.css`,
    ];
    for (const path of paths) {
      const answer = await session.get(path);
      expect(answer.status, path).toBe(404);
      // A short refusal (Fastify's names the path), never a file.
      expect(answer.html.length, path).toBeLessThan(300);
      expect(answer.html, path).not.toContain('"version"');
    }
    // Dot segments as sent, which fetch would have resolved before sending.
    for (const path of [`${assets}/../../../package.json`, `${assets}/../swagger-ui.css`, `${assets}/./swagger-ui.css/..`]) {
      const answer = await rawRequest(gw.baseUrl, { method: 'GET', path, headers: {} });
      expect(answer.status, path).toBe(404);
      expect(answer.body.length, path).toBeLessThan(300);
      expect(answer.body, path).not.toContain('"version"');
    }
  });
});

describe('dashboard API reference, gateway mode (admin token)', () => {
  const adminToken = 'test-admin-token-api-reference';
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('sqlite', { mode: 'gateway', adminToken, notifyDispatch: false });
  });
  afterAll(() => gw?.close());

  it('sends a visitor without a session to the login page, for the page and its files alike', async () => {
    for (const path of ['/dashboard/api', `${assets}/swagger-ui-bundle.js`, `${assets}/swagger-ui.css`]) {
      const answer = await new DashboardSession(gw.baseUrl).get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.location, path).toBe('/dashboard/login');
    }
  });

  it('shows the reference after login', async () => {
    const session = new DashboardSession(gw.baseUrl);
    expect((await session.post('/dashboard/login', { token: adminToken, _csrf: 'unused' })).status).toBe(303);
    const page = await session.get('/dashboard/api');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/dashboard/api" aria-current="page">API reference</a>');
    expect(page.html).toContain(`${assets}/swagger-ui-bundle.js`);
    expect((await session.get(`${assets}/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
