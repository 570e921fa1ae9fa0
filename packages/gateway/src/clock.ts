/** Where the gateway reads the time: the system clock, or (sandbox) one a tester can move. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
