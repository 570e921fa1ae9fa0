/**
 * `amsgate notify list | show | resend` (through the control API),
 * `amsgate notify listen` (a local receiver that verifies and prints
 * notifications, like `stripe listen`), `amsgate sandbox clock` and
 * `amsgate clients notify-url`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { KeyObject } from 'node:crypto';
import { formatMajorUnits, importPublicKey, verifyHeader } from '@amsgate/protocol';
import { CREDENTIALS_FILE, NOTIFICATION_STATUSES, NOTIFY_TYPES, parseNotifyUrl, RefusedUrlError } from '@amsgate/gateway/constants';
import { addControlOptions, controlRequest, sandboxCredentialField, type ControlOptions } from '../control-api.js';
import { addDatabaseOptions, withDatabase, type DatabaseOptions } from '../database-options.js';
import { credentialField, readCredentialsFile } from '../credentials-file.js';
import { CliError, EXIT, readFileBytes } from '../io.js';
import { listenOn, readAll, untilStopped, type Listening } from '../local-server.js';
import { httpUrlArgument } from '../url-argument.js';

type Print = (line: string) => void;
interface Io {
  out: Print;
  err: Print;
}

interface NotificationView {
  notificationId: string;
  clientId: string;
  notifyType: string;
  resourceId: string;
  url: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

interface AttemptView {
  attempt: number;
  startedAt: string;
  url: string;
  requestTime: string;
  httpStatus: number | null;
  succeeded: boolean;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
}

export function registerNotifyCommands(program: Command, io: Io): void {
  const notify = program.command('notify').description('notifications: list, show, resend (through a running gateway), and a local receiver');

  addControlOptions(
    notify
      .command('list')
      .description('recent notifications, newest first')
      .addOption(new Option('--status <status>', 'only this status').choices(NOTIFICATION_STATUSES.map((status) => status.toLowerCase())))
      .option('--payment <id>', 'only those about this payment (or refund, capture) id')
      .option('--limit <n>', 'at most this many (1-1000)', '50')
      .option('--json', 'print JSON'),
  ).action(async (options: ControlOptions & { status?: string; payment?: string; limit: string; json?: boolean }) => {
    const query = new URLSearchParams({ limit: options.limit });
    if (options.status) query.set('status', options.status);
    if (options.payment) query.set('resourceId', options.payment);
    const { notifications } = await controlRequest<{ notifications: NotificationView[] }>(options, 'GET', `/admin/notifications?${query}`);
    if (options.json) return io.out(JSON.stringify(notifications, null, 2));
    if (notifications.length === 0) return io.out('No notifications.');
    for (const n of notifications) {
      const next = n.status === 'PENDING' && n.nextAttemptAt ? `, next ${n.nextAttemptAt}` : '';
      io.out(`${n.notificationId}  ${n.notifyType.padEnd(14)}  ${n.status.padEnd(9)}  ${String(n.attempts).padStart(2)} attempt(s)  ${n.resourceId}${next}`);
    }
  });

  addControlOptions(notify.command('show').description('a notification, its body and every attempt').argument('<notification-id>').option('--json', 'print JSON')).action(
    async (id: string, options: ControlOptions & { json?: boolean }) => {
      const shown = await controlRequest<NotificationView & { body: unknown; attemptLog: AttemptView[] }>(options, 'GET', `/admin/notifications/${encodeURIComponent(id)}`);
      if (options.json) return io.out(JSON.stringify(shown, null, 2));
      io.out(`${shown.notificationId}  ${shown.notifyType}  ${shown.status}  (client ${shown.clientId}, about ${shown.resourceId})`);
      io.out(`URL: ${shown.url ?? '(none)'}`);
      if (shown.lastError) io.out(`Last error: ${shown.lastError}`);
      if (shown.status === 'PENDING' && shown.nextAttemptAt) io.out(`Next attempt: ${shown.nextAttemptAt}`);
      io.out(`Body: ${JSON.stringify(shown.body)}`);
      for (const a of shown.attemptLog) {
        io.out(`  #${a.attempt} ${a.startedAt}  ${a.succeeded ? 'delivered' : 'failed'}  HTTP ${a.httpStatus ?? '-'}  ${a.durationMs} ms${a.error ? `  ${a.error}` : ''}`);
      }
    },
  );

  addControlOptions(notify.command('resend').description('deliver again now, with a fresh request-time and signature').argument('<notification-id>').option('--json', 'print JSON')).action(
    async (id: string, options: ControlOptions & { json?: boolean }) => {
      const { attempt } = await controlRequest<{ attempt: AttemptView }>(options, 'POST', `/admin/notifications/${encodeURIComponent(id)}/resend`);
      if (options.json) return io.out(JSON.stringify(attempt, null, 2));
      io.out(`Attempt #${attempt.attempt}: ${attempt.succeeded ? 'delivered' : 'failed'} (HTTP ${attempt.httpStatus ?? '-'}${attempt.error ? `, ${attempt.error}` : ''})`);
      if (!attempt.succeeded) throw new CliError('the receiver did not acknowledge the notification', EXIT.failed);
    },
  );

  const listen = notify
    .command('listen')
    .description('a local notify URL: verifies each notification, prints it, answers the acknowledgement, can forward it')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '9090')
    .option('--forward <url>', 'also POST each notification, unchanged, to your own endpoint')
    .option('--credentials <file>', 'JSON with antomPublicKey (default: the sandbox credentials file)')
    .option('--antom-public-key <file>', 'the Antom public key to verify with (PEM or base64 DER)')
    .option('--json', 'print each notification as one JSON line')
    .option('--register', "while it runs, make it the client's default notify URL for every notification type (through the control API); the previous URLs are put back when it stops")
    .option('--client-id <id>', "with --register: the client (default: the sandbox credentials file's)");
  addControlOptions(listen).action(async (options: ListenOptions & { register?: boolean; clientId?: string }) => {
    const listener = await startListener(options, io);
    let restore: (() => Promise<void>) | undefined;
    try {
      if (options.register) restore = await registerListener(options, notifyUrlOf(listener.url, options.host), io);
      io.err(`Listening for notifications on ${listener.url}${options.forward ? `, forwarding to ${options.forward}` : ''}; stop with Ctrl-C.`);
      await untilStopped();
    } finally {
      await restore?.().catch((error: unknown) => io.err(`could not put back the previous notify URLs: ${error instanceof Error ? error.message : String(error)}`));
      await listener.close();
    }
  });
}

export function registerClockCommands(sandbox: Command, io: Io): void {
  const clock = sandbox.command('clock').description("the sandbox clock of a running gateway (expiries and notification retries follow it)");
  addControlOptions(clock.command('show').description('the sandbox time').option('--json', 'print JSON')).action(async (options: ControlOptions & { json?: boolean }) => {
    const shown = await controlRequest<{ now: string; offsetMs: number }>(options, 'GET', '/sandbox/clock');
    io.out(options.json ? JSON.stringify(shown) : `${shown.now} (${Math.round(shown.offsetMs / 1000)} s ahead of real time)`);
  });
  addControlOptions(clock.command('advance').description('move the sandbox clock forward, e.g. 2m, 1h30m, 15h, 2d, 1mo (a calendar month: the same day next month)').argument('<duration>').option('--json', 'print JSON')).action(
    async (duration: string, options: ControlOptions & { json?: boolean }) => {
      const shown = await controlRequest<{ now: string; offsetMs: number }>(options, 'POST', '/sandbox/clock/advance', { by: duration });
      io.out(options.json ? JSON.stringify(shown) : `Sandbox time is now ${shown.now}.`);
    },
  );
}

export function registerClientNotifyUrl(clients: Command, io: Io): void {
  addDatabaseOptions(
    clients
      .command('notify-url')
      .description("set a client's default notification URL for a type (used when a request names none)")
      .argument('<client-id>')
      .addOption(new Option('--type <type>', 'notification type').choices([...NOTIFY_TYPES]).makeOptionMandatory())
      .requiredOption('--url <url>', 'http(s) URL'),
  ).action(async (clientId: string, options: DatabaseOptions & { type: (typeof NOTIFY_TYPES)[number]; url: string }) => {
    let url: URL;
    try {
      // Internal addresses pass here: the CLI does not know the server's mode, and delivery checks them again.
      url = parseNotifyUrl(options.url, true);
    } catch (error) {
      if (error instanceof RefusedUrlError) throw new CliError(`--url: ${error.message}`);
      throw error;
    }
    const { ClientsRepository, NotificationsRepository } = await import('@amsgate/gateway');
    await withDatabase(options, true, async (database) => {
      if (!(await new ClientsRepository(database).findPublic(clientId))) throw new CliError(`No client ${clientId}`);
      await new NotificationsRepository(database).setDefaultUrl(clientId, options.type, url.toString());
    });
    io.out(`${options.type} notifications for ${clientId} go to ${url.toString()} unless a request names another URL.`);
  });
}

// ---------------------------------------------------------------- listen

export interface ListenOptions extends Partial<Pick<ControlOptions, 'baseUrl' | 'adminToken'>> {
  host: string;
  port: string;
  forward?: string;
  credentials?: string;
  antomPublicKey?: string;
  dataDir: string;
  json?: boolean;
}

/** The URL the gateway posts to: the listener's, with a loopback address for a wildcard bind. */
function notifyUrlOf(listenerUrl: string, host: string): string {
  const url = new URL(listenerUrl);
  if (host === '0.0.0.0' || host === '::') url.hostname = '127.0.0.1';
  return `${url.origin}/notify`;
}

