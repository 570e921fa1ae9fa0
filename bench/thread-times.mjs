// Per-thread CPU of this process, for the benchmark servers' snapshots.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Per thread of this process (Linux only), from /proc/self/task/<tid>/schedstat:
 * [ns on CPU, ns runnable but waiting for a CPU]; undefined elsewhere.
 * A thread that ends between the listing and its read is left out: one
 * vanished thread must not cost the whole snapshot.
 */
export function threadTimes() {
  let tids;
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const threads = {};
  for (const tid of tids) {
    let text;
    try {
      text = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8');
    } catch {
      continue;
    }
    const [onCpu, waiting] = text.trim().split(' ').map(Number);
    threads[tid] = [onCpu, waiting];
  }
  return Object.keys(threads).length > 0 ? threads : undefined;
}
