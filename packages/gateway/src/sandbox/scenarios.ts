/**
 * Scenario simulation, like Antom's Dashboard error-scenario tool: rules of
 * the form "for client C, endpoint E answers result code R", for the next K
 * calls or for a while on the gateway clock (so the sandbox clock moves it),
 * optionally only for requests whose fields match given values.
 *
 * The pipeline asks `answerFor` after authentication and schema validation
 * and before the handler: a matched request is answered with the rule's
 * result and nothing is written for it, exactly like a gateway-side refusal.
 *
 * Rules live in memory, in the serving process: sandbox mode is one process
 * (as for the sandbox clock), rules are short-lived test fixtures, and
 * counting "the next K calls" is then atomic (JavaScript runs one request's
 * synchronous match-and-count at a time). A restart forgets them.
 */
import { randomBytes } from 'node:crypto';
import { buildResult, ENDPOINT_PATHS, isEndpointPath, isResultCode, RESULT_CODES, type EndpointPath, type Result, type ResultCode, type ResultStatus } from '@amsgate/protocol';
import type { Clock } from '../clock.js';
import { isoTime } from '../iso-time.js';
import { parseDuration } from './sandbox-clock.js';

/** Antom's tool offers 30 to 120 minutes; a rule given neither `times` nor a duration lasts 30 minutes. */
export const DEFAULT_SCENARIO_DURATION_MS = 30 * 60_000;
export const MAX_SCENARIO_DURATION_MS = 7 * 86_400_000;
export const MAX_SCENARIO_TIMES = 10_000;
export const MAX_SCENARIOS_PER_CLIENT = 100;
const MAX_MATCH_FIELDS = 10;
const FIELD_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

export interface ScenarioRule {
  id: string;
  clientId: string;
  endpoint: EndpointPath;
  resultCode: ResultCode;
  /** Field (a dotted path, or a bare name found at any depth) → the value it must have, compared as text. */
  match: Record<string, string>;
  createdAt: number;
  /** Calls left to answer; undefined for a time-limited rule. */
  remainingCalls: number | undefined;
  /** Gateway-clock time the rule ends at; undefined for a call-limited rule. */
  expiresAt: number | undefined;
  /** Requests answered by the rule so far. */
  answered: number;
}

/** The control API's shape of a rule. */
export interface ScenarioView {
  id: string;
  clientId: string;
  endpoint: EndpointPath;
  resultCode: ResultCode;
  resultStatus: ResultStatus;
  match: Record<string, string>;
  createdAt: string;
  expiresAt: string | null;
  remainingCalls: number | null;
  answered: number;
}

/** A rule the control API must refuse (HTTP 400), with a message saying why. */
export class ScenarioRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioRuleError';
  }
}

export function scenarioView(rule: ScenarioRule): ScenarioView {
  return {
    id: rule.id,
    clientId: rule.clientId,
    endpoint: rule.endpoint,
    resultCode: rule.resultCode,
    resultStatus: RESULT_CODES[rule.resultCode].status,
    match: { ...rule.match },
    createdAt: isoTime(rule.createdAt),
    expiresAt: isoTime(rule.expiresAt ?? null),
    remainingCalls: rule.remainingCalls ?? null,
    answered: rule.answered,
  };
}

/** The message of a simulated answer: says it is simulated and names the rule. */
export function simulatedMessage(rule: ScenarioRule): string {
  return `Simulated scenario ${rule.id}: ${rule.endpoint} answers ${rule.resultCode} (amsgate sandbox; nothing was processed)`;
}

export class SandboxScenarios {
  /** In creation order: the oldest matching rule answers. */
  private rules: ScenarioRule[] = [];

  constructor(
    private readonly clock: Clock,
    /** Whether a client exists (a rule for an unknown client is refused); default: any. */
    private readonly clientExists: (clientId: string) => Promise<boolean> = () => Promise.resolve(true),
  ) {}

