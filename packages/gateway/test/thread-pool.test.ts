import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const threadPoolModule = fileURLToPath(new URL('../dist/thread-pool.js', import.meta.url));

/**
 * A fresh process (its own threads, nothing of the test runner's) with a
 * two-thread pool lowers its helper threads, then reports every thread's
 * nice value from /proc.
 */
function niceValuesAfterLowering(extraNice: string): { main: number; helpers: number[]; lowered: number } {
  const script = `
    const { readdirSync, readFileSync } = require('node:fs');
    import(${JSON.stringify(threadPoolModule)}).then(({ lowerHelperThreadPriority }) => {
      // Runs a pool job first, so the pool's threads exist.
      require('node:crypto').pbkdf2('x', 'y', 1, 8, 'sha256', () => {
        const lowered = lowerHelperThreadPriority(${extraNice});
        const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
        const tids = readdirSync('/proc/self/task').map(Number);
        console.log(JSON.stringify({ main: nice(process.pid), helpers: tids.filter((t) => t !== process.pid).map(nice), lowered }));
      });
    });`;
  const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, UV_THREADPOOL_SIZE: '2' }, encoding: 'utf8' });
  return JSON.parse(out) as { main: number; helpers: number[]; lowered: number };
}

describe.runIf(process.platform === 'linux')('helper threads yield to the JavaScript thread', () => {
  it('lowers every thread but the main one by the given nice levels, and leaves the main thread as it was', () => {
    const { main, helpers, lowered } = niceValuesAfterLowering('10');
    expect(main).toBe(0);
    // Two pool threads at least, plus V8's helpers.
    expect(helpers.length).toBeGreaterThanOrEqual(2);
    expect(lowered).toBe(helpers.length);
    expect(new Set(helpers)).toEqual(new Set([10]));
  });

  it('never sets a helper above the nicest level', () => {
    const { main, helpers } = niceValuesAfterLowering('40');
    expect(main).toBe(0);
    expect(new Set(helpers)).toEqual(new Set([19]));
  });
});
