/**
 * `request-time` and `response-time`.
 *
 * For signing, a time header is an opaque string used verbatim. It is parsed
 * only to judge freshness, and must accept every form the official SDKs send:
 * epoch milliseconds (Java, Go, the docs), and ISO 8601 with `+00:00`
 * (Python), `+0000` (PHP) or `.fffffffZ` (.NET).
 */

export type TimeParse = { ok: true; epochMs: number } | { ok: false; message: string };

const EPOCH_MS = /^\d{1,15}$/;
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Parses a `request-time` value into epoch milliseconds; never throws. */
export function parseRequestTime(value: string | null | undefined): TimeParse {
  if (value === undefined || value === null || value === '') {
    return { ok: false, message: 'request-time is missing' };
  }
  const text = value.trim();
  if (EPOCH_MS.test(text)) return { ok: true, epochMs: Number(text) };
  const m = ISO_8601.exec(text);
  if (!m) {
    return {
      ok: false,
      message: `request-time "${text.slice(0, 40)}" is neither epoch milliseconds nor ISO 8601 with an offset (e.g. 1685599933871 or 2024-05-01T10:20:30+08:00)`,
    };
  }
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offH, offM] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = zulu ? 0 : Number(offH);
  const offsetMinutes = zulu ? 0 : Number(offM ?? '0');
  if (
    month < 1 || month > 12 ||
    day < 1 || day > daysInMonth(year, month) ||
    hour > 23 || minute > 59 || second > 59 ||
    offsetHours > 23 || offsetMinutes > 59
  ) {
    return { ok: false, message: `request-time "${text}" is not a valid date and time` };
  }
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMs;
  return { ok: true, epochMs };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * How far a request time may be from now. Antom documents no window, so
 * callers decide whether to check at all; this only does the arithmetic.
 */
export function checkFreshness(epochMs: number, nowMs: number, maxSkewMs: number): { ok: true } | { ok: false; message: string } {
  const skew = epochMs - nowMs;
  if (Math.abs(skew) <= maxSkewMs) return { ok: true };
  const direction = skew > 0 ? 'ahead of' : 'behind';
  return {
    ok: false,
    message: `request-time is ${Math.round(Math.abs(skew) / 1000)} s ${direction} the server clock; at most ${Math.round(maxSkewMs / 1000)} s is allowed`,
  };
}

/**
 * A `response-time` value: ISO 8601 to the second with an explicit offset
 * (`2026-11-26T01:02:03+00:00`, or `+08:00` with `offsetMinutes` 480).
 */
export function formatResponseTime(at: Date | number = Date.now(), offsetMinutes = 0): string {
  const epochMs = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(epochMs)) throw new RangeError('formatResponseTime needs a valid time');
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 23 * 60 + 59) {
    throw new RangeError(`offsetMinutes must be an integer within ±23:59, got ${offsetMinutes}`);
  }
  const local = new Date(epochMs + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
