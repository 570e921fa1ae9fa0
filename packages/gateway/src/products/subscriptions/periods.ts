/**
 * A subscription's periods on the calendar. Phase `anchorPhase` starts at
 * `anchorAt`; each next phase starts `periodCount` × `periodType` later:
 * DAY and WEEK as fixed lengths, MONTH, QUARTER (3 months), HALF_YEAR (6)
 * and YEAR (12) as calendar months counted in the subscription's UTC
 * offset (that of its subscriptionStartTime), each from the anchor so a
 * start on the 31st falls on the last day of shorter months and back on the
 * 31st after them. Antom's docs name the units (PeriodType) but not the
 * arithmetic: this is the sandbox's.
 */
import type { PeriodType } from '@amsgate/protocol';

const DAY_MS = 86_400_000;

export interface PeriodClock {
  periodType: PeriodType;
  periodCount: number;
  anchorAt: number;
  anchorPhase: number;
  /** Minutes east of UTC the calendar is read in. */
  utcOffset: number;
}

const MONTHS_OF: Partial<Record<PeriodType, number>> = { MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12 };
const DAYS_OF: Partial<Record<PeriodType, number>> = { DAY: 1, WEEK: 7 };

/** `at` moved by `count` units of `periodType` (negative: back), calendar months clamped to the month's last day. */
export function addPeriods(at: number, utcOffset: number, periodType: PeriodType, count: number): number {
  const days = DAYS_OF[periodType];
  if (days !== undefined) return at + count * days * DAY_MS;
  const months = (MONTHS_OF[periodType] ?? 1) * count;
  const local = new Date(at + utcOffset * 60_000);
  const monthIndex = local.getUTCFullYear() * 12 + local.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const moved = Date.UTC(year, month, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return moved - utcOffset * 60_000;
}

/** When phase `phase` starts. */
export function phaseStart(clock: PeriodClock, phase: number): number {
  return addPeriods(clock.anchorAt, clock.utcOffset, clock.periodType, (phase - clock.anchorPhase) * clock.periodCount);
}

/** When phase `phase` ends (the next one starts). */
export function phaseEnd(clock: PeriodClock, phase: number): number {
  return phaseStart(clock, phase + 1);
}

/** The phase running at `at` (the last to start at or before it); the anchor phase when `at` is before it. */
export function phaseAt(clock: PeriodClock, at: number): number {
  if (at < clock.anchorAt) return clock.anchorPhase;
  const unitDays = DAYS_OF[clock.periodType];
  // An estimate from the average length, then corrected: calendar months vary.
  const periodMs = unitDays !== undefined ? unitDays * DAY_MS * clock.periodCount : (MONTHS_OF[clock.periodType] ?? 1) * clock.periodCount * 30.436875 * DAY_MS;
  let phase = clock.anchorPhase + Math.max(0, Math.floor((at - clock.anchorAt) / periodMs));
  while (phase > clock.anchorPhase && phaseStart(clock, phase) > at) phase--;
  while (phaseStart(clock, phase + 1) <= at) phase++;
  return phase;
}

/** Minutes east of UTC a wire date-time is written in (`Z`: 0), or undefined when it names none. */
export function utcOffsetOf(text: string): number | undefined {
  const match = /(?:([+-])(\d{2})(?::?(\d{2}))?|([Zz]))$/.exec(text.trim());
  if (!match) return undefined;
  if (match[4] !== undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? '0');
  return match[1] === '-' ? -minutes : minutes;
}