/**
 * Points the client's default notify URL of every type at `url`; returns
 * what puts the previous ones back (or clears those that had none).
 */
export async function registerListener(
  options: ListenOptions & { clientId?: string },
  url: string,
  io: Io,
): Promise<() => Promise<void>> {
  const control: ControlOptions = { dataDir: options.dataDir, ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}), ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}) };
  const clientId = options.clientId ?? sandboxCredentialField(options.dataDir, 'clientId');
  if (clientId === undefined) throw new CliError(`--register: no client: pass --client-id, or run it beside a sandbox gateway's data directory (${options.dataDir})`);
  const path = (type: string) => `/admin/clients/${encodeURIComponent(clientId)}/notify-urls/${type}`;
  const detail = await controlRequest<{ notifyUrls?: Partial<Record<string, string>> }>(control, 'GET', `/admin/clients/${encodeURIComponent(clientId)}`);
  const previous = detail.notifyUrls ?? {};
  const restore = async (types: readonly string[]) => {
    for (const type of types) {
      const before = previous[type];
      await (before !== undefined ? controlRequest(control, 'PUT', path(type), { url: before }) : controlRequest(control, 'DELETE', path(type)));
    }
  };
  const registered: string[] = [];
  try {
    for (const type of NOTIFY_TYPES) {
      await controlRequest(control, 'PUT', path(type), { url });
      registered.push(type);
    }
  } catch (error) {
    // Half registered is worse than not at all: put back what was set.
    await restore(registered).catch(() => undefined);
    throw error;
  }
  io.err(`Registered ${url} as ${clientId}'s default notify URL for ${NOTIFY_TYPES.join(', ')} (put back when this stops).`);
  return async () => {
    await restore(NOTIFY_TYPES);
    io.err(`Put back ${clientId}'s previous default notify URLs.`);
  };
}

