// Start-up of the `amsgate` commands that neither serve nor open a database
// (--version, sign, verify, call --curl, keygen) next to a bare `node -e 0`,
// interleaved run by run so that load from elsewhere hits all alike.
// Target (issue 16): each within 3x the bare node start. keygen's figure
// includes generating a 2048-bit RSA pair; its cost is measured in-process
// and printed beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '../packages/protocol/dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_RATIO = 3;
const BIN = fileURLToPath(new URL('../packages/cli/bin/amsgate.cjs', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'amsgate-bench-cli-'));
const vectors = JSON.parse(readFileSync(new URL('../packages/protocol/test/fixtures/signature-vectors.json', import.meta.url), 'utf8'));
const v = vectors.vectors.find((x) => x.id === 'req-ascii-compact');
writeFileSync(join(dir, 'key'), v.privateKeyPkcs8Base64);
writeFileSync(join(dir, 'pub'), v.publicKeyBase64);
writeFileSync(join(dir, 'body'), Buffer.from(v.bodyBase64, 'base64'));
const message = ['--client-id', v.clientId, '--time', v.time, '--uri', v.uri, '--body', join(dir, 'body')];
const env = { ...process.env, AMSGATE_CLIENT_ID: v.clientId, AMSGATE_PRIVATE_KEY: v.privateKeyPkcs8Base64, AMSGATE_ANTOM_PUBLIC_KEY: v.publicKeyBase64, AMSGATE_BASE_URL: 'http://127.0.0.1:1' };

const commands = [
  ['node -e 0', ['-e', '0']],
  ['amsgate --version', [BIN, '--version']],
  ['amsgate sign', [BIN, 'sign', ...message, '--key', join(dir, 'key')]],
  ['amsgate verify', [BIN, 'verify', ...message, '--public-key', join(dir, 'pub'), '--signature', v.signatureHeader]],
  ['amsgate call --curl', [BIN, 'call', 'payments/inquiryPayment', '--data', '{"paymentId":"p-1"}', '--curl']],
  ['amsgate keygen', [BIN, 'keygen', '--json']],
  // For scale: what every command paid before they stopped loading the gateway.
  ['import the gateway', ['--input-type=module', '-e', `await import(${JSON.stringify(fileURLToPath(new URL('../packages/gateway/dist/index.js', import.meta.url)))})`]],
];

function timeOnce(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

const samples = new Map(commands.map(([name]) => [name, []]));
for (let run = 0; run < RUNS; run += 1) for (const [name, args] of commands) samples.get(name).push(timeOnce(args));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// RSA generation time varies a lot from pair to pair (it searches for primes): take the median of several.
const generation = [];
for (let i = 0; i < 9; i += 1) {
  const started = performance.now();
  await generateKeyPair();
  generation.push(performance.now() - started);
}
const keygenMs = median(generation);

const bare = median(samples.get('node -e 0'));
console.log(`cli start-up, median of ${RUNS} runs (node ${process.version}; ${execFileSync('nproc').toString().trim()} cores)`);
let failed = false;
for (const [name] of commands) {
  const ms = median(samples.get(name));
  const ratio = ms / bare;
  const excludingKeygen = name === 'amsgate keygen' ? (ms - keygenMs) / bare : ratio;
  const note = name === 'amsgate keygen' ? ` (${excludingKeygen.toFixed(2)}x without the RSA generation, ${keygenMs.toFixed(0)} ms in-process, median)` : '';
  const verdict = name === 'node -e 0' || name === 'import the gateway' ? '' : excludingKeygen <= TARGET_RATIO ? '  ok' : `  ABOVE ${TARGET_RATIO}x`;
  if (verdict.includes('ABOVE')) failed = true;
  console.log(`  ${name.padEnd(22)} ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}x${note}${verdict}`);
}
if (failed) process.exitCode = 1;
