/** Date-times of metering requests and answers. */
import { AmsError, formatResponseTime } from '@amsgate/protocol';
import { parseWireTime } from '../payments/wire-time.js';

export function wireTime(ms: number): string {
  return formatResponseTime(ms);
}

/** A request date-time as epoch ms, or PARAM_ILLEGAL naming the field. */
export function requestTime(text: string, field: string): number {
  const ms = parseWireTime(text);
  if (ms === undefined) throw AmsError.paramIllegal(field, `must be an ISO 8601 date-time with an offset, got ${JSON.stringify(text)}`);
  return ms;
}

/** The [from, to) a list's startDateTime / endDateTime bound creation to. */
export function createdBounds(start: string | undefined, end: string | undefined): { createdFrom?: number; createdTo?: number } {
  const createdFrom = start === undefined ? undefined : requestTime(start, 'startDateTime');
  const createdTo = end === undefined ? undefined : requestTime(end, 'endDateTime');
  if (createdFrom !== undefined && createdTo !== undefined && createdTo <= createdFrom) throw AmsError.paramIllegal('endDateTime', 'must be later than startDateTime');
  return { ...(createdFrom !== undefined ? { createdFrom } : {}), ...(createdTo !== undefined ? { createdTo } : {}) };
}
