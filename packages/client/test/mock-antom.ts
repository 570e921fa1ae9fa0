/**
 * A scripted stand-in for Antom, for answers a real gateway does not give on
 * demand: U then S, 5xx, connection resets, stalls, unsigned and forged
 * responses. Each request takes the next scripted handler (the last repeats)
 * and is recorded byte for byte.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { KEYS } from './fixtures.js';

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export type Handler = (request: Captured, response: ServerResponse) => void | Promise<void>;

export interface MockAntom {
  baseUrl: string;
  requests: Captured[];
  script: (...handlers: Handler[]) => void;
  close: () => Promise<void>;
}

export const MOCK_CLIENT_ID = '5YEXAMPLE000001';
export const RESPONSE_TIME = '2026-03-01T12:00:00+08:00';
const ANTOM_KEY = importPrivateKey(KEYS.server_v1.privateKeyPkcs8Base64);
const OTHER_KEY = importPrivateKey(KEYS.merchant_v2.privateKeyPkcs8Base64);

export async function startMockAntom(): Promise<MockAntom> {
  const requests: Captured[] = [];
  let handlers: Handler[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const captured: Captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, text: body.toString('utf8') };
      requests.push(captured);
      const handler = handlers.length > 1 ? handlers.shift() : handlers[0];
      if (!handler) {
        res.statusCode = 500;
        res.end('no handler scripted');
        return;
      }
      void Promise.resolve(handler(captured, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    script: (...next) => {
      handlers = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface AnswerOptions {
  /** valid (default), none, signature-only, time-only, wrong-key (signed by another key). */
  sign?: 'valid' | 'none' | 'signature-only' | 'time-only' | 'wrong-key';
  /** Changes the body after signing. */
  alter?: (body: string) => string;
  /** client-id header sent (default: the one signed). */
  clientIdHeader?: string | null;
  status?: number;
  extraHeaders?: Record<string, string>;
}

/** An answer signed as Antom signs one: over the request's path, our client id, the response-time and the exact body. */
export function answer(body: object | string, options: AnswerOptions = {}): Handler {
  return (request, response) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const mode = options.sign ?? 'valid';
    const signature = signHeader(
      { uri: request.url, clientId: MOCK_CLIENT_ID, time: RESPONSE_TIME, body: text },
      mode === 'wrong-key' ? OTHER_KEY : ANTOM_KEY,
      1,
    );
    response.statusCode = options.status ?? 200;
    response.setHeader('content-type', 'application/json; charset=UTF-8');
    const clientIdHeader = options.clientIdHeader === undefined ? MOCK_CLIENT_ID : options.clientIdHeader;
    if (clientIdHeader !== null && mode !== 'none') response.setHeader('client-id', clientIdHeader);
    if (mode !== 'none' && mode !== 'signature-only') response.setHeader('response-time', RESPONSE_TIME);
    if (mode !== 'none' && mode !== 'time-only') response.setHeader('signature', signature);
    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) response.setHeader(name, value);
    response.end(options.alter ? options.alter(text) : text);
  };
}

export function result(resultStatus: 'S' | 'F' | 'U', resultCode: string, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { result: { resultCode, resultStatus, resultMessage: resultCode.toLowerCase() }, ...rest };
}

/** Closes the connection without answering, after the request was read (a lost response). */
export const reset: Handler = (_request, response) => {
  response.socket?.destroy();
};

export function delayed(ms: number, then: Handler): Handler {
  return (request, response) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (!response.destroyed) void Promise.resolve(then(request, response)).then(resolve);
        else resolve();
      }, ms);
      response.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
}

/** Sends the status line and headers, then never finishes the body. */
export const stallBody: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  response.write('{"result":');
};

export function httpStatus(status: number, body = 'upstream trouble', headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/plain', ...headers });
    response.end(body);
  };
}
