/**
 * `amsgate collections`: the Postman and Bruno collections derived from the
 * OpenAPI document, checked for shape, then run as generated (newman, the
 * Bruno CLI) against a fresh sandbox gateway through `amsgate proxy`, each
 * with its own gateway and proxy on port 0: every request answered, every
 * answer verified, every test passing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@amsgate/protocol';
import { BRUNO_ENVIRONMENT } from '../src/collections.js';
import { PROXY_HEADER, startProxy, type RunningProxy } from '../src/commands/proxy.js';
import { run, startSandbox, type Sandbox } from './helpers.js';

const execFileAsync = promisify(execFile);
const BIN_DIR = fileURLToPath(new URL('../../../node_modules/.bin/', import.meta.url));

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { method: string; header: Array<{ key: string; value: string }>; url: { raw: string }; body: { mode: string; raw: string } };
  event?: Array<{ listen: string; script: { exec: string[] } }>;
}

/** The document's operations: path → example request. */
function documentExamples(): Map<string, unknown> {
  const paths = openApiDocument()['paths'] as Record<string, { post: { requestBody: { content: { 'application/json': { example: unknown } } } } }>;
  return new Map(Object.entries(paths).map(([path, item]) => [path, item.post.requestBody.content['application/json'].example]));
}

interface Stack {
  sandbox: Sandbox;
  proxy: RunningProxy;
  log: string[];
}

/** A fresh sandbox gateway and a proxy signing for its sandbox client. */
async function freshStack(prefix: string): Promise<Stack> {
  const sandbox = await startSandbox(prefix);
  const log: string[] = [];
  const proxy = await startProxy({ host: '127.0.0.1', port: '0', dataDir: sandbox.dataDir }, { out: (l) => log.push(l), err: (l) => log.push(l) }, {});
  return { sandbox, proxy, log };
}

/** The proxy's request lines: every endpoint of the document once, each answer verified. */
function expectEveryRequestVerified(stack: Stack): void {
  const lines = stack.log.filter((line) => line.includes(' POST /ams/'));
  expect(lines).toHaveLength(documentExamples().size);
  for (const line of lines) expect(line).toMatch(/HTTP 200 {2}[SFU] [A-Z_]+ {2}verified$/);
  // On a fresh gateway: pay starts pay-0001, inquiryPayment finds it.
  expect(lines[0]).toContain('/payments/pay  HTTP 200  U PAYMENT_IN_PROCESS  verified');
  expect(lines[1]).toContain('/payments/inquiryPayment  HTTP 200  S SUCCESS  verified');
}

