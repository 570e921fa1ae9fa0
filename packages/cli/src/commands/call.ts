/**
 * `amsgate call ENDPOINT`: one signed AMS call through the SDK
 * (@amsgate/client): sign, send, verify, print the answer with its result
 * highlighted. `--curl` prints the equivalent signed curl command instead
 * of sending; `--explain` prints the content signed and the content verified.
 */
import {
  AntomClient,
  AntomTransportError,
  KeyFormatError,
  SignatureVerificationError,
  TimeoutError,
  type Answer,
  type Exchange,
  type SignedRequest,
} from '@amsgate/client';
import { ENDPOINT_DEFINITIONS, type SignedParts } from '@amsgate/protocol';
import { CliError, EXIT, readBody, readFileBytes } from '../io.js';
import { resolveCredentials, type Credentials } from '../merchant-credentials.js';
import { explainContent } from '../message.js';
import { merchantTarget } from '../runtime-file.js';

export interface CallOptions {
  data?: string;
  baseUrl?: string;
  credentials?: string;
  dataDir: string;
  curl?: boolean;
  explain?: boolean;
  json?: boolean;
  /** ANSI colours for the result line; the command line sets it for a terminal. */
  color?: boolean;
}

export interface CallIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Exit 0 for an S or U answer, 1 for an F answer or no verified answer, 2 for usage errors. */
export async function call(endpointArgument: string, options: CallOptions, io: CallIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const endpoint = endpointOfMethod(endpointArgument) ?? endpointArgument;
  if (!/^\/?[A-Za-z0-9_.\-/]+(\?.*)?$/.test(endpoint)) {
    throw new CliError(`"${endpointArgument}" is not an endpoint: use a path such as payments/pay (or /ams/api/v1/payments/pay) or a method name such as inquiryPayment`);
  }
  const body = await readData(options.data);
  const credentials = resolveCredentials(options, env);
  const target = merchantTarget(options.baseUrl, credentials, options.dataDir);
  const baseUrl = target.url;
  if (baseUrl === undefined) {
    throw new CliError(`No base URL: ${credentials.source} has none; pass --base-url (e.g. http://127.0.0.1:8080 or https://open-sea-global.alipay.com)`);
  }
  const client = createClient(credentials, baseUrl);
  if (options.explain) io.err(`Credentials: ${credentials.source} (client-id ${credentials.clientId}, keyVersion ${credentials.keyVersion})`);

  if (options.curl) {
    const prepared = await client.prepareRequest(endpoint, body);
    if (options.explain) io.out(explainContent('Content signed', requestParts(prepared)));
    io.out(curlCommand(prepared));
    return EXIT.ok;
  }

  let answer: Answer<unknown, unknown>;
  try {
    answer = await client.request(endpoint, body);
  } catch (error) {
    const code = reportFailure(error, options, io);
    if (error instanceof AntomTransportError && target.staleNote !== undefined) io.err(`  ${target.staleNote}`);
    return code;
  }
  const { request, response } = answer.exchange;
  if (options.explain) {
    io.out(explainContent('Content signed', requestParts(request)));
    if (answer.signature === 'verified') {
      io.out(explainContent('Content verified', responseParts(answer.exchange)));
      io.out(`signature: ${response.headers.get('signature') ?? ''}`);
    } else {
      io.out('Content verified: none: the answer carries no signature headers (accepted because its resultStatus is not S)');
    }
  }
  if (options.json) {
    io.out(JSON.stringify({
      url: request.url,
      httpStatus: response.status,
      signature: answer.signature,
      attempts: answer.attempts,
      resultStatus: answer.resultStatus,
      response: answer.data,
    }, null, 2));
  } else {
    io.out(`POST ${request.url}`);
    io.out(`HTTP ${response.status}, signature ${answer.signature}, ${answer.attempts} attempt${answer.attempts === 1 ? '' : 's'}`);
    io.out(highlight(`result: ${answer.resultStatus} ${answer.result.resultCode}${answer.result.resultMessage ? `: ${answer.result.resultMessage}` : ''}`, answer.resultStatus, options.color ?? false));
    io.out(JSON.stringify(answer.data, null, 2));
  }
  return answer.resultStatus === 'F' ? EXIT.failed : EXIT.ok;
}

