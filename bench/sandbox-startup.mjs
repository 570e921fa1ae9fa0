// `await startSandbox()` start-up: cold (a new process: importing the
// gateway, then starting) and warm (another sandbox in a process that has
// one), median of several runs each. Target (issue 16): under 300 ms. Most
// of it is generating the client's two RSA key pairs (in parallel on the
// thread pool): its median is measured here and printed beside.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '../packages/protocol/dist/index.js';
import { startSandbox } from '../packages/gateway/dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TARGET_MS = 300;
const GATEWAY = fileURLToPath(new URL('../packages/gateway/dist/index.js', import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const cold = [];
const coldStartOnly = [];
for (let i = 0; i < RUNS; i += 1) {
  const script = `const t0 = performance.now(); const { startSandbox } = await import(${JSON.stringify(GATEWAY)}); const t1 = performance.now();
    const s = await startSandbox(); const t2 = performance.now(); await s.stop(); console.log(JSON.stringify({ total: t2 - t0, start: t2 - t1 }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  const { total, start } = JSON.parse(child.stdout);
  cold.push(total);
  coldStartOnly.push(start);
}

const warm = [];
for (let i = 0; i < RUNS; i += 1) {
  const started = performance.now();
  const sandbox = await startSandbox();
  warm.push(performance.now() - started);
  await sandbox.stop();
}

const pairs = [];
for (let i = 0; i < RUNS; i += 1) {
  const started = performance.now();
  await Promise.all([generateKeyPair(), generateKeyPair()]);
  pairs.push(performance.now() - started);
}

const line = (name, ms, note = '') => console.log(`  ${name.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms${note}`);
const verdict = (ms) => (ms < TARGET_MS ? '  ok' : `  ABOVE ${TARGET_MS} ms`);
console.log(`startSandbox() start-up, median of ${RUNS} runs (node ${process.version})`);
line('cold: import the gateway + startSandbox()', median(cold), verdict(median(cold)));
line('cold: startSandbox() alone', median(coldStartOnly), verdict(median(coldStartOnly)));
line('warm: startSandbox() in a process with one', median(warm), verdict(median(warm)));
line('of which: two RSA-2048 pairs in parallel', median(pairs));