describe('amsgate collections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amsgate-collections-'));
  const postmanFile = join(dir, 'amsgate.postman_collection.json');
  const brunoDir = join(dir, 'bruno');
  const stacks: Stack[] = [];
  let forNewman: Stack;
  let forBruno: Stack;

  beforeAll(async () => {
    [forNewman, forBruno] = await Promise.all([freshStack('amsgate-collections-newman-'), freshStack('amsgate-collections-bruno-')]);
    stacks.push(forNewman, forBruno);
    const generated = await run(['collections', '--postman', postmanFile, '--bruno', brunoDir]);
    expect(generated.code, generated.text).toBe(0);
  });
  afterAll(async () => {
    for (const { proxy, sandbox } of stacks) {
      await proxy.close();
      await sandbox.server.stop();
    }
  });

  it('writes a Postman v2.1 collection: a folder per area, one POST per endpoint with its example body and tests', () => {
    const collection = JSON.parse(readFileSync(postmanFile, 'utf8')) as { info: { schema: string }; item: PostmanItem[]; variable: Array<{ key: string; value: string }> };
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(collection.variable).toEqual([{ key: 'baseUrl', value: 'http://127.0.0.1:8081', type: 'string' }]);
    expect(collection.item.map((folder) => folder.name)).toEqual(['payments', 'authorizations', 'vaults', 'subscriptions', 'customs', 'risk', 'business', 'merchants', 'accounts', 'funds', 'users', 'billing', 'meter', 'tax', 'aba']);
    const requests = collection.item.flatMap((folder) => folder.item ?? []);
    const examples = documentExamples();
    // Grouped by folder, so in the document's order within each area (payments/fetchNonce is defined with the vaults).
    expect(requests.map((item) => item.request?.url.raw).sort()).toEqual([...examples.keys()].map((path) => `{{baseUrl}}${path}`).sort());
    for (const item of requests) {
      const path = item.request?.url.raw.replace('{{baseUrl}}', '') ?? '';
      expect(item.request).toMatchObject({ method: 'POST', header: [{ key: 'Content-Type', value: 'application/json; charset=UTF-8' }], body: { mode: 'raw' } });
      expect(JSON.parse(item.request?.body.raw ?? '')).toEqual(examples.get(path));
      expect(item.event?.[0]?.listen).toBe('test');
      expect(item.event?.[0]?.script.exec.join('\n')).toContain(PROXY_HEADER.verified);
    }
  });

  it('writes a Bruno collection: bruno.json, an environment with baseUrl, a folder per area, one .bru per endpoint', () => {
    expect(JSON.parse(readFileSync(join(brunoDir, 'bruno.json'), 'utf8'))).toMatchObject({ version: '1', type: 'collection' });
    expect(readFileSync(join(brunoDir, 'environments', `${BRUNO_ENVIRONMENT}.bru`), 'utf8')).toBe('vars {\n  baseUrl: http://127.0.0.1:8081\n}\n');
    expect(readFileSync(join(brunoDir, 'payments', 'folder.bru'), 'utf8')).toContain('seq: 1');
    const examples = documentExamples();
    for (const [path, example] of examples) {
      // The area's folder (the segment after /v1/), and the endpoint's last segment as the file (risk/payments/decide → risk/decide.bru),
      // or, where two of the folder share it, the segments after the folder (billing/coupon/create → billing/coupon-create.bru).
      const folder = /\/v1\/([^/]+)\//.exec(path)?.[1] ?? '';
      const last = path.slice(path.lastIndexOf('/') + 1);
      const shared = [...examples.keys()].filter((other) => other.includes(`/v1/${folder}/`) && other.endsWith(`/${last}`)).length > 1;
      const name = shared ? path.slice(path.indexOf(`/v1/${folder}/`) + folder.length + 5).replaceAll('/', '-') : last;
      const text = readFileSync(join(brunoDir, folder ?? '', `${name}.bru`), 'utf8');
      expect(text).toContain(`post {\n  url: {{baseUrl}}${path}\n  body: json\n  auth: none\n}`);
      const body = /\nbody:json \{\n([\s\S]*?)\n\}\n/.exec(text)?.[1] ?? '';
      expect(JSON.parse(body.replace(/^ {2}/gm, ''))).toEqual(example);
      expect(text).toContain(`res.getHeader("${PROXY_HEADER.verified}")`);
    }
    const files = ['payments', 'authorizations', 'vaults', 'subscriptions', 'customs', 'risk', 'business', 'merchants', 'accounts', 'funds', 'users', 'billing', 'meter', 'tax', 'aba'].flatMap((folder) => readdirSync(join(brunoDir, folder)).filter((file) => file !== 'folder.bru'));
    expect(files).toHaveLength(examples.size);
  });

  it('newman runs the Postman collection through the proxy against a fresh gateway: every assertion passes, every answer verified', async () => {
    const report = join(dir, 'newman.json');
    const started = Date.now();
    await execFileAsync(join(BIN_DIR, 'newman'), ['run', postmanFile, '--env-var', `baseUrl=${forNewman.proxy.url}`, '--reporters', 'json', '--reporter-json-export', report]);
    console.log(`newman run: ${Date.now() - started} ms`);
    const { run: summary } = JSON.parse(readFileSync(report, 'utf8')) as {
      run: { stats: Record<string, { total: number; failed: number }>; executions: Array<{ response: { code: number; header: Array<{ key: string; value: string }> } }> };
    };
    expect(summary.stats['requests']).toEqual({ total: documentExamples().size, pending: 0, failed: 0 });
    expect(summary.stats['assertions']).toMatchObject({ total: 3 * documentExamples().size, failed: 0 });
    for (const execution of summary.executions) {
      expect(execution.response.code).toBe(200);
      expect(execution.response.header.find((header) => header.key === PROXY_HEADER.verified)?.value).toBe('true');
    }
    expectEveryRequestVerified(forNewman);
  }, 60_000);

  it('the Bruno CLI runs the Bruno collection through the proxy against a fresh gateway, offline: every test passes, every answer verified', async () => {
    const report = join(dir, 'bruno.json');
    const started = Date.now();
    await execFileAsync(join(BIN_DIR, 'bru'), ['run', '--env', BRUNO_ENVIRONMENT, '--env-var', `baseUrl=${forBruno.proxy.url}`, '--reporter-json', report], { cwd: brunoDir });
    console.log(`bru run: ${Date.now() - started} ms`);
    const [iteration] = JSON.parse(readFileSync(report, 'utf8')) as Array<{
      summary: Record<string, number>;
      results: Array<{ test: { filename: string }; response: { status: number; headers: Record<string, string> } }>;
    }>;
    const size = documentExamples().size;
    expect(iteration?.summary).toMatchObject({ totalRequests: size, passedRequests: size, failedRequests: 0, errorRequests: 0, totalTests: 3 * size, failedTests: 0 });
    // In the document's order: payments first (folder seq), pay before inquiryPayment.
    expect(iteration?.results.slice(0, 2).map((result) => result.test.filename)).toEqual(['payments/pay.bru', 'payments/inquiryPayment.bru']);
    for (const result of iteration?.results ?? []) {
      expect(result.response.status).toBe(200);
      expect(result.response.headers[PROXY_HEADER.verified]).toBe('true');
    }
    expectEveryRequestVerified(forBruno);
  }, 60_000);

  it('--base-url sets the variable; --postman - prints the collection; no output option or a foreign directory is refused', async () => {
    const printed = await run(['collections', '--postman', '-', '--base-url', 'http://localhost:9999/']);
    expect(printed.code).toBe(0);
    expect((JSON.parse(printed.out.join('\n')) as { variable: Array<{ value: string }> }).variable[0]?.value).toBe('http://localhost:9999');
    const nothing = await run(['collections']);
    expect(nothing.code).toBe(2);
    expect(nothing.text).toContain('--postman FILE');
    const foreign = await run(['collections', '--bruno', join(dir, '..')]);
    expect(foreign.code).toBe(2);
    expect(foreign.text).toContain('neither empty nor a Bruno collection');
    // Writing again into the generated collection is fine.
    expect((await run(['collections', '--bruno', brunoDir])).code).toBe(0);
  });
});
