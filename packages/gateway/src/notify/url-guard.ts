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
    if (internal.check(address, 'ipv6')) return true;
    const embedded = embeddedIpv4(address);
    return embedded === 'refuse' || (embedded !== undefined && internal.check(embedded, 'ipv4'));
  }
  return true; // not an address at all: refuse
}

/**
 * The IPv4 address an IPv6 address carries to an IPv4 host, where it has one:
 * IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), the NAT64 well-known
 * prefix (64:ff9b::/96) and 6to4 (2002::/16). A NAT64 or 6to4 gateway on the
 * path would otherwise carry a notification to 169.254.169.254 or 10.x.
 * The local-use NAT64 prefix (64:ff9b:1::/48) can embed any address under a
 * network-chosen layout: refused outright.
 */
function embeddedIpv4(address: string): string | undefined | 'refuse' {
  const bytes = ipv6Bytes(address);
  if (!bytes) return 'refuse';
  const v4 = (at: number) => `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  if (zeros(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || (bytes[10] === 0 && bytes[11] === 0))) return v4(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    if (zeros(4, 12)) return v4(12);
    if (bytes[4] === 0x00 && bytes[5] === 0x01) return 'refuse';
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  return undefined;
}

/** The 16 bytes of an IPv6 address in text form (isIP already said 6), a trailing dotted quad included. */
function ipv6Bytes(address: string): Uint8Array | undefined {
  let text = address.toLowerCase().split('%')[0] as string;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] as string).split(':')) : [];
  const groups = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
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
