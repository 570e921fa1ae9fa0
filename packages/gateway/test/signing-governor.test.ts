/** The signing governor: never more signatures at once than its limit, and the limit follows whether the event loop or the signatures hold requests back. */
import { describe, expect, it } from 'vitest';
import { SigningGovernor } from '../src/edge/signing-governor.js';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('SigningGovernor', () => {
  it('runs at most `threads` tasks at once and hands each freed slot to the next waiter, in order', async () => {
    const governor = new SigningGovernor({ threads: 2, sampleMs: 60_000 });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const tasks = gates.map((g, i) =>
      governor.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await g.opened;
        running--;
        return i;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2);
    for (const g of gates) {
      g.open();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    governor.close();
  });

  it('gives the event loop a core when it is saturated, and every core to signing when signatures queue while the loop has room', () => {
    const governor = new SigningGovernor({ threads: 2, sampleMs: 60_000 });
    expect(governor.concurrency).toBe(2);
    expect(governor.adjust(0.97, true)).toBe(1); // the loop is the bottleneck
    expect(governor.adjust(0.5, false)).toBe(1); // nothing queued: no reason to change
    expect(governor.adjust(0.5, true)).toBe(2); // signatures wait while the loop idles
    governor.close();
  });

  it('a raised limit releases waiting tasks at once; one thread never drops to zero', async () => {
    const governor = new SigningGovernor({ threads: 2, sampleMs: 60_000 });
    governor.adjust(0.99, false);
    let running = 0;
    const first = gate();
    const a = governor.run(async () => {
      running++;
      await first.opened;
    });
    const b = governor.run(async () => {
      running++;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(running).toBe(1);
    governor.adjust(0.2, true);
    await new Promise((r) => setTimeout(r, 5));
    expect(running).toBe(2);
    first.open();
    await Promise.all([a, b]);
    const single = new SigningGovernor({ threads: 1 });
    expect(single.adjust(1, true)).toBe(1);
    single.close();
    governor.close();
  });
});
