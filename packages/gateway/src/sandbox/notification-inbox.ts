/**
 * A notify URL for tests: an HTTP listener on loopback that acknowledges
 * every notification as Antom expects, checks its signature with the
 * client's Antom public key, and keeps it, so a test can wait for the one it
 * is after (`waitFor`) instead of writing a receiver. A received
 * notification is what `AntomClient.verifyNotification` takes, so the test
 * can verify it the way the merchant's own handler does.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { verifyHeader } from '@amsgate/protocol';

export interface ReceivedNotification {
  /** `notifyType` of the body (`PAYMENT_RESULT`, `REFUND_RESULT`, …), or `''` when the body has none. */
  readonly notifyType: string;
  /** The parsed JSON body (`undefined` when it was not JSON). */
  readonly body: Record<string, unknown> | undefined;
  readonly rawBody: string;
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  /** The path it was posted to, query included (a test may give each flow its own path or query under the inbox URL). */
  readonly path: string;
  /** The `signature` header verified over this request with the Antom public key. */
  readonly verified: boolean;
}

/** A predicate, or fields the body must have (`{ notifyType: 'PAYMENT_RESULT', paymentId }`). */
export type NotificationMatch = ((notification: ReceivedNotification) => boolean) | Readonly<Record<string, string>>;

interface Waiter {
  matches: (notification: ReceivedNotification) => boolean;
  resolve: (notification: ReceivedNotification) => void;
  reject: (error: Error) => void;
}

const ACK = JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
const MAX_BODY_BYTES = 1024 * 1024;

export class NotificationInbox {
  private readonly kept: ReceivedNotification[] = [];
  private waiters: Waiter[] = [];

  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1 (a free port); `antomPublicKey` verifies what arrives. */
  static async open(antomPublicKey: KeyObject): Promise<NotificationInbox> {
    const server = createServer();
    const inbox = new NotificationInbox(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => inbox.receive(request, response, antomPublicKey));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return inbox;
  }

  /** `http://127.0.0.1:PORT/notify`: give it as the notify URL (any path under it arrives here too). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify`;
  }

  /** Every notification received so far, oldest first. */
  get received(): readonly ReceivedNotification[] {
    return this.kept;
  }

  /**
   * The first verified notification (already received, or the next to
   * arrive) that matches; rejects after `timeoutMs` naming what it waited
   * for, or when the inbox closes. `{ unverified: true }` also matches
   * notifications whose signature did not verify (to test a refusal).
   */
  waitFor(match: NotificationMatch = () => true, timeoutMs = 10_000, options: { unverified?: boolean } = {}): Promise<ReceivedNotification> {
    const fields = matcherOf(match);
    const matches = (notification: ReceivedNotification) => (notification.verified || options.unverified === true) && fields(notification);
    const found = this.kept.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve: (notification) => {
          clearTimeout(timer);
          resolve(notification);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no notification matching ${describe(match)} within ${timeoutMs} ms (received: ${this.kept.map((n) => n.notifyType || '?').join(', ') || 'none'})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    for (const waiter of this.waiters) waiter.reject(new Error('the notification inbox closed while waiting'));
    this.waiters = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(request: IncomingMessage, response: ServerResponse, antomPublicKey: KeyObject): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413, { 'content-type': 'text/plain' }).end('notification body over 1 MiB');
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const method = request.method ?? '';
      // The signature covers the path without the query string.
      const signed = { method, uri: path.split('?')[0] ?? path, clientId: String(request.headers['client-id'] ?? ''), time: String(request.headers['request-time'] ?? ''), body: rawBody };
      const signature = request.headers['signature'];
      const verified = verifyHeader(signed, typeof signature === 'string' ? signature : undefined, antomPublicKey).ok;
      const body = parseObject(rawBody);
      const notifyType = typeof body?.['notifyType'] === 'string' ? body['notifyType'] : '';
      this.keep({ notifyType, body, rawBody, headers: request.headers, method, path, verified });
      response.writeHead(200, { 'content-type': 'application/json' }).end(ACK);
    });
  }

  private keep(notification: ReceivedNotification): void {
    this.kept.push(notification);
    const satisfied = this.waiters.filter((waiter) => waiter.matches(notification));
    this.waiters = this.waiters.filter((waiter) => !satisfied.includes(waiter));
    for (const waiter of satisfied) waiter.resolve(notification);
  }
}

function matcherOf(match: NotificationMatch): (notification: ReceivedNotification) => boolean {
  if (typeof match === 'function') return match;
  return (notification) => Object.entries(match).every(([field, value]) => notification.body?.[field] === value);
}

function describe(match: NotificationMatch): string {
  return typeof match === 'function' ? 'the predicate' : JSON.stringify(match);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
