/**
 * `amsgate serve`: runs the gateway until SIGINT or SIGTERM, then drains
 * in-flight requests and closes the database.
 *
 * Output: request logs (pino) on standard output, readable lines
 * (pino-pretty) on a terminal and JSON lines otherwise (`--log-format`);
 * the banner (addresses, database, mode, sandbox client) goes to standard
 * error, or with `--json` as one JSON line on standard output among the
 * logs.
 *
 * While it runs, the data directory's runtime file says where it listens
 * (see runtime-file.ts); a second `serve` on that data directory refuses
 * to start.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminIsOpen, Gateway, isSandboxClientId, lowerHelperThreadPriority, type GatewayConfig, type StartedGateway } from '@amsgate/gateway';
import { loadOrCreateAdminToken } from '../admin-token.js';
import { databaseUrlOf, DEFAULT_DATA_DIR, type DatabaseOptions } from '../database-options.js';
import { originOf } from '../env-options.js';
import { CliError, EXIT, readFileBytes } from '../io.js';
import type { LogLevel } from '../options.js';
import { addressAnswers, claimDataDir, readRuntimeFile, removeRuntimeFile, runtimeFileOf, SERVE_LOCK_FILE, writeRuntimeFile, type RuntimeRecord } from '../runtime-file.js';


export interface ServeOptions extends DatabaseOptions {
  host: string;
  port: string;
  httpsPort: string;
  /** False with --no-https. */
  https: boolean;
  mode: 'sandbox' | 'gateway';
  tlsCert?: string;
  tlsKey?: string;
  publicBaseUrl?: string;
  /** Seconds. */
  maxClockSkew?: string;
  /** Requests per second per client; 0 = no limit. */
  rateLimit: string;
  durability: 'full' | 'normal';
  adminToken?: string;
  metricsToken?: string;
  logLevel: LogLevel;
  /** Default auto: pretty on a terminal (unless --json), else json. */
  logFormat?: 'auto' | 'pretty' | 'json';
  json?: boolean;
}

export interface ServeIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What the banner says, also printed as JSON with --json. */
export interface ServeBanner {
  httpUrl: string;
  httpsUrl: string | null;
  database: string;
  mode: 'sandbox' | 'gateway';
  /** Sandbox mode: the client this start created, else null. */
  createdSandboxClientId: string | null;
  /** Sandbox mode: all sandbox clients in the database. */
  sandboxClientIds: string[];
  clientCount: number;
  /** Sandbox mode: the credentials file, when it exists. */
  credentialsFile: string | null;
  dashboardUrl: string;
  /** The dashboard and control API want the admin token (gateway mode, or not on loopback). */
  adminTokenRequired: boolean;
  /** Where the admin token is kept, when the dashboard and control API need one and it was not given on the command line. */
  adminTokenFile: string | null;
  /** The runtime file this start wrote (see runtime-file.ts), null if it could not. */
  runtimeFile: string | null;
  warnings: string[];
}

export interface RunningServer {
  gateway: Gateway;
  started: StartedGateway;
  banner: ServeBanner;
  /** What the runtime file says, when it was written. */
  runtime: RuntimeRecord | undefined;
  /** Removes the runtime file and closes the gateway (drains in-flight requests); safe to call more than once. */
  stop: () => Promise<void>;
}