  /** Validates and stores a rule from the control API's JSON; throws ScenarioRuleError when it is not acceptable. */
  async add(input: Record<string, unknown>): Promise<ScenarioView> {
    const known = new Set(['clientId', 'endpoint', 'resultCode', 'times', 'forMs', 'for', 'match']);
    const unknown = Object.keys(input).filter((key) => !known.has(key));
    if (unknown.length > 0) throw new ScenarioRuleError(`unknown field(s) ${unknown.join(', ')}; a rule has clientId, endpoint, resultCode, times or forMs/for, match`);

    const { clientId } = input;
    if (typeof clientId !== 'string' || clientId === '') throw new ScenarioRuleError('clientId: required, the client whose requests the rule answers');
    const endpoint = endpointOf(input.endpoint);
    const resultCode = resultCodeOf(input.resultCode);
    const limit = limitOf(input);
    const match = matchOf(input.match);
    if (!(await this.clientExists(clientId))) throw new ScenarioRuleError(`clientId: no client ${clientId}`);

    const now = this.clock.now();
    this.prune(now);
    if (this.rules.filter((r) => r.clientId === clientId).length >= MAX_SCENARIOS_PER_CLIENT) {
      throw new ScenarioRuleError(`client ${clientId} already has ${MAX_SCENARIOS_PER_CLIENT} scenario rules; remove some first`);
    }
    const rule: ScenarioRule = {
      id: `SCN${randomBytes(10).toString('hex').toUpperCase()}`,
      clientId,
      endpoint,
      resultCode,
      match,
      createdAt: now,
      remainingCalls: limit.times,
      expiresAt: limit.forMs === undefined ? undefined : now + limit.forMs,
      answered: 0,
    };
    this.rules.push(rule);
    return scenarioView(rule);
  }

  /** Live rules (expired ones are dropped first), oldest first. */
  list(clientId?: string): ScenarioView[] {
    this.prune(this.clock.now());
    return this.rules.filter((r) => clientId === undefined || r.clientId === clientId).map(scenarioView);
  }

