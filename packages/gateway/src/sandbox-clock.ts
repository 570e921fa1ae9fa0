/**
 * The sandbox's clock: real time plus an offset a tester moves forward, so a
 * notification's retry schedule or a payment's expiry can be walked through
 * in seconds. Only ever forward: time going back would reorder the journal.
 */
import type { Clock } from './clock.js';

export class SandboxClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = { now: () => Date.now() }) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  /** Moves the clock forward; returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the sandbox clock only moves forward; got ${ms} ms`);
    this.offsetMs += ms;
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `2m`, `1h30m`, `1500ms`, or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|min|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new RangeError(`"${text}" is not a duration: use e.g. 90s, 2m, 1h30m or 1500ms`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] as number), 0);
}
