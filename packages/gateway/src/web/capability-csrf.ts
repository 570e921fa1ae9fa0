/**
 * CSRF protection of the buyer-facing forms (checkout, test wallet, Auto
 * Debit authorisation). The id in the URL (payment id, consult id) is the
 * capability; a form post must also carry `csrf` = HMAC-SHA256(process
 * secret, purpose + id), which only a page this process rendered contains,
 * and a browser's `Sec-Fetch-Site` / `Origin`, when sent, must say same
 * origin. The secret is derived from the admin token when one is set
 * (`capabilitySecretOf`), else random per process: then after a restart an
 * open page must be reloaded (the refusal page says so).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { equalSecret } from './equal-secret.js';

const PROCESS_SECRET = randomBytes(32);

/**
 * The forms' key: derived from the admin token when there is one, so that
 * gateway processes behind one load balancer (same token, one PostgreSQL)
 * accept a form another rendered and a restart keeps open pages working;
 * else the random per-process secret.
 */
export function capabilitySecretOf(adminToken: string | undefined): Buffer {
  if (adminToken === undefined || adminToken === '') return PROCESS_SECRET;
  return createHash('sha256').update('amsgate buyer forms\0').update(adminToken).digest();
}

export class CapabilityCsrf {
  /** `purpose` keeps a token for one kind of page from being accepted by another. */
  constructor(private readonly purpose: 'checkout' | 'authorize' | 'vault' | 'subscribe', private readonly secret: Buffer = PROCESS_SECRET) {}

  tokenFor(id: string): string {
    return createHmac('sha256', this.secret).update(`${this.purpose}\n${id}`, 'utf8').digest('base64url');
  }

  verify(id: string, token: string | null): boolean {
    return token !== null && equalSecret(token, this.tokenFor(id));
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value?.split(',')[0]?.trim();
}

/** Why a post looks cross-site, or undefined. Browsers that send neither header rely on the token alone. */
export function crossSiteProblem(headers: IncomingHttpHeaders): string | undefined {
  const site = first(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  const origin = first(headers.origin);
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Origin ${origin} is not this site`;
  }
  const hosts = [first(headers.host), first(headers['x-forwarded-host'])].filter((h): h is string => h !== undefined);
  return hosts.some((host) => host.toLowerCase() === originHost.toLowerCase()) ? undefined : `Origin ${origin} is not this site`;
}
