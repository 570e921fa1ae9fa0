import { describe, expect, it } from 'vitest';
import { checkFreshness, formatResponseTime, parseRequestTime } from '../src/index.js';

const at = Date.UTC(2023, 10, 14, 22, 13, 20); // 1700000000000

describe('parseRequestTime', () => {
  it.each([
    ['epoch ms (Java, Go, docs)', '1700000000000', at],
    ['ISO +00:00 (Python)', '2023-11-14T22:13:20+00:00', at],
    ['ISO +0000 (PHP)', '2023-11-14T22:13:20+0000', at],
    ['ISO 7-digit fraction Z (.NET)', '2023-11-14T22:13:20.1234567Z', at + 123],
    ['ISO with an +08:00 offset', '2023-11-15T06:13:20+08:00', at],
    ['ISO with a -05:30 offset', '2023-11-14T16:43:20-05:30', at],
    ['ISO with +08 hours only', '2023-11-15T06:13:20+08', at],
    ['ISO with milliseconds and Z', '2023-11-14T22:13:20.5Z', at + 500],
  ])('parses %s', (_label, text, expected) => {
    expect(parseRequestTime(text)).toEqual({ ok: true, epochMs: expected });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a date without time', '2023-11-14'],
    ['ISO without an offset', '2023-11-14T22:13:20'],
    ['month 13', '2023-13-14T22:13:20Z'],
    ['30 February', '2024-02-30T22:13:20Z'],
    ['hour 24', '2023-11-14T24:00:00Z'],
    ['a negative epoch', '-1700000000000'],
    ['a decimal epoch', '1700000000000.5'],
    ['too many digits', '1'.repeat(16)],
    ['words', 'yesterday'],
  ])('refuses %s with a message', (_label, text) => {
    const parsed = parseRequestTime(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/request-time/);
  });

  it('accepts 29 February in a leap year only', () => {
    expect(parseRequestTime('2024-02-29T00:00:00Z').ok).toBe(true);
    expect(parseRequestTime('2023-02-29T00:00:00Z').ok).toBe(false);
  });
});

describe('formatResponseTime', () => {
  it('writes ISO 8601 to the second with an offset', () => {
    expect(formatResponseTime(at + 999)).toBe('2023-11-14T22:13:20+00:00');
    expect(formatResponseTime(new Date(at), 480)).toBe('2023-11-15T06:13:20+08:00');
    expect(formatResponseTime(at, -330)).toBe('2023-11-14T16:43:20-05:30');
  });

  it('round-trips through parseRequestTime', () => {
    const text = formatResponseTime(at, 480);
    expect(parseRequestTime(text)).toEqual({ ok: true, epochMs: at });
  });

  it('refuses invalid input', () => {
    expect(() => formatResponseTime(Number.NaN)).toThrow(RangeError);
    expect(() => formatResponseTime(at, 24 * 60)).toThrow(RangeError);
  });
});

describe('checkFreshness', () => {
  it('accepts within the window and says how far off otherwise', () => {
    expect(checkFreshness(at, at + 299_000, 300_000)).toEqual({ ok: true });
    expect(checkFreshness(at, at + 400_000, 300_000)).toEqual({
      ok: false,
      message: 'request-time is 400 s behind the server clock; at most 300 s is allowed',
    });
    expect(checkFreshness(at + 400_000, at, 300_000)).toMatchObject({ ok: false, message: expect.stringContaining('ahead of') });
  });
});
