/**
 * Operating `serve`: the runtime file that lets the other commands find
 * it on any port, refusing a second gateway on one data directory, stale
 * files, and the log format (readable on request, JSON for machines).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE } from '@amsgate/gateway/constants';
import { ADMIN_TOKEN_FILE } from '../src/admin-token.js';
import { startServer } from '../src/commands/serve.js';
import { adminTokenFor } from '../src/control-api.js';
import { RUNTIME_FILE, type RuntimeRecord } from '../src/runtime-file.js';
import { run, serveOptions } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/amsgate.cjs', import.meta.url));

interface Served {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
}

/** `amsgate serve ARGS…` as its own process, once its banner is out. */
async function spawnServe(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await new Promise<void>((resolve, reject) => {
    const started = (): void => {
      if (stderr.includes('amsgate is serving')) resolve();
    };
    child.stderr.on('data', started);
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}

async function stopWith(served: Served, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(served.child, 'exit');
  served.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** An address nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid as number;
}

function readRuntime(dataDir: string): RuntimeRecord {
  return JSON.parse(readFileSync(join(dataDir, RUNTIME_FILE), 'utf8')) as RuntimeRecord;
}

/** An AMS request with a signature header, and a control request with a bearer token: neither secret may reach the logs. */
async function requestsWithSecrets(httpUrl: string): Promise<void> {
  const answer = await fetch(`${httpUrl}/ams/api/v1/payments/inquiryPayment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': 'SANDBOX_NOBODY', 'request-time': String(Date.now()), signature: 'algorithm=RSA256,keyVersion=1,signature=SECRET-SIGNATURE' },
    body: '{"paymentId":"SECRET-BODY"}',
  });
  expect(answer.status).toBe(200);
  await fetch(`${httpUrl}/admin/notifications`, { headers: { authorization: 'Bearer SECRET-ADMIN-TOKEN-0123456789' } });
}

describe('serve writes a runtime file that the other commands find it by', () => {
  it('on port 0 from an env file: the real port, mode 600; sandbox clock and call reach it without --base-url; a second serve is refused; readable logs; gone after SIGTERM', async () => {
    const root = mkdtempSync(join(tmpdir(), 'amsgate-runtime-'));
    const dataDir = join(root, 'data');
    const envFile = join(root, 'amsgate.env');
    // The credentials file's baseUrl becomes the public base URL, where nothing answers: only the runtime file leads to the gateway.
    const unreachable = await closedPortUrl();
    writeFileSync(envFile, `AMSGATE_PORT=0\nAMSGATE_HTTPS=false\nAMSGATE_LOG_FORMAT=pretty\nAMSGATE_PUBLIC_BASE_URL=${unreachable}\n`);
    const served = await spawnServe(['--env-file', envFile], { AMSGATE_DATA_DIR: dataDir });
    try {
      const runtimeFile = join(dataDir, RUNTIME_FILE);
      const record = readRuntime(dataDir);
      expect(record).toMatchObject({ pid: served.child.pid, mode: 'sandbox', dataDir, httpsUrl: null, publicBaseUrl: unreachable });
      expect(record.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(record.httpUrl).not.toBe('http://127.0.0.1:0');
      expect(record.dashboardUrl).toBe(`${record.httpUrl}/dashboard`);
      expect(new Date(record.startedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(statSync(runtimeFile).mode & 0o777).toBe(0o600);
      expect((JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8')) as { baseUrl: string }).baseUrl).toBe(unreachable);

      const clock = await run(['sandbox', 'clock', 'show', '--json', '--data-dir', dataDir]);
      expect(clock.code, clock.text).toBe(0);
      expect(JSON.parse(clock.out.join('\n'))).toMatchObject({ offsetMs: 0 });
      const call = await run(['call', 'inquiryPayment', '--data', '{"paymentId":"PAY_NONE"}', '--data-dir', dataDir]);
      expect(call.out[0]).toMatch(new RegExp(`^POST ${record.httpUrl}/ams/`));
      expect(call.text).toContain('ORDER_NOT_EXIST');

      const second = await run(['serve', '--data-dir', dataDir, '--port', '0', '--no-https', '--log-level', 'silent']);
      expect(second.code).toBe(1);
      expect(second.err).toEqual([
        `amsgate: another amsgate (process ${served.child.pid}, started ${record.startedAt}) serves from the data directory ${dataDir} at ${record.httpUrl} (${runtimeFile}): stop it first, or give this one its own --data-dir (gateways sharing one PostgreSQL database each have their own)`,
      ]);
      expect(readRuntime(dataDir)).toEqual(record);

      await requestsWithSecrets(record.httpUrl);
      await until(() => served.stdout().includes('payments/inquiryPayment'), 'the request log line');
      const line = served.stdout().split('\n').find((l) => l.includes('payments/inquiryPayment')) as string;
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: payments\/inquiryPayment: F ORDER_NOT_EXIST, [\d.]+ ms, client SANDBOX_\w+ \(req-\d+\)$/);
      for (const l of served.stdout().trim().split('\n')) expect(l.startsWith('{'), l).toBe(false);
      expect(served.stdout()).not.toMatch(/SECRET/);

      expect(await stopWith(served, 'SIGTERM'), served.stderr()).toBe(0);
      expect(existsSync(runtimeFile)).toBe(false);
    } finally {
      served.child.kill('SIGKILL');
    }
  });

  it('with --log-format json every log line is a JSON object, the request one included, without secrets', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'amsgate-runtime-json-')), 'data');
    const served = await spawnServe(['--data-dir', dataDir, '--port', '0', '--no-https', '--log-format', 'json']);
    try {
      await requestsWithSecrets(readRuntime(dataDir).httpUrl);
      await until(() => served.stdout().includes('ams request'), 'the request log line');
      const lines = served.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l['msg'] === 'ams request')).toMatchObject({ endpoint: 'payments/inquiryPayment', resultStatus: 'F' });
      expect(served.stdout()).not.toMatch(/SECRET/);
      expect(await stopWith(served, 'SIGINT')).toBe(0);
      expect(existsSync(join(dataDir, RUNTIME_FILE))).toBe(false);
    } finally {
      served.child.kill('SIGKILL');
    }
  });
});

describe('a stale runtime file', () => {
  function dataDirWith(runtime: Partial<RuntimeRecord>, credentialsBaseUrl: string): string {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'amsgate-stale-')), 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, RUNTIME_FILE), JSON.stringify({ startedAt: '2020-01-01T00:00:00.000Z', mode: 'sandbox', dataDir, ...runtime }));
    writeFileSync(join(dataDir, CREDENTIALS_FILE), JSON.stringify({ clientId: 'SANDBOX_X', baseUrl: credentialsBaseUrl }));
    return dataDir;
  }

  it('of a process that is gone is ignored: the commands fall back and say so when nothing answers; serve replaces it with a warning, and stop() removes its own', async () => {
    const pid = await deadPid();
    const gone = await closedPortUrl();
    const alsoGone = await closedPortUrl();
    const dataDir = dataDirWith({ pid, httpUrl: gone }, alsoGone);
    const file = join(dataDir, RUNTIME_FILE);

    const clock = await run(['sandbox', 'clock', 'show', '--data-dir', dataDir]);
    expect(clock.code).toBe(1);
    expect(clock.err).toEqual([
      `amsgate: cannot reach the gateway at ${alsoGone} (ECONNREFUSED); is \`amsgate serve\` running? (--base-url) Note: ${file} is stale and was ignored: process ${pid} that wrote it is not running (killed, or the machine restarted).`,
    ]);

    const err: string[] = [];
    const server = await startServer(serveOptions(dataDir, { https: false }), { out: () => undefined, err: (l) => err.push(l) });
    try {
      expect(err).toContain(`  Warning: replaced the stale runtime file ${file}: process ${pid} that wrote it is not running (killed, or the machine restarted)`);
      expect(readRuntime(dataDir)).toMatchObject({ pid: process.pid, httpUrl: server.started.httpListenUrl });
      expect(server.banner.runtimeFile).toBe(file);
      const logs = await run(['logs', 'tail', '--json', '--data-dir', dataDir]);
      expect(logs.code, logs.text).toBe(0);
    } finally {
      await server.stop();
    }
    expect(existsSync(file)).toBe(false);
  });

  it('of a running process whose address does not answer: the command says the file may be stale; serve replaces it', async () => {
    const gone = await closedPortUrl();
    const dataDir = dataDirWith({ pid: process.pid, httpUrl: gone }, await closedPortUrl());
    const file = join(dataDir, RUNTIME_FILE);
    const clock = await run(['sandbox', 'clock', 'show', '--data-dir', dataDir]);
    expect(clock.code).toBe(1);
    expect(clock.err).toEqual([
      `amsgate: cannot reach the gateway at ${gone} (ECONNREFUSED), the address ${file} records for process ${process.pid}; that process runs but does not answer there: if it is no amsgate, the file is stale (delete it), or pass --base-url`,
    ]);
    const server = await startServer(serveOptions(dataDir, { https: false }), { out: () => undefined, err: () => undefined });
    try {
      expect(server.banner.warnings).toEqual([`replaced the stale runtime file ${file}: process ${process.pid} runs, but nothing answers at ${gone}`]);
    } finally {
      await server.stop();
    }
  });

  it('is not the gateway the kept admin token goes to; a live one is', async () => {
    const elsewhere = 'http://192.0.2.7:8080';
    const live = dataDirWith({ pid: process.pid, httpUrl: elsewhere }, 'https://gateway.internal.example');
    const stale = dataDirWith({ pid: await deadPid(), httpUrl: elsewhere }, 'https://gateway.internal.example');
    for (const dataDir of [live, stale]) writeFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'kept-token-0123456789abcdef\n');
    expect(adminTokenFor({ dataDir: live }, elsewhere)).toEqual({ token: 'kept-token-0123456789abcdef', withheld: false });
    expect(adminTokenFor({ dataDir: stale }, elsewhere)).toEqual({ withheld: true });
  });
});