const ACK = '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';

function antomKeyOf(options: ListenOptions): KeyObject {
  if (options.antomPublicKey) return importPublicKey(readFileBytes(options.antomPublicKey, 'Antom public key'));
  const file = options.credentials ?? join(options.dataDir, CREDENTIALS_FILE);
  let record: Record<string, unknown>;
  try {
    record = readCredentialsFile(file);
  } catch (error) {
    if (error instanceof CliError) throw new CliError(`${error.message}; pass --credentials FILE or --antom-public-key FILE`);
    throw error;
  }
  const key = credentialField(record, 'antomPublicKey');
  if (key === undefined) throw new CliError(`${file} has no antomPublicKey`);
  return importPublicKey(key);
}

export async function startListener(options: ListenOptions, io: Io): Promise<Listening> {
  const forward = options.forward === undefined ? undefined : httpUrlArgument(options.forward, '--forward', 'http://localhost:3000/notify');
  const key = antomKeyOf(options);
  const server = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const header = (name: string) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const verdict = verifyHeader({ uri: path, clientId: header('client-id') ?? '', time: header('request-time') ?? '', body }, header('signature'), key);
      let forwarded: string | undefined;
      if (forward) forwarded = await forwardTo(forward, req, body, path);
      io.out(describe(body, verdict.ok ? 'valid' : `INVALID (${verdict.reason}: ${verdict.message})`, forwarded, options.json === true));
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(ACK);
    }).catch((error: unknown) => {
      // A request cut off while its body was read (or a print that failed): say so, keep listening.
      io.err(`a request to ${req.url ?? '/'} was not handled: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return listenOn(server, options.host, options.port);
}

async function forwardTo(target: URL, req: IncomingMessage, body: Buffer, path: string): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'client-id', 'request-time', 'signature']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const note = target.pathname !== path ? ` (the signature covers ${path}, your endpoint is ${target.pathname}: use the same path in the notify URL)` : '';
  try {
    const response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual' });
    const text = await response.text();
    const acknowledged = response.status === 200 && /"resultStatus"\s*:\s*"S"/.test(text);
    return `forwarded to ${target.href}: HTTP ${response.status}${acknowledged ? ' (acknowledged)' : ' (NOT acknowledged)'}${note}`;
  } catch (error) {
    return `forwarding to ${target.href} failed: ${(error as Error).message}${note}`;
  }
}

function describe(body: Buffer, signature: string, forwarded: string | undefined, json: boolean): string {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    // shown as unreadable below
  }
  if (json) return JSON.stringify({ signature, ...(forwarded ? { forwarded } : {}), notification: parsed });
  const result = parsed.result as { resultStatus?: string; resultCode?: string } | undefined;
  const amount = (parsed.paymentAmount ?? parsed.refundAmount ?? parsed.captureAmount) as { currency?: string; value?: string } | undefined;
  let amountText = '';
  if (amount?.currency && amount.value && /^\d+$/.test(amount.value)) {
    try {
      amountText = `  ${formatMajorUnits({ currency: amount.currency, minor: BigInt(amount.value) })} ${amount.currency}`;
    } catch {
      amountText = `  ${amount.value} ${amount.currency} (minor units)`;
    }
  }
  const ids = ['paymentId', 'paymentRequestId', 'refundId', 'captureId'].filter((k) => typeof parsed[k] === 'string').map((k) => `${k}=${String(parsed[k])}`).join(' ');
  const lines = [
    `${new Date().toISOString()}  ${String(parsed.notifyType ?? parsed.authorizationNotifyType ?? '(unreadable body)')}  ${ids}${amountText}  result ${result?.resultStatus ?? '?'} ${result?.resultCode ?? ''}  signature ${signature}`,
  ];
  if (forwarded) lines.push(`  ${forwarded}`);
  return lines.join('\n');
}

