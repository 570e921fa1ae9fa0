/** Which gateway gets the admin token the data directory keeps: its own, or one on a loopback address; never another --base-url. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE } from '@amsgate/gateway';
import { ADMIN_TOKEN_FILE } from '../src/admin-token.js';
import { adminTokenFor } from '../src/control-api.js';
import { run } from './helpers.js';

const KEPT = 'kept-token-0123456789abcdef';

function dataDirWith(credentialsBaseUrl?: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-cli-token-'));
  writeFileSync(join(dataDir, ADMIN_TOKEN_FILE), `${KEPT}\n`);
  if (credentialsBaseUrl !== undefined) writeFileSync(join(dataDir, CREDENTIALS_FILE), JSON.stringify({ clientId: 'SANDBOX_X', baseUrl: credentialsBaseUrl }));
  return dataDir;
}

describe('the admin token the data directory keeps', () => {
  it('goes to a loopback address and to the gateway the credentials file names', () => {
    const dataDir = dataDirWith('https://gateway.internal.example:8443');
    for (const baseUrl of ['http://127.0.0.1:8080', 'http://localhost:9000', 'http://[::1]:8080', 'http://127.8.9.10', 'https://gateway.internal.example:8443']) {
      expect(adminTokenFor({ dataDir }, baseUrl), baseUrl).toEqual({ token: KEPT, withheld: false });
    }
  });

  it('is withheld from any other --base-url: another host, port or scheme, or a look-alike name', () => {
    const dataDir = dataDirWith('https://gateway.internal.example:8443');
    for (const baseUrl of [
      'https://elsewhere.example',
      'http://gateway.internal.example:8443',
      'https://gateway.internal.example:9443',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example:8080',
      'http://192.0.2.7:8080',
      'not a url',
    ]) {
      expect(adminTokenFor({ dataDir }, baseUrl), baseUrl).toEqual({ withheld: true });
    }
    expect(adminTokenFor({ dataDir: dataDirWith() }, 'https://elsewhere.example')).toEqual({ withheld: true });
  });

  it('a token given on the command line goes where it is pointed; no token at all is nothing withheld', () => {
    expect(adminTokenFor({ dataDir: dataDirWith(), adminToken: 'given-token-0123456789' }, 'https://elsewhere.example')).toEqual({ token: 'given-token-0123456789', withheld: false });
    expect(adminTokenFor({ dataDir: mkdtempSync(join(tmpdir(), 'amsgate-cli-none-')) }, 'https://elsewhere.example')).toEqual({ withheld: false });
  });

  it('is sent as a bearer token to a loopback gateway by the control-API commands', async () => {
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"notifications":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await run(['notify', 'list', '--base-url', baseUrl, '--data-dir', dataDirWith()]);
      expect(result.code, result.text).toBe(0);
      expect(seen).toEqual([`Bearer ${KEPT}`]);
    } finally {
      server.close();
    }
  });
});

describe('--base-url', () => {
  it('must be an absolute http(s) URL: without a scheme it is a usage error (exit 2), not an unreachable gateway', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-cli-base-url-'));
    for (const baseUrl of ['127.0.0.1:8080', 'localhost:8080', 'ftp://127.0.0.1:8080', 'http://']) {
      for (const command of [['notify', 'list'], ['sandbox', 'clock', 'show'], ['sandbox', 'complete', 'PAY_X']]) {
        const result = await run([...command, '--base-url', baseUrl, '--data-dir', dataDir]);
        expect(result.code, `${command.join(' ')} ${baseUrl}`).toBe(2);
        expect(result.err).toEqual([`amsgate: --base-url must be an absolute http(s) URL such as http://127.0.0.1:8080, got "${baseUrl}"`]);
      }
    }
  });

  it('the credentials file\'s baseUrl is checked the same way, naming the file', async () => {
    const dataDir = dataDirWith('127.0.0.1:8080');
    const result = await run(['notify', 'list', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([`amsgate: the baseUrl of ${join(dataDir, CREDENTIALS_FILE)} must be an absolute http(s) URL such as http://127.0.0.1:8080, got "127.0.0.1:8080"`]);
  });
});

describe('an admin token file that cannot be read', () => {
  it('is a usage error (exit 2) naming the file, not a stack trace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amsgate-cli-token-dir-'));
    mkdirSync(join(dataDir, ADMIN_TOKEN_FILE));
    const result = await run(['notify', 'list', '--base-url', 'http://127.0.0.1:9', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain(`Cannot read the admin token file "${join(dataDir, ADMIN_TOKEN_FILE)}": EISDIR`);
  });
});
