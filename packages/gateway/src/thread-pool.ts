/**
 * Response signing runs on libuv's thread pool, one thread per core. How
 * many of them sign at once is decided while running by the pipeline's
 * `SigningGovernor`: all of them where a signature costs more than a
 * request's JavaScript work (the event loop idles), one fewer where the
 * event loop is saturated (signing threads would preempt it). A fixed
 * "cores − 1" capped hosts with slow signatures at one signing core.
 *
 * libuv reads UV_THREADPOOL_SIZE when the pool is first used, and Node's ESM
 * loader uses the pool before any module code runs: the variable must be in
 * the environment when the process starts (the `amsgate` bin is CommonJS
 * for this reason, and the benchmark sets it when it forks the gateway).
 */
import { availableParallelism } from 'node:os';

export function recommendedThreadPoolSize(): number {
  return availableParallelism();
}

/** The pool threads this process has: UV_THREADPOOL_SIZE as libuv read it (default 4), at most one per core for signing. */
export function signingThreads(): number {
  const configured = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  const pool = Number.isInteger(configured) && configured > 0 ? configured : 4;
  return Math.max(1, Math.min(pool, availableParallelism()));
}
