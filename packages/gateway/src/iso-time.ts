/** Epoch milliseconds as the ISO 8601 UTC text the control API's JSON and the dashboard show. */
export function isoTime(ms: number): string;
/** A time that may be absent: `null` stays `null`. */
export function isoTime(ms: number | null): string | null;
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
