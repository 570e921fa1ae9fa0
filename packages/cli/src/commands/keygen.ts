/** `amsgate keygen`: a merchant RSA key pair in the forms Antom uses. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportPrivateKeyPkcs1Base64, generateKeyPair } from '@amsgate/protocol';
import { CliError } from '../io.js';

export interface KeygenOptions {
  out?: string;
  json?: boolean;
}

/** File names inside `--out`; private ones are written readable by the owner only. */
export const KEY_FILES = {
  privateKeyPem: { name: 'private-key.pem', secret: true },
  privateKeyBase64: { name: 'private-key.pkcs8.base64', secret: true },
  privateKeyPkcs1Base64: { name: 'private-key.pkcs1.base64', secret: true },
  publicKeyPem: { name: 'public-key.pem', secret: false },
  publicKeyBase64: { name: 'public-key.base64', secret: false },
} as const;

type KeyForm = keyof typeof KEY_FILES;

export async function keygen(options: KeygenOptions, print: (line: string) => void): Promise<void> {
  const pair = await generateKeyPair();
  const forms: Record<KeyForm, string> = {
    privateKeyPem: pair.privateKeyPem,
    privateKeyBase64: pair.privateKeyBase64,
    privateKeyPkcs1Base64: exportPrivateKeyPkcs1Base64(pair.privateKey),
    publicKeyPem: pair.publicKeyPem,
    publicKeyBase64: pair.publicKeyBase64,
  };

  if (options.out === undefined) {
    // No directory: the keys go to standard output, as `openssl genrsa` does.
    if (options.json) {
      print(JSON.stringify({
        privateKey: forms.privateKeyBase64,
        privateKeyPkcs1: forms.privateKeyPkcs1Base64,
        publicKey: forms.publicKeyBase64,
        privateKeyPem: forms.privateKeyPem,
        publicKeyPem: forms.publicKeyPem,
      }, null, 2));
    } else {
      print('# Private key, base64 PKCS#8 (Java, Go, .NET, PHP SDKs). Keep it secret.');
      print(forms.privateKeyBase64);
      print('# Private key, base64 PKCS#1 (the Python SDK needs this form). Keep it secret.');
      print(forms.privateKeyPkcs1Base64);
      print('# Public key, base64 SPKI: register this one with the gateway.');
      print(forms.publicKeyBase64);
      print('# Private key, PEM (PKCS#8). Keep it secret.');
      print(forms.privateKeyPem.trimEnd());
      print('# Public key, PEM (SPKI).');
      print(forms.publicKeyPem.trimEnd());
    }
    return;
  }

  const dir = resolve(options.out);
  const paths = Object.fromEntries(
    (Object.keys(KEY_FILES) as KeyForm[]).map((form) => [form, join(dir, KEY_FILES[form].name)]),
  ) as Record<KeyForm, string>;
  const existing = Object.values(paths).filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new CliError(`Refusing to overwrite existing key files: ${existing.join(', ')}`);
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new CliError(`--out must be a directory, but ${dir} is a file`);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const form of Object.keys(KEY_FILES) as KeyForm[]) {
      const content = forms[form].endsWith('\n') ? forms[form] : `${forms[form]}\n`;
      writeFileSync(paths[form], content, { mode: KEY_FILES[form].secret ? 0o600 : 0o644, flag: 'wx' });
    }
  } catch (error) {
    // A parent that is a file (ENOTDIR), no permission (EACCES), a file that appeared meanwhile (EEXIST)…
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`Cannot write the key files into ${dir}: ${code === 'ENOTDIR' ? 'a part of the path is a file, not a directory' : (error as Error).message}`);
  }
  if (options.json) {
    print(JSON.stringify({ files: paths, publicKey: forms.publicKeyBase64 }, null, 2));
  } else {
    print(`Wrote a 2048-bit RSA key pair to ${dir}:`);
    for (const form of Object.keys(KEY_FILES) as KeyForm[]) {
      print(`  ${KEY_FILES[form].name}${KEY_FILES[form].secret ? '  (secret, mode 600)' : ''}`);
    }
    print(`Public key (register it with the gateway): ${forms.publicKeyBase64}`);
  }
}