/** Turns the command-line options into a gateway configuration, refusing bad values (exit 2). */
export function gatewayConfigOf(options: ServeOptions): Partial<GatewayConfig> {
  const host = options.host.trim();
  if (host === '') throw new CliError(`${originOf(options, 'host', '--host')} must not be empty (e.g. 127.0.0.1, or 0.0.0.0 for all interfaces)`);
  const port = parsePort(options.port, originOf(options, 'port', '--port'));
  const httpsPort = options.https ? parsePort(options.httpsPort, originOf(options, 'httpsPort', '--https-port')) : null;
  if (httpsPort !== null && httpsPort !== 0 && httpsPort === port) {
    throw new CliError(`${originOf(options, 'port', '--port')} and ${originOf(options, 'httpsPort', '--https-port')} must differ (both are ${port})`);
  }
  if (options.mode !== 'sandbox' && options.mode !== 'gateway') {
    throw new CliError(`--mode must be sandbox or gateway, got "${String(options.mode)}"`);
  }
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new CliError(options.tlsCert === undefined ? '--tls-key needs --tls-cert' : '--tls-cert needs --tls-key');
  }
  let tls: GatewayConfig['tls'];
  if (options.tlsCert !== undefined && options.tlsKey !== undefined) {
    if (!options.https) throw new CliError('--tls-cert and --tls-key configure HTTPS, which --no-https turns off');
    // Fail here, with the file named, rather than half-way through starting.
    readFileBytes(options.tlsCert, 'TLS certificate');
    readFileBytes(options.tlsKey, 'TLS key');
    tls = { certFile: resolve(options.tlsCert), keyFile: resolve(options.tlsKey) };
  }
  const config: Partial<GatewayConfig> = {
    dataDir: resolve(options.dataDir),
    host,
    port,
    httpsPort,
    mode: options.mode,
    rateLimitPerSecond: parseNonNegativeInteger(options.rateLimit, originOf(options, 'rateLimit', '--rate-limit')),
    sqliteDurability: options.durability,
    logger: { level: options.logLevel },
  };
  const databaseUrl = databaseUrlOf(options);
  if (databaseUrl !== undefined) config.databaseUrl = databaseUrl;
  if (tls) config.tls = tls;
  if (options.publicBaseUrl !== undefined) config.publicBaseUrl = parseBaseUrl(options.publicBaseUrl, originOf(options, 'publicBaseUrl', '--public-base-url'));
  if (options.maxClockSkew !== undefined) {
    config.maxClockSkewMs = Math.round(parseSeconds(options.maxClockSkew, originOf(options, 'maxClockSkew', '--max-clock-skew')) * 1000);
  }
  if (options.adminToken !== undefined) {
    if (options.adminToken.length < 16) throw new CliError(`${originOf(options, 'adminToken', '--admin-token')} must be at least 16 characters`);
    config.adminToken = options.adminToken;
  }
  if (options.metricsToken !== undefined) {
    if (options.metricsToken.length < 16) throw new CliError(`${originOf(options, 'metricsToken', '--metrics-token')} must be at least 16 characters`);
    if (options.metricsToken === options.adminToken) throw new CliError('--metrics-token must differ from the admin token: it is the read-only one');
    config.metricsToken = options.metricsToken;
  }
  return config;
}

/** Opens and starts the gateway and prints the banner; the caller decides when to stop it. */
export async function startServer(options: ServeOptions, io: ServeIo): Promise<RunningServer> {
  const config = gatewayConfigOf(options);
  const dataDir = config.dataDir ?? DEFAULT_DATA_DIR;
  const warnings = await refuseSecondGateway(dataDir);
  // The sandbox credentials file and the lock go into the data directory even with PostgreSQL, which does not create it.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const claim = claimDataDir(dataDir);
  if ('heldBy' in claim) {
    throw new CliError(`another amsgate (process ${claim.heldBy}) is starting or serving from the data directory ${dataDir} (${join(resolve(dataDir), SERVE_LOCK_FILE)}): stop it first, or give this one its own --data-dir`, EXIT.failed);
  }
  let gateway: Gateway;
  let adminTokenFile: ReturnType<typeof loadOrCreateAdminToken> | undefined;
  try {
    config.logger = await loggerOf(options);
    adminTokenFile = !adminIsOpen(config) && config.adminToken === undefined ? loadOrCreateAdminToken(dataDir) : undefined;
    if (adminTokenFile) config.adminToken = adminTokenFile.token;
    gateway = await Gateway.open(config);
  } catch (error) {
    claim.release();
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot open the database: ${(error as Error).message}`, EXIT.failed);
  }
  let started: StartedGateway;
  let banner: ServeBanner;
  let runtime: RuntimeRecord | undefined;
  try {
    started = await gateway.start();
    // This process is the gateway's own: the signing threads (one per core) yield to the JavaScript thread.
    lowerHelperThreadPriority();
    runtime = announce(started, config, warnings);
    banner = await bannerOf(gateway, started, config, adminTokenFile?.file ?? null, runtime, warnings);
  } catch (error) {
    if (runtime) removeRuntimeFile(runtime);
    await gateway.close().catch(() => undefined);
    claim.release();
    throw new CliError(`Cannot start the gateway: ${describeStartError(error, config)}`, EXIT.failed);
  }
  // The token is shown once, on the start that created it; the JSON banner (often shipped to logs) never holds it.
  printBanner(banner, options.json === true, io, adminTokenFile?.created ? adminTokenFile.token : undefined);
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    // Gone first: a command run while this one drains should not pick a closing gateway.
    if (runtime) removeRuntimeFile(runtime);
    try {
      await gateway.close();
    } finally {
      claim.release();
    }
  };
  return { gateway, started, banner, runtime, stop: () => (stopping ??= stop()) };
}

/**
 * A live runtime file in the data directory (its process runs and its
 * address answers) means another gateway serves from it: refused, as two
 * would share the SQLite file, the credentials file and the admin token.
 * Gateways sharing one PostgreSQL database each have their own data
 * directory. A stale file is replaced; the warnings say so.
 */
async function refuseSecondGateway(dataDir: string): Promise<string[]> {
  const found = readRuntimeFile(dataDir);
  if (found === undefined) return [];
  if (found.live && (await addressAnswers(found.record.httpUrl))) {
    const { pid, startedAt, httpUrl } = found.record;
    throw new CliError(
      `another amsgate (process ${pid}, started ${startedAt}) serves from the data directory ${dataDir} at ${httpUrl} (${found.file}): stop it first, or give this one its own --data-dir (gateways sharing one PostgreSQL database each have their own)`,
      EXIT.failed,
    );
  }
  const why = found.live ? `process ${found.record.pid} runs, but nothing answers at ${found.record.httpUrl}` : found.why;
  return [`replaced the stale runtime file ${found.file}: ${why}`];
}

/** Writes the runtime file; a data directory that refuses it costs the discovery only, so it is a warning. */
function announce(started: StartedGateway, config: Partial<GatewayConfig>, warnings: string[]): RuntimeRecord | undefined {
  const record: RuntimeRecord = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    mode: config.mode ?? 'sandbox',
    dataDir: resolve(config.dataDir ?? DEFAULT_DATA_DIR),
    httpUrl: started.httpListenUrl,
    httpsUrl: started.httpsUrl ?? null,
    dashboardUrl: `${started.httpListenUrl}/dashboard`,
    publicBaseUrl: config.publicBaseUrl ?? null,
  };
  try {
    writeRuntimeFile(record);
    return record;
  } catch (error) {
    warnings.push(`could not write the runtime file, so the other commands need --base-url: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Pino options: JSON lines by default; readable lines through pino-pretty
 * (loaded only then) with --log-format pretty, or auto on a terminal
 * unless --json asks for machine output. What is logged is the same
 * either way: per AMS request its client id, endpoint, result and time;
 * never a header, body, key or token.
 */
async function loggerOf(options: ServeOptions): Promise<GatewayConfig['logger']> {
  const format = options.logFormat ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true && options.json !== true);
  if (!pretty || options.logLevel === 'silent') return { level: options.logLevel };
  const { default: pinoPretty } = await import('pino-pretty');
  return {
    level: options.logLevel,
    stream: pinoPretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: `pid,hostname,${REQUEST_FIELDS.join(',')}`, singleLine: true, messageFormat: prettyMessage }),
  };
}

