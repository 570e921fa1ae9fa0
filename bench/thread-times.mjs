// Per-thread CPU of this process, for the benchmark servers' snapshots.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Per thread of this process (Linux only), from /proc/self/task/<tid>/schedstat:
 * [ns on CPU, ns runnable but waiting for a CPU]; undefined elsewhere.
 */
export function threadTimes() {
  try {
    const threads = {};
    for (const tid of readdirSync('/proc/self/task')) {
      const [onCpu, waiting] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      threads[tid] = [onCpu, waiting];
    }
    return threads;
  } catch {
    return undefined;
  }
}
