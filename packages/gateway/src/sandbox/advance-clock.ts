/**
 * Moving the sandbox clock forward, for the control API and the dashboard:
 * expiries and notification retries that fall due at the new time happen
 * now rather than at the next sweep or poll.
 */
import type { NotificationService } from '../notify/notification-service.js';
import type { SandboxClock } from './sandbox-clock.js';

export interface ClockDependents {
  /** Everything that falls due on the clock (`Gateway.runDueWork`: expiries, scheduled outcomes, each product's due work). */
  runDueWork: () => Promise<unknown>;
  notifications: NotificationService;
}

/** Advances the clock by `ms` (RangeError when negative) and returns the new time. */
export async function advanceSandboxClock(clock: SandboxClock, ms: number, dependents: ClockDependents): Promise<number> {
  const now = clock.advance(ms);
  await dependents.runDueWork();
  dependents.notifications.dispatcher.poke();
  return now;
}
