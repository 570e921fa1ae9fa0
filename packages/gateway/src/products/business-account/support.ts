/** What the Business Account's endpoints share: time ranges and numbered pages. */
import { AmsError } from '@amsgate/protocol';
import { parseWireTime } from '../payments/wire-time.js';

/** The longest time range a statement or card-transaction inquiry spans (Antom: 100 days). */
export const MAX_RANGE_MS = 100 * 24 * 60 * 60 * 1000;

export function parseTime(text: string, field: string): number {
  const at = parseWireTime(text);
  if (at === undefined) throw AmsError.paramIllegal(field, `"${text.slice(0, 40)}" is not an ISO 8601 date-time such as 2024-01-01T00:00:00+08:00`);
  return at;
}

/** [from, to] in epoch ms, to inclusive; either may be open when the request leaves it out. */
export function parseRange(startTime: string | undefined, endTime: string | undefined): { from?: number; to?: number } {
  const from = startTime === undefined || startTime === '' ? undefined : parseTime(startTime, 'startTime');
  const to = endTime === undefined || endTime === '' ? undefined : parseTime(endTime, 'endTime');
  if (from !== undefined && to !== undefined) {
    if (to < from) throw AmsError.paramIllegal('endTime', 'is before startTime');
    if (to - from > MAX_RANGE_MS) throw AmsError.paramIllegal('endTime', 'is more than 100 days after startTime');
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** A 1-based page number and size: integers, or decimal strings as inquiryStatementList sends them. */
export function pageOf(pageNumber: unknown, pageSize: unknown, maxSize: number): { number: number; size: number } {
  const number = integerOf(pageNumber, 'pageNumber');
  const size = integerOf(pageSize, 'pageSize');
  if (number < 1) throw AmsError.paramIllegal('pageNumber', 'must be 1 or more');
  if (size < 1 || size > maxSize) throw AmsError.paramIllegal('pageSize', `must be 1 to ${maxSize}`);
  return { number, size };
}

function integerOf(value: unknown, field: string): number {
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw AmsError.paramIllegal(field, 'must be a whole number');
  return number;
}

export const pageCount = (total: number, size: number): number => Math.ceil(total / size);

/** One numbered page of items already filtered in memory (card transactions: lists of values, ORed, that the engine's one-value filters cannot express). */
export function slicePage<T>(items: readonly T[], page: { number: number; size: number }): { items: T[]; total: number } {
  return { items: items.slice((page.number - 1) * page.size, page.number * page.size), total: items.length };
}
