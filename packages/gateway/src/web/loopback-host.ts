/**
 * The open sandbox (no admin token: sandbox mode on a loopback bind) is open
 * to tools on this machine. A web page can still reach it by DNS rebinding:
 * its own name, re-pointed at 127.0.0.1, makes its requests same-origin, so
 * Origin and Sec-Fetch-Site checks pass. What it cannot change is the Host
 * header, which carries its name: the open dashboard and control API answer
 * only requests addressed to a loopback name.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** `localhost`, an address in 127.0.0.0/8, or ::1 (bracketed or not, as URL hostnames and bind addresses write it). */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === 'localhost' || name === '::1' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Why the request is not addressed to this machine by a loopback name, or undefined. A request without Host (HTTP/1.0 tools) is allowed. */
export function nonLoopbackHostProblem(headers: IncomingHttpHeaders): string | undefined {
  const host = headers.host;
  if (host === undefined) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return `Host ${JSON.stringify(host.slice(0, 100))} is not a host name`;
  }
  if (isLoopbackHostname(hostname)) return undefined;
  return `Host ${hostname} is not a loopback name (localhost, 127.0.0.1, [::1])`;
}
