/**
 * The filters of a payment listing as query parameters, shared by the
 * dashboard page and `GET /admin/payments` so both read them the same way:
 * `clientId`, `status`, `paymentMethodType`, `productCode`, `q` (a
 * paymentId or paymentRequestId), `from` / `to` (UTC dates or date-times,
 * each bound inclusive at its precision), `before` (the cursor) and `limit`.
 */
import type { PaymentStatus } from '../../products/payments/tables.js';

/** The statuses of a stored payment (protocol's `PAYMENT_STATUSES` are those an inquiry may answer, PENDING included). */
export const PAYMENT_RECORD_STATUSES: readonly PaymentStatus[] = ['PROCESSING', 'SUCCESS', 'FAIL', 'CANCELLED'];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

export interface PaymentListFilter {
  clientId?: string;
  status?: PaymentStatus;
  paymentMethodType?: string;
  productCode?: string;
  /** A paymentId or a paymentRequestId, matched exactly. */
  search?: string;
  /** Created at or after (epoch ms). */
  createdFrom?: number;
  /** Created before (epoch ms, exclusive). */
  createdBefore?: number;
  /** Cursor: the paymentId of the last row of the previous page; the page holds older payments. */
  before?: string;
  limit: number;
}

export type PaymentListQuery = Partial<Record<'clientId' | 'status' | 'paymentMethodType' | 'productCode' | 'q' | 'from' | 'to' | 'before' | 'limit', string>>;

const PAYMENT_ID = /^PAY[0-9A-Z]{26}$/;
// Date, or date-time to minutes, seconds or milliseconds; UTC unless a zone is given.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The filter, or what is wrong with the query (for a 400 or an error on the page). */
export function parsePaymentListQuery(query: PaymentListQuery): { ok: true; filter: PaymentListFilter } | { ok: false; error: string } {
  const text = (name: keyof PaymentListQuery): string | undefined => {
    const value = query[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const filter: PaymentListFilter = { limit: DEFAULT_PAGE_SIZE };
  const status = text('status')?.toUpperCase();
  if (status !== undefined) {
    if (!PAYMENT_RECORD_STATUSES.includes(status as PaymentStatus)) return { ok: false, error: `status must be one of ${PAYMENT_RECORD_STATUSES.join(', ')}` };
    filter.status = status as PaymentStatus;
  }
  for (const [name, field] of [['clientId', 'clientId'], ['paymentMethodType', 'paymentMethodType'], ['productCode', 'productCode'], ['q', 'search']] as const) {
    const value = text(name);
    if (value === undefined) continue;
    if (value.length > 128) return { ok: false, error: `${name} is longer than 128 characters` };
    filter[field] = value;
  }
  const from = text('from');
  if (from !== undefined) {
    const range = parseTimeRange(from);
    if (!range) return { ok: false, error: `from "${from}" is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM, UTC unless a zone is given)` };
    filter.createdFrom = range.start;
  }
  const to = text('to');
  if (to !== undefined) {
    const range = parseTimeRange(to);
    if (!range) return { ok: false, error: `to "${to}" is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM, UTC unless a zone is given)` };
    filter.createdBefore = range.end;
  }
  if (filter.createdFrom !== undefined && filter.createdBefore !== undefined && filter.createdFrom >= filter.createdBefore) {
    return { ok: false, error: 'from must be before to' };
  }
  const before = text('before');
  if (before !== undefined) {
    if (!PAYMENT_ID.test(before)) return { ok: false, error: 'before must be a paymentId (the cursor of the "older" link)' };
    filter.before = before;
  }
  const limit = text('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) return { ok: false, error: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` };
    filter.limit = n;
  }
  return { ok: true, filter };
}

/** The instants a date or date-time covers: `2026-01-02` is that whole day, `…T10:30` that minute. */
function parseTimeRange(value: string): { start: number; end: number } | undefined {
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const iso = `${year}-${month}-${day}T${hour ?? '00'}:${minute ?? '00'}:${second ?? '00'}.${(fraction ?? '0').padEnd(3, '0')}${zone ?? 'Z'}`;
  const start = Date.parse(iso);
  // Date.parse rolls 2026-02-31 over to March: refuse dates that do not exist.
  if (Number.isNaN(start) || new Date(Date.parse(`${year}-${month}-${day}T00:00:00Z`)).toISOString().slice(0, 10) !== `${year}-${month}-${day}`) return undefined;
  const unit = hour === undefined ? 86_400_000 : second === undefined ? 60_000 : fraction === undefined ? 1000 : 10 ** (3 - fraction.length);
  return { start, end: start + unit };
}
