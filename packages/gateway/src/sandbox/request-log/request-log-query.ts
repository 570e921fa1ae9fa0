/**
 * The filters of a request log listing as query parameters, shared by the
 * dashboard page and `GET /sandbox/requests` so both read them the same way:
 * `clientId`, `endpoint`, `status` (S, F or U, any case), `failures` (`1` or
 * `true`: only header and signature failures), `after` (a request id: only
 * newer entries) and `limit`.
 */
import type { ResultStatus } from '@amsgate/protocol';
import type { RequestFilter } from './request-log.js';

export const RESULT_STATUSES: readonly ResultStatus[] = ['S', 'F', 'U'];

export type RequestLogQuery = Partial<Record<'clientId' | 'endpoint' | 'status' | 'failures' | 'after' | 'limit', string>>;

/** The filter (its `limit` always set), or what is wrong with the query (for a 400 or an error on the page). */
export function parseRequestLogQuery(
  query: RequestLogQuery,
  limits: { default: number; max: number },
): { ok: true; filter: RequestFilter & { limit: number } } | { ok: false; error: string } {
  const text = (name: keyof RequestLogQuery): string | undefined => {
    const value = query[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const filter: RequestFilter & { limit: number } = { clientId: text('clientId'), endpoint: text('endpoint'), after: text('after'), limit: limits.default };
  const status = text('status')?.toUpperCase();
  if (status !== undefined) {
    if (!RESULT_STATUSES.includes(status as ResultStatus)) return { ok: false, error: 'status must be S, F or U' };
    filter.status = status as ResultStatus;
  }
  const failures = text('failures');
  filter.failuresOnly = failures === '1' || failures === 'true';
  const limit = text('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > limits.max) return { ok: false, error: `limit must be an integer from 1 to ${limits.max}` };
    filter.limit = n;
  }
  return { ok: true, filter };
}
