/**
 * The packages as a user gets them (issue 16): `npm pack` every workspace (its
 * `prepack` builds), install the tarballs into fresh projects made by
 * `npm init`, and use them there, far from this repository's hoisted
 * node_modules.
 *
 * - an SDK project with only @amsgate/protocol and @amsgate/client: no
 *   gateway, web framework or database driver gets installed; the SDK
 *   type-checks in a consumer's TypeScript project and signs a real call;
 * - a project with all four tarballs: `npx amsgate --version`, and
 *   `amsgate serve` answering /readyz and stopping with exit code 0 on SIGTERM.
 *
 * It needs the npm registry for third-party dependencies and fails (never
 * skips) without it. The full project compiles better-sqlite3 with node-gyp
 * (its prebuilt binaries come from GitHub, out of reach here), which is most
 * of this file's minute or two.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const WORKSPACES = ['protocol', 'gateway', 'client', 'cli'] as const;
type Workspace = (typeof WORKSPACES)[number];

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const MANIFESTS = Object.fromEntries(WORKSPACES.map((w) => [w, readJson<Manifest>(join(ROOT, 'packages', w, 'package.json'))])) as Record<Workspace, Manifest>;

/**
 * npm hands its whole configuration to the scripts it runs as npm_config_*
 * (this repository's prefix and workspace settings included when the suite
 * runs under `npm test`); the fresh projects keep only the settings that say
 * where packages come from.
 */
const KEPT_NPM_CONFIG = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|nodedir)$/i;
const ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !(/^npm_/i.test(key) && !KEPT_NPM_CONFIG.test(key)) && key !== 'INIT_CWD'),
);

const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier'];

/** Stops the npm commands still running when one fails or the file ends: none outlives the test. */
const stopAll = new AbortController();

