/**
 * Date-times in request bodies (`paymentExpiryTime`, …): ISO 8601 with an
 * offset in any form the SDKs send (`+08:00`, `+0800`, `+08`, `Z`, fractions).
 */
import { parseRequestTime } from '@amsgate/protocol';

/** Epoch milliseconds, or undefined when the text is not such a date-time. */
export function parseWireTime(text: string): number | undefined {
  const parsed = parseRequestTime(text.replace(' ', 'T'));
  if (parsed.ok) return parsed.epochMs;
  const fallback = Date.parse(text);
  return Number.isFinite(fallback) ? fallback : undefined;
}
