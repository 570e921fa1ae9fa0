/**
 * Response signing runs on libuv's thread pool; the JavaScript thread
 * (routing, validation, the database, the request log) is the gateway's
 * serial step. How many pool threads should sign depends on the host: where
 * an RSA signature costs more than the JavaScript work of a request, every
 * core should sign; where it costs less, signing threads that preempt the
 * JavaScript thread slow everything down. Measured with
 * bench/gateway-pay-inquiry.mjs on a 2-core host signing 1420/s on one core:
 * one pool thread capped the gateway at that rate while the bare floor
 * reached 1656 req/s with two.
 *
 * So the pool has a thread per core, and those threads yield to the
 * JavaScript thread instead: `lowerHelperThreadPriority` gives every thread
 * but the JavaScript one a lower scheduling priority. When the JavaScript
 * thread has work it runs; the signing threads use what it leaves, on every
 * host, with no tuning and nothing measured at start-up.
 *
 * libuv reads UV_THREADPOOL_SIZE when the pool is first used, and Node's ESM
 * loader uses the pool before any module code runs: the variable must be in
 * the environment when the process starts (the `amsgate` bin is CommonJS
 * for this reason, and the benchmark sets it when it forks the gateway).
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

export function recommendedThreadPoolSize(): number {
  return availableParallelism();
}

/**
 * How much nicer helper threads are than the JavaScript thread: a thread
 * then gets about nine tenths of a core both want (the kernel's weights
 * 1024 against 110 for nice 0 and 10), while helper threads still run
 * whenever a core is free.
 */
export const HELPER_THREAD_NICE = 10;
const NICEST = 19;

/**
 * Lowers the scheduling priority of every thread of this process but the
 * main JavaScript thread, by `niceness` nice levels: libuv's pool and V8's
 * helper threads. Linux only (a thread id is a valid target of
 * setpriority there); elsewhere, where /proc is not mounted, or when
 * called from a worker thread, it does nothing. Threads started later
 * inherit their creator's priority, so worker threads the main thread
 * starts afterwards are not lowered. Meant for a process the gateway owns
 * (`amsgate serve`), not for one it is embedded in. Returns how many
 * threads were lowered.
 */
export function lowerHelperThreadPriority(niceness: number = HELPER_THREAD_NICE): number {
  if (process.platform !== 'linux' || !isMainThread) return 0;
  // Relative to the JavaScript thread's own (the process may already run niced); never above it.
  const nice = Math.min(NICEST, getPriority(process.pid) + Math.max(0, niceness));
  let threadIds: string[];
  try {
    threadIds = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const threadId of threadIds) {
    const id = Number(threadId);
    if (!Number.isInteger(id) || id === process.pid) continue;
    try {
      setPriority(id, nice);
      lowered++;
    } catch {
      // The thread ended meanwhile, or the host refuses: it keeps its priority.
    }
  }
  return lowered;
}
