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
import { writeSecretFile } from '@amsgate/gateway';

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
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (!existsSync(file)) return undefined;
  const token = readFileSync(file, 'utf8').trim();
  return token.length >= MIN_ADMIN_TOKEN_LENGTH ? token : undefined;
}

export function loadOrCreateAdminToken(dataDir: string): AdminTokenFile {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const existing = readAdminToken(dataDir);
  if (existing !== undefined) return { token: existing, file, created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('base64url');
  writeSecretFile(file, `${token}\n`);
  return { token, file, created: true };
}
