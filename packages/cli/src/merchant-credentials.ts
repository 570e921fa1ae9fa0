/**
 * The merchant credentials `call` and `proxy` sign and verify with:
 * `--credentials FILE`, else the `AMSGATE_*` environment, else the sandbox
 * credentials file a sandbox gateway writes into its data directory.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CREDENTIALS_FILE } from '@amsgate/gateway/constants';
import { credentialField, readCredentialsFile } from './credentials-file.js';
import { CliError } from './io.js';
import { parseKeyVersion } from './options.js';

/** What `clients create --json` prints, plus `baseUrl` (the sandbox credentials file has it). */
export interface Credentials {
  clientId: string;
  keyVersion: number;
  merchantPrivateKey: string;
  antomPublicKey: string;
  baseUrl: string | undefined;
  /** Where they came from, for messages. */
  source: string;
}

/** The options naming where the credentials are. */
export interface CredentialsOptions {
  credentials?: string | undefined;
  dataDir: string;
}

/**
 * `--credentials FILE`, else the `AMSGATE_*` environment (when
 * `AMSGATE_CLIENT_ID` is set), else the sandbox credentials file in the
 * data directory.
 */
export function resolveCredentials(options: CredentialsOptions, env: NodeJS.ProcessEnv): Credentials {
  if (options.credentials !== undefined) return credentialsFromFile(options.credentials, options.credentials);
  if (env['AMSGATE_CLIENT_ID'] !== undefined && env['AMSGATE_CLIENT_ID'] !== '') {
    const missing = ['AMSGATE_PRIVATE_KEY', 'AMSGATE_ANTOM_PUBLIC_KEY'].filter((name) => !env[name]);
    if (missing.length > 0) throw new CliError(`AMSGATE_CLIENT_ID is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not`);
    return {
      clientId: env['AMSGATE_CLIENT_ID'],
      keyVersion: parseKeyVersion(env['AMSGATE_KEY_VERSION'] ?? '1', 'AMSGATE_KEY_VERSION'),
      merchantPrivateKey: env['AMSGATE_PRIVATE_KEY'] as string,
      antomPublicKey: env['AMSGATE_ANTOM_PUBLIC_KEY'] as string,
      baseUrl: env['AMSGATE_BASE_URL'] || undefined,
      source: 'the AMSGATE_* environment variables',
    };
  }
  const sandboxFile = join(resolve(options.dataDir), CREDENTIALS_FILE);
  if (!existsSync(sandboxFile)) {
    throw new CliError(
      `No credentials: pass --credentials FILE (what \`amsgate clients create --json\` prints), set AMSGATE_CLIENT_ID, AMSGATE_PRIVATE_KEY and AMSGATE_ANTOM_PUBLIC_KEY, or run \`amsgate serve\` in sandbox mode so that ${sandboxFile} exists`,
    );
  }
  return credentialsFromFile(sandboxFile, sandboxFile);
}

function credentialsFromFile(path: string, source: string): Credentials {
  const record = readCredentialsFile(path);
  const text = (field: string): string | undefined => credentialField(record, field);
  const clientId = text('clientId');
  const antomPublicKey = text('antomPublicKey');
  if (clientId === undefined || antomPublicKey === undefined) {
    throw new CliError(`${path} is not a credentials file: it needs clientId, merchantPrivateKey and antomPublicKey (the shape \`amsgate clients create --json\` prints)`);
  }
  const merchantPrivateKey = text('merchantPrivateKey');
  if (merchantPrivateKey === undefined) {
    throw new CliError(`${path} has no merchantPrivateKey (the client was registered with your own public key): add your private key to a copy of the file and pass it with --credentials`);
  }
  const keyVersion = record['keyVersion'] === undefined ? 1 : parseKeyVersion(String(record['keyVersion']), `keyVersion in ${path}`);
  return { clientId, keyVersion, merchantPrivateKey, antomPublicKey, baseUrl: text('baseUrl'), source };
}
