/**
 * `amsgate logs tail [--client ID] [--follow] [--json]` and `amsgate logs
 * show ID`: the request log of a running sandbox gateway (the last AMS
 * requests it answered, with a diagnosis of every header or signature
 * failure), through its control API (`/sandbox/requests`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { BodyView, RequestDetail, RequestSummary } from '@amsgate/gateway';
import { addControlOptions, controlRequest, type ControlOptions } from '../control-api.js';
import { CliError } from '../io.js';

type Print = (line: string) => void;
interface Io {
  out: Print;
  err: Print;
}

/** What `/sandbox/requests` lists and shows: the gateway's own types, as JSON. */
export type RequestSummaryView = RequestSummary;
type RequestDetailView = RequestDetail;

export interface TailOptions extends ControlOptions {
  client?: string;
  limit?: string;
  follow?: boolean;
  json?: boolean;
}

export const FOLLOW_INTERVAL_MS = 500;

export function registerLogsCommands(program: Command, io: Io): void {
  const logs = program.command('logs').description("a running sandbox gateway's request log: the last AMS requests it answered, and why each failed");
  addControlOptions(
    logs
      .command('tail')
      .description('recent requests, one line each (time, id, client, path, result), oldest first')
      .option('--client <id>', 'only requests whose client-id header is this')
      .option('--limit <n>', 'how many recent requests to print first', '20')
      .option('--follow', `keep printing new requests (polls every ${FOLLOW_INTERVAL_MS} ms) until Ctrl-C`)
      .option('--json', 'one JSON object per line'),
  ).action(async (options: TailOptions) => {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    try {
      await tailLogs(options, io, controller.signal);
    } finally {
      process.removeListener('SIGINT', stop);
    }
  });

  addControlOptions(
    logs
      .command('show')
      .description('one request in full: headers (agent token masked, signature prefix), bodies, and the diagnosis with the exact content verified and hints')
      .argument('<id>', 'the request id, e.g. REQ000012 (from `logs tail`)')
      .option('--json', 'print JSON'),
  ).action(async (id: string, options: ControlOptions & { json?: boolean }) => {
    const { request } = await controlRequest<{ request: RequestDetailView }>(options, 'GET', `/sandbox/requests/${encodeURIComponent(id)}`);
    if (options.json) return io.out(JSON.stringify(request, null, 2));
    for (const line of describeRequest(request)) io.out(line);
  });
}

/**
 * Prints the last requests, then with `follow` polls for newer ones every
 * `intervalMs` until `signal` aborts (Ctrl-C in the command; tests abort it).
 */
export async function tailLogs(options: TailOptions, io: Io, signal?: AbortSignal, intervalMs = FOLLOW_INTERVAL_MS): Promise<void> {
  const limit = options.limit === undefined ? 20 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive whole number, got "${options.limit}"`);
  const print = (list: RequestSummaryView[]): void => {
    // The API lists newest first; a tail reads oldest first.
    for (const entry of [...list].reverse()) io.out(options.json ? JSON.stringify(entry) : summaryLine(entry));
  };
  const query = (extra: Record<string, string>): string => {
    const params = new URLSearchParams(extra);
    if (options.client !== undefined) params.set('clientId', options.client);
    return `/sandbox/requests?${params}`;
  };
  const first = await controlRequest<{ capacity: number; requests: RequestSummaryView[] }>(options, 'GET', query({ limit: String(Math.min(limit, 1000)) }));
  print(first.requests);
  if (!options.follow) {
    if (first.requests.length === 0 && !options.json) io.out('No requests logged yet.');
    return;
  }
  // The newest seen, over all clients, so a filtered follow does not list old entries again.
  let last = first.requests[0]?.id ?? (await newestId(options));
  while (!signal?.aborted) {
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      break; // aborted
    }
    const next = await controlRequest<{ capacity: number; requests: RequestSummaryView[] }>(
      options, 'GET', query({ limit: String(first.capacity), ...(last !== undefined ? { after: last } : {}) }),
    );
    print(next.requests);
    last = next.requests[0]?.id ?? last;
  }
}

async function newestId(options: ControlOptions): Promise<string | undefined> {
  const { requests } = await controlRequest<{ requests: RequestSummaryView[] }>(options, 'GET', '/sandbox/requests?limit=1');
  return requests[0]?.id;
}

export function summaryLine(entry: RequestSummaryView): string {
  const failure = entry.failure !== null && entry.failure !== 'NOT_A_SIGNATURE_PROBLEM' ? ` [${entry.failure}]` : '';
  return `${entry.time}  ${entry.id}  ${entry.clientId ?? '-'}  ${entry.method} ${entry.path}  ${entry.resultStatus} ${entry.resultCode}${failure}  ${entry.durationMs.toFixed(1)}ms`;
}

function describeRequest(r: RequestDetailView): string[] {
  const lines = [
    `${r.id}  ${r.time}  ${r.method} ${r.path}`,
    `client-id: ${r.clientId ?? '(none)'}   request-time: ${r.requestTime ?? '(none)'}   keyVersion: ${r.keyVersion ?? '(none)'}`,
    `content-type: ${r.request.contentType ?? '(none)'}   signature: ${r.request.signature ?? '(none)'}${r.request.agentToken !== null ? `   agent-token: ${r.request.agentToken}` : ''}`,
    `result: ${r.resultStatus} ${r.resultCode}: ${r.resultMessage}   (${r.durationMs.toFixed(1)} ms)`,
  ];
  const d = r.diagnosis;
  if (d) {
    lines.push('', `Diagnosis: ${d.reason} at ${d.stage}`, `  ${d.message}`);
    const keys = [
      d.headerKeyVersion !== undefined ? `header keyVersion ${d.headerKeyVersion}` : undefined,
      d.keyVersionUsed !== undefined ? `verified with keyVersion ${d.keyVersionUsed}` : undefined,
      d.liveKeyVersions !== undefined ? `live key versions: ${d.liveKeyVersions.join(', ') || 'none'}` : undefined,
    ].filter((part) => part !== undefined);
    if (keys.length > 0) lines.push(`  ${keys.join('; ')}`);
    if (d.content) {
      lines.push(`  Content verified (${d.content.bytes} bytes, sha256 ${d.content.sha256}), as a JSON string${d.content.truncated ? ' (the start only)' : ''}:`);
      lines.push(`  ${d.content.escaped}`);
    }
    if (d.checked.length > 0) lines.push('  Checked:', ...d.checked.map((c) => `    - ${c}`));
    if (d.hints.length > 0) lines.push('  Hints:', ...d.hints.map((h) => `    - ${h}`));
  }
  lines.push('', bodyLabel('Request body', r.request.body), r.request.body.text, '', bodyLabel('Response body', r.response.body), r.response.body.text);
  return lines;
}

function bodyLabel(label: string, body: BodyView): string {
  return `${label} (${body.bytes} bytes${body.truncated ? ', truncated' : ''}):`;
}