  /** Removes a rule; false when there is none with that id (or it has run out). */
  remove(id: string): boolean {
    this.prune(this.clock.now());
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule, or every rule of a client; returns how many. */
  clear(clientId?: string): number {
    const before = this.rules.length;
    this.rules = clientId === undefined ? [] : this.rules.filter((r) => r.clientId !== clientId);
    return before - this.rules.length;
  }

  /**
   * The simulated result for an authenticated, validated request, or
   * undefined to process it normally. Counts the call against the oldest
   * matching rule and drops that rule when it runs out.
   */
  answerFor(clientId: string, endpoint: EndpointPath, body: unknown, now: number): Result | undefined {
    if (this.rules.length === 0) return undefined;
    this.prune(now);
    const rule = this.rules.find((r) => r.clientId === clientId && r.endpoint === endpoint && matches(r.match, body));
    if (!rule) return undefined;
    rule.answered += 1;
    if (rule.remainingCalls !== undefined) {
      rule.remainingCalls -= 1;
      if (rule.remainingCalls <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return buildResult(rule.resultCode, simulatedMessage(rule));
  }

  private prune(now: number): void {
    if (this.rules.some((r) => r.expiresAt !== undefined && r.expiresAt <= now)) {
      this.rules = this.rules.filter((r) => r.expiresAt === undefined || r.expiresAt > now);
    }
  }
}

function endpointOf(value: unknown): EndpointPath {
  if (typeof value !== 'string' || value === '') throw new ScenarioRuleError(`endpoint: required, one of ${ENDPOINT_PATHS.join(', ')}`);
  // Also accept the path as requested: /ams/api/v1/payments/pay, /ams/sandbox/api/v1/payments/pay.
  const path = value.replace(/^\/?(?:ams\/(?:sandbox\/)?api\/v1\/)?/, '');
  if (!isEndpointPath(path)) throw new ScenarioRuleError(`endpoint: "${value}" is not an AMS endpoint; use one of ${ENDPOINT_PATHS.join(', ')}`);
  return path;
}

function resultCodeOf(value: unknown): ResultCode {
  if (typeof value !== 'string' || value === '') throw new ScenarioRuleError('resultCode: required, a result code such as USER_BALANCE_NOT_ENOUGH or UNKNOWN_EXCEPTION');
  if (!isResultCode(value)) throw new ScenarioRuleError(`resultCode: "${value}" is not a result code amsgate knows (codes are upper case, e.g. USER_BALANCE_NOT_ENOUGH, RISK_REJECT, UNKNOWN_EXCEPTION)`);
  // A simulated answer carries only `result`: an S without the resource it reports would mislead the caller.
  if (RESULT_CODES[value].status === 'S') throw new ScenarioRuleError(`resultCode: ${value} cannot be simulated (a success needs a real payment; only F and U codes can be)`);
  return value;
}

function limitOf(input: Record<string, unknown>): { times?: number; forMs?: number } {
  const given = ['times', 'forMs', 'for'].filter((key) => input[key] !== undefined && input[key] !== null);
  if (given.length > 1) throw new ScenarioRuleError(`give at most one of times, forMs and for (got ${given.join(', ')})`);
  if (input.times !== undefined && input.times !== null) {
    const times = input.times;
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > MAX_SCENARIO_TIMES) {
      throw new ScenarioRuleError(`times: must be an integer from 1 to ${MAX_SCENARIO_TIMES}`);
    }
    return { times };
  }
  let forMs = DEFAULT_SCENARIO_DURATION_MS;
  if (input.forMs !== undefined && input.forMs !== null) {
    if (typeof input.forMs !== 'number' || !Number.isInteger(input.forMs)) throw new ScenarioRuleError('forMs: must be a whole number of milliseconds');
    forMs = input.forMs;
  } else if (input.for !== undefined && input.for !== null) {
    if (typeof input.for !== 'string') throw new ScenarioRuleError('for: must be a duration such as "10m", "1h30m" or "90s"');
    try {
      forMs = parseDuration(input.for);
    } catch (error) {
      throw new ScenarioRuleError(`for: ${(error as Error).message}`);
    }
  }
  if (forMs < 1 || forMs > MAX_SCENARIO_DURATION_MS) throw new ScenarioRuleError(`the duration must be more than 0 and at most 7 days (got ${forMs} ms)`);
  return { forMs };
}

function matchOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ScenarioRuleError('match: must be an object of field → value, e.g. {"paymentMethodType":"ALIPAY_CN"}');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_MATCH_FIELDS) throw new ScenarioRuleError(`match: at most ${MAX_MATCH_FIELDS} fields`);
  const match: Record<string, string> = {};
  for (const [field, expected] of entries) {
    if (!FIELD_PATH.test(field)) throw new ScenarioRuleError(`match: "${field}" is not a field name or dotted path such as paymentMethod.paymentMethodType`);
    if (typeof expected !== 'string' && typeof expected !== 'number' && typeof expected !== 'boolean') {
      throw new ScenarioRuleError(`match.${field}: must be a string, number or boolean`);
    }
    match[field] = String(expected);
  }
  return match;
}

/** Every field matches: a dotted path from the top of the body, or a bare name at the top or else at any depth. */
function matches(match: Record<string, string>, body: unknown): boolean {
  return Object.entries(match).every(([field, expected]) => {
    if (field.includes('.')) return textOf(pathValue(body, field.split('.'))) === expected;
    return valuesNamed(body, field).some((found) => textOf(found) === expected);
  });
}

function pathValue(body: unknown, path: string[]): unknown {
  let current = body;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function valuesNamed(body: unknown, name: string, depth = 0): unknown[] {
  if (body === null || typeof body !== 'object' || depth > 8) return [];
  if (Array.isArray(body)) return body.flatMap((item) => valuesNamed(item, name, depth + 1));
  const record = body as Record<string, unknown>;
  const here = Object.prototype.hasOwnProperty.call(record, name) ? [record[name]] : [];
  return [...here, ...Object.values(record).flatMap((child) => valuesNamed(child, name, depth + 1))];
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
