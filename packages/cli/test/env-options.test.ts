/**
 * Configuration by environment: every `serve` option is an AMSGATE_…
 * variable; precedence command line > environment > --env-file > default;
 * booleans by value; bad values and unknown names reported by name.
 * Values that fail validation show which source won, without starting a
 * gateway.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_OPTIONS, envNameOf, parseEnvFile, SERVE_OPTIONS } from '../src/env-options.js';
import { run } from './helpers.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'amsgate-env-'));
let files = 0;

function envFile(text: string): string {
  files += 1;
  const file = join(dir, `${files}.env`);
  writeFileSync(file, text);
  return file;
}

const set: string[] = [];
function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    process.env[name] = value;
    set.push(name);
  }
}
afterEach(() => {
  for (const name of set.splice(0)) delete process.env[name];
});

/** `serve` that never gets to listen: a fresh data dir, silent, and whatever the case adds. */
function serve(...args: string[]) {
  return run(['serve', '--data-dir', join(dir, 'data'), '--log-level', 'silent', ...args]);
}

describe('serve options from the environment and --env-file', () => {
  it('precedence: command line > environment > env file > default, each named in the error', async () => {
    const file = envFile('AMSGATE_PORT=abc\n');
    const fromFile = await serve('--env-file', file);
    expect(fromFile.code).toBe(2);
    expect(fromFile.err).toEqual([`amsgate: AMSGATE_PORT (in ${file}) must be a port number from 0 to 65535 (0 picks a free port), got "abc"`]);

    setEnv({ AMSGATE_PORT: '70000' });
    const fromEnv = await serve('--env-file', file);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.err).toEqual(['amsgate: AMSGATE_PORT must be a port number from 0 to 65535 (0 picks a free port), got "70000"']);

    const fromCli = await serve('--env-file', file, '--port', '99999');
    expect(fromCli.code).toBe(2);
    expect(fromCli.err).toEqual(['amsgate: --port must be a port number from 0 to 65535 (0 picks a free port), got "99999"']);
  });

  it('an empty variable is unset: the env file below it applies', async () => {
    setEnv({ AMSGATE_PORT: '', AMSGATE_MODE: '' });
    const file = envFile('AMSGATE_PORT=abc\n');
    const result = await serve('--env-file', file);
    expect(result.err).toEqual([`amsgate: AMSGATE_PORT (in ${file}) must be a port number from 0 to 65535 (0 picks a free port), got "abc"`]);
  });

  it('booleans are named after the positive flag and read by value: AMSGATE_HTTPS=false is --no-https, =true is not', async () => {
    const tls = ['--tls-cert', join(dir, 'no-cert.pem'), '--tls-key', join(dir, 'no-key.pem')];
    setEnv({ AMSGATE_HTTPS: 'false' });
    expect((await serve(...tls)).err.join('\n')).toContain('--tls-cert and --tls-key configure HTTPS, which --no-https turns off');
    setEnv({ AMSGATE_HTTPS: 'TRUE' });
    expect((await serve(...tls)).err.join('\n')).toContain('Cannot read the TLS certificate file');
    setEnv({ AMSGATE_HTTPS: 'maybe' });
    const bad = await serve();
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual(['amsgate: AMSGATE_HTTPS must be true or false (or 1/0, yes/no, on/off), got "maybe"']);
    delete process.env['AMSGATE_HTTPS'];
    const file = envFile('AMSGATE_JSON=2\n');
    expect((await serve('--env-file', file)).err).toEqual([`amsgate: AMSGATE_JSON (in ${file}) must be true or false (or 1/0, yes/no, on/off), got "2"`]);
  });

  it('choices are checked whatever the source', async () => {
    const file = envFile('AMSGATE_MODE=production\n');
    expect((await serve('--env-file', file)).err).toEqual([`amsgate: AMSGATE_MODE (in ${file}) must be one of sandbox, gateway, got "production"`]);
    setEnv({ AMSGATE_DURABILITY: 'off' });
    const fromEnv = await serve();
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.err[0]).toBe("error: option '--durability <level>' value 'off' from env 'AMSGATE_DURABILITY' is invalid. Allowed choices are full, normal.");
  });

  it('names other bad values by their variable', async () => {
    const file = envFile('AMSGATE_RATE_LIMIT=-1\nAMSGATE_PORT=0\n');
    expect((await serve('--env-file', file)).err).toEqual([`amsgate: AMSGATE_RATE_LIMIT (in ${file}) must be a whole number, 0 or more, got "-1"`]);
    setEnv({ AMSGATE_ADMIN_TOKEN: 'short' });
    expect((await serve('--port', '0')).err).toEqual(['amsgate: AMSGATE_ADMIN_TOKEN must be at least 16 characters']);
  });

  it('warns about AMSGATE_ names it does not know, in the environment and in the file, with the closest known one', async () => {
    setEnv({ AMSGATE_DATADIR: '/tmp/x', AMSGATE_PORT: 'x' });
    const file = envFile('# settings\nPORT=8080\nexport AMSGATE_LOGLEVEL=warn\n');
    const result = await serve('--env-file', file);
    expect(result.err).toEqual([
      'amsgate: warning: AMSGATE_DATADIR is not an amsgate variable, ignored (did you mean AMSGATE_DATA_DIR?)',
      `amsgate: warning: ${file}: PORT is not an amsgate variable, ignored (did you mean AMSGATE_PORT?)`,
      `amsgate: warning: ${file}: AMSGATE_LOGLEVEL is not an amsgate variable, ignored (did you mean AMSGATE_LOG_LEVEL?)`,
      'amsgate: AMSGATE_PORT must be a port number from 0 to 65535 (0 picks a free port), got "x"',
    ]);
  });

  it('a missing env file or a line that is not NAME=value is an error naming the file and line, without echoing it', async () => {
    const missing = await serve('--env-file', join(dir, 'nope.env'));
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([`amsgate: Cannot read the env file "${join(dir, 'nope.env')}": no such file`]);
    const file = envFile('AMSGATE_PORT=0\nAMSGATE_ADMIN_TOKEN secret-token-value\n');
    const bad = await serve('--env-file', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([`amsgate: ${file} line 2: expected NAME=value (a value with spaces or # in quotes), or a # comment`]);
    const twice = envFile('AMSGATE_PORT=0\n\nAMSGATE_PORT=1\n');
    expect((await serve('--env-file', twice)).err).toEqual([`amsgate: ${twice} line 3: AMSGATE_PORT is set again (first on line 1)`]);
  });

  it('the database options take their variables and --env-file in the clients commands too', async () => {
    setEnv({ AMSGATE_DATA_DIR: join(dir, 'no-such-data') });
    const list = await run(['clients', 'list']);
    expect(list.code).toBe(2);
    expect(list.err.join('\n')).toContain(`No amsgate database at ${join(dir, 'no-such-data', 'amsgate.sqlite')}`);
    const file = envFile('AMSGATE_DATABASE_URL=mysql://root:pw@db/amsgate\n');
    const database = await run(['clients', 'list', '--env-file', file]);
    expect(database.code).toBe(2);
    expect(database.err).toEqual([
      `amsgate: Unsupported database URL "mysql://root:***@db/amsgate" in AMSGATE_DATABASE_URL (in ${file}): use postgres://… (or postgresql://…), or leave --database out for SQLite in --data-dir`,
    ]);
  });
});

