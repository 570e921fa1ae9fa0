/**
 * The `amsgate` command line. Each command lives in `commands/`; this file
 * only wires options to them. Commands that run the gateway or open its
 * database (`serve`, `clients`) are imported when they run, so that
 * `--version`, `keygen`, `sign`, `verify` and `call` start without Fastify,
 * Kysely or the database drivers (`bench/cli-startup.mjs` measures it).
 */
import { Command, CommanderError, Option } from 'commander';
import { KeyFormatError } from '@amsgate/protocol';
import { call, type CallOptions } from './commands/call.js';
import type { AddKeyOptions, CreateOptions, RevokeKeyOptions } from './commands/clients.js';
import type { CollectionsOptions } from './commands/collections.js';
import { keygen } from './commands/keygen.js';
import { openapi } from './commands/openapi.js';
import { completePayment, type CompleteOptions } from './commands/sandbox.js';
import { registerDisputeCommands } from './commands/disputes.js';
import { registerSubscriptionCommands } from './commands/subscriptions.js';
import { registerClientNotifyUrl, registerClockCommands, registerNotifyCommands } from './commands/notify.js';
import { registerScenarioCommands } from './commands/scenarios.js';
import { registerLogsCommands } from './commands/logs.js';
import type { ProxyOptions } from './commands/proxy.js';
import type { ServeOptions } from './commands/serve.js';
import { sign } from './commands/sign.js';
import { verify } from './commands/verify.js';
import { addControlOptions } from './control-api.js';
import { addDatabaseOptions, type DatabaseOptions } from './database-options.js';
import { addEnvOptions, dataDirOption, SERVE_OPTIONS } from './env-options.js';
import { CliError, EXIT } from './io.js';
import { TRIGGER_EVENTS } from './commands/trigger-events.js';
import type { TriggerOptions } from './commands/trigger.js';
import { VERSION } from './version.js';

