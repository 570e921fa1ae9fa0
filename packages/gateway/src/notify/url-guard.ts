/**
 * Where notifications may go. In gateway mode a notify URL that resolves to
 * a loopback, private, link-local or otherwise internal address is refused
 * (a merchant must not make the gateway call into its own network); the
 * check runs on the addresses actually connected to, so DNS cannot swap
 * them after the check. Sandbox mode allows them: local development is the
 * point there.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) internal.addSubnet(network, prefix, 'ipv6');

/** True for addresses a gateway-mode notification must not reach. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return internal.check(mapped[1] as string, 'ipv4');
    return internal.check(address, 'ipv6');
  }
  return true; // not an address at all: refuse
}

export class RefusedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedUrlError';
  }
}

/** Checks a notify URL's form (and, for literal addresses, the address). */
export function checkNotifyUrl(url: URL, allowInternal: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedUrlError(`notify URL scheme ${url.protocol} is not http or https`);
  if (url.username !== '' || url.password !== '') throw new RefusedUrlError('notify URL must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowInternal && isIP(host) !== 0 && isInternalAddress(host)) {
    throw new RefusedUrlError(`notify URL address ${host} is internal (loopback, private or link-local); allowed in sandbox mode or with allowInternalNotifyUrls`);
  }
}

/** The longest notify URL accepted (Antom's notify URL fields allow 2048 characters). */
export const MAX_NOTIFY_URL_LENGTH = 2048;

/** Parses and checks a notify URL typed by a person (CLI, dashboard); throws RefusedUrlError saying what is wrong. */
export function parseNotifyUrl(text: string, allowInternal: boolean): URL {
  const trimmed = text.trim();
  if (trimmed === '') throw new RefusedUrlError('the notify URL is empty');
  if (trimmed.length > MAX_NOTIFY_URL_LENGTH) throw new RefusedUrlError(`the notify URL is longer than ${MAX_NOTIFY_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new RefusedUrlError(`"${trimmed}" is not a URL (expected e.g. https://merchant.example/notify)`);
  }
  checkNotifyUrl(url, allowInternal);
  return url;
}

/** A `lookup` for http.request that refuses internal addresses unless allowed. */
export function guardedLookup(allowInternal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = allowInternal ? undefined : list.find((a) => isInternalAddress(a.address));
      if (refused) {
        return callback(new RefusedUrlError(`notify URL host ${hostname} resolves to internal address ${refused.address}; allowed in sandbox mode or with allowInternalNotifyUrls`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
