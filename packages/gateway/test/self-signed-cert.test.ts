import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, loadOrCreateCertificate } from '../src/edge/self-signed-cert.js';
import type { CertificateAndKey } from '../src/edge/self-signed-cert.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function containsBytes(haystack: Buffer, hex: string): boolean {
  return haystack.includes(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/** SHA-1 over the contents of the subjectPublicKey BIT STRING, read out of the SPKI DER by hand. */
function expectedKeyIdentifier(certificate: X509Certificate): Buffer {
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  // 2048-bit RSA: SEQUENCE(4) { AlgorithmIdentifier(15), BIT STRING 03 82 01 0f, 00 unused bits, key }
  expect(spki.subarray(19, 24).toString('hex')).toBe('0382010f00');
  return createHash('sha1').update(spki.subarray(24)).digest();
}

function get(port: number, options: RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let defaults: CertificateAndKey;
let createdAt: number;
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'amsgate-tls-'));
  tempDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  createdAt = Date.now();
  defaults = await createSelfSignedCertificate();
});

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createSelfSignedCertificate', () => {
  it('produces a v3 server certificate for localhost, 127.0.0.1 and ::1', () => {
    const certificate = new X509Certificate(defaults.certPem);
    expect(defaults.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
    expect(defaults.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

    expect(certificate.subject).toBe('CN=amsgate local');
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkHost('example.com')).toBeUndefined();
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkIP('::1')).toBe('::1');
    expect(certificate.checkIP('10.0.0.1')).toBeUndefined();
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extendedKeyUsage serverAuth

    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(defaults.keyPem))).toBe(true);
    expect(certificate.publicKey.asymmetricKeyType).toBe('rsa');
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    // 16 random bytes with the top bit clear, so a positive INTEGER with no padding byte.
    expect(certificate.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
  });

  it('is valid from a day ago for 825 days', () => {
    const certificate = new X509Certificate(defaults.certPem);
    const validFrom = Date.parse(certificate.validFrom);
    const validTo = Date.parse(certificate.validTo);
    // Times have whole seconds, so allow the truncation plus the time the key generation took.
    expect(validFrom).toBeGreaterThan(createdAt - DAY_MS - 1000);
    expect(validFrom).toBeLessThanOrEqual(Date.now() - DAY_MS);
    expect(validTo - validFrom).toBe(825 * DAY_MS);
  });

  it('encodes the extensions as specified (DER bytes)', () => {
    const certificate = new X509Certificate(defaults.certPem);
    const raw = certificate.raw;
    // version [0] EXPLICIT INTEGER 2
    expect(containsBytes(raw, 'a003 020102')).toBe(true);
    // sha256WithRSAEncryption with NULL parameters
    expect(containsBytes(raw, '300d 0609 2a864886f70d01010b 0500')).toBe(true);
    // basicConstraints, critical, empty SEQUENCE (cA FALSE by default)
    expect(containsBytes(raw, '0603 551d13 0101ff 0402 3000')).toBe(true);
    // keyUsage, critical, digitalSignature + keyEncipherment
    expect(containsBytes(raw, '0603 551d0f 0101ff 0404 030205a0')).toBe(true);
    // subjectAltName, non-critical: [2] "localhost", [7] 127.0.0.1, [7] ::1 (16 bytes)
    expect(containsBytes(raw, '0603 551d11 0425 3023 8209 6c6f63616c686f7374 8704 7f000001 8710 00000000000000000000000000000001')).toBe(
      true,
    );
    // subjectKeyIdentifier: SHA-1 of the public key bits
    expect(containsBytes(raw, `0603 551d0e 0416 0414 ${expectedKeyIdentifier(certificate).toString('hex')}`)).toBe(true);
  });

  it('honours the options, and uses GeneralizedTime from 2050 on', async () => {
    const now = new Date('2051-03-10T08:30:15.999Z');
    const { certPem, keyPem } = await createSelfSignedCertificate({
      commonName: 'gateway.test',
      dnsNames: ['gateway.test', '*.gateway.test'],
      ipAddresses: ['10.1.2.3', '2001:db8::ff00:42:8329', '::ffff:192.0.2.1'],
      validDays: 30,
      now,
    });
    const certificate = new X509Certificate(certPem);
    expect(certificate.subject).toBe('CN=gateway.test');
    expect(certificate.subjectAltName).toBe(
      'DNS:gateway.test, DNS:*.gateway.test, IP Address:10.1.2.3, IP Address:2001:DB8:0:0:0:FF00:42:8329, IP Address:0:0:0:0:0:FFFF:C000:201',
    );
    expect(certificate.checkHost('api.gateway.test')).toBe('*.gateway.test'); // returns the matching SAN entry
    expect(certificate.checkHost('localhost')).toBeUndefined();
    expect(certificate.checkIP('127.0.0.1')).toBeUndefined();
    expect(certificate.validFrom).toBe('Mar  9 08:30:15 2051 GMT');
    expect(certificate.validTo).toBe('Apr  8 08:30:15 2051 GMT');
    expect(containsBytes(certificate.raw, `180f ${Buffer.from('20510309083015Z').toString('hex')}`)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
  });

  it('rejects names that cannot go into a certificate, before generating a key', async () => {
    await expect(createSelfSignedCertificate({ ipAddresses: ['localhost'] })).rejects.toThrow(RangeError);
    await expect(createSelfSignedCertificate({ ipAddresses: ['fe80::1%eth0'] })).rejects.toThrow(RangeError);
    await expect(createSelfSignedCertificate({ dnsNames: ['bad name'] })).rejects.toThrow(RangeError);
    await expect(createSelfSignedCertificate({ validDays: 0 })).rejects.toThrow(RangeError);
  });
});

