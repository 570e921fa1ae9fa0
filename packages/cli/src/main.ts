/** The `amsgate` command line. Each command lives in `commands/`; this file only wires options to them. */
import { Command, CommanderError, Option } from 'commander';
import { KeyFormatError } from '@amsgate/protocol';
import { keygen } from './commands/keygen.js';
import { sign } from './commands/sign.js';
import { verify } from './commands/verify.js';
import { CliError, EXIT } from './io.js';

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
    .version('0.1.0')
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
