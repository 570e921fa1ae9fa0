/**
 * `amsgate sandbox simulate | scenarios | scenarios clear`: scenario
 * simulation rules of a running sandbox gateway ("endpoint X answers result
 * code Y for the next K calls or for a while"), through its control API.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { ENDPOINT_PATHS } from '@amsgate/protocol';
import type { ScenarioView } from '@amsgate/gateway';
import { CREDENTIALS_FILE } from '@amsgate/gateway/constants';
import { addControlOptions, controlRequest, sandboxCredentialField, type ControlOptions } from '../control-api.js';
import { CliError } from '../io.js';

type Print = (line: string) => void;
interface Io {
  out: Print;
  err: Print;
}

const request = controlRequest;

export function registerScenarioCommands(sandbox: Command, io: Io): void {
  addControlOptions(
    sandbox
      .command('simulate')
      .description('make an endpoint answer a result code for the next K calls or for a while (default 30m), before anything is processed')
      .argument('<endpoint>', `an AMS endpoint, e.g. payments/pay (or just "pay" when unambiguous): ${ENDPOINT_PATHS.join(', ')}`)
      .argument('<result-code>', 'an F or U result code, e.g. USER_BALANCE_NOT_ENOUGH, RISK_REJECT, UNKNOWN_EXCEPTION')
      .option('--client <id>', "the client whose requests are answered (default: the sandbox credentials file's clientId)")
      .addOption(new Option('--times <k>', 'answer the next K matching calls').conflicts('for'))
      .addOption(new Option('--for <duration>', 'answer for this long on the gateway clock, e.g. 10m, 1h30m').conflicts('times'))
      .option('--match <field=value>', 'only requests whose field has this value (a name such as paymentMethodType, or a dotted path); repeatable', collect, [])
      .option('--json', 'print JSON'),
  ).action(async (endpoint: string, resultCode: string, options: ControlOptions & { client?: string; times?: string; for?: string; match: string[]; json?: boolean }) => {
    const body: Record<string, unknown> = {
      clientId: options.client ?? sandboxClientId(options.dataDir),
      endpoint: endpointOf(endpoint),
      resultCode: resultCode.toUpperCase(),
    };
    if (options.times !== undefined) {
      if (!/^\d+$/.test(options.times)) throw new CliError(`--times must be a whole number of calls, got "${options.times}"`);
      body.times = Number(options.times);
    }
    if (options.for !== undefined) body.for = options.for;
    if (options.match.length > 0) body.match = Object.fromEntries(options.match.map(matchPair));
    const { scenario } = await request<{ scenario: ScenarioView }>(options, 'POST', '/sandbox/scenarios', body);
    io.out(options.json ? JSON.stringify(scenario, null, 2) : `Scenario ${scenario.id}: ${describe(scenario)}.`);
  });

  // `scenarios` alone lists (its default subcommand), so that options reach `scenarios clear` too.
  const scenarios = sandbox.command('scenarios').description('the scenario simulation rules in force (see `sandbox simulate`); `scenarios clear [id]` removes them');
  addControlOptions(
    scenarios
      .command('list', { isDefault: true })
      .description('the rules in force, oldest (first to answer) first')
      .option('--client <id>', 'only this client’s rules')
      .option('--json', 'print JSON'),
  ).action(async (options: ControlOptions & { client?: string; json?: boolean }) => {
    const query = options.client ? `?${new URLSearchParams({ clientId: options.client })}` : '';
    const { scenarios: list } = await request<{ scenarios: ScenarioView[] }>(options, 'GET', `/sandbox/scenarios${query}`);
    if (options.json) return io.out(JSON.stringify(list, null, 2));
    if (list.length === 0) return io.out('No scenario rules.');
    for (const s of list) io.out(`${s.id}  ${describe(s)}  (answered ${s.answered})`);
  });

  addControlOptions(
    scenarios
      .command('clear')
      .description('remove one rule by id, or every rule (of --client)')
      .argument('[id]', 'the rule to remove (default: all)')
      .option('--client <id>', 'without an id: only this client’s rules')
      .option('--json', 'print JSON'),
  ).action(async (id: string | undefined, options: ControlOptions & { client?: string; json?: boolean }) => {
    if (id !== undefined && options.client !== undefined) throw new CliError('give a rule id or --client, not both');
    const path = id !== undefined
      ? `/sandbox/scenarios/${encodeURIComponent(id)}`
      : `/sandbox/scenarios${options.client ? `?${new URLSearchParams({ clientId: options.client })}` : ''}`;
    const { removed } = await request<{ removed: number }>(options, 'DELETE', path);
    io.out(options.json ? JSON.stringify({ removed }) : id !== undefined ? `Removed scenario ${id}.` : `Removed ${removed} scenario rule(s).`);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function matchPair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new CliError(`--match must be field=value, got "${text}"`);
  return [text.slice(0, at).trim(), text.slice(at + 1)];
}

/** `pay` → `payments/pay` when exactly one endpoint ends so; anything else goes to the gateway as given (it says what is valid). */
function endpointOf(text: string): string {
  if (text.includes('/')) return text;
  const candidates = ENDPOINT_PATHS.filter((path) => path.endsWith(`/${text}`));
  if (candidates.length > 1) throw new CliError(`"${text}" is ambiguous: ${candidates.join(' or ')}`);
  return candidates[0] ?? text;
}

function sandboxClientId(dataDir: string): string {
  const clientId = sandboxCredentialField(dataDir, 'clientId');
  if (clientId !== undefined) return clientId;
  throw new CliError(`no --client given and ${join(dataDir, CREDENTIALS_FILE)} names no clientId; pass --client ID (or --data-dir)`);
}

function describe(s: ScenarioView): string {
  const limit = s.remainingCalls !== null ? `the next ${s.remainingCalls} call(s)` : `until ${s.expiresAt ?? '?'}`;
  const match = Object.entries(s.match).map(([field, value]) => `${field}=${value}`).join(', ');
  return `${s.endpoint} answers ${s.resultCode} (${s.resultStatus}) for client ${s.clientId}, ${limit}${match ? `, when ${match}` : ''}`;
}