/** The endpoint path of an SDK method name (`inquiryPayment`, `authorizations.consult`), accepted as well as paths. */
function endpointOfMethod(name: string): string | undefined {
  return Object.values(ENDPOINT_DEFINITIONS).find((definition) => definition.method === name)?.path;
}

async function readData(data: string | undefined): Promise<Record<string, unknown>> {
  if (data === undefined) {
    throw new CliError('No request body: pass --data FILE, --data - (standard input) or --data \'{"paymentId":"..."}\'');
  }
  const text = data.trimStart().startsWith('{')
    ? data
    : (data === '-' ? await readBody(undefined) : readFileBytes(data, 'data')).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The request body (--data ${data === '-' || data.trimStart().startsWith('{') ? data.slice(0, 20) : data}) is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError('The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function createClient(credentials: Credentials, baseUrl: string): AntomClient {
  try {
    return new AntomClient({
      clientId: credentials.clientId,
      privateKey: credentials.merchantPrivateKey,
      antomPublicKey: credentials.antomPublicKey,
      keyVersion: credentials.keyVersion,
      baseUrl,
    });
  } catch (error) {
    if (error instanceof KeyFormatError || error instanceof TypeError || error instanceof RangeError) {
      throw new CliError(`${credentials.source}: ${error.message}`);
    }
    throw error;
  }
}

function reportFailure(error: unknown, options: CallOptions, io: CallIo): number {
  if (error instanceof SignatureVerificationError) {
    if (options.explain) {
      io.out(explainContent('Content signed', requestParts(error.exchange.request)));
      const parts = responseParts(error.exchange);
      if (parts.time !== '') io.out(explainContent('Content verified (did not verify)', parts));
    }
    io.err(`amsgate: ${error.message}`);
    io.err(`  HTTP ${error.exchange.response.status}; body: ${error.exchange.response.body.slice(0, 500)}`);
    return EXIT.failed;
  }
  if (error instanceof AntomTransportError) {
    if (options.explain) io.out(explainContent('Content signed', requestParts(error.request)));
    const what = error instanceof TimeoutError ? 'timed out' : error.kind === 'HTTP_STATUS' ? `answered HTTP ${error.status}` : 'no usable answer';
    io.err(`amsgate: ${error.request.url} ${what} after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}: ${error.message}`);
    if (error.bodyExcerpt) io.err(`  body: ${error.bodyExcerpt}`);
    return EXIT.failed;
  }
  throw error;
}

function requestParts(request: SignedRequest): SignedParts {
  return { method: 'POST', uri: request.uri, clientId: request.clientId, time: request.requestTime, body: request.body };
}

/** What the SDK verified: the request's path, our client id, the response-time, the exact response body. */
function responseParts(exchange: Exchange): SignedParts {
  return {
    method: 'POST',
    uri: exchange.request.uri,
    clientId: exchange.request.clientId,
    time: exchange.response.headers.get('response-time') ?? '',
    body: exchange.response.body,
  };
}

const COLORS = { S: '\u001b[1;32m', F: '\u001b[1;31m', U: '\u001b[1;33m' } as const;
const RESET = '\u001b[0m';

function highlight(line: string, status: 'S' | 'F' | 'U', color: boolean): string {
  return color ? `${COLORS[status]}${line}${RESET}` : line;
}

/** A POSIX-shell curl command sending exactly the signed request. */
export function curlCommand(request: SignedRequest): string {
  const lines = [`curl -sS -X POST ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`  --data-binary ${shellQuote(request.body)}`);
  return lines.join(' \\\n');
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
