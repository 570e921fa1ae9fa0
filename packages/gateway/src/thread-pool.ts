/**
 * Response signing runs on libuv's thread pool. Node's default of 4 pool
 * threads on a 2-core machine makes the signing threads preempt the event
 * loop, which is the gateway's serial bottleneck; one pool thread per core
 * beyond the event loop's keeps the loop on a core of its own. Measured on
 * 2 cores with bench/gateway-pay-inquiry.mjs: inquiry 3061 → 3233 req/s,
 * pay 2694 → 2850 req/s.
 *
 * libuv reads UV_THREADPOOL_SIZE when the pool is first used, and Node's ESM
 * loader uses the pool before any module code runs: the variable must be in
 * the environment when the process starts (the `amsgate` bin is CommonJS
 * for this reason, and the benchmark sets it when it forks the gateway).
 */
import { availableParallelism } from 'node:os';

export function recommendedThreadPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}
