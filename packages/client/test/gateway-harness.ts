/**
 * A real amsgate gateway on port 0 (SQLite in a temp dir) with a sandbox
 * client, and a fault-injecting proxy in front of it: the proxy forwards
 * every request to the gateway (so the gateway acts on it), then answers the
 * SDK as scripted: pass the answer through, lose it, replace it by a 503,
 * delay it, or alter it.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gateway, type GatewayConfig } from '@amsgate/gateway';
import { AntomClient, type AntomClientOptions } from '../src/index.js';

export interface TestGateway {
  gateway: Gateway;
  baseUrl: string;
  clientId: string;
  merchantPrivateKey: string;
  antomPublicKey: string;
  client: (overrides?: Partial<AntomClientOptions>) => AntomClient;
  /** Plays the buyer on the checkout page. */
  complete: (paymentId: string, outcome?: 'success' | 'fail') => Promise<void>;
  /** Payments the gateway holds for a paymentRequestId: what "one effect" is checked against. */
  paymentsFor: (paymentRequestId: string) => Promise<Array<{ payment_id: string; status: string }>>;
  close: () => Promise<void>;
}

export async function startGateway(overrides: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const gateway = await Gateway.open({
    dataDir: mkdtempSync(join(tmpdir(), 'amsgate-client-test-')),
    port: 0,
    httpsPort: null,
    logger: false,
    sweepIntervalMs: 0,
    mode: 'sandbox',
    ...overrides,
  });
  const { httpUrl } = await gateway.start();
  const created = await gateway.clients.create({ sandbox: true, name: 'client sdk test' });
  const merchantPrivateKey = created.merchantPrivateKey as string;
  return {
    gateway,
    baseUrl: httpUrl,
    clientId: created.client.clientId,
    merchantPrivateKey,
    antomPublicKey: created.client.gatewayPublicKey,
    client: (clientOverrides = {}) =>
      new AntomClient({
        clientId: created.client.clientId,
        privateKey: merchantPrivateKey,
        antomPublicKey: created.client.gatewayPublicKey,
        baseUrl: httpUrl,
        retryDelayMs: 5,
        ...clientOverrides,
      }),
    complete: async (paymentId, outcome = 'success') => {
      const response = await fetch(`${httpUrl}/sandbox/payments/${paymentId}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome }),
      });
      if (response.status !== 200) throw new Error(`complete ${paymentId}: HTTP ${response.status} ${await response.text()}`);
    },
    paymentsFor: (paymentRequestId) =>
      gateway.database.db
        .selectFrom('payments')
        .select(['payment_id', 'status'])
        .where('client_id', '=', created.client.clientId)
        .where('payment_request_id', '=', paymentRequestId)
        .execute(),
    close: () => gateway.close(),
  };
}

export interface Forwarded {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** What the gateway answered (before any fault). */
  gatewayStatus: number;
  gatewayBody: string;
}

export interface GatewayAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the proxy does with the gateway's answer to one request. */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'lose' }
  | { kind: 'status'; status: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'alter'; change: (answer: GatewayAnswer) => GatewayAnswer };

export interface FaultProxy {
  baseUrl: string;
  forwarded: Forwarded[];
  /** Faults for the next requests, in order; once used up, answers pass through. */
  plan: (...faults: Fault[]) => void;
  close: () => Promise<void>;
}

const FORWARDED_REQUEST_HEADERS = ['content-type', 'client-id', 'request-time', 'signature', 'agent-token'];
const RELAYED_RESPONSE_HEADERS = ['content-type', 'client-id', 'response-time', 'signature'];

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const forwarded: Forwarded[] = [];
  let faults: Fault[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const name of FORWARDED_REQUEST_HEADERS) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body });
        const answer: GatewayAnswer = { status: upstream.status, headers: {}, body: await upstream.text() };
        for (const name of RELAYED_RESPONSE_HEADERS) {
          const value = upstream.headers.get(name);
          if (value !== null) answer.headers[name] = value;
        }
        forwarded.push({ url: req.url ?? '', headers: req.headers, body, gatewayStatus: answer.status, gatewayBody: answer.body });
        const fault = faults.shift() ?? { kind: 'pass' };
        await applyFault(fault, answer, res);
      })().catch((error: unknown) => {
        res.statusCode = 599;
        res.end(`proxy failure: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    forwarded,
    plan: (...next) => {
      faults = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function applyFault(fault: Fault, answer: GatewayAnswer, res: ServerResponse): Promise<void> {
  switch (fault.kind) {
    case 'lose':
      res.socket?.destroy();
      return;
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('injected failure');
      return;
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (res.destroyed) return;
      break;
    case 'alter':
      answer = fault.change(answer);
      break;
    case 'pass':
      break;
  }
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function cashierPay(overrides: Record<string, unknown> = {}) {
  const amount = { currency: 'USD', value: '1000' };
  return {
    productCode: 'CASHIER_PAYMENT' as const,
    paymentRequestId: uniqueId('pay'),
    paymentAmount: amount,
    order: { referenceOrderId: uniqueId('order'), orderDescription: 'Test order', orderAmount: amount },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    paymentNotifyUrl: 'https://merchant.example/notify',
    env: { terminalType: 'WEB' as const },
    ...overrides,
  };
}
