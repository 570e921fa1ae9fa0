/**
 * Shared by the CLI tests (not a test file itself): running the command
 * in-process, starting a sandbox gateway on port 0 with its credentials
 * file, and sending a signed AMS request as a merchant would.
 */
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CREDENTIALS_FILE } from '@amsgate/gateway';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { startServer, type RunningServer, type ServeIo, type ServeOptions } from '../src/commands/serve.js';
import { main } from '../src/main.js';

export interface RunResult {
  code: number;
  out: string[];
  err: string[];
  /** Standard output then standard error, one line each. */
  text: string;
}

/** `amsgate ARGS…` in-process, its output lines captured. */
export async function run(args: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'amsgate', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err, text: [...out, ...err].join('\n') };
}

/** The sandbox credentials file a sandbox gateway writes in its data directory. */
export interface SandboxCredentials {
  clientId: string;
  keyVersion: number;
  merchantPrivateKey: string;
  merchantPublicKey: string;
  antomPublicKey: string;
  baseUrl: string;
}

export function sandboxCredentials(dataDir: string): SandboxCredentials {
  return JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8')) as SandboxCredentials;
}

/** The options `main` would pass for `serve --data-dir DIR --port 0 --https-port 0 --log-level silent`. */
export function serveOptions(dataDir: string, overrides: Partial<ServeOptions> = {}): ServeOptions {
  return {
    dataDir, host: '127.0.0.1', port: '0', httpsPort: '0', https: true, mode: 'sandbox',
    rateLimit: '0', durability: 'full', logLevel: 'silent', ...overrides,
  };
}

const quiet: ServeIo = { out: () => undefined, err: () => undefined };

export interface Sandbox {
  /** A fresh directory (not created beforehand: `serve` creates it). */
  dataDir: string;
  server: RunningServer;
  credentials: SandboxCredentials;
}

/**
 * `serve` in sandbox mode on port 0 (HTTP only unless the overrides say
 * otherwise) with a fresh data directory under a temporary directory named
 * after `prefix`; the credentials are those of the file it writes.
 */
export async function startSandbox(prefix: string, overrides: Partial<ServeOptions> = {}, io: ServeIo = quiet): Promise<Sandbox> {
  const dataDir = join(mkdtempSync(join(tmpdir(), prefix)), 'data');
  const server = await startServer(serveOptions(dataDir, { https: false, ...overrides }), io);
  return { dataDir, server, credentials: sandboxCredentials(dataDir) };
}

export interface SignedPostOptions {
  /** Sent (and signed) as the client id instead of the credentials' one. */
  clientId?: string;
  /** Signs with this key instead of the credentials' private key. */
  privateKey?: KeyObject;
}

/**
 * POST `body` (JSON-encoded unless already a string) to `baseUrl` + `uri`,
 * signed as the AMS protocol wants, with the credentials' key version.
 */
export async function signedPost(
  baseUrl: string,
  credentials: Pick<SandboxCredentials, 'clientId' | 'keyVersion' | 'merchantPrivateKey'>,
  uri: string,
  body: unknown,
  opts: SignedPostOptions = {},
): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const clientId = opts.clientId ?? credentials.clientId;
  const time = String(Date.now());
  const key = opts.privateKey ?? importPrivateKey(credentials.merchantPrivateKey);
  const signature = signHeader({ uri, clientId, time, body: text }, key, credentials.keyVersion);
  return fetch(`${baseUrl}${uri}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': clientId, 'request-time': time, signature },
    body: text,
  });
}

/** Polls until `predicate` holds (every 20 ms, at most `ms`), then asserts it. */
export async function waitFor(predicate: () => boolean, ms = 8_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(predicate()).toBe(true);
}