/** The fields of the gateway's one line per AMS request, which the readable form puts into its message. */
const REQUEST_FIELDS = ['reqId', 'endpoint', 'resultStatus', 'resultCode', 'ms', 'client'] as const;

/** `payments/pay: F MEDIA_TYPE_NOT_ACCEPTABLE, 1.4 ms, client SANDBOX_X (req-1)`; other lines keep their message. */
function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const text = (key: string): string => (log[key] === undefined ? '' : String(log[key]));
  const request = text('reqId') === '' ? '' : ` (${text('reqId')})`;
  if (log['resultCode'] === undefined) return `${text(messageKey)}${request}`;
  const client = text('client') === '' ? 'no known client' : `client ${text('client')}`;
  return `${text('endpoint') || 'unknown endpoint'}: ${text('resultStatus')} ${text('resultCode')}, ${text('ms')} ms, ${client}${request}`;
}

/** The minimal part of `process` that `serve` listens to, so tests can send it signals. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

/** The CLI action: start, wait for SIGINT or SIGTERM, drain and close. Returns normally (exit 0) once closed. */
export async function serve(options: ServeOptions, io: ServeIo, signals: SignalSource = process): Promise<void> {
  const server = await startServer(options, io);
  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    const onSignal = (received: NodeJS.Signals): void => {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      resolveSignal(received);
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
  });
  // A second signal while draining gives up waiting for in-flight requests.
  const force = (again: NodeJS.Signals): void => {
    io.err(`amsgate: ${again} again, exiting without waiting for in-flight requests`);
    if (server.runtime) removeRuntimeFile(server.runtime);
    process.exit(EXIT.failed);
  };
  signals.on('SIGINT', force);
  signals.on('SIGTERM', force);
  try {
    if (!options.json) io.err(`amsgate: ${signal} received, finishing in-flight requests…`);
    await server.stop();
    if (!options.json) io.err('amsgate: stopped');
  } finally {
    signals.off('SIGINT', force);
    signals.off('SIGTERM', force);
  }
}


