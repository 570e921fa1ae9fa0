/**
 * Options that are also environment variables, from one table: every
 * `serve` option and the database options (`--data-dir`, `--database`)
 * of `serve` and `clients`. The variable is `AMSGATE_` plus the flag's
 * name in upper case (`--https-port` → `AMSGATE_HTTPS_PORT`); a boolean
 * flag is named after its positive form (`--no-https` → `AMSGATE_HTTPS`,
 * `--json` → `AMSGATE_JSON`) and takes true/false (also 1/0, yes/no,
 * on/off). An empty value counts as unset.
 *
 * Precedence: command line > environment > `--env-file FILE` > default.
 * The env file is read, not loaded: only its `AMSGATE_` names are used,
 * and it never changes `process.env`. An `AMSGATE_` name amsgate does not
 * know, in the environment or in the file, is reported with the closest
 * known one. Errors about a value name where it came from (`--port`,
 * `AMSGATE_PORT`, `AMSGATE_PORT (in FILE)`), see `originOf`.
 *
 * Light: commander and node:fs only (the start-up rule of main.ts).
 */
import { Option, type Command } from 'commander';
import { CliError, readFileBytes } from './io.js';
import { LOG_LEVELS } from './options.js';

export const ENV_PREFIX = 'AMSGATE_';
export const DEFAULT_DATA_DIR = '.amsgate';

export interface EnvOptionSpec {
  /** Commander flags: `--port <port>`, `--no-https`, `--json`. */
  flags: string;
  description: string;
  default?: string;
  choices?: readonly string[];
  /** The variable, when not the one derived from the flag. */
  env?: string;
}

/** `--data-dir` and `--database`: `serve` and the `clients` commands. */
export const DATABASE_OPTIONS: readonly EnvOptionSpec[] = [
  { flags: '--data-dir <dir>', description: 'data directory: SQLite database, sandbox credentials, TLS certificate, runtime file', default: DEFAULT_DATA_DIR },
  {
    flags: '--database <url>',
    description: 'PostgreSQL URL, postgres://user:password@host/db (default: SQLite in the data directory)',
    // The name it had before this table: a URL, and the one most deployments already set.
    env: 'AMSGATE_DATABASE_URL',
  },
];

