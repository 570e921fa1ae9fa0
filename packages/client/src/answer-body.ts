/**
 * Reading an AMS answer body: JSON with a well-formed `result`. Fields are
 * otherwise kept as sent (unknown ones included), except that `null`
 * properties are removed: Antom sends `null` for fields that do not apply,
 * which the schema types describe as absent.
 */
import type { ResultStatus, WireResult } from '@amsgate/protocol';

export type AnswerBody = { result: WireResult } & Record<string, unknown>;

export type BodyRead = { ok: true; body: AnswerBody } | { ok: false; problem: string };

const STATUSES: ReadonlySet<string> = new Set<ResultStatus>(['S', 'F', 'U']);

export function readAnswerBody(text: string): BodyRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `the body is not JSON (${(error as Error).message})` };
  }
  if (!isRecord(parsed)) return { ok: false, problem: 'the body is not a JSON object' };
  // A cheap test first: most answers have no null at all.
  if (text.includes('null')) dropNulls(parsed);
  const result = parsed['result'];
  if (!isRecord(result)) return { ok: false, problem: 'the body has no "result" object' };
  const { resultCode, resultStatus, resultMessage } = result;
  if (typeof resultCode !== 'string' || resultCode === '') return { ok: false, problem: 'result.resultCode is not a non-empty string' };
  if (typeof resultStatus !== 'string' || !STATUSES.has(resultStatus)) {
    return { ok: false, problem: `result.resultStatus is ${JSON.stringify(resultStatus)}, not S, F or U` };
  }
  if (resultMessage !== undefined && typeof resultMessage !== 'string') return { ok: false, problem: 'result.resultMessage is not a string' };
  return { ok: true, body: parsed as AnswerBody };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function dropNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNulls(item);
    return;
  }
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    const field = value[key];
    if (field === null) delete value[key];
    else if (typeof field === 'object') dropNulls(field);
  }
}
