/**
 * Test harness: a real gateway on port 0 (SQLite in a temp dir, or
 * PostgreSQL in a fresh schema), a client registered with a merchant key
 * pair, and a caller that signs requests as the official SDKs do and
 * verifies every signed response.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { ENDPOINT_DEFINITIONS, endpointForRequestPath, importPrivateKey, importPublicKey, resultCodesOf, signHeader, verifyHeader, type Result } from '@amsgate/protocol';
import { Gateway, type GatewayConfig } from '../src/index.js';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { cashierPayProduct, payEndpoint, type PayProducts } from '../src/products/payments/endpoints/pay.js';
import type { PaymentService } from '../src/products/payments/payment-service.js';

export const POSTGRES_URL = process.env.AMSGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<boolean> | undefined;

/** Whether PostgreSQL tests run; says so loudly when they do not, and fails when CI requires them. */
export function postgresAvailable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (error) {
      if (process.env.AMSGATE_REQUIRE_POSTGRES) {
        throw new Error(`PostgreSQL is required (AMSGATE_REQUIRE_POSTGRES) but ${POSTGRES_URL} is unreachable: ${(error as Error).message}`);
      }
      console.warn(`\n*** SKIPPING PostgreSQL tests: ${POSTGRES_URL} is unreachable (${(error as Error).message}) ***\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresReachable;
}

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface TestGateway {
  gateway: Gateway;
  baseUrl: string;
  client: CreatedClient;
  call: (endpoint: string, body: unknown, options?: CallOptions) => Promise<CallResult>;
  /** Completes a pending payment through the sandbox control API (default: success). */
  complete: (paymentId: string, outcome?: Record<string, unknown>) => Promise<{ status: number; json: Record<string, unknown> }>;
  close: () => Promise<void>;
}

export interface CallOptions {
  clientId?: string;
  privateKey?: string;
  keyVersion?: number;
  time?: string;
  headers?: Record<string, string>;
  /** Exact body text (default: JSON.stringify(body)). */
  rawBody?: string | Buffer;
  path?: string;
  method?: string;
  /** Skip signing (to test header failures). */
  unsigned?: boolean;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  body: { result: Result } & Record<string, unknown>;
  /** null when the response carried no signature. */
  signatureValid: boolean | null;
}

export async function startTestGateway(dialect: DialectName, overrides: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-test-'));
  const schema = dialect === 'postgres' ? `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}` : undefined;
  const gateway = await Gateway.open({
    dataDir,
    port: 0,
    httpsPort: null,
    logger: false,
    sweepIntervalMs: 0,
    mode: 'sandbox',
    ...(dialect === 'postgres' ? { databaseUrl: POSTGRES_URL, databaseSchema: schema } : {}),
    ...overrides,
  });
  const started = await gateway.start();
  const client = await gateway.clients.create({ sandbox: true, name: 'test merchant' });
  const baseUrl = started.httpUrl;
  const antomKey = importPublicKey(client.client.gatewayPublicKey);
  const merchantKey = importPrivateKey(client.merchantPrivateKey as string);

  async function call(endpoint: string, body: unknown, options: CallOptions = {}): Promise<CallResult> {
    const path = options.path ?? `/ams/api/v1/${endpoint}`;
    const clientId = options.clientId ?? client.client.clientId;
    const time = options.time ?? String(Date.now());
    const bodyBytes = Buffer.isBuffer(options.rawBody) ? options.rawBody : Buffer.from(options.rawBody ?? JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8', 'client-id': clientId, 'request-time': time };
    if (!options.unsigned) {
      const key = options.privateKey ? importPrivateKey(options.privateKey) : merchantKey;
      headers.signature = signHeader({ uri: path, clientId, time, body: bodyBytes }, key, options.keyVersion ?? 1);
    }
    Object.assign(headers, options.headers);
    for (const [name, value] of Object.entries(headers)) if (value === '\u0000') delete headers[name];
    const response = await fetch(`${baseUrl}${path}`, { method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : bodyBytes });
    const text = await response.text();
    const signature = response.headers.get('signature');
    const responseTime = response.headers.get('response-time');
    const signatureValid = signature === null
      ? null
      : verifyHeader({ uri: path, clientId: response.headers.get('client-id') ?? '', time: responseTime ?? '', body: Buffer.from(text, 'utf8') }, signature, antomKey).ok;
    const parsed = JSON.parse(text) as CallResult['body'];
    checkDeclaredResultCode(path, parsed);
    return { status: response.status, headers: response.headers, text, body: parsed, signatureValid };
  }

  async function complete(paymentId: string, outcome: Record<string, unknown> = { outcome: 'success' }): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl}/sandbox/payments/${paymentId}/complete`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(outcome),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  return {
    gateway,
    baseUrl,
    client,
    call,
    complete,
    close: async () => {
      await gateway.close();
      if (schema) await dropSchema(schema);
    },
  };
}

