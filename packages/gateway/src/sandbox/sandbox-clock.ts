/**
 * The sandbox's clock: real time plus an offset a tester moves forward, so a
 * notification's retry schedule or a payment's expiry can be walked through
 * in seconds. Only ever forward: time going back would reorder the journal.
 */
import type { Clock } from '../clock.js';

/** How far the sandbox clock may be moved in all: far enough for any expiry or retry schedule, and every time stays a valid Date. */
export const MAX_SANDBOX_CLOCK_OFFSET_MS = 100 * 365 * 86_400_000;

/** A duration or clock move a person asked for that cannot be done: their input, answered 400 (not a bug's RangeError). */
export class ClockInputError extends RangeError {
  override name = 'ClockInputError';
}

export class SandboxClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = { now: () => Date.now() }) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  /** Moves the clock forward; returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new ClockInputError(`the sandbox clock only moves forward; got ${ms} ms`);
    if (this.offsetMs + ms > MAX_SANDBOX_CLOCK_OFFSET_MS) {
      throw new ClockInputError(`the sandbox clock moves at most 100 years in all; it is already ${Math.round(this.offsetMs / 86_400_000)} days ahead`);
    }
    this.offsetMs += Math.round(ms);
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A month when no time is given to count calendar months from. */
const MONTH_MS = 30 * 86_400_000;

/**
 * `90s`, `2m`, `1h30m`, `1500ms`, `2w`, `1mo`, or a bare number of
 * milliseconds. A month (`mo`, whole numbers) is a calendar month counted
 * from `from` (the clock's time): the same day and time of the next month,
 * the month's last day when it has no such day (31 January + 1mo = 28 or 29
 * February), in UTC; 30 days when no `from` is given.
 */
export function parseDuration(text: string, from?: number): number {
  const trimmed = text.trim();
  const notADuration = () => new ClockInputError(`"${text.slice(0, 40)}" is not a duration: use e.g. 90s, 2m, 1h30m, 1500ms or 1mo`);
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed);
  } else {
    const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|mo|min|s|m|h|d|w)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) throw notADuration();
    let months = 0;
    ms = 0;
    for (const p of parts) {
      if (p[2] !== 'mo') {
        ms += Number(p[1]) * (UNIT_MS[p[2] as string] as number);
      } else if (Number.isInteger(Number(p[1]))) {
        months += Number(p[1]);
      } else {
        throw new ClockInputError(`"${text.slice(0, 40)}": months are whole (1mo, 12mo)`);
      }
    }
    if (months > 0) ms += from === undefined || months > 1200 ? months * MONTH_MS : addCalendarMonths(from, months) - from;
  }
  // "999…9s" parses to Infinity or an imprecise float: no caller can mean that.
  if (!Number.isSafeInteger(Math.round(ms))) throw new ClockInputError(`"${text.slice(0, 40)}…" is too long a duration`);
  return Math.round(ms);
}

/** `at` plus `months` calendar months in UTC, clamped to the target month's last day. */
function addCalendarMonths(at: number, months: number): number {
  const date = new Date(at);
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(date.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  return Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}
