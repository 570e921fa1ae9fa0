/** Reading inputs and reporting outcomes, shared by the commands. */
import { readFileSync } from 'node:fs';

/** A failure the user can fix; printed as one line without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export const EXIT = {
  ok: 0,
  /** `verify`: the signature is not valid. */
  invalid: 1,
  /** The command was understood but could not be carried out (payment not pending, database unreachable). */
  failed: 1,
  /** Bad arguments, unreadable files, unusable keys. */
  usage: 2,
} as const;

export function readFileBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`Cannot read the ${what} file "${path}": ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** The body from `--body FILE`, or else from standard input, byte for byte. */
export async function readBody(bodyPath: string | undefined, stdin: NodeJS.ReadStream = process.stdin): Promise<Buffer> {
  if (bodyPath !== undefined) return readFileBytes(bodyPath, 'body');
  if (stdin.isTTY) {
    throw new CliError('No body given: pass --body FILE or pipe the exact body bytes on standard input (use --body /dev/null for an empty body)');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A readable rendering of signed content: JSON string escapes make newlines, tabs and edge spaces visible. */
export function describeContent(label: string, content: Buffer, sha256Hex: string): string {
  return `${label} (${content.length} bytes, sha256 ${sha256Hex}), as a JSON string:\n${JSON.stringify(content.toString('utf8'))}`;
}
