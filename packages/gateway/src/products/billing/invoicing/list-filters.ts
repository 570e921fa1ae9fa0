/** The date filters Billing's lists and exports take (`startDate`/`endDate`: yyyy-MM-dd or ISO 8601, end inclusive of its day). */
import { AmsError } from '@amsgate/protocol';

function bound(value: string, field: string, endOfDay: boolean): number {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) + (endOfDay ? 86_400_000 : 0) : Date.parse(value);
  if (Number.isNaN(at)) throw AmsError.paramIllegal(field, `must be yyyy-MM-dd or an ISO 8601 time, got ${JSON.stringify(value.slice(0, 40))}`);
  return at;
}

export function dateBounds(startDate: string | undefined, endDate: string | undefined, fields = { start: 'startDate', end: 'endDate' }): { createdFrom?: number; createdTo?: number } {
  const from = startDate === undefined ? undefined : bound(startDate, fields.start, false);
  const to = endDate === undefined ? undefined : bound(endDate, fields.end, true);
  if (from !== undefined && to !== undefined && from >= to) throw AmsError.paramIllegal(fields.end, 'must be after startDate');
  return { ...(from === undefined ? {} : { createdFrom: from }), ...(to === undefined ? {} : { createdTo: to }) };
}
