/**
 * Response signing runs on libuv's thread pool. Node's default of 4 pool
 * threads on a 2-core machine makes the signing threads preempt the event
 * loop, which is the gateway's serial bottleneck; one pool thread per core
 * beyond the event loop's keeps the loop on a core of its own. Measured on
 * 2 cores (bench/gateway-pay-inquiry.mjs): inquiry 3061 → 3233 req/s, pay
 * 2694 → 2850 req/s. Must run before the pool is first used; an explicit
 * UV_THREADPOOL_SIZE wins.
 */
import { availableParallelism } from 'node:os';

export function configureThreadPool(env: NodeJS.ProcessEnv = process.env): string {
  env.UV_THREADPOOL_SIZE ??= String(Math.max(1, availableParallelism() - 1));
  return env.UV_THREADPOOL_SIZE;
}
