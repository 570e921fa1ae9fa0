/**
 * When a call is retried, and how long to wait first.
 *
 * | what happened                                         | idempotent endpoint | other endpoint |
 * |-------------------------------------------------------|---------------------|----------------|
 * | no connection (refused, DNS, unreachable, connect timeout): nothing was sent | retry | retry |
 * | connection lost after sending (reset, socket closed)  | retry               | no             |
 * | timeout (no complete answer in `timeoutMs`)           | retry               | no             |
 * | HTTP 5xx                                              | retry               | no             |
 * | other non-200 HTTP status                             | no                  | no             |
 * | `U` answer other than *_IN_PROCESS                    | retry               | no             |
 * | `U` PAYMENT/REFUND/CAPTURE_IN_PROCESS                 | no (the normal answer) | no          |
 * | `S`, `F`                                              | no                  | no             |
 * | response not provably Antom's (signature)             | no                  | no             |
 * | the caller's signal aborted                           | no                  | no             |
 *
 * A retry resends the byte-identical body (so the same paymentRequestId /
 * refundRequestId / captureRequestId) with a fresh `request-time` and
 * signature; Antom's idempotency then returns the recorded result instead
 * of acting twice.
 */
import type { RetrySettings } from './config.js';
import { IN_PROCESS_CODES } from './endpoints.js';

export type AttemptFailure =
  | { readonly kind: 'network'; readonly delivered: 'no' | 'maybe' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'http-status'; readonly status: number }
  | { readonly kind: 'unknown-answer'; readonly resultCode: string };

export function isRetryable(failure: AttemptFailure, idempotent: boolean): boolean {
  switch (failure.kind) {
    case 'network':
      return failure.delivered === 'no' || idempotent;
    case 'timeout':
      return idempotent;
    case 'http-status':
      return failure.status >= 500 && failure.status <= 599 && idempotent;
    case 'unknown-answer':
      return !IN_PROCESS_CODES.has(failure.resultCode) && idempotent;
  }
}

/** Error codes (Node / undici) that mean the request never left: no connection was made. */
const NOT_DELIVERED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether a `fetch` rejection proves nothing was sent. Unknown errors count as "maybe sent". */
export function deliveryOf(error: unknown): 'no' | 'maybe' {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((code) => NOT_DELIVERED_CODES.has(code)) ? 'no' : 'maybe';
}

/** The `code`s along an error's cause chain (and inside an AggregateError, as undici raises for several addresses). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 4 || error === null || typeof error !== 'object') return [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string') return [record.code];
  if (Array.isArray(record.errors) && record.errors.length > 0) return record.errors.flatMap((inner) => errorCodes(inner, depth + 1));
  return errorCodes(record.cause, depth + 1);
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay, plus
 * a random share of the other half, so that clients that failed together do
 * not retry together, yet every wait has a floor.
 */
export function backoffDelay(retry: number, settings: RetrySettings, random: () => number = Math.random): number {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