describe('parseEnvFile', () => {
  it('reads bare, quoted and exported values, comments and blank lines', () => {
    const parsed = parseEnvFile(
      [
        '\uFEFF# amsgate',
        '',
        'AMSGATE_PORT=8080',
        'export AMSGATE_HOST = 0.0.0.0   # all interfaces',
        'AMSGATE_ADMIN_TOKEN="a#b \\"c\\" d\\\\e"',
        "AMSGATE_DATABASE_URL='postgres://u:p#w@db/x' # single quotes: verbatim",
        'AMSGATE_PUBLIC_BASE_URL=https://sandbox.example.com/#not-a-comment',
        'AMSGATE_TLS_CERT=',
      ].join('\r\n'),
      'f.env',
    );
    expect(Object.fromEntries(parsed)).toEqual({
      AMSGATE_PORT: '8080',
      AMSGATE_HOST: '0.0.0.0',
      AMSGATE_ADMIN_TOKEN: 'a#b "c" d\\e',
      AMSGATE_DATABASE_URL: 'postgres://u:p#w@db/x',
      AMSGATE_PUBLIC_BASE_URL: 'https://sandbox.example.com/#not-a-comment',
      AMSGATE_TLS_CERT: '',
    });
  });

  it('refuses unterminated quotes and lines without a name', () => {
    expect(() => parseEnvFile('A="open\n', 'f.env')).toThrow('f.env line 1: expected NAME=value');
    expect(() => parseEnvFile("A='x' y\n", 'f.env')).toThrow('f.env line 1');
    expect(() => parseEnvFile('=x\n', 'f.env')).toThrow('f.env line 1');
  });
});

describe('the README', () => {
  it('has a row for every serve option: its variable and its flag', async () => {
    const readme = readFileSync(README, 'utf8');
    const help = (await run(['serve', '--help'])).out.join('\n');
    const flags = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1] as string).filter((flag) => flag !== '--env-file' && flag !== '--help');
    const specs = [...SERVE_OPTIONS, ...DATABASE_OPTIONS];
    expect(flags.sort()).toEqual(specs.map((spec) => spec.flags.split(' ')[0]).sort());
    for (const spec of specs) {
      const flag = spec.flags.split(' ')[0] as string;
      expect(help.replace(/\s+/g, ' '), flag).toContain(`env: ${envNameOf(spec)})`);
      expect(readme, flag).toContain(`| \`${envNameOf(spec)}\` | \`${flag}\` |`);
    }
  });
});