/** `serve`'s own options (with DATABASE_OPTIONS, every option of `serve`). */
export const SERVE_OPTIONS: readonly EnvOptionSpec[] = [
  { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
  { flags: '--port <port>', description: 'HTTP port (0: any free port)', default: '8080' },
  { flags: '--https-port <port>', description: 'HTTPS port (0: any free port)', default: '8443' },
  { flags: '--no-https', description: 'no HTTPS listener' },
  { flags: '--mode <mode>', description: 'sandbox (checkout page, simulation controls) or gateway', choices: ['sandbox', 'gateway'], default: 'sandbox' },
  { flags: '--tls-cert <file>', description: 'HTTPS certificate, PEM (default: a self-signed one kept in the data directory)' },
  { flags: '--tls-key <file>', description: 'private key of --tls-cert, PEM' },
  { flags: '--public-base-url <url>', description: 'base of the links handed out, e.g. checkout pages (default: the HTTP address)' },
  { flags: '--max-clock-skew <seconds>', description: 'refuse request-time values further than this from now (default: no check, as Antom)' },
  { flags: '--rate-limit <n>', description: 'requests per second per client; 0: no limit', default: '0' },
  {
    flags: '--durability <level>',
    description: 'SQLite commits: full (survive power loss) or normal (survive a crash only; faster)',
    choices: ['full', 'normal'],
    default: 'full',
  },
  { flags: '--admin-token <token>', description: 'token (16+ characters) for the dashboard and control API when not in sandbox mode on a loopback address' },
  { flags: '--metrics-token <token>', description: 'a read-only token (16+ characters) for /metrics only, for a Prometheus scrape config; the admin token works there too' },
  { flags: '--log-level <level>', description: 'request log level', choices: LOG_LEVELS, default: 'info' },
  { flags: '--log-format <format>', description: 'log lines: pretty (readable), json, or auto: pretty on a terminal, else json', choices: ['auto', 'pretty', 'json'], default: 'auto' },
  { flags: '--json', description: 'print the banner as one JSON line on standard output' },
];

/**
 * The other `AMSGATE_` variables amsgate reads: `call`'s credentials and
 * the control commands' address; then the switches of amsgate's own tests
 * and tools, so that a developer's shell does not draw warnings.
 */
export const OTHER_VARIABLES: readonly string[] = [
  'AMSGATE_CLIENT_ID', 'AMSGATE_PRIVATE_KEY', 'AMSGATE_ANTOM_PUBLIC_KEY', 'AMSGATE_KEY_VERSION', 'AMSGATE_BASE_URL',
  'AMSGATE_TEST_POSTGRES_URL', 'AMSGATE_REQUIRE_POSTGRES', 'AMSGATE_REQUIRE_BROWSER', 'AMSGATE_CHROMIUM',
  'AMSGATE_PROPERTY_SEED', 'AMSGATE_PROPERTY_STEPS', 'AMSGATE_IMPORT_LOG',
];

/** Where each option value came from, for messages: attribute name → `--port`, `AMSGATE_PORT` or `AMSGATE_PORT (in FILE)`. */
export type OptionOrigins = Readonly<Record<string, string>>;

/** What to call an option's value in an error message. */
export function originOf(options: { origins?: OptionOrigins }, key: string, flag: string): string {
  return options.origins?.[key] ?? flag;
}

/** `--https-port <port>` → `AMSGATE_HTTPS_PORT`; `--no-https` → `AMSGATE_HTTPS`. */
export function envNameOf(spec: EnvOptionSpec): string {
  if (spec.env !== undefined) return spec.env;
  const long = /--(?:no-)?([a-z0-9-]+)/.exec(spec.flags)?.[1] ?? '';
  return `${ENV_PREFIX}${long.replace(/-/g, '_').toUpperCase()}`;
}

export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([...[...DATABASE_OPTIONS, ...SERVE_OPTIONS].map(envNameOf), ...OTHER_VARIABLES]);

/** `--data-dir` for commands that only read the data directory (control commands, `call`): the same variable. */
export function dataDirOption(description: string): Option {
  return new Option('--data-dir <dir>', description)
    .default(DEFAULT_DATA_DIR)
    .env(envNameOf(DATABASE_OPTIONS[0] as EnvOptionSpec))
    .argParser((dir: string) => (dir === '' ? DEFAULT_DATA_DIR : dir)); // empty is unset, as in applyEnvironment
}

const withEnvironment = new WeakSet<Command>();

/** Adds the options of `specs` (each with its variable) and, once per command, `--env-file` and the step that applies both. */
export function addEnvOptions(command: Command, specs: readonly EnvOptionSpec[]): Command {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.description).env(envNameOf(spec));
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.choices !== undefined) {
      option.choices(spec.choices);
      // An empty variable is unset (applyEnvironment), not a wrong choice; an empty --flag '' is still checked there.
      const check = option.parseArg as (value: string, previous: unknown) => unknown;
      option.argParser((value: string, previous: unknown) => (value === '' ? value : check(value, previous)));
    }
    command.addOption(option);
  }
  if (!withEnvironment.has(command)) {
    withEnvironment.add(command);
    command.option('--env-file <file>', `read ${ENV_PREFIX}… variables from this dotenv file (below the environment and the command line)`);
    command.hook('preAction', (_parent, action) => applyEnvironment(action));
  }
  return command;
}

/**
 * Settles the options that have a variable after commander parsed them:
 * the command line stays; else a non-empty environment variable (commander
 * applied it, but a boolean one by presence only: here by value); else the
 * env file's; else the default. Records the origins for messages.
 */
