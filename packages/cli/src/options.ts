/** Option values shared by several commands. */
import { CliError } from './io.js';

/** `what` names the source in the message: the option, an environment variable, a file's field. */
export function parseKeyVersion(text: string, what = '--key-version'): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw new CliError(`${what} must be a positive integer, got "${text}"`);
  return Number(text);
}

/** `--time now` is a convenience for epoch milliseconds; any other value is used verbatim, as signing requires. */
export function resolveTime(text: string): string {
  return text === 'now' ? String(Date.now()) : text;
}

export function checkUri(uri: string): string {
  if (!uri.startsWith('/')) {
    throw new CliError(`--uri must be the path as requested, starting with "/" (e.g. /ams/api/v1/payments/pay), got "${uri}"`);
  }
  return uri;
}

export function checkMethod(method: string): string {
  if (!/^[A-Z]+$/.test(method)) throw new CliError(`--method must be an upper-case HTTP method such as POST, got "${method}"`);
  return method;
}

/** `serve --log-level`. */
export const LOG_LEVELS = ['info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