const clientsCommands = () => import('./commands/clients.js');

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('amsgate')
    .description('amsgate: an open implementation of the Antom (AMS) payment API, and tools for it')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('keygen')
    .description('generate a 2048-bit RSA merchant key pair in the forms Antom uses (base64 PKCS#8 / SPKI) and as PEM')
    .option('--out <dir>', 'write the key files into this directory instead of printing them')
    .option('--json', 'print JSON')
    .action(async (options: { out?: string; json?: boolean }) => {
      await keygen(options, io.out);
    });

  const messageOptions = (command: Command): Command =>
    command
      .requiredOption('--client-id <id>', 'value of the client-id header')
      .requiredOption('--time <time>', 'value of the request-time (or response-time) header, used verbatim; "now" for epoch ms')
      .requiredOption('--uri <uri>', 'path plus query string exactly as requested, e.g. /ams/api/v1/payments/pay')
      .addOption(new Option('--method <method>', 'HTTP method').default('POST'))
      .option('--body <file>', 'file with the exact body bytes (default: standard input)')
      .option('--explain', 'also print the exact content, escaped so that newlines and spaces show');

  messageOptions(
    program
      .command('sign')
      .description('print the signature header value for a message (alone on the last line)')
      .requiredOption('--key <file>', 'private key: PEM or base64 DER, PKCS#8 or PKCS#1')
      .addOption(new Option('--key-version <n>', 'key version written into the header').default('1')),
  ).action(async (options: Parameters<typeof sign>[0]) => {
    await sign(options, io.out);
  });

  messageOptions(
    program
      .command('verify')
      .description('check a signature header; exit 0 and print "valid", or exit 1 and say why not')
      .requiredOption('--public-key <file>', 'public key: PEM or base64 DER, SPKI or PKCS#1')
      .requiredOption('--signature <header>', 'the signature header value'),
  ).action(async (options: Parameters<typeof verify>[0]) => {
    setExitCode(await verify(options, io.out));
  });

  addDatabaseOptions(
    addEnvOptions(
      program
        .command('serve')
        .description('run the gateway until SIGINT/SIGTERM; log lines on standard output (readable on a terminal, else JSON), the banner on standard error; every option is also an AMSGATE_… variable'),
      SERVE_OPTIONS,
    ),
  ).action(async (options: ServeOptions) => {
    const { serve } = await import('./commands/serve.js');
    await serve(options, io);
  });

  const clients = program.command('clients').description('register merchants (clients), their public keys and agent tokens; works while a server runs');

  addDatabaseOptions(
    clients
      .command('create')
      .description('register a client; without --public-key a merchant key pair is generated and its private key printed once')
      .option('--name <name>', 'a name for people')
      .option('--public-key <file>', "the merchant's public key (PEM or base64 DER); the merchant keeps the private key")
      .addOption(new Option('--mode <mode>', 'sandbox: a SANDBOX_ client id; gateway: a production-style id').choices(['sandbox', 'gateway']).default('sandbox'))
      .option('--json', 'print the credentials as JSON: clientId, keyVersion, merchantPrivateKey (when generated), merchantPublicKey, antomPublicKey'),
  ).action(async (options: CreateOptions) => {
    const { createClient } = await clientsCommands();
    await createClient(options, io.out);
  });

  addDatabaseOptions(clients.command('list').description('list clients').option('--json', 'print JSON')).action(
    async (options: DatabaseOptions & { json?: boolean }) => {
      const { listClients } = await clientsCommands();
    await listClients(options, io.out);
    },
  );

  addDatabaseOptions(
    clients.command('show').description("a client's key versions (live or revoked) and its Antom public key").argument('<client-id>').option('--json', 'print JSON'),
  ).action(async (clientId: string, options: DatabaseOptions & { json?: boolean }) => {
    const { showClient } = await clientsCommands();
    await showClient(clientId, options, io.out);
  });

  addDatabaseOptions(
    clients
      .command('add-key')
      .description('register the next key version for a client (for key rotation); prints the new keyVersion')
      .argument('<client-id>')
      .requiredOption('--public-key <file>', 'the new public key (PEM or base64 DER)')
      .option('--json', 'print JSON'),
  ).action(async (clientId: string, options: AddKeyOptions) => {
    const { addKey } = await clientsCommands();
    await addKey(clientId, options, io.out);
  });

  addDatabaseOptions(
    clients
      .command('revoke-key')
      .description('revoke a key version: requests signed with it are refused')
      .argument('<client-id>')
      .requiredOption('--key-version <n>', 'the version to revoke')
      .option('--json', 'print JSON'),
  ).action(async (clientId: string, options: RevokeKeyOptions) => {
    const { revokeKey } = await clientsCommands();
    await revokeKey(clientId, options, io.out);
  });

  addDatabaseOptions(
    clients
      .command('agent-token')
      .description('issue an ISV agent token acting for the client; printed once (only its hash is stored)')
      .argument('<client-id>')
      .option('--json', 'print JSON'),
  ).action(async (clientId: string, options: DatabaseOptions & { json?: boolean }) => {
    const { agentToken } = await clientsCommands();
    await agentToken(clientId, options, io.out);
  });

  registerClientNotifyUrl(clients, io);

  const sandbox = program.command('sandbox').description('sandbox controls of the running sandbox gateway (its control API): payment completion, the clock, scenarios, disputes, subscriptions');
  registerClockCommands(sandbox, io);
  registerScenarioCommands(sandbox, io);
  registerDisputeCommands(sandbox, io);
  registerSubscriptionCommands(sandbox, io);

  addControlOptions(
    sandbox
      .command('complete')
      .description("play the buyer: complete a pending payment through the running sandbox gateway, as the checkout page would; prints the payment's new status")
      .argument('<payment-id>')
      .addOption(new Option('--outcome <outcome>', 'success or fail').choices(['success', 'fail']).default('success'))
      .option('--result-code <code>', 'with --outcome fail: a code a payment can fail with, such as RISK_REJECT or DO_NOT_HONOR (default USER_BALANCE_NOT_ENOUGH)')
      .option('--message <text>', "with --outcome fail: the result message (default: the code's own)")
      .option('--json', 'print JSON'),
  ).action(async (paymentId: string, options: CompleteOptions) => {
    await completePayment(paymentId, options, io.out);
  });

  registerNotifyCommands(program, io);
  registerLogsCommands(program, io);
  program
    .command('openapi')
    .description("print the OpenAPI 3.1 document of the AMS endpoints (schemas, examples, signed headers, notifications as webhooks)")
    .option('--server <url>', "the server URL it names (default: Antom's global domain)")
    .action((options: { server?: string }) => {
      openapi(options, io.out);
    });

  program
    .command('call')
    .description('sign and send one AMS request with the SDK (@amsgate/client), verify the answer, print it; exit 0 for S/U, 1 for F or no verified answer')
    .argument('<endpoint>', 'endpoint path (payments/pay, authorizations/consult, /ams/api/v1/...) or SDK method name (inquiryPayment, authorizations.consult)')
    .option('--data <file>', "the JSON request body: a file, - for standard input, or inline JSON ('{...}')")
    .option('--base-url <url>', "where to send it (default: AMSGATE_BASE_URL with AMSGATE_CLIENT_ID, the --credentials file's baseUrl, else the data directory's running gateway, else its sandbox credentials' baseUrl)")
    .option('--credentials <file>', 'JSON credentials as `clients create --json` prints them (default: AMSGATE_CLIENT_ID / AMSGATE_PRIVATE_KEY / AMSGATE_ANTOM_PUBLIC_KEY, else <data-dir>/sandbox-credentials.json)')
    .addOption(dataDirOption('data directory: its sandbox-credentials.json is the default credentials, its running gateway (runtime file) the default address'))
    .option('--curl', 'print the equivalent signed curl command instead of sending')
    .option('--explain', 'also print the exact content signed and the content verified')
    .option('--json', 'print JSON: url, httpStatus, signature, attempts, resultStatus, response')
    .action(async (endpoint: string, options: CallOptions) => {
      const color = io === defaultIo && process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
      setExitCode(await call(endpoint, { ...options, color }, io));
    });

  addControlOptions(
    program
      .command('trigger')
      .description(`create and drive what an event needs, through the API and the sandbox control API, so that its notification is sent (as \`stripe trigger\`):\n${Object.entries(TRIGGER_EVENTS).map(([name, what]) => `  ${name}: ${what}`).join('\n')}`)
      .argument('<event>', Object.keys(TRIGGER_EVENTS).join(' | '))
      .option('--notify-url <url>', "where its notifications go (default: the client's default notify URL; `notify listen --register` sets it)")
      .addOption(new Option('--amount <minor-units>', 'the payment amount in minor units').default('1000'))
      .addOption(new Option('--currency <code>', 'the payment currency').default('USD'))
      .option('--result-code <code>', 'payment.failed: the failure code (default USER_BALANCE_NOT_ENOUGH)')
      .option('--credentials <file>', 'JSON merchant credentials (default: AMSGATE_CLIENT_ID / AMSGATE_PRIVATE_KEY / AMSGATE_ANTOM_PUBLIC_KEY, else <data-dir>/sandbox-credentials.json)')
      .option('--json', 'print the ids made as one JSON line'),
  ).action(async (event: string, options: TriggerOptions) => {
    const { trigger } = await import('./commands/trigger.js');
    await trigger(event, options, io.out);
  });

  program
    .command('proxy')
    .description('a local signing proxy for curl, Postman, Insomnia, Bruno: POST plain JSON to /ams/api/v1/...; it signs, forwards, verifies the answer (x-amsgate-proxy-verified header); runs until SIGINT/SIGTERM, one line per request on standard error')
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port (0: any free port)').default('8081'))
    .option('--target <url>', 'where requests go, an origin such as https://open-sea-global.alipay.com (default: where `call` sends: the data directory\'s running gateway, the credentials\' baseUrl)')
    .option('--credentials <file>', 'JSON credentials as `clients create --json` prints them (default: AMSGATE_CLIENT_ID / AMSGATE_PRIVATE_KEY / AMSGATE_ANTOM_PUBLIC_KEY, else <data-dir>/sandbox-credentials.json)')
    .addOption(dataDirOption('data directory: its sandbox-credentials.json is the default credentials, its running gateway the default target'))
    .option('--json', 'print the banner as one JSON line on standard output')
    .action(async (options: ProxyOptions) => {
      const { proxy } = await import('./commands/proxy.js');
      await proxy(options, io);
    });

  program
    .command('collections')
    .description('write a Postman collection and/or a Bruno collection with one request per AMS endpoint (the OpenAPI examples), for use through `amsgate proxy`')
    .option('--postman <file>', 'write the Postman collection (v2.1) to this file (- for standard output)')
    .option('--bruno <dir>', 'write the Bruno collection into this directory (created if missing)')
    .addOption(new Option('--base-url <url>', 'the baseUrl variable: where the requests go').default('http://127.0.0.1:8081'))
    .action(async (options: CollectionsOptions) => {
      const { collections } = await import('./commands/collections.js');
      collections(options, io);
    });

  return program;
}

/** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.err(`amsgate: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof KeyFormatError) {
      io.err(`amsgate: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
