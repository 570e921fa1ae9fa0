/**
 * The admin token that guards the dashboard and control API wherever they
 * are not open (gateway mode, or a non-loopback bind). Without
 * `--admin-token` the first such start creates one in the data directory
 * (mode 600) and later starts reuse it, so a restart does not log everyone
 * out; the control-API commands read the same file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeSecretFile } from '@amsgate/gateway/constants';
import { CliError } from './io.js';

export const ADMIN_TOKEN_FILE = 'admin-token';
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export interface AdminTokenFile {
  token: string;
  file: string;
  /** This call wrote the file: the token is shown once, at this start. */
  created: boolean;
}

/** The data directory's admin token, if its file holds a usable one. */
export function readAdminToken(dataDir: string): string | undefined {
  const token = readTokenFile(join(dataDir, ADMIN_TOKEN_FILE));
  return token !== undefined && token.length >= MIN_ADMIN_TOKEN_LENGTH ? token : undefined;
}

/** The trimmed content of the token file, undefined when there is none; an unreadable one is a usage error. */
function readTokenFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new CliError(`Cannot read the admin token file "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; fix its permissions or delete it (\`serve\` then writes a new one)`);
  }
}

export function loadOrCreateAdminToken(dataDir: string): AdminTokenFile {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const existing = readTokenFile(file);
  if (existing !== undefined) {
    // A token someone wrote by hand is theirs: replacing it would lock them out with no word why.
    if (existing.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new CliError(`${file} holds an admin token shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters (${existing.length}); write a longer one into it, or delete the file and \`serve\` creates a new one`);
    }
    return { token: existing, file, created: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('base64url');
  writeSecretFile(file, `${token}\n`);
  return { token, file, created: true };
}
