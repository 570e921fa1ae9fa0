/**
 * `amsgate notify list | show | resend` (through the control API),
 * `amsgate notify listen` (a local receiver that verifies and prints
 * notifications, like `stripe listen`), `amsgate sandbox clock` and
 * `amsgate clients notify-url`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { KeyObject } from 'node:crypto';
import { formatMajorUnits, importPublicKey, verifyHeader } from '@amsgate/protocol';
import { CREDENTIALS_FILE, NOTIFICATION_STATUSES, NOTIFY_TYPES, parseNotifyUrl, RefusedUrlError } from '@amsgate/gateway/constants';
import { addControlOptions, controlRequest, type ControlOptions } from '../control-api.js';
import { addDatabaseOptions, withDatabase, type DatabaseOptions } from '../database-options.js';
import { credentialField, readCredentialsFile } from '../credentials-file.js';
import { CliError, EXIT, readFileBytes } from '../io.js';
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

  notify
    .command('listen')
    .description('a local notify URL: verifies each notification, prints it, answers the acknowledgement, can forward it')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '9090')
    .option('--forward <url>', 'also POST each notification, unchanged, to your own endpoint')
    .option('--credentials <file>', 'JSON with antomPublicKey (default: the sandbox credentials file)')
    .option('--antom-public-key <file>', 'the Antom public key to verify with (PEM or base64 DER)')
    .addOption(new Option('--data-dir <dir>', 'data directory holding the sandbox credentials file').default('.amsgate'))
    .option('--json', 'print each notification as one JSON line')
    .action(async (options: ListenOptions) => {
      const listener = await startListener(options, io);
      io.err(`Listening for notifications on ${listener.url}${options.forward ? `, forwarding to ${options.forward}` : ''}; stop with Ctrl-C.`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await listener.close();
    });
}

export function registerClockCommands(sandbox: Command, io: Io): void {
  const clock = sandbox.command('clock').description("the sandbox clock of a running gateway (expiries and notification retries follow it)");
  addControlOptions(clock.command('show').description('the sandbox time').option('--json', 'print JSON')).action(async (options: ControlOptions & { json?: boolean }) => {
    const shown = await controlRequest<{ now: string; offsetMs: number }>(options, 'GET', '/sandbox/clock');
    io.out(options.json ? JSON.stringify(shown) : `${shown.now} (${Math.round(shown.offsetMs / 1000)} s ahead of real time)`);
  });
  addControlOptions(clock.command('advance').description('move the sandbox clock forward, e.g. 2m, 1h30m, 15h').argument('<duration>').option('--json', 'print JSON')).action(
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

export interface ListenOptions {
  host: string;
  port: string;
  forward?: string;
  credentials?: string;
  antomPublicKey?: string;
  dataDir: string;
  json?: boolean;
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

export async function startListener(options: ListenOptions, io: Io): Promise<{ url: string; close: () => Promise<void> }> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be 0-65535, got "${options.port}"`);
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new CliError(`cannot listen on ${options.host}:${port}: ${error.message}`, EXIT.failed)));
    server.listen(port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${address.port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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

