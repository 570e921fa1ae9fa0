/**
 * `amsgate proxy`: a local signing proxy, so that tools that cannot sign
 * (curl, Postman, Insomnia, Bruno) can call Antom or amsgate with plain
 * JSON. Each `POST /ams/api/...` is signed with the merchant key over its
 * exact body bytes and forwarded to the target; the answer's signature is
 * verified with the Antom public key and the verdict added as response
 * headers (`x-amsgate-proxy-verified`, `x-amsgate-proxy-reason`), the
 * status, body and signature headers passed through unchanged.
 *
 * The target is `--target`, else where `amsgate call` sends (the data
 * directory's running gateway, the credentials' baseUrl).
 *
 * Sandbox paths: for a `SANDBOX_` client id the request is sent (and signed)
 * at `/ams/sandbox/api/...`, as the official SDKs and `@amsgate/client` do;
 * a path already in that form is kept.
 */
import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { endpointUri } from '@amsgate/client';
import { HEADER, importPrivateKey, importPublicKey, JSON_CONTENT_TYPE, KeyFormatError, signHeader, verifyHeader } from '@amsgate/protocol';
import { isLoopbackHostname, nonLoopbackHostProblem } from '@amsgate/gateway/constants';
import { CliError } from '../io.js';
import { listenOn, readAll, untilStopped } from '../local-server.js';
import { resolveCredentials, type Credentials, type CredentialsOptions } from '../merchant-credentials.js';
import { merchantTarget } from '../runtime-file.js';
import { httpUrlArgument } from '../url-argument.js';

export interface ProxyOptions extends CredentialsOptions {
  host: string;
  port: string;
  /** Where requests go (an origin); default: the credentials' baseUrl. */
  target?: string;
  json?: boolean;
  /** How long to wait for the target's answer; default 60 s. */
  timeoutMs?: number;
}

interface ProxyIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface RunningProxy {
  url: string;
  target: string;
  clientId: string;
  /** Whether `/ams/api/` is sent as `/ams/sandbox/api/` (a `SANDBOX_` client id). */
  sandboxPaths: boolean;
  close: () => Promise<void>;
}

/** The response headers the proxy adds. */
export const PROXY_HEADER = { verified: 'x-amsgate-proxy-verified', reason: 'x-amsgate-proxy-reason', url: 'x-amsgate-proxy-url' } as const;

const AMS_PATH = /^\/ams\/(?:sandbox\/)?api\//;
/** The answer's headers passed through besides the verdict. */
const PASSED_THROUGH = ['content-type', HEADER.clientId, HEADER.responseTime, HEADER.signature] as const;

/** Runs until SIGINT or SIGTERM. */
export async function proxy(options: ProxyOptions, io: ProxyIo, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const running = await startProxy(options, io, env);
  const paths = running.sandboxPaths ? '; SANDBOX_ client: /ams/api/... goes to /ams/sandbox/api/..., as the SDKs send it' : '';
  if (options.json) {
    io.out(JSON.stringify({ url: running.url, target: running.target, clientId: running.clientId, sandboxPaths: running.sandboxPaths }));
  } else {
    io.err(`Signing proxy on ${running.url} -> ${running.target} as ${running.clientId}${paths}.`);
    io.err(`Send plain JSON, e.g. curl -s ${running.url}/ams/api/v1/payments/inquiryPayment -d '{"paymentRequestId":"..."}'; stop with Ctrl-C.`);
  }
  if (!isLoopbackHostname(options.host)) io.err(`Warning: ${options.host} is not a loopback address: anyone who reaches the proxy can make requests signed with your merchant key.`);
  await untilStopped();
  await running.close();
}

