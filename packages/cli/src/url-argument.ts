/** Command-line URLs that must be absolute http(s): the gateway's address, a forwarding target. */
import { CliError } from './io.js';

/**
 * `raw` as an absolute http(s) URL, else a usage error naming `what`.
 * `127.0.0.1:8080` does not parse, and `localhost:8080` parses with the
 * scheme "localhost:": both lack http://, so the scheme is checked too.
 */
export function httpUrlArgument(raw: string, what: string, example: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new CliError(`${what} must be an absolute http(s) URL such as ${example}, got "${raw}"`);
  }
  return url;
}
