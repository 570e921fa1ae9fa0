/**
 * Talking to a running gateway's control API (`/admin/…`, `/sandbox/…`):
 * where it is (see `gatewayAddressOf`) and how its errors read on a
 * terminal.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { CREDENTIALS_FILE, isLoopbackHostname } from '@amsgate/gateway/constants';
import { credentialField, readCredentialsFile } from './credentials-file.js';
import { dataDirOption } from './env-options.js';
import { CliError, EXIT } from './io.js';
import { readAdminToken } from './admin-token.js';
import { readRuntimeFile, type RuntimeFile } from './runtime-file.js';
import { httpUrlArgument } from './url-argument.js';

export interface ControlOptions {
  baseUrl?: string;
  adminToken?: string;
  dataDir: string;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

export function addControlOptions(command: Command): Command {
  return command
    .option(
      '--base-url <url>',
      `the gateway's address (default: AMSGATE_BASE_URL, else where the data directory's running \`serve\` listens (its runtime file), else the sandbox credentials file's baseUrl, else ${DEFAULT_BASE_URL})`,
    )
    .addOption(new Option('--admin-token <token>', 'the admin token, needed unless the gateway is in sandbox mode on a loopback address (default: the one `serve` keeps in the data directory)').env('AMSGATE_ADMIN_TOKEN'))
    .addOption(dataDirOption("data directory of the gateway: its runtime file, sandbox credentials file and admin token"));
}

/** Where the gateway is, and what said so (for messages). */
export interface GatewayAddress {
  url: string;
  /** `--base-url`, `AMSGATE_BASE_URL`, a file's path, or `the default address`. */
  source: string;
  /** The data directory's runtime file, live or stale, when there is one. */
  runtime: RuntimeFile | undefined;
}

/**
 * --base-url, else AMSGATE_BASE_URL, else the address the data directory's
 * runtime file records (when its process runs), else the sandbox
 * credentials file's baseUrl, else the default address.
 */
export function gatewayAddressOf(options: ControlOptions, env: NodeJS.ProcessEnv = process.env): GatewayAddress {
  if (options.baseUrl !== undefined) return { url: checkedBaseUrl(options.baseUrl, '--base-url'), source: '--base-url', runtime: undefined };
  const fromEnv = env['AMSGATE_BASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return { url: checkedBaseUrl(fromEnv, 'AMSGATE_BASE_URL'), source: 'AMSGATE_BASE_URL', runtime: undefined };
  const runtime = readRuntimeFile(options.dataDir);
  if (runtime?.live) return { url: checkedBaseUrl(runtime.record.httpUrl, `the httpUrl of ${runtime.file}`), source: runtime.file, runtime };
  const credentialsFile = join(options.dataDir, CREDENTIALS_FILE);
  const fromFile = sandboxCredentialField(options.dataDir, 'baseUrl');
  if (fromFile !== undefined) return { url: checkedBaseUrl(fromFile, `the baseUrl of ${credentialsFile}`), source: credentialsFile, runtime };
  return { url: DEFAULT_BASE_URL, source: 'the default address', runtime };
}

export function baseUrlOf(options: ControlOptions): string {
  return gatewayAddressOf(options).url;
}

/** `raw` without a trailing slash, if it is an absolute http(s) URL; else a usage error naming `what`. */
function checkedBaseUrl(raw: string, what: string): string {
  httpUrlArgument(raw, what, DEFAULT_BASE_URL);
  return raw.replace(/\/$/, '');
}

/**
 * One field of the sandbox credentials file in `dataDir`, when the file
 * exists, is JSON and has that field as a non-empty string; else undefined.
 */
export function sandboxCredentialField(dataDir: string, field: 'baseUrl' | 'clientId'): string | undefined {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return credentialField(readCredentialsFile(file), field);
  } catch {
    // an unreadable file: as if it had no such field
    return undefined;
  }
}

/**
 * The admin token to send to `baseUrl`: the one given (--admin-token,
 * AMSGATE_ADMIN_TOKEN) wherever it is pointed; else the one `serve` keeps in
 * the data directory, but only to the gateway that data directory belongs
 * to (the origin its credentials file names) or to a loopback address, so
 * a `--base-url` pointing elsewhere never receives it. The addresses a
 * live runtime file of that data directory records are its gateway too.
 */
export function adminTokenFor(options: ControlOptions, baseUrl: string): { token?: string; withheld: boolean } {
  if (options.adminToken) return { token: options.adminToken, withheld: false };
  const kept = readAdminToken(options.dataDir);
  if (kept === undefined) return { withheld: false };
  const runtime = readRuntimeFile(options.dataDir);
  const ownGateway = [sandboxCredentialField(options.dataDir, 'baseUrl'), ...(runtime?.live ? [runtime.record.httpUrl, runtime.record.httpsUrl] : [])];
  if (isLoopbackUrl(baseUrl) || ownGateway.some((own) => typeof own === 'string' && sameOrigin(own, baseUrl))) return { token: kept, withheld: false };
  return { withheld: true };
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** A control API answer: its HTTP status and its body, parsed when it is JSON. */
export interface ControlAnswer {
  status: number;
  ok: boolean;
  json: unknown;
  text: string;
  baseUrl: string;
  /** The kept admin token was not sent to this gateway (see adminTokenFor). */
  withheld: boolean;
}

/** Sends one control API request; only an unreachable gateway (exit 1) or a bad base URL (exit 2) throws. */
export async function controlFetch(options: ControlOptions, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ControlAnswer> {
  const address = gatewayAddressOf(options);
  const baseUrl = address.url;
  const { token: adminToken, withheld } = adminTokenFor(options, baseUrl);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach the gateway at ${baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message})${unreachableHint(address)}`, EXIT.failed);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = { error: text.slice(0, 300) };
  }
  return { status: response.status, ok: response.ok, json, text, baseUrl, withheld };
}

/** Why the address may be wrong, when the runtime file has something to say; else the usual question. */
export function unreachableHint(address: GatewayAddress): string {
  const { runtime } = address;
  if (runtime?.live && address.source === runtime.file) {
    return `, the address ${runtime.file} records for process ${runtime.record.pid}; that process runs but does not answer there: if it is no amsgate, the file is stale (delete it), or pass --base-url`;
  }
  const stale = runtime !== undefined && !runtime.live ? ` Note: ${runtime.file} is stale and was ignored: ${runtime.why}.` : '';
  return `; is \`amsgate serve\` running? (--base-url)${stale}`;
}

/** The CliError for a control API answer that is not 2xx: 400, 401 and 404 are the command line's fault (2), the rest exit 1. */
export function controlError(options: ControlOptions, method: string, path: string, answer: ControlAnswer): CliError {
  const { json, text, status, withheld, baseUrl } = answer;
  const detail = (json as { error?: string }).error ?? (json as { result?: { resultMessage?: string } }).result?.resultMessage ?? text.slice(0, 300);
  const hint = status === 401 && withheld
    ? ` (the admin token in ${options.dataDir} is sent only to its own gateway or a loopback address; pass --admin-token for ${baseUrl})`
    : '';
  return new CliError(`${method} ${path}: HTTP ${status}: ${detail}${hint}`, status === 404 || status === 400 || status === 401 ? EXIT.usage : EXIT.failed);
}

export async function controlRequest<T>(options: ControlOptions, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const answer = await controlFetch(options, method, path, body);
  if (!answer.ok) throw controlError(options, method, path, answer);
  return answer.json as T;
}
