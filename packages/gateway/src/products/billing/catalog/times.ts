/** The catalog's times: ISO 8601 with an offset on the wire, epoch ms inside. */
import { AmsError, parseRequestTime } from '@amsgate/protocol';

/** An ISO 8601 time with an offset (`2030-01-01T00:00:00Z`), or PARAM_ILLEGAL naming the field. */
export function parseTime(value: string, field: string): number {
  const parsed = /^\d+$/.test(value) ? undefined : parseRequestTime(value);
  if (parsed === undefined || !parsed.ok) throw AmsError.paramIllegal(field, `must be an ISO 8601 time with an offset, such as 2030-01-01T00:00:00Z; got ${JSON.stringify(value.slice(0, 40))}`);
  return parsed.epochMs;
}

/** A time the request says must still be ahead. */
export function parseFutureTime(value: string, field: string, now: number): number {
  const at = parseTime(value, field);
  if (at <= now) throw AmsError.paramIllegal(field, `must be in the future, got ${value}`);
  return at;
}

/** Epoch ms as answered: ISO 8601 UTC. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A stored time (validated when it was stored), as epoch ms. */
export function storedTime(value: string): number {
  const parsed = parseRequestTime(value);
  return parsed.ok ? parsed.epochMs : Number.NaN;
}