function applyEnvironment(command: Command, env: NodeJS.ProcessEnv = process.env): void {
  const envFile = command.getOptionValue('envFile') as string | undefined;
  const fromFile = envFile === undefined ? new Map<string, string>() : readEnvFile(envFile);
  const warn = (message: string): void => command.configureOutput().writeErr?.(`amsgate: warning: ${message}\n`);
  for (const name of Object.keys(env)) {
    if (name.startsWith(ENV_PREFIX) && !KNOWN_VARIABLES.has(name)) warn(`${name} is not an amsgate variable, ignored${closestHint(name)}`);
  }
  for (const name of fromFile.keys()) {
    if (!KNOWN_VARIABLES.has(name)) warn(`${envFile ?? ''}: ${name} is not an amsgate variable, ignored${closestHint(name)}`);
  }
  const origins: Record<string, string> = {};
  for (const option of command.options) {
    if (option.envVar === undefined) continue;
    const key = option.attributeName();
    if (command.getOptionValueSource(key) === 'cli') {
      origins[key] = option.long ?? option.flags;
      settled(option, command.getOptionValue(key) as string | boolean, origins[key]);
      continue;
    }
    const fromEnv = env[option.envVar];
    const fileValue = fromFile.get(option.envVar);
    let value: string | boolean | undefined;
    if (fromEnv !== undefined && fromEnv !== '') {
      origins[key] = option.envVar;
      value = settled(option, fromEnv, option.envVar);
      command.setOptionValueWithSource(key, value, 'env');
    } else if (fileValue !== undefined && fileValue !== '') {
      origins[key] = `${option.envVar} (in ${envFile ?? ''})`;
      value = settled(option, fileValue, origins[key]);
      command.setOptionValueWithSource(key, value, 'config');
    } else if (fromEnv !== undefined) {
      // Set but empty: as if unset (commander took it as given).
      command.setOptionValueWithSource(key, option.defaultValue ?? (option.negate ? true : undefined), 'default');
    }
  }
  command.setOptionValue('origins', origins);
}

/** A variable's text as the option's value: booleans by the rule above, choices checked. */
function settled(option: Option, text: string | boolean, origin: string): string | boolean {
  if (typeof text === 'boolean') return text;
  // A flag (--json, --no-https): commander's isBoolean() leaves out the negated ones.
  if (!option.required && !option.optional) {
    const value = parseBoolean(text);
    if (value === undefined) throw new CliError(`${origin} must be true or false (or 1/0, yes/no, on/off), got "${text}"`);
    return value;
  }
  if (option.argChoices !== undefined && !option.argChoices.includes(text)) {
    throw new CliError(`${origin} must be one of ${option.argChoices.join(', ')}, got "${text}"`);
  }
  return text;
}

export function parseBoolean(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return undefined;
}

/**
 * A dotenv file, strictly: `NAME=value` lines (optionally `export NAME=…`),
 * blank lines and `#` comments; values bare (a ` #` starts a comment),
 * 'single-quoted' (verbatim) or "double-quoted" (\n, \t, \", \\ escapes),
 * on one line. Anything else, or a name given twice, is an error naming the
 * line (never echoing it: it may hold a password).
 */
export function parseEnvFile(text: string, file: string): Map<string, string> {
  const values = new Map<string, string>();
  const firstLine = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (/^\s*(#.*)?$/.test(line)) return;
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const value = match ? unquote(match[2] as string) : undefined;
    if (match === null || value === undefined) {
      throw new CliError(`${file} line ${lineNumber}: expected NAME=value (a value with spaces or # in quotes), or a # comment`);
    }
    const name = match[1] as string;
    const first = firstLine.get(name);
    if (first !== undefined) throw new CliError(`${file} line ${lineNumber}: ${name} is set again (first on line ${first})`);
    firstLine.set(name, lineNumber);
    values.set(name, value);
  });
  return values;
}

function unquote(raw: string): string | undefined {
  const double = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(raw);
  if (double) {
    const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    return (double[1] as string).replace(/\\(.)/g, (whole, c: string) => escapes[c] ?? whole);
  }
  const single = /^'([^']*)'\s*(#.*)?$/.exec(raw);
  if (single) return single[1] as string;
  if (/^["']/.test(raw)) return undefined;
  return raw.replace(/(^|\s+)#.*$/, '').trim();
}

function readEnvFile(file: string): Map<string, string> {
  return parseEnvFile(readFileBytes(file, 'env').toString('utf8'), file);
}

/** ` (did you mean AMSGATE_PORT?)` for the known variable closest to `name`. */
function closestHint(name: string): string {
  const candidate = name.startsWith(ENV_PREFIX) ? name : `${ENV_PREFIX}${name}`;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of KNOWN_VARIABLES) {
    const distance = editDistance(candidate, known);
    if (distance < bestDistance) [best, bestDistance] = [known, distance];
  }
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