export async function startProxy(options: ProxyOptions, io: ProxyIo, env: NodeJS.ProcessEnv = process.env): Promise<RunningProxy> {
  const credentials = resolveCredentials(options, env);
  const { url: target, staleNote } = targetOf(options.target, credentials, options.dataDir);
  const keys = keysOf(credentials);
  const sandboxPaths = credentials.clientId.startsWith('SANDBOX_');
  const forwarder: Forwarder = {
    credentials, ...keys, target, staleNote, sandboxPaths, timeoutMs: options.timeoutMs ?? 60_000, log: io.err, loopbackOnly: isLoopbackHostname(options.host),
  };
  const server = createServer((req, res) => {
    handle(forwarder, req, res).catch((error: unknown) => {
      // A request cut off while its body was read: say so, keep serving.
      io.err(`${new Date().toISOString()}  ${req.method ?? '?'} ${req.url ?? '/'}  not handled: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const listening = await listenOn(server, options.host, options.port);
  return { ...listening, target, clientId: credentials.clientId, sandboxPaths };
}

interface Forwarder {
  credentials: Credentials;
  privateKey: KeyObject;
  antomPublicKey: KeyObject;
  target: string;
  /** Said when the target cannot be reached: the data directory's runtime file was stale. */
  staleNote: string | undefined;
  sandboxPaths: boolean;
  timeoutMs: number;
  log: (line: string) => void;
  /** Listening on a loopback address: only requests addressed to a loopback name are served (a DNS-rebinding page carries its own name). */
  loopbackOnly: boolean;
}

/**
 * `--target`, else where `call` sends (the running gateway of the data
 * directory, the credentials' baseUrl): an origin such as
 * `https://open-sea-global.alipay.com`, as the request path is the signed one.
 */
function targetOf(option: string | undefined, credentials: Credentials, dataDir: string): { url: string; staleNote: string | undefined } {
  const { url: raw, staleNote } = merchantTarget(option, credentials, dataDir);
  if (raw === undefined) {
    throw new CliError(`No target: ${credentials.source} has no baseUrl and no gateway is running in ${dataDir}; pass --target (e.g. http://127.0.0.1:8080 or https://open-sea-global.alipay.com)`);
  }
  const what = option !== undefined ? '--target' : `the target (from ${credentials.source})`;
  const url = httpUrlArgument(raw, what, 'https://open-sea-global.alipay.com');
  if (url.pathname !== '/' || url.search !== '') throw new CliError(`${what} must be an origin without a path (the AMS path is the one requested), got "${raw}"`);
  return { url: url.origin, staleNote };
}

function keysOf(credentials: Credentials): { privateKey: KeyObject; antomPublicKey: KeyObject } {
  try {
    return { privateKey: importPrivateKey(credentials.merchantPrivateKey), antomPublicKey: importPublicKey(credentials.antomPublicKey) };
  } catch (error) {
    if (error instanceof KeyFormatError) throw new CliError(`${credentials.source}: ${error.message}`);
    throw error;
  }
}

async function handle(forwarder: Forwarder, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requested = req.url ?? '/';
  const line = `${req.method ?? '?'} ${requested}`;
  const refuse = (status: number, error: string, message: string, extra: Record<string, string> = {}) => {
    forwarder.log(`${new Date().toISOString()}  ${line}  ${status} ${error}  not verified`);
    res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, [PROXY_HEADER.verified]: 'false', [PROXY_HEADER.reason]: headerSafe(message), ...extra });
    res.end(JSON.stringify({ error, message, from: 'amsgate proxy' }));
  };

  // The proxy signs with the merchant key: a web page must not be able to make it sign (a cross-site POST needs no preflight, and DNS rebinding makes one same-origin).
  const hostProblem = forwarder.loopbackOnly ? nonLoopbackHostProblem(req.headers) : undefined;
  if (hostProblem !== undefined) return refuse(403, 'NOT_A_LOOPBACK_HOST', `${hostProblem}: the proxy answers only requests addressed to this machine`);
  const fetchSite = req.headers['sec-fetch-site'];
  if (req.headers.origin !== undefined || (fetchSite !== undefined && fetchSite !== 'none')) {
    return refuse(403, 'BROWSER_REQUEST', 'requests made by web pages are refused: the proxy signs with your merchant key; send them from curl, Postman, Insomnia, Bruno or a script');
  }
  if (!AMS_PATH.test(requested)) return refuse(404, 'NOT_AN_AMS_PATH', `${requested} is not an AMS path: the proxy forwards POST /ams/api/v1/... (e.g. /ams/api/v1/payments/pay)`);
  if (req.method !== 'POST') return refuse(405, 'METHOD_NOT_ALLOWED', `AMS endpoints take POST, not ${req.method ?? '?'}`, { allow: 'POST' });
  const { clientId } = forwarder.credentials;
  const ownClientId = req.headers[HEADER.clientId];
  if (ownClientId !== undefined && ownClientId !== clientId) {
    return refuse(400, 'CLIENT_ID_MISMATCH', `the request names client-id ${String(ownClientId)} but the proxy signs as ${clientId}: drop the client-id header or start the proxy with that client's credentials`);
  }
  const body = await readAll(req);
  const uri = endpointUri(requested, forwarder.sandboxPaths);
  const url = `${forwarder.target}${uri}`;
  const requestTime = String(Date.now());
  const headers: Record<string, string> = {
    [HEADER.contentType]: JSON_CONTENT_TYPE,
    [HEADER.clientId]: clientId,
    [HEADER.requestTime]: requestTime,
    [HEADER.signature]: signHeader({ uri, clientId, time: requestTime, body }, forwarder.privateKey, forwarder.credentials.keyVersion),
  };
  const agentToken = req.headers[HEADER.agentToken];
  if (typeof agentToken === 'string') headers[HEADER.agentToken] = agentToken;

  let response: Response;
  let answer: Buffer;
  try {
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(forwarder.timeoutMs) });
    answer = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      return refuse(504, 'TARGET_TIMEOUT', `${url} did not answer within ${forwarder.timeoutMs} ms`, { [PROXY_HEADER.url]: url });
    }
    return refuse(502, 'TARGET_UNREACHABLE', `${url}: ${fetchFailure(error)}${forwarder.staleNote !== undefined ? `; ${forwarder.staleNote}` : ''}`, { [PROXY_HEADER.url]: url });
  }

  const verdict = verdictOf(forwarder, uri, response, answer);
  const out: Record<string, string> = { [PROXY_HEADER.verified]: String(verdict.verified), [PROXY_HEADER.url]: url };
  if (!verdict.verified) out[PROXY_HEADER.reason] = headerSafe(verdict.reason);
  for (const name of PASSED_THROUGH) {
    const value = response.headers.get(name);
    if (value !== null) out[name] = value;
  }
  res.writeHead(response.status, out);
  res.end(answer);
  forwarder.log(`${new Date().toISOString()}  ${line}${uri !== requested ? ` -> ${uri}` : ''}  HTTP ${response.status}  ${resultOf(answer)}  ${verdict.verified ? 'verified' : `NOT verified (${verdict.reason})`}`);
}

type Verdict = { verified: true } | { verified: false; reason: string };

/** Whether the answer is signed by Antom (the Antom public key) for our client, over the path requested. */
function verdictOf(forwarder: Forwarder, uri: string, response: Response, answer: Buffer): Verdict {
  const no = (reason: string): Verdict => ({ verified: false, reason });
  const signature = present(response.headers.get(HEADER.signature));
  const responseTime = present(response.headers.get(HEADER.responseTime));
  if (signature === undefined && responseTime === undefined) return no(`unsigned answer (HTTP ${response.status}): no signature or response-time header`);
  if (signature === undefined) return no('the answer has response-time but no signature header');
  if (responseTime === undefined) return no('the answer has a signature but no response-time header');
  const { clientId } = forwarder.credentials;
  const answeredFor = present(response.headers.get(HEADER.clientId));
  if (answeredFor !== undefined && answeredFor !== clientId) return no(`the answer is for client-id ${answeredFor}, not ${clientId}`);
  const verified = verifyHeader({ uri, clientId, time: responseTime, body: answer }, signature, forwarder.antomPublicKey);
  return verified.ok ? { verified: true } : no(`bad signature: ${verified.reason}: ${verified.message}`);
}

function present(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value;
}

/** `S SUCCESS`, or `-` when the answer is not an AMS answer. */
function resultOf(answer: Buffer): string {
  try {
    const { result } = JSON.parse(answer.toString('utf8')) as { result?: { resultStatus?: unknown; resultCode?: unknown } };
    if (typeof result?.resultStatus === 'string') return `${result.resultStatus} ${String(result.resultCode ?? '')}`.trim();
  } catch {
    // not JSON
  }
  return '-';
}

/** fetch says "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, a TLS error). */
function fetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = [cause?.code, cause?.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return detail === '' ? error.message : `${error.message} (${detail})`;
}

/** Header values are one line of printable ASCII. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}