/**
 * Every answer an endpoint gives in these tests must carry a result code its
 * definition declares (the OpenAPI document lists them): an undeclared one
 * fails the test that caused it. Scenario rules answer any code on purpose.
 */
function checkDeclaredResultCode(path: string, body: Partial<CallResult['body']>): void {
  const endpoint = endpointForRequestPath(path.split('?')[0] ?? path);
  const result = body.result;
  if (endpoint === undefined || result === undefined || result.resultMessage.startsWith('Simulated scenario')) return;
  const declared = resultCodesOf(ENDPOINT_DEFINITIONS[endpoint]);
  if (!(declared as readonly string[]).includes(result.resultCode)) {
    throw new Error(`${endpoint} answered ${result.resultCode} (${result.resultMessage}), which its definition does not declare in resultCodes: add it there (packages/protocol/src/endpoints/)`);
  }
}

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function cashierPay(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: uniqueId('pay'),
    paymentAmount: { currency: 'USD', value: '1000' },
    order: {
      referenceOrderId: uniqueId('order'),
      orderDescription: 'Test order',
      orderAmount: { currency: 'USD', value: '1000' },
    },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    paymentNotifyUrl: 'https://merchant.example/notify',
    env: { terminalType: 'WEB' },
    ...overrides,
  };
}

let codeCounter = 0;
/** A fresh 24-digit Alipay+ payment code ending in `suffix` (the sandbox outcome rule). */
export function paymentCode(suffix = '33'): string {
  codeCounter += 1;
  const unique = `${Date.now() % 10_000_000_000}`.padStart(10, '0') + `${codeCounter % 10_000}`.padStart(4, '0');
  return `28100602${unique}${suffix}`;
}

/** An IN_STORE_PAYMENT pay request (Payment Code mode by default); `scenario` / `code` null: left out of the request. */
export function inStorePay(overrides: Record<string, unknown> = {}, scenario: string | null = 'PaymentCode', code: string | null = paymentCode()): Record<string, unknown> {
  return {
    productCode: 'IN_STORE_PAYMENT',
    paymentRequestId: uniqueId('instore'),
    paymentAmount: { currency: 'USD', value: '1200' },
    order: {
      referenceOrderId: uniqueId('order'),
      orderDescription: 'Coffee',
      orderAmount: { currency: 'USD', value: '1200' },
      merchant: {
        referenceMerchantId: 'm-1', merchantMCC: '5411', merchantName: 'Cafe',
        store: { referenceStoreId: 's-1', storeName: 'Cafe Main St', storeMCC: '5411' },
      },
      env: { storeTerminalId: 'T-1', storeTerminalRequestTime: '2025-01-01T10:00:00+0800', userAgent: 'Mozilla/5.0 AlipayConnect' },
    },
    paymentMethod: { paymentMethodType: 'CONNECT_WALLET', ...(code !== null ? { paymentMethodId: code } : {}) },
    ...(scenario !== null ? { paymentFactor: { inStorePaymentScenario: scenario } } : {}),
    paymentNotifyUrl: 'https://merchant.example/notify',
    ...overrides,
  };
}

/** An Auto Debit pay with an access token from applyToken. */
export function agreementPay(accessToken: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    productCode: 'AGREEMENT_PAYMENT',
    paymentRequestId: uniqueId('adpay'),
    paymentAmount: { currency: 'USD', value: '1000' },
    order: { referenceOrderId: uniqueId('order'), orderDescription: 'Subscription', orderAmount: { currency: 'USD', value: '1000' } },
    paymentMethod: { paymentMethodType: 'GCASH', paymentMethodId: accessToken },
    paymentNotifyUrl: 'https://merchant.example/notify',
    ...overrides,
  };
}

/** `payments/pay` for cashier payments only, on a service built without a gateway (run it with `runModule`). */
export function cashierPayModule(payments: PaymentService) {
  return payEndpoint({ CASHIER_PAYMENT: cashierPayProduct(payments) } as unknown as PayProducts, undefined);
}

/**
 * A gateway for the tests of one describe block (started before them,
 * closed after), with a second client for the "another merchant's data"
 * checks, and a POST to the sandbox control API.
 */
export function gatewayWithOtherClient(dialect: DialectName, overrides: Partial<GatewayConfig> = {}) {
  let started: TestGateway | undefined;
  let other: CreatedClient | undefined;
  beforeAll(async () => {
    started = await startTestGateway(dialect, overrides);
    other = await started.gateway.clients.create({ sandbox: true, name: 'another merchant' });
  });
  afterAll(async () => started?.close());
  const gateway = (): TestGateway => {
    if (started === undefined) throw new Error('the gateway starts in beforeAll');
    return started;
  };
  return {
    gateway,
    /** call() options that sign as the other client. */
    asOther: () => ({ clientId: (other as CreatedClient).client.clientId, privateKey: (other as CreatedClient).merchantPrivateKey as string }),
    post: async (path: string, body: unknown = {}): Promise<{ status: number; json: Record<string, unknown> }> => {
      const response = await fetch(`${gateway().baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
  };
}