async function npm(args: string[], cwd: string, what: string, timeout = 60_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync('npm', args, { cwd, env: ENV, timeout, maxBuffer: 64 * 1024 * 1024, signal: stopAll.signal });
    return stdout;
  } catch (error) {
    const { stderr = '', stdout = '', message } = error as { stderr?: string; stdout?: string; message: string };
    const said = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (npm ${args.join(' ')} in ${cwd}): ${message.split('\n')[0]}\n${said}`);
  }
}

/** A fresh project as `npm init -y` makes it, with the tarballs installed. */
async function freshProject(dir: string, tarballs: string[], allowScripts: Record<string, boolean> = {}): Promise<void> {
  mkdirSync(dir);
  await npm(['init', '-y'], dir, 'npm init');
  // npm 11 runs no dependency's install script that package.json does not allow (better-sqlite3 builds its binding in one).
  for (const [name, allowed] of Object.entries(allowScripts)) await npm(['pkg', 'set', `allowScripts.${name}=${allowed}`, '--json'], dir, 'npm pkg set');
  await npm(['install', ...INSTALL_FLAGS, ...tarballs], dir, 'Installing the packed tarballs (this needs the npm registry for third-party dependencies: is it reachable?)', 8 * 60_000);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * What an installed package imports but does not declare: every package its
 * code imports must be a dependency (the monorepo's hoisting hides a missing
 * one), and every module its .d.ts files import must resolve, as TypeScript
 * resolves it from there, to types: the package's own, or an @types/* package
 * that is a dependency too (node: modules need @types/node).
 */
function undeclaredImports(packageDir: string): string[] {
  const manifest = readJson<Manifest>(join(packageDir, 'package.json'));
  const dependencies = manifest.dependencies ?? {};
  const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
  const problems = new Set<string>();
  for (const file of filesUnder(packageDir).filter((f) => /\.(c|m)?js$|\.d\.ts$/.test(f) && !f.startsWith(join(packageDir, 'node_modules')))) {
    const declaration = DECLARATION.test(file);
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (specifier.startsWith('.')) continue;
      const where = `${manifest.name}/${relative(packageDir, file)} imports ${specifier}`;
      if (isBuiltin(specifier)) {
        if (declaration && !('@types/node' in dependencies)) problems.add(`${where}: @types/node is not a dependency`);
        continue;
      }
      if (!(packageOf(specifier) in dependencies)) problems.add(`${where}: ${packageOf(specifier)} is not a dependency`);
      if (!declaration) continue;
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys, undefined, undefined, ts.ModuleKind.ESNext).resolvedModule?.resolvedFileName;
      const typesPackage = resolved?.match(/\/node_modules\/(@types\/[^/]+)\//)?.[1];
      if (resolved === undefined || !DECLARATION.test(resolved)) problems.add(`${where}: no types for it (${resolved ?? 'unresolved'})`);
      else if (typesPackage !== undefined && !(typesPackage in dependencies)) problems.add(`${where}: its types come from ${typesPackage}, which is not a dependency`);
    }
  }
  return [...problems];
}

interface Packed {
  name: string;
  version: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

describe('the packed packages, installed in fresh projects', () => {
  const work = mkdtempSync(join(tmpdir(), 'amsgate-pack-install-'));
  const tarballs = join(work, 'tarballs');
  const sdk = join(work, 'sdk');
  const full = join(work, 'full');
  let packed: Packed[] = [];
  let tarballOf: (workspace: Workspace) => string;
  let server: ChildProcess | undefined;
  const started = performance.now();

  beforeAll(async () => {
    // Fails here, in a second, rather than after npm's retries of every package (minutes) when the registry is out of reach.
    await npm(['ping', '--fetch-retries=0', '--fetch-timeout=15000'], work, 'This test installs third-party dependencies from the npm registry, which did not answer: npm ping');
    mkdirSync(tarballs);
    // One npm call for the four: each package's prepack builds it (tsc -b; nothing to do when the build is current).
    const out = await npm(['pack', ...WORKSPACES.flatMap((w) => ['-w', `packages/${w}`]), '--pack-destination', tarballs, '--json'], ROOT, 'npm pack');
    packed = JSON.parse(out.slice(out.indexOf('['))) as Packed[];
    tarballOf = (workspace) => {
      const found = packed.find((p) => p.name === MANIFESTS[workspace].name);
      if (!found) throw new Error(`npm pack made no tarball for ${MANIFESTS[workspace].name}`);
      return join(tarballs, found.filename);
    };
    // The SDK project alone, and all four where better-sqlite3 compiles: side by side. @scarf/scarf (under
    // swagger-ui-dist) has an install-time analytics script: denied, as a user would, instead of left pending.
    await Promise.all([
      freshProject(sdk, [tarballOf('protocol'), tarballOf('client')]),
      freshProject(full, WORKSPACES.map(tarballOf), { 'better-sqlite3': true, '@scarf/scarf': false }),
    ]).catch((error: unknown) => {
      stopAll.abort();
      throw error;
    });
    console.log(`pack-install: packed and installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 10 * 60_000);

  afterAll(async () => {
    stopAll.abort();
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await once(server, 'exit');
    }
    rmSync(work, { recursive: true, force: true });
    console.log(`pack-install: ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
  });

  it('each tarball holds its built code, README and LICENSE: no sources, tests, source maps or build info', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(WORKSPACES.map((w) => MANIFESTS[w].name).sort());
    for (const p of packed) {
      const paths = p.files.map((f) => f.path);
      expect(paths, p.name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', p.name === 'amsgate' ? 'dist/main.js' : 'dist/index.d.ts']));
      expect(paths.filter((path) => !/^(dist|bin)\//.test(path) && !['LICENSE', 'README.md', 'package.json'].includes(path)), p.name).toEqual([]);
      expect(paths.filter((path) => /\.map$|tsbuildinfo/.test(path)), p.name).toEqual([]);
      // tsc -b never deletes the output of a source that was moved or removed: such a file would be published.
      const workspace = WORKSPACES.find((w) => MANIFESTS[w].name === p.name) ?? 'cli';
      const stale = paths.filter((path) => /^dist\/.*\.js$/.test(path) && !existsSync(join(ROOT, 'packages', workspace, path.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))));
      expect(stale, `${p.name}: build output without a source (remove packages/${workspace}/dist and build again)`).toEqual([]);
    }
    const license = readFileSync(join(ROOT, 'LICENSE'));
    for (const w of WORKSPACES) expect(readFileSync(join(full, 'node_modules', MANIFESTS[w].name, 'LICENSE')).equals(license), `${MANIFESTS[w].name}'s LICENSE`).toBe(true);
  });

  it('the SDK installs without the gateway, a web framework or a database driver', () => {
    for (const absent of ['@amsgate/gateway', 'amsgate', 'fastify', 'better-sqlite3', 'pg', 'kysely']) {
      expect(existsSync(join(sdk, 'node_modules', absent)), `${absent} in the SDK project`).toBe(false);
    }
    expect(existsSync(join(sdk, 'node_modules', '@amsgate', 'client', 'dist', 'index.js'))).toBe(true);
  });

  it('every import of the installed packages is a declared dependency, with types where a .d.ts imports it', () => {
    expect(WORKSPACES.flatMap((w) => undeclaredImports(join(full, 'node_modules', MANIFESTS[w].name)))).toEqual([]);
  });

  it("the SDK type-checks in a consumer's TypeScript project (node:crypto's types come with it)", async () => {
    writeFileSync(
      join(sdk, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true }, files: ['check.mts'] }),
    );
    writeFileSync(
      join(sdk, 'check.mts'),
      [
        "import { AntomClient, type AntomClientOptions } from '@amsgate/client';",
        "import { generateKeyPair } from '@amsgate/protocol';",
        'const pair = await generateKeyPair();',
        "const client = new AntomClient({ clientId: 'SANDBOX_1', privateKey: pair.privateKeyBase64, antomPublicKey: pair.publicKeyBase64, baseUrl: 'http://127.0.0.1:1' });",
        "const answer: Promise<{ resultStatus: 'S' | 'U' | 'F' }> = client.inquiryPayment({ paymentRequestId: 'order-1' });",
        // Were node:crypto's KeyObject unresolved (no @types/node), the key types would be any and accept a number.
        '// @ts-expect-error a number is not a key',
        'const wrong: AntomClientOptions["privateKey"] = 42;',
        'export { answer, wrong };',
      ].join('\n'),
    );
    await execFileAsync(process.execPath, [TSC, '-p', sdk], { cwd: sdk, env: ENV }).catch((error: { stdout?: string; message: string }) => {
      throw new Error(`tsc in the SDK project: ${error.stdout || error.message}`);
    });
  }, 60_000);

  it('npx amsgate --version prints the package version', async () => {
    // `--no`: never fetch a package named amsgate from the registry; `--`: the rest is amsgate's, not npx's (npx --version is npm's).
    const out = await npm(['exec', '--no', '--', 'amsgate', '--version'], full, 'npx amsgate --version');
    expect(out.trim()).toBe(MANIFESTS.cli.version);
  });

  it('amsgate serve answers /readyz, serves a call from the SDK project and exits 0 on SIGTERM', async () => {
    // The installed bin itself: npx does not pass SIGTERM on to the command (npm 11 exits 143 and leaves it running).
    const child = spawn(join(full, 'node_modules', '.bin', 'amsgate'), ['serve', '--port', '0', '--https-port', '0', '--json'], { cwd: full, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const banner = await new Promise<{ httpUrl: string; httpsUrl: string | null; credentialsFile: string | null }>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`no banner from amsgate serve within 30 s; stderr: ${stderr}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          const parsed = line.startsWith('{') ? (JSON.parse(line) as { msg?: string }) : {};
          if (parsed.msg === 'amsgate started') {
            clearTimeout(timer);
            resolve(parsed as never);
          }
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`amsgate serve exited (${code}) before its banner; stderr: ${stderr}`));
      });
    });
    expect(banner.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${banner.httpUrl}/readyz`)).status).toBe(200);

    // The SDK from its own project signs a pay and verifies the gateway's signed answer.
    expect(banner.credentialsFile).not.toBeNull();
    writeFileSync(
      join(sdk, 'pay.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { AntomClient } from '@amsgate/client';",
        "const c = JSON.parse(readFileSync(process.argv[2], 'utf8'));",
        'const antom = new AntomClient({ clientId: c.clientId, keyVersion: c.keyVersion, privateKey: c.merchantPrivateKey, antomPublicKey: c.antomPublicKey, baseUrl: c.baseUrl });',
        "const amount = { currency: 'USD', value: '1000' };",
        "const paid = await antom.pay({ productCode: 'CASHIER_PAYMENT', paymentRequestId: 'pack-install-1', paymentAmount: amount, order: { referenceOrderId: 'pack-install', orderDescription: 'pack-install', orderAmount: amount }, paymentMethod: { paymentMethodType: 'ALIPAY_CN' }, env: { terminalType: 'WEB' }, paymentRedirectUrl: 'https://shop.example/thanks' });",
        'console.log(JSON.stringify({ resultStatus: paid.resultStatus, resultCode: paid.result.resultCode, normalUrl: paid.data?.normalUrl }));',
      ].join('\n'),
    );
    const { stdout } = await execFileAsync(process.execPath, ['pay.mjs', banner.credentialsFile ?? ''], { cwd: sdk, env: ENV });
    const paid = JSON.parse(stdout) as { resultStatus: string; resultCode: string; normalUrl?: string };
    expect(paid).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect(paid.normalUrl).toContain(banner.httpUrl);

    child.kill('SIGTERM');
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal, stderr }).toMatchObject({ code: 0, signal: null });
  }, 60_000);
});
