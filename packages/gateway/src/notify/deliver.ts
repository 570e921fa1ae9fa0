/**
 * One HTTP POST of a notification: no redirects followed, a timeout, the
 * answer read up to a limit, internal addresses refused unless allowed.
 * Success means HTTP 200 with `result.resultStatus` `S`, as Antom requires.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkNotifyUrl, guardedLookup, RefusedUrlError } from './url-guard.js';

export interface DeliveryOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  allowInternal: boolean;
}

/**
 * How an attempt ended: `delivered` (HTTP 200 with the acknowledgement);
 * `rejected` (the receiver answered otherwise: another status, a redirect,
 * no acknowledgement, an answer over the limit); `timeout` (no complete
 * answer in time); `network` (the connection failed or broke); `refused`
 * (the URL, or the client, can never work: not retried).
 */
export type AttemptOutcome = 'delivered' | 'rejected' | 'timeout' | 'network' | 'refused';

export interface DeliveryOutcome {
  outcome: AttemptOutcome;
  succeeded: boolean;
  httpStatus: number | null;
  /** The start of the answer, for people reading the attempt log. */
  excerpt: string | null;
  error: string | null;
  durationMs: number;
  /** The URL can never work (refused address, bad scheme): retrying is pointless. */
  permanent: boolean;
  /** Abandoned before an answer because the gateway is stopping: not the receiver's fault, not an attempt to count. */
  aborted?: true;
}

const EXCERPT_CHARS = 500;

/**
 * Posts one notification. `signal` abandons the delivery (the gateway is
 * stopping): the request is destroyed and the outcome says `aborted`.
 */
export function deliverNotification(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  options: DeliveryOptions,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const started = performance.now();
  const done = (partial: Omit<DeliveryOutcome, 'durationMs'>): DeliveryOutcome => ({ ...partial, durationMs: Math.round(performance.now() - started) });
  let target: URL;
  try {
    target = new URL(url);
    checkNotifyUrl(target, options.allowInternal);
  } catch (error) {
    return Promise.resolve(done({ outcome: 'refused', succeeded: false, httpStatus: null, excerpt: null, error: (error as Error).message, permanent: true }));
  }

  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<DeliveryOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abandon);
      resolve(done(outcome));
    };
    const abandon = () => {
      request.destroy();
      finish({ outcome: 'network', succeeded: false, httpStatus: null, excerpt: null, error: 'abandoned: the gateway is stopping', permanent: false, aborted: true });
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        lookup: guardedLookup(options.allowInternal),
        agent: false,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxResponseBytes) {
            const text = Buffer.concat(chunks).toString('utf8');
            response.destroy();
            finish({ outcome: 'rejected', succeeded: false, httpStatus: response.statusCode ?? null, excerpt: text.slice(0, EXCERPT_CHARS), error: `the answer is larger than ${options.maxResponseBytes} bytes`, permanent: false });
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const succeeded = status === 200 && acknowledges(text);
          finish({ outcome: succeeded ? 'delivered' : 'rejected', succeeded, httpStatus: status, excerpt: text.slice(0, EXCERPT_CHARS), error: verdictOf(status, text), permanent: false });
        });
        response.on('error', (error) => finish({ outcome: 'network', succeeded: false, httpStatus: response.statusCode ?? null, excerpt: null, error: error.message, permanent: false }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ outcome: 'timeout', succeeded: false, httpStatus: null, excerpt: null, error: `no complete answer within ${options.timeoutMs} ms`, permanent: false });
    }, options.timeoutMs);
    request.on('error', (error) => {
      const refused = error instanceof RefusedUrlError;
      finish({ outcome: refused ? 'refused' : 'network', succeeded: false, httpStatus: null, excerpt: null, error: error.message, permanent: refused });
    });
    if (signal?.aborted) abandon();
    else {
      signal?.addEventListener('abort', abandon, { once: true });
      request.end(body);
    }
  });
}

function acknowledges(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { result?: { resultStatus?: unknown } } | null;
    return parsed?.result?.resultStatus === 'S';
  } catch {
    return false;
  }
}

function verdictOf(status: number, text: string): string | null {
  if (status !== 200) return status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
  return acknowledges(text) ? null : 'HTTP 200 without the acknowledgement body ({"result":{"resultStatus":"S",…}})';
}
