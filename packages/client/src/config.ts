/**
 * Client options, checked and resolved once: keys imported, the base URL
 * fixed, defaults applied. Nothing here runs per call.
 */
import type { KeyObject } from 'node:crypto';
import { importPrivateKey, importPublicKey, type KeyInput } from '@amsgate/protocol';
import { ANTOM_REGIONS, isAntomRegion, type AntomRegion } from './regions.js';

/** The subset of the platform `fetch` the client uses. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface AntomClientOptions {
  clientId: string;
  /** Merchant private key: PEM or base64 DER (PKCS#8 as Antom hands it out, or PKCS#1), DER bytes, or a `KeyObject`. */
  privateKey: KeyInput;
  /** Antom public key for this client id (base64 SPKI as shown in the Dashboard, PEM, or a `KeyObject`). */
  antomPublicKey: KeyInput;
  /** `scheme://host[:port]` of Antom or of an Antom-compatible gateway. Give this or `region`. */
  baseUrl?: string;
  /** One of Antom's documented domains. Give this or `baseUrl`. */
  region?: AntomRegion;
  /** Written into the `signature` header; default 1, as the official SDKs send. */
  keyVersion?: number;
  /** Call `/ams/sandbox/api/...` instead of `/ams/api/...`; default: whether `clientId` starts with `SANDBOX_`. */
  sandbox?: boolean;
  /** Per attempt, until the whole answer is read; default 10 000 (Antom recommends about 10 s for pay). */
  timeoutMs?: number;
  /** Retries after the first attempt, where a retry is safe; default 2. */
  maxRetries?: number;
  /** Backoff before the first retry, doubled each time, with jitter; default 500. */
  retryDelayMs?: number;
  /** Cap on one backoff; default 8 000. */
  maxRetryDelayMs?: number;
  /** Default: the platform `fetch`. */
  fetch?: FetchLike;
  /** ISV agent token, sent as the `agent-token` header (not signed). */
  agentToken?: string;
  /**
   * Sign on libuv's thread pool instead of the calling thread: keeps a busy
   * server's event loop free of the ~0.3 ms RSA operation, for a thread
   * hand-off that costs some 30–60 µs more CPU per call. Default false.
   */
  signOffThread?: boolean;
}

export interface RetrySettings {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ClientConfig {
  readonly clientId: string;
  readonly privateKey: KeyObject;
  readonly antomPublicKey: KeyObject;
  /** Origin without a trailing slash. */
  readonly baseUrl: string;
  readonly sandbox: boolean;
  readonly keyVersion: number;
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly fetch: FetchLike;
  readonly agentToken: string | undefined;
  readonly signOffThread: boolean;
}

export const DEFAULTS = {
  keyVersion: 1,
  timeoutMs: 10_000,
  maxRetries: 2,
  retryDelayMs: 500,
  maxRetryDelayMs: 8_000,
} as const;

const MAX_RETRIES_LIMIT = 10;

export function resolveConfig(options: AntomClientOptions): ClientConfig {
  const clientId = options.clientId;
  if (typeof clientId !== 'string' || clientId === '' || /[\s\p{Cc}]/u.test(clientId)) {
    throw new TypeError(`clientId must be a non-empty string without spaces or control characters, got ${JSON.stringify(clientId)}`);
  }
  const agentToken = options.agentToken === undefined || options.agentToken === '' ? undefined : options.agentToken;
  if (agentToken !== undefined && /[\p{Cc}]/u.test(agentToken)) throw new TypeError('agentToken must not contain control characters');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('No fetch: pass options.fetch on a platform without a global fetch');
  return {
    clientId,
    privateKey: importPrivateKey(options.privateKey),
    antomPublicKey: importPublicKey(options.antomPublicKey),
    baseUrl: resolveBaseUrl(options.baseUrl, options.region),
    sandbox: options.sandbox ?? clientId.startsWith('SANDBOX_'),
    keyVersion: positiveInteger('keyVersion', options.keyVersion ?? DEFAULTS.keyVersion),
    timeoutMs: checkTimeoutMs(options.timeoutMs ?? DEFAULTS.timeoutMs),
    retry: resolveRetry(options),
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    agentToken,
    signOffThread: options.signOffThread ?? false,
  };
}

export function resolveRetry(options: Pick<AntomClientOptions, 'maxRetries' | 'retryDelayMs' | 'maxRetryDelayMs'>): RetrySettings {
  const maxRetries = checkMaxRetries(options.maxRetries ?? DEFAULTS.maxRetries);
  const baseDelayMs = nonNegative('retryDelayMs', options.retryDelayMs ?? DEFAULTS.retryDelayMs);
  const maxDelayMs = nonNegative('maxRetryDelayMs', options.maxRetryDelayMs ?? Math.max(DEFAULTS.maxRetryDelayMs, baseDelayMs));
  return { maxRetries, baseDelayMs, maxDelayMs: Math.max(maxDelayMs, baseDelayMs) };
}

/** The client's `maxRetries`, or a call's: an integer from 0 to 10. */
export function checkMaxRetries(maxRetries: number): number {
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
    throw new RangeError(`maxRetries must be an integer from 0 to ${MAX_RETRIES_LIMIT}, got ${maxRetries}`);
  }
  return maxRetries;
}

/** The client's `timeoutMs`, or a call's: a positive integer. */
export function checkTimeoutMs(timeoutMs: number): number {
  return positiveInteger('timeoutMs', timeoutMs);
}

function resolveBaseUrl(baseUrl: string | undefined, region: AntomRegion | undefined): string {
  if (baseUrl !== undefined && region !== undefined) throw new TypeError('Give baseUrl or region, not both');
  if (region !== undefined) {
    if (!isAntomRegion(region)) {
      throw new TypeError(`Unknown region ${JSON.stringify(region)}; expected one of ${Object.keys(ANTOM_REGIONS).join(', ')}`);
    }
    return ANTOM_REGIONS[region];
  }
  if (baseUrl === undefined) throw new TypeError(`Give baseUrl (e.g. http://127.0.0.1:8080) or region (${Object.keys(ANTOM_REGIONS).join(', ')})`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl is not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`baseUrl must be http(s), got ${url.protocol}`);
  // The signed URI is the path as sent; a prefix a proxy might strip would make it ambiguous.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new TypeError(`baseUrl must be an origin (scheme://host[:port]) without a path or query, got ${JSON.stringify(baseUrl)}`);
  }
  return url.origin;
}

/** The longest delay Node's timers keep: a longer one fires after 1 ms, so a timeout would abort every attempt at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMER_MS) throw new RangeError(`${name} must be an integer from 1 to ${MAX_TIMER_MS}, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) throw new RangeError(`${name} must be a number from 0 to ${MAX_TIMER_MS}, got ${value}`);
  return value;
}
