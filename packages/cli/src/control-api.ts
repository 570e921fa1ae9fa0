/**
 * Talking to a running gateway's control API (`/admin/…`, `/sandbox/…`):
 * where it is (--base-url, else the sandbox credentials file's baseUrl,
 * else the default address) and how its errors read on a terminal.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { CREDENTIALS_FILE } from '@amsgate/gateway';
import { credentialField, readCredentialsFile } from './credentials-file.js';
import { CliError, EXIT } from './io.js';
import { readAdminToken } from './admin-token.js';

export interface ControlOptions {
  baseUrl?: string;
  adminToken?: string;
  dataDir: string;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

export function addControlOptions(command: Command): Command {
  return command
    .option('--base-url <url>', `the gateway's address (default: the sandbox credentials file's baseUrl, else ${DEFAULT_BASE_URL})`)
    .addOption(new Option('--admin-token <token>', 'the admin token, needed unless the gateway is in sandbox mode on a loopback address (default: the one `serve` keeps in the data directory)').env('AMSGATE_ADMIN_TOKEN'))
    .addOption(new Option('--data-dir <dir>', 'data directory whose sandbox credentials file names the gateway').default('.amsgate'));
}

export function baseUrlOf(options: ControlOptions): string {
  if (options.baseUrl) return options.baseUrl.replace(/\/$/, '');
  return sandboxCredentialField(options.dataDir, 'baseUrl')?.replace(/\/$/, '') ?? DEFAULT_BASE_URL;
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
 * a `--base-url` pointing elsewhere never receives it.
 */
export function adminTokenFor(options: ControlOptions, baseUrl: string): { token?: string; withheld: boolean } {
  if (options.adminToken) return { token: options.adminToken, withheld: false };
  const kept = readAdminToken(options.dataDir);
  if (kept === undefined) return { withheld: false };
  const ownGateway = sandboxCredentialField(options.dataDir, 'baseUrl');
  if (isLoopbackUrl(baseUrl) || (ownGateway !== undefined && sameOrigin(ownGateway, baseUrl))) return { token: kept, withheld: false };
  return { withheld: true };
}

function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export async function controlRequest<T>(options: ControlOptions, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const baseUrl = baseUrlOf(options);
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
    throw new CliError(`cannot reach the gateway at ${baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); is \`amsgate serve\` running? (--base-url)`, EXIT.failed);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = { error: text.slice(0, 300) };
  }
  if (!response.ok) {
    const detail = (json as { error?: string; result?: { resultMessage?: string } }).error ?? (json as { result?: { resultMessage?: string } }).result?.resultMessage ?? text.slice(0, 300);
    const hint = response.status === 401 && withheld
      ? ` (the admin token in ${options.dataDir} is sent only to its own gateway or a loopback address; pass --admin-token for ${baseUrl})`
      : '';
    throw new CliError(`${method} ${path}: HTTP ${response.status}: ${detail}${hint}`, response.status === 404 || response.status === 400 || response.status === 401 ? EXIT.usage : EXIT.failed);
  }
  return json as T;
}