async function bannerOf(
  gateway: Gateway,
  started: StartedGateway,
  config: Partial<GatewayConfig>,
  adminTokenFile: string | null,
  runtime: RuntimeRecord | undefined,
  earlierWarnings: readonly string[],
): Promise<ServeBanner> {
  const clients = await gateway.clients.list();
  const mode = config.mode ?? 'sandbox';
  const warnings = [...earlierWarnings];
  if (mode === 'gateway' && clients.length === 0) {
    warnings.push('no clients yet: register one with `amsgate clients create --mode gateway --public-key FILE`');
  }
  return {
    httpUrl: started.httpUrl,
    httpsUrl: started.httpsUrl ?? null,
    database: gateway.database.description,
    mode,
    createdSandboxClientId: started.createdSandboxClient?.clientId ?? null,
    sandboxClientIds: mode === 'sandbox' ? clients.map((c) => c.clientId).filter(isSandboxClientId) : [],
    clientCount: clients.length,
    credentialsFile: started.credentialsFile ?? null,
    dashboardUrl: `${started.httpUrl}/dashboard`,
    adminTokenRequired: !adminIsOpen(config),
    adminTokenFile,
    runtimeFile: runtime === undefined ? null : runtimeFileOf(runtime.dataDir),
    warnings,
  };
}

function printBanner(banner: ServeBanner, json: boolean, io: ServeIo, newAdminToken: string | undefined): void {
  if (json) {
    io.out(JSON.stringify({ level: 30, time: Date.now(), msg: 'amsgate started', ...banner }));
    return;
  }
  const lines = [
    `amsgate is serving (${banner.mode} mode); stop it with Ctrl-C or SIGTERM.`,
    `  HTTP:     ${banner.httpUrl}`,
    `  HTTPS:    ${banner.httpsUrl ?? 'off'}`,
    `  Database: ${banner.database}`,
    `  Mode:     ${banner.mode}`,
    `  Dashboard: ${banner.dashboardUrl}${needsTokenNote(banner, newAdminToken)}`,
  ];
  if (banner.createdSandboxClientId !== null) {
    lines.push(`  Sandbox client created: ${banner.createdSandboxClientId}`);
    lines.push(`  Its credentials (private key included, mode 600): ${banner.credentialsFile ?? '(not written)'}`);
  } else if (banner.mode === 'sandbox') {
    lines.push(`  Sandbox clients: ${abbreviate(banner.sandboxClientIds)}`);
    if (banner.credentialsFile !== null) lines.push(`  Credentials file: ${banner.credentialsFile}`);
  } else {
    lines.push(`  Clients: ${banner.clientCount} (amsgate clients list)`);
  }
  for (const warning of banner.warnings) lines.push(`  Warning: ${warning}`);
  for (const line of lines) io.err(line);
}

function needsTokenNote(banner: ServeBanner, newAdminToken: string | undefined): string {
  if (newAdminToken !== undefined) return ` (admin token, shown once: ${newAdminToken}; kept in ${banner.adminTokenFile ?? ''})`;
  if (banner.adminTokenFile !== null) return ` (admin token in ${banner.adminTokenFile})`;
  return banner.adminTokenRequired ? ' (admin token: the one given with --admin-token)' : '';
}

function abbreviate(ids: string[]): string {
  if (ids.length === 0) return 'none (amsgate clients create)';
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more (amsgate clients list)` : shown;
}

function describeStartError(error: unknown, config: Partial<GatewayConfig>): string {
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e.code === 'EADDRINUSE') return `${e.address ?? config.host ?? ''}:${e.port ?? ''} is already in use (choose another --port / --https-port)`;
  if (e.code === 'EACCES' && e.syscall === 'listen') return `not allowed to listen on ${e.address ?? config.host ?? ''}:${e.port ?? ''} (ports below 1024 need privileges)`;
  if (e.code === 'EADDRNOTAVAIL') return `${config.host ?? ''} is not an address of this machine (--host)`;
  return e.message;
}

function parsePort(text: string, flag: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    throw new CliError(`${flag} must be a port number from 0 to 65535 (0 picks a free port), got "${text}"`);
  }
  return Number(text);
}

function parseNonNegativeInteger(text: string, flag: string): number {
  if (!/^[0-9]{1,9}$/.test(text)) throw new CliError(`${flag} must be a whole number, 0 or more, got "${text}"`);
  return Number(text);
}

function parseSeconds(text: string, flag: string): number {
  const seconds = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new CliError(`${flag} must be a number of seconds greater than 0, got "${text}"`);
  return seconds;
}

function parseBaseUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`${name} must be an absolute http(s) URL such as https://sandbox.example.com, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${name} must start with http:// or https://, got "${text}"`);
  }
  if (url.search !== '' || url.hash !== '') throw new CliError(`${name} must not have a query or fragment, got "${text}"`);
  return text.replace(/\/+$/, '');
}
