/**
 * When notification attempts happen. Antom's schedule: the first attempt at
 * once, then retries after 2 min, 10 min, 10 min, 1 h, 2 h, 6 h and 15 h —
 * eight attempts within about a day — then the notification is marked
 * failed and kept (it can still be resent by hand).
 */
export const ANTOM_RETRY_SCHEDULE_MS: readonly number[] = [0, 120_000, 600_000, 600_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000];

/** Delay before attempt number `attempt` (1-based), or undefined when the schedule is used up. */
export function delayBeforeAttempt(schedule: readonly number[], attempt: number): number | undefined {
  return schedule[attempt - 1];
}
