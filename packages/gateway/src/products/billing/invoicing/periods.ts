/** Billing periods: a price's `recurring.periodRule` (DAY, WEEK, MONTH, YEAR × periodCount) stepped in UTC. */
import { AmsError } from '@amsgate/protocol';

export const PERIOD_TYPES = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;

/** `from` plus `count` periods; a month step from the 31st lands on the month's last day. */
export function addPeriods(from: number, type: string, count: number): number {
  const d = new Date(from);
  switch (type) {
    case 'DAY':
      return from + count * 86_400_000;
    case 'WEEK':
      return from + count * 7 * 86_400_000;
    case 'MONTH':
    case 'YEAR': {
      const months = type === 'MONTH' ? count : count * 12;
      const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
      const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
      return target.getTime();
    }
    default:
      throw new AmsError('UNKNOWN_EXCEPTION', `unknown period type ${type}`);
  }
}