describe('a node:https server using the certificate', () => {
  it('passes real TLS verification by host name and by IP, and only for clients that trust it', async () => {
    const server = createServer({ key: defaults.keyPem, cert: defaults.certPem }, (_req, res) => res.end('hello over TLS'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // Host name verification against DNS:localhost (what the Java SDK does with http://localhost).
      await expect(get(port, { ca: defaults.certPem, servername: 'localhost' })).resolves.toEqual({ status: 200, body: 'hello over TLS' });
      // Connecting by IP checks the IP Address:127.0.0.1 entry.
      await expect(get(port, { ca: defaults.certPem })).resolves.toEqual({ status: 200, body: 'hello over TLS' });
      // A name the certificate does not carry fails, so the check above is a real one.
      await expect(get(port, { ca: defaults.certPem, servername: 'gateway.example' })).rejects.toMatchObject({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
      // Default trust: a self-signed certificate is not accepted.
      await expect(get(port, { servername: 'localhost' })).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('loadOrCreateCertificate', () => {
  it('creates the pair once with private permissions, then reuses it', async () => {
    const dataDir = await tempDir();
    const first = await loadOrCreateCertificate(dataDir);
    expect(first.created).toBe(true);
    expect(first.certPath).toBe(join(dataDir, 'tls', 'cert.pem'));
    expect(first.keyPath).toBe(join(dataDir, 'tls', 'key.pem'));
    expect(await readFile(first.certPath, 'utf8')).toBe(first.certPem);
    expect(await readFile(first.keyPath, 'utf8')).toBe(first.keyPem);
    expect((await readdir(join(dataDir, 'tls'))).sort()).toEqual(['cert.pem', 'key.pem']); // no temp files left
    if (process.platform !== 'win32') {
      expect((await stat(first.keyPath)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dataDir, 'tls'))).mode & 0o777).toBe(0o700);
    }
    const certificate = new X509Certificate(first.certPem);
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkPrivateKey(createPrivateKey(first.keyPem))).toBe(true);

    const second = await loadOrCreateCertificate(dataDir);
    expect(second).toEqual({ ...first, created: false });
  });

  it('replaces an expired certificate', async () => {
    const dataDir = await tempDir();
    const { certPath, keyPath } = await loadOrCreateCertificate(dataDir);
    const expired = await createSelfSignedCertificate({ now: new Date(Date.now() - 10 * DAY_MS), validDays: 1 });
    expect(Date.parse(new X509Certificate(expired.certPem).validTo)).toBeLessThan(Date.now());
    await writeFile(certPath, expired.certPem);
    await writeFile(keyPath, expired.keyPem, { mode: 0o600 });

    const renewed = await loadOrCreateCertificate(dataDir);
    expect(renewed.created).toBe(true);
    expect(renewed.certPem).not.toBe(expired.certPem);
    expect(Date.parse(new X509Certificate(renewed.certPem).validTo)).toBeGreaterThan(Date.now() + 800 * DAY_MS);
    expect(await readFile(certPath, 'utf8')).toBe(renewed.certPem);
    expect(await readFile(keyPath, 'utf8')).toBe(renewed.keyPem);
  });

  it('replaces an unreadable certificate or a key that does not match it', async () => {
    const dataDir = await tempDir();
    const { certPath, keyPath, certPem } = await loadOrCreateCertificate(dataDir);
    await writeFile(certPath, 'not a certificate');
    const afterGarbage = await loadOrCreateCertificate(dataDir);
    expect(afterGarbage.created).toBe(true);
    expect(afterGarbage.certPem).not.toBe(certPem);

    // Another valid key next to the certificate, as a crash between the two renames could leave.
    await writeFile(keyPath, defaults.keyPem, { mode: 0o600 });
    const afterMismatch = await loadOrCreateCertificate(dataDir);
    expect(afterMismatch.created).toBe(true);
    expect(new X509Certificate(afterMismatch.certPem).checkPrivateKey(createPrivateKey(afterMismatch.keyPem))).toBe(true);
  });
});

const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
if (!hasOpenssl) console.log('self-signed-cert: skipping the openssl cross-check, `openssl` is not on the PATH');

describe('cross-check with openssl', () => {
  it.skipIf(!hasOpenssl)('openssl decodes the certificate and verifies it as a TLS server certificate', async () => {
    const text = spawnSync('openssl', ['x509', '-noout', '-text'], { input: defaults.certPem, encoding: 'utf8' });
    expect(text.status, text.stderr).toBe(0);
    const out = text.stdout;
    expect(out).toMatch(/Version: 3 \(0x2\)/);
    expect(out).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(out).toMatch(/Issuer: CN ?= ?amsgate local/);
    expect(out).toMatch(/Public-Key: \(2048 bit\)/);
    expect(out).toMatch(/X509v3 Subject Alternative Name: *\n\s*DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1\n/);
    expect(out).toMatch(/X509v3 Basic Constraints: critical\n\s*CA:FALSE\n/);
    expect(out).toMatch(/X509v3 Key Usage: critical\n\s*Digital Signature, Key Encipherment\n/);
    expect(out).toMatch(/X509v3 Extended Key Usage: *\n\s*TLS Web Server Authentication\n/);
    const keyId = expectedKeyIdentifier(new X509Certificate(defaults.certPem)).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
    expect(out).toMatch(new RegExp(`X509v3 Subject Key Identifier: *\\n\\s*${keyId}\\n`));

    const dir = await tempDir();
    const file = join(dir, 'cert.pem');
    await writeFile(file, defaults.certPem);
    const verify = spawnSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', file, file], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${file}: OK`);
  });
});
