/** The sandbox clock's bounds: no duration or advance may break it (a clock past Date's range answered 500 everywhere). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SANDBOX_CLOCK_OFFSET_MS, parseDuration, SandboxClock } from '../src/sandbox-clock.js';
import { startTestGateway, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';

describe('parseDuration', () => {
  it('reads units, sums parts and rounds to whole milliseconds', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(' 1.5s ')).toBe(1_500);
    expect(parseDuration('250')).toBe(250);
  });
  it('refuses what is not a duration, or too long to be exact', () => {
    expect(() => parseDuration('soon')).toThrow(RangeError);
    expect(() => parseDuration(`${'9'.repeat(400)}s`)).toThrow(/too long a duration/);
    expect(() => parseDuration('100000000000000000000')).toThrow(/too long a duration/);
  });
});

describe('SandboxClock.advance', () => {
  it('moves forward only, and at most 100 years in all', () => {
    const clock = new SandboxClock({ now: () => 0 });
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.advance(MAX_SANDBOX_CLOCK_OFFSET_MS - 10);
    expect(() => clock.advance(11)).toThrow(/at most 100 years/);
    expect(clock.offset).toBe(MAX_SANDBOX_CLOCK_OFFSET_MS - 10);
    expect(new Date(clock.now()).toISOString()).toMatch(/^2069-/);
  });
});

describe('advancing the clock too far over HTTP', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('sqlite');
  });
  afterAll(() => gw.close());

  it('answers 400 from the control API and the dashboard, and the clock keeps working', async () => {
    const post = (by: unknown) => fetch(`${gw.baseUrl}/sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
    for (const by of [`${'9'.repeat(400)}s`, 1e20, '200000d']) expect((await post(by)).status, String(by)).toBe(400);

    const session = new DashboardSession(gw.baseUrl);
    const page = await session.post('/dashboard/clock/advance', { by: '100000000000000000000' }, { csrfFrom: '/dashboard/clock' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('too long a duration');
    const tooFar = await session.post('/dashboard/clock/advance', { by: '40000d' }, { csrfFrom: '/dashboard/clock' });
    expect(tooFar.status).toBe(400);
    expect(tooFar.html).toContain('at most 100 years');

    expect((await fetch(`${gw.baseUrl}/sandbox/clock`)).status).toBe(200);
    expect((await session.get('/dashboard/clock')).status).toBe(200);
    expect((await post('2m')).status).toBe(200);
  });
});
